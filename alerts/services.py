"""Subscribing (double opt-in), confirming, unsubscribing in one click, bounces, members'
own subscriptions, and raising and sending alerts: each subscriber is told of each event
once, in batches, by a worker, with nothing the public may not read."""

import logging
import uuid
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scrutiny import access
from scrutiny.notices import absolute_url
from scrutiny.queue import enqueue_on_commit
from scrutiny.templatetags.council import council_date, council_time

from .models import (
    AlertDelivery,
    AlertEvent,
    AlertKind,
    Subscription,
    SubscriptionStatus,
    Topic,
)

logger = logging.getLogger(__name__)

BATCH = 200
# At most one e-mail about a subscription (a confirmation, or "you have alerts already")
# to an address per committee in this time: the form cannot be used to flood an inbox.
RESEND_AFTER_SECONDS = 24 * 3600
TOPIC_FIELDS = [f"on_{topic.value}" for topic in Topic]


def _address(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as invalid:
        raise ValidationError(
            {"email": "Enter an e-mail address like name@example.com"}
        ) from invalid
    return email


def _one_line(text: str) -> str:
    """A subject line: a line break in a name must not stop the e-mail."""
    return " ".join(text.split())


@transaction.atomic
def subscription_request(*, email: str, committee, topics: list[str], now=None) -> None:
    """Ask to subscribe. A confirmation is e-mailed; nothing is sent until the link in
    it is followed. The page says the same whatever the address's state, so that it
    tells no one who else subscribes. An address that unsubscribed or bounced stays so
    until its owner confirms afresh (their old link still unsubscribes)."""
    now = now or timezone.now()
    email = _address(email)
    chosen = {topic for topic in topics if topic in Topic.values}
    if not chosen:
        raise ValidationError({"topics": "Select at least one thing to be told about"})
    wanted = {f"on_{topic}": topic in chosen for topic in Topic.values}
    subscription = (
        Subscription.objects.select_for_update().filter(email=email, committee=committee).first()
    )
    if subscription is not None:
        last = subscription.confirmation_sent_at
        if last and (now - last).total_seconds() < RESEND_AFTER_SECONDS:
            return  # one e-mail a day at most, whatever the form is sent
        subscription.confirmation_sent_at = now
        if subscription.status == SubscriptionStatus.ACTIVE:
            # Already subscribed: only the link in their own mail changes what they get.
            subscription.save(update_fields=["confirmation_sent_at"])
            _send_already(subscription)
            return
        # Pending, unsubscribed or bounced: what to be told of, when they confirm.
        for name, value in wanted.items():
            setattr(subscription, name, value)
        subscription.save()
        _send_confirmation(subscription)
        return
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                email=email, committee=committee, confirmation_sent_at=now, **wanted
            )
    except IntegrityError:
        return  # the same request at the same moment: that one sends the confirmation
    _send_confirmation(subscription)


def _links(subscription) -> dict:
    return {
        "confirm_url": absolute_url(
            reverse("alerts:confirm", kwargs={"token": subscription.token})
        ),
        "unsubscribe_url": absolute_url(
            reverse("alerts:unsubscribe", kwargs={"token": subscription.token})
        ),
    }


def _send_confirmation(subscription) -> None:
    from .tasks import send_alert_mail

    context = {
        "committee": subscription.committee.name,
        "topics": subscription.topics,
        **_links(subscription),
    }
    enqueue_on_commit(
        send_alert_mail,
        _one_line(f"Confirm your e-mail alerts: {subscription.committee.name}"),
        render_to_string("alerts/email/confirm.txt", context),
        render_to_string("alerts/email/confirm.html", context),
        subscription.email,
        "",
        uuid.uuid4().hex,  # sent once, however often the task runs
    )


def _send_already(subscription) -> None:
    from .tasks import send_alert_mail

    context = {
        "committee": subscription.committee.name,
        "topics": subscription.topics,
        **_links(subscription),
    }
    enqueue_on_commit(
        send_alert_mail,
        _one_line(f"You already have e-mail alerts: {subscription.committee.name}"),
        render_to_string("alerts/email/already.txt", context),
        render_to_string("alerts/email/already.html", context),
        subscription.email,
        context["unsubscribe_url"],
        uuid.uuid4().hex,
    )


