"""E-mail alerts: double opt-in, one-click unsubscribe (RFC 8058), bounces, members
subscribed by default, and alerts sent once each, in batches, with nothing exempt."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts.models import AlertDelivery, AlertEvent, Subscription, SubscriptionStatus
from alerts.services import (
    alerts_send,
    member_subscription_ensure,
    subscription_confirm,
    subscription_request,
)
from meetings.services import agenda_item_add, agenda_item_update, agenda_publish, meeting_create
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db

ALL = ["agenda", "supplement", "minutes", "decisions"]


@pytest.fixture
def meeting(committee):
    return meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )


@pytest.fixture
def subscribe(committee):
    def make(email, topics=ALL, status=SubscriptionStatus.ACTIVE):
        fields = {f"on_{topic}": topic in topics for topic in ALL}
        return Subscription.objects.create(
            email=email,
            committee=committee,
            status=status,
            confirmed_at=timezone.now() if status == SubscriptionStatus.ACTIVE else None,
            **fields,
        )

    return make


def _links(message) -> list[str]:
    import re

    return re.findall(r"https?://\S+?/alerts/\w+/[\w-]+/", message.body)


def test_subscribing_needs_the_link_in_the_email(
    client, committee, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/committees/{committee.slug}/alerts/"
    assert "E-mail alerts" in text_of(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Resident@Example.com", "topics": ["minutes"]})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "resident@example.com"
    assert subscription.status == SubscriptionStatus.PENDING
    assert subscription.on_minutes and not subscription.on_agenda
    (confirmation,) = mailoutbox
    assert confirmation.to == ["resident@example.com"]
    confirm_url = next(link for link in _links(confirmation) if "/confirm/" in link)
    path = confirm_url.split("testserver")[-1] if "testserver" in confirm_url else None
    path = path or "/" + confirm_url.split("/", 3)[3]
    # Following the link shows a button: a mail scanner confirms nothing.
    assert "Confirm the alerts" in text_of(client.get(path))
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING
    client.post(path)
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_the_page_says_the_same_whatever_the_address_and_changes_nothing_unseen(
    client, committee, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("known@example.com", topics=["agenda"])
    url = f"/committees/{committee.slug}/alerts/"
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "known@example.com", "topics": ALL}, follow=True)
        new = client.post(url, {"email": "new@example.com", "topics": ALL}, follow=True)
    assert text_of(known).replace("known", "X") == text_of(new).replace("new", "X")
    subscription = Subscription.objects.get(email="known@example.com")
    assert subscription.on_agenda and not subscription.on_minutes  # unchanged
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "You already have e-mail alerts",
        "Confirm your e-mail alerts",
    ]
    # Asking again at once does not send another confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "new@example.com", "topics": ALL})
    assert len(mailoutbox) == 2


def test_bad_input_is_refused_with_a_clear_error(client, committee):
    url = f"/committees/{committee.slug}/alerts/"
    page = text_of(client.post(url, {"email": "not an address", "topics": []}))
    assert "Enter an e-mail address like name@example.com" in page
    assert "Select at least one thing to be told about" in page
    assert not Subscription.objects.exists()
    assert client.get("/alerts/confirm/nonsense/").status_code == 404
    assert client.post("/alerts/unsubscribe/nonsense/").status_code == 404


def test_an_agenda_alert_goes_to_active_subscribers_once_with_unsubscribe_headers(
    meeting, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    active = subscribe("active@example.com")
    subscribe("minutes-only@example.com", topics=["minutes"])
    subscribe("pending@example.com", status=SubscriptionStatus.PENDING)
    subscribe("gone@example.com", status=SubscriptionStatus.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_publish(meeting=meeting)
    alerts = [m for m in mailoutbox if m.subject.startswith("Agenda published")]
    assert [m.to for m in alerts] == [["active@example.com"]]
    (alert,) = alerts
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/alerts/unsubscribe/{active.token}/" in alert.extra_headers["List-Unsubscribe"]
    assert alert.alternatives[0][1] == "text/html"
    assert meeting.get_absolute_url() in alert.body
    event = AlertEvent.objects.get(key=f"agenda:{meeting.pk}")
    assert alerts_send(event_id=event.pk) == 0  # sent once
    assert AlertDelivery.objects.filter(event=event).count() == 1


def test_an_item_made_exempt_before_the_worker_runs_is_never_sent(
    meeting, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("resident@example.com")
    agenda_publish(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=False):
        item = agenda_item_add(meeting=meeting, title="Operation Nightjar update")
        agenda_item_add(
            meeting=meeting,
            title="Closed business",
            full_title="Contract award to Acme",
            exempt_paragraph=3,
            exempt_reason="Commercial",
        )
    # Only the public item raised an alert; it is made exempt before the worker runs.
    events = AlertEvent.objects.filter(kind="supplement")
    assert [event.item for event in events] == [item]
    agenda_item_update(
        item=item, exempt_paragraph=7, exempt_reason="Crime prevention", title="Closed item"
    )
    mail.outbox.clear()
    assert alerts_send(event_id=events.get().pk) == 0
    assert not mail.outbox


def test_minutes_and_decisions_alerts_leave_exempt_minutes_out(
    committee, subscribe, mailoutbox, django_capture_on_commit_callbacks, request
):
    subscribe("resident@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        request.getfixturevalue("held_meeting")
    subjects = [m.subject.split(":")[0] for m in mailoutbox]
    assert subjects.count("Minutes published") == 1 and subjects.count("Decisions") == 1
    decisions = next(m for m in mailoutbox if m.subject.startswith("Decisions"))
    assert "crime data expert" in decisions.body
    for message in mailoutbox:
        assert "Nightjar" not in message.body and "informant" not in message.body
        assert "Nightjar" not in message.alternatives[0][0]


def test_unsubscribing_takes_one_click_and_never_comes_back_by_itself(
    client, committee, meeting, subscribe, member, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscribe("resident@example.com")
    url = f"/alerts/unsubscribe/{subscription.token}/"
    assert "Unsubscribe" in text_of(client.get(url))
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
    # The mail program's one-click POST: no page, no cookie, no CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "No more alerts" in text_of(response)
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED
    with django_capture_on_commit_callbacks(execute=True):
        agenda_publish(meeting=meeting)
    assert not [m for m in mailoutbox if m.to == ["resident@example.com"]]
    # Asking again changes nothing until the owner confirms; their link still works.
    subscription_request(email="resident@example.com", committee=committee, topics=ALL)
    renewed = Subscription.objects.get(email="resident@example.com")
    assert renewed.status == SubscriptionStatus.UNSUBSCRIBED
    assert renewed.token == subscription.token
    assert subscription_confirm(token=renewed.token).status == SubscriptionStatus.ACTIVE


def test_bounces_stop_alerts_and_membership_does_not_restart_them(
    committee, subscribe, make_person, make_membership, make_user
):
    subscribe("bouncy@example.com")
    call_command("alerts_bounced", "Bouncy@Example.com")
    assert Subscription.objects.get().status == SubscriptionStatus.BOUNCED
    user = make_user(username="bouncy", email="bouncy@example.com")
    membership = make_membership(committee=committee, person=make_person(user=user))
    assert member_subscription_ensure(membership=membership) is None
    assert Subscription.objects.get().status == SubscriptionStatus.BOUNCED
    with pytest.raises(Subscription.DoesNotExist):
        subscription_confirm(token="not-a-token")


def test_members_are_subscribed_to_their_committee_by_default(
    committee, make_person, make_membership, make_user
):
    user = make_user(username="newmember", email="New.Member@dartford.gov.uk")
    make_membership(committee=committee, person=make_person(user=user))
    subscription = Subscription.objects.get()
    assert subscription.email == "new.member@dartford.gov.uk"
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.user == user
    # The agenda itself they are sent as members; the rest by the subscription.
    assert not subscription.on_agenda and subscription.on_minutes and subscription.on_decisions


def test_alerts_go_in_batches_each_subscriber_once(
    meeting, subscribe, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from alerts import tasks

    queued = []
    monkeypatch.setattr(tasks.send_alerts, "delay", queued.append)
    for number in range(5):
        subscribe(f"reader{number}@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        agenda_publish(meeting=meeting)
    event = AlertEvent.objects.get(kind="agenda")
    mail.outbox.clear()
    assert alerts_send(event_id=event.pk, batch=2) == 2
    assert queued == [event.pk]  # the next batch is queued
    assert alerts_send(event_id=event.pk, batch=2) == 2
    assert alerts_send(event_id=event.pk, batch=2) == 1
    assert queued == [event.pk, event.pk]  # and none after the last
    assert alerts_send(event_id=event.pk, batch=2) == 0
    assert sorted(address for m in mail.outbox for address in m.to) == [
        f"reader{number}@example.com" for number in range(5)
    ]
    event.refresh_from_db()
    assert event.finished_at is not None and event.sent == 5


def test_an_address_already_subscribed_gets_at_most_one_reply_a_day(
    client, committee, subscribe, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("member@example.com")
    url = f"/committees/{committee.slug}/alerts/"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(url, {"email": "member@example.com", "topics": ALL})
    assert len(mailoutbox) == 1


def test_a_refused_address_bounces_and_everyone_else_is_still_told(
    meeting, subscribe, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from smtplib import SMTPRecipientsRefused

    from django.core.mail.backends.locmem import EmailBackend

    for name in ("a1", "bad", "a2"):
        subscribe(f"{name}@example.com")
    sending = EmailBackend.send_messages

    def refuse_bad(self, messages):
        if any("bad@example.com" in message.to for message in messages):
            raise SMTPRecipientsRefused({"bad@example.com": (550, b"No such mailbox")})
        return sending(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_bad)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_publish(meeting=meeting)
    assert sorted(m.to[0] for m in mailoutbox) == ["a1@example.com", "a2@example.com"]
    assert Subscription.objects.get(email="bad@example.com").status == SubscriptionStatus.BOUNCED
    assert AlertEvent.objects.get(kind="agenda").finished_at is not None


def test_an_address_bouncing_for_one_committee_is_not_subscribed_to_another(
    committee, subscribe, make_committee, make_person, make_membership, make_user
):
    subscribe("bouncy@example.com", status=SubscriptionStatus.BOUNCED)
    user = make_user(username="bouncy", email="bouncy@example.com")
    make_membership(committee=make_committee(name="Licensing"), person=make_person(user=user))
    assert Subscription.objects.filter(email="bouncy@example.com").count() == 1


def test_decisions_are_listed_in_the_order_taken(
    subscribe, mailoutbox, django_capture_on_commit_callbacks, request
):
    subscribe("resident@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        request.getfixturevalue("held_meeting")
    decisions = next(m for m in mailoutbox if m.subject.startswith("Decisions"))
    assert decisions.body.index("report be noted") < decisions.body.index("crime data expert")
