"""Writes for grants and need-to-know requests: validate, then save, and log."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from scrutiny import access

from .models import AccessEvent, AccessLog, AccessRequest, AccessRequestStatus, Grant

# A need-to-know grant lasts until this long after the meeting unless set otherwise.
DEFAULT_GRANT_DAYS_AFTER_MEETING = 30


def _log(event, *, user, by, meeting=None, item=None, committee=None, what=""):
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        event=event,
        committee=committee or (meeting.committee if meeting else None),
        meeting=meeting,
        item=item,
        what=f"{what} (decided by {by.get_username() if by else 'the system'})"[:300],
    )


@transaction.atomic
def grant_create(
    *,
    user,
    granted_by,
    reason: str,
    expires_on: datetime.date,
    committee=None,
    meeting=None,
    item=None,
) -> Grant:
    errors = {}
    if sum(x is not None for x in (committee, meeting, item)) != 1:
        errors["scope"] = "Select one committee, one meeting or one item"
    if not reason.strip():
        errors["reason"] = "Enter why this person needs to know"
    if expires_on < timezone.localdate():
        errors["expires_on"] = "The expiry date must be today or in the future"
    if errors:
        raise ValidationError(errors)
    grant = Grant(
        user=user,
        granted_by=granted_by,
        reason=reason.strip(),
        expires_on=expires_on,
        committee=committee,
        meeting=meeting,
        item=item,
    )
    grant.full_clean()
    grant.save()
    scope_meeting = meeting or (item.meeting if item else None)
    _log(
        AccessEvent.GRANTED,
        user=user,
        by=granted_by,
        meeting=scope_meeting,
        item=item,
        committee=committee,
        what=f"access to {grant.scope} until {expires_on:%-d %B %Y}",
    )
    access.forget(user)
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, revoked_by) -> Grant:
    """Access ends at once."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        _log(
            AccessEvent.REVOKED,
            user=grant.user,
            by=revoked_by,
            meeting=grant.meeting or (grant.item.meeting if grant.item else None),
            item=grant.item,
            committee=grant.committee,
            what=f"access to {grant.scope}",
        )
    access.forget(grant.user)
    return grant


def _notify(subject: str, body: str, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        # Notices name an exempt item by its public title only and never attach it.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@transaction.atomic
def access_request_create(*, user, item, reason: str) -> AccessRequest:
    """A councillor asks to read an exempt item; its co-ordinators are told."""
    if not item.is_exempt:
        raise ValidationError("Only exempt items need a request to read them.")
    if access.can_see_exempt_item(user, item):
        raise ValidationError("You can already read this item.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you need to read this item"})
    if AccessRequest.objects.filter(
        user=user, item=item, status=AccessRequestStatus.PENDING
    ).exists():
        raise ValidationError("You have already asked to read this item.")
    request = AccessRequest.objects.create(user=user, item=item, reason=reason.strip())
    committee = item.meeting.committee
    path = reverse("exempt:request_list")
    _notify(
        f"Request to read an exempt item: {item.title}",
        f"{user.get_full_name() or user.get_username()} asks to read the exempt item "
        f"\u201c{item.title}\u201d of the {committee.name}.\n\nDecide at {path}",
        _deciders_emails(committee),
    )
    return request


def _deciders_emails(committee) -> list[str]:
    from django.contrib.auth import get_user_model

    from scrutiny.access import Role

    coordinators = set(committee.coordinators.values_list("email", flat=True))
    monitoring = set(
        get_user_model()
        .objects.filter(groups__name=Role.MONITORING_OFFICER, is_active=True)
        .values_list("email", flat=True)
    )
    return sorted(coordinators | monitoring)


@transaction.atomic
def access_request_decide(
    *,
    request: AccessRequest,
    decided_by,
    approve: bool,
    note: str = "",
    expires_on: datetime.date | None = None,
) -> AccessRequest:
    request = (
        AccessRequest.objects.select_for_update()
        .select_related("item__meeting__committee", "user")
        .get(pk=request.pk)
    )
    if request.status != AccessRequestStatus.PENDING:
        raise ValidationError("This request has been decided already.")
    if not access.can_manage_exempt_access(decided_by, request.item.meeting.committee):
        raise ValidationError(
            "Only the committee's co-ordinators or the Monitoring Officer decide these requests."
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter the reason for refusing, for the councillor"})
    item = request.item
    if approve:
        meeting_day = timezone.localdate(item.meeting.starts_at)
        expires_on = expires_on or max(timezone.localdate(), meeting_day) + datetime.timedelta(
            days=DEFAULT_GRANT_DAYS_AFTER_MEETING
        )
        request.grant = grant_create(
            user=request.user,
            granted_by=decided_by,
            reason=request.reason,
            expires_on=expires_on,
            item=item,
        )
        request.status = AccessRequestStatus.APPROVED
    else:
        request.status = AccessRequestStatus.REFUSED
        _log(
            AccessEvent.REQUEST_REFUSED,
            user=request.user,
            by=decided_by,
            meeting=item.meeting,
            item=item,
            what=f"request to read item \u201c{item.title}\u201d",
        )
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save()
    outcome = "approved" if approve else "refused"
    _notify(
        f"Your request to read \u201c{item.title}\u201d was {outcome}",
        f"Your request to read the exempt item \u201c{item.title}\u201d was {outcome}."
        + (f"\n\n{request.decision_note}" if request.decision_note else ""),
        [request.user.email],
    )
    return request