@transaction.atomic
def subscription_confirm(*, token: str, now=None) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update().select_related("committee").get(token=token)
    )
    if subscription.status == SubscriptionStatus.PENDING or (
        # Asked again after it ended, and the owner follows the new confirmation.
        subscription.ended_at is not None
        and subscription.confirmation_sent_at is not None
        and subscription.confirmation_sent_at > subscription.ended_at
    ):
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.confirmed_at = now or timezone.now()
        subscription.ended_at = None
        subscription.save()
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str, now=None) -> Subscription:
    """One click, no questions (RFC 8058). Done once; doing it again changes nothing."""
    subscription = (
        Subscription.objects.select_for_update().select_related("committee").get(token=token)
    )
    if subscription.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.PENDING):
        subscription.status = SubscriptionStatus.UNSUBSCRIBED
        subscription.ended_at = now or timezone.now()
        subscription.save()
    return subscription


@transaction.atomic
def subscription_bounced(*, email: str, now=None) -> int:
    """Stop every alert to an address that bounces (from the mail provider's bounce
    report, by `manage.py alerts_bounced`). It is never subscribed again by the system:
    only its owner, confirming afresh."""
    return Subscription.objects.filter(
        email=email.strip().lower(),
        status__in=(SubscriptionStatus.ACTIVE, SubscriptionStatus.PENDING),
    ).update(status=SubscriptionStatus.BOUNCED, ended_at=now or timezone.now())


def member_subscription_ensure(*, membership, now=None) -> Subscription | None:
    """A member is subscribed to their committee by default, at their login's address
    (so no confirmation is needed), to what the agenda notice does not already tell
    them. An address that has unsubscribed from, or bounced on, the committee is left
    alone."""
    user = getattr(membership.person, "user", None)
    email = (user.email or "").strip().lower() if user is not None else ""
    if not email:
        return None
    if Subscription.objects.filter(email=email, status=SubscriptionStatus.BOUNCED).exists():
        return None  # an address that bounces, on any committee, is not written to
    now = now or timezone.now()
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                email=email,
                committee=membership.committee,
                defaults={
                    "user": user,
                    "status": SubscriptionStatus.ACTIVE,
                    "confirmed_at": now,
                    "on_agenda": False,  # members are sent the agenda notice itself
                },
            )
    except IntegrityError:
        return None
    return subscription if created else None


# --- raising and sending alerts -------------------------------------------------------


def alert_raise(*, kind: str, meeting, key: str, item=None) -> AlertEvent | None:
    """Record the event once (by its key) and send it after the change commits."""
    from .tasks import send_alerts

    event, created = AlertEvent.objects.get_or_create(
        key=key, defaults={"kind": kind, "meeting": meeting, "item": item}
    )
    if not created:
        return None
    enqueue_on_commit(send_alerts, event.pk)
    return event


def alert_content(event: AlertEvent) -> dict | None:
    """What the e-mail says, worked out now from what the public may read now: an item
    made exempt, or minutes withdrawn, since the event was raised sends nothing."""
    from meetings.models import AgendaSection, MeetingStatus
    from minutes.selectors import decision_list, minutes_get

    meeting = event.meeting
    public = AnonymousUser()
    if not access.can_see_meeting(public, meeting) or meeting.status == MeetingStatus.CANCELLED:
        return None
    committee = meeting.committee.name
    day = council_date(meeting.starts_at)
    when = f"{council_date(meeting.starts_at, True)} at {council_time(meeting.starts_at)}"
    if event.kind == AlertKind.AGENDA:
        return {
            "subject": f"Agenda published: {committee}, {day}",
            "paragraphs": [
                f"The agenda for the {committee} meeting on {when}, {meeting.venue}, is published."
            ],
            "lines": [],
            "link": meeting.get_absolute_url(),
            "link_text": "The agenda and its papers",
        }
    if event.kind == AlertKind.SUPPLEMENT:
        item = event.item
        if item is None or item.section != AgendaSection.PUBLIC:
            return None
        return {
            "subject": f"Item added: {committee}, {day}",
            "paragraphs": [
                f"An item has been added to the agenda of the {committee} meeting on {when}:"
            ],
            "lines": [item.title],
            "link": reverse(
                "meetings:item_detail", kwargs={"meeting_pk": meeting.pk, "pk": item.pk}
            ),
            "link_text": "The item and its papers",
        }
    minutes = minutes_get(meeting=meeting)
    if minutes is None or not access.can_see_public_minutes(public, minutes):
        return None
    if event.kind == AlertKind.MINUTES:
        return {
            "subject": f"Minutes published: {committee}, {day}",
            "paragraphs": [
                f"The minutes of the {committee} meeting on {day} are published. They are "
                "confirmed, or corrected, at the committee's next meeting."
            ],
            "lines": [],
            "link": minutes.get_absolute_url(),
            "link_text": "The minutes",
        }
    resolutions = list(
        decision_list(committee=meeting.committee, user=public, meeting_id=meeting.pk)
    )
    if not resolutions:
        return None
    return {
        "subject": f"Decisions: {committee}, {day}",
        "paragraphs": [f"What the {committee} resolved at its meeting on {day}:"],
        "lines": [
            f"Minute {r.minute.number}: {r.text}" if r.minute.number else r.text
            for r in resolutions
        ],
        "link": minutes.get_absolute_url(),
        "link_text": "The minutes",
    }


def alerts_send(*, event_id: int, batch: int = BATCH, now=None) -> int:
    """Send the event to one batch of the subscribers not yet told of it; returns how
    many were sent. The task sends the next batch until none is left. A delivery is
    recorded with its e-mail, so a subscriber is never told twice."""
    from .tasks import send_alerts

    event = AlertEvent.objects.select_related("meeting__committee", "item").get(pk=event_id)
    if event.finished_at is not None:
        return 0
    content = alert_content(event)
    topic = f"on_{event.kind}"
    told = AlertDelivery.objects.filter(event=event).values("subscription_id")
    waiting = (
        Subscription.objects.filter(
            committee=event.meeting.committee, status=SubscriptionStatus.ACTIVE, **{topic: True}
        )
        .exclude(pk__in=told)
        .order_by("pk")
    )
    subscribers = list(waiting[:batch]) if content is not None else []
    sent = 0
    if subscribers:
        with get_connection() as connection:
            for subscription in subscribers:
                with transaction.atomic():
                    _, created = AlertDelivery.objects.get_or_create(
                        event=event, subscription=subscription
                    )
                    if not created:
                        continue
                    try:
                        _message(subscription, content, connection).send()
                    except SMTPRecipientsRefused:
                        # This address is refused (a mailbox closed): it bounces, and the
                        # others are still told.
                        logger.warning("Alert refused for subscription %s", subscription.pk)
                        Subscription.objects.filter(pk=subscription.pk).update(
                            status=SubscriptionStatus.BOUNCED, ended_at=timezone.now()
                        )
                        continue
                sent += 1
    AlertEvent.objects.filter(pk=event.pk).update(sent=event.sent + sent)
    if content is None or len(subscribers) < batch:
        AlertEvent.objects.filter(pk=event.pk).update(finished_at=now or timezone.now())
    else:
        send_alerts.delay(event.pk)
    return sent


def _message(subscription, content: dict, connection) -> EmailMultiAlternatives:
    unsubscribe = _links(subscription)["unsubscribe_url"]
    context = {
        **content,
        "link": absolute_url(content["link"]),
        "committee": subscription.committee.name,
        "unsubscribe_url": unsubscribe,
        "council_name": settings.COUNCIL_NAME,
    }
    message = EmailMultiAlternatives(
        subject=_one_line(content["subject"]),
        body=render_to_string("alerts/email/alert.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        connection=connection,
        headers=unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(render_to_string("alerts/email/alert.html", context), "text/html")
    return message


def unsubscribe_headers(url: str) -> dict:
    """RFC 2369 and RFC 8058: mail programs offer "Unsubscribe", which POSTs to the link."""
    if not url:
        return {}
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
