"""Writes for grants and need-to-know requests: validate, then save, and log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from scrutiny import access
from scrutiny.notices import notice_send

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


def _log_grant(event, grant: Grant, *, by, what: str) -> None:
    _log(
        event,
        user=grant.user,
        by=by,
        meeting=grant.meeting or (grant.item.meeting if grant.item_id else None),
        item=grant.item,
        committee=grant.committee,
        what=what,
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
    """Grant need-to-know access. A grant to oneself, or by someone who does not
    co-ordinate the committee, waits for a second person's approval (`grant_approve`)."""
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
    target = grant.target_committee
    if not access.can_manage_exempt_access(granted_by, target):
        raise ValidationError(
            "Only the committee's co-ordinators or the Monitoring Officer grant access."
        )
    if item is not None and not item.is_exempt:
        raise ValidationError({"item": "Select an exempt item"})
    if (meeting or (item.meeting if item else None)) is not None and not access.can_see_meeting(
        granted_by, meeting or item.meeting
    ):
        raise ValidationError("That meeting's agenda is not published yet.")
    needs_second = access.grant_needs_second_approval(
        granted_by=granted_by, user=user, committee=target
    )
    if not needs_second:
        grant.approved_by = granted_by
        grant.approved_at = timezone.now()
    grant.full_clean()
    grant.save()
    until = f"until {expires_on:%-d %B %Y}"
    if needs_second:
        _log_grant(
            AccessEvent.GRANT_PROPOSED,
            grant,
            by=granted_by,
            what=f"access to {grant.scope_for_log} {until}",
        )
        notice_send(
            subject="A grant of access to exempt papers needs your approval",
            body=f"{_name(granted_by)} proposes that {_name(user)} may read the exempt papers "
            f"of {_scope_for_notice(grant)} {until}. It takes effect only when a second "
            "person approves it.",
            recipients=[
                address
                for address in _deciders_emails(target)
                if address not in (granted_by.email, user.email)
            ],
            link_path=reverse("exempt:grant_list"),
            link_text="Approve or refuse the grant",
        )
    else:
        _log_grant(
            AccessEvent.GRANTED,
            grant,
            by=granted_by,
            what=f"access to {grant.scope_for_log} {until}",
        )
    access.forget(user)
    return grant


def _name(user) -> str:
    person = getattr(user, "person", None)
    return person.display_name if person else (user.get_full_name() or user.get_username())


def _lock_pending(grant: Grant) -> Grant:
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("user", "committee", "meeting__committee", "item__meeting__committee")
        .get(pk=grant.pk)
    )
    if not grant.is_awaiting_approval:
        raise ValidationError("This grant has been decided already.")
    return grant


@transaction.atomic
def grant_approve(*, grant: Grant, approved_by) -> Grant:
    """The second person's approval: the grant takes effect now."""
    grant = _lock_pending(grant)
    if not access.can_approve_grant(approved_by, grant, grant.target_committee):
        raise ValidationError(
            "A second person approves this grant: someone who manages the committee's exempt "
            "access and neither proposed it nor would read the papers by it."
        )
    grant.approved_by = approved_by
    grant.approved_at = timezone.now()
    grant.save(update_fields=["approved_by", "approved_at"])
    _log_grant(
        AccessEvent.GRANTED,
        grant,
        by=approved_by,
        what=f"access to {grant.scope_for_log} until {grant.expires_on:%-d %B %Y}, proposed by "
        f"{grant.granted_by.get_username() if grant.granted_by else 'someone since removed'}",
    )
    access.forget(grant.user)
    request = AccessRequest.objects.filter(grant=grant).first()
    if request is not None:
        notice_send(
            subject=f"Your request to read \u201c{request.item.title}\u201d was approved",
            body=f"Your request to read the exempt item \u201c{request.item.title}\u201d was "
            "approved. You can read it now.",
            recipients=[grant.user.email],
            link_path=_item_path(request.item),
            link_text="Read the item",
        )
    return grant


@transaction.atomic
def grant_refuse(*, grant: Grant, refused_by) -> Grant:
    """A proposed grant that the second person turns down never takes effect."""
    grant = _lock_pending(grant)
    if not access.can_approve_grant(refused_by, grant, grant.target_committee):
        raise ValidationError("Only a second person may refuse this grant.")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    _log_grant(
        AccessEvent.GRANT_REFUSED, grant, by=refused_by, what=f"access to {grant.scope_for_log}"
    )
    return grant


def action_record(*, by, event: str, committee, meeting=None, item=None, what: str) -> None:
    """Log a privileged action (publishing an agenda, confirming minutes): who, when and
    what. `by` None is the system itself (the demo, a command). With an item, `what`
    names no title: the log names the item when it is read, as its reader may see it."""
    AccessLog.objects.create(
        user=by,
        username=by.get_username() if by else "(system)",
        event=event,
        committee=committee,
        meeting=meeting,
        item=item,
        what=what[:300],
    )


def entitlement_change_record(*, by, committee, what: str, subject=None) -> None:
    """Log a change to who co-ordinates a committee or sits on it (made in the admin)."""
    AccessLog.objects.create(
        user=subject,
        username=subject.get_username() if subject else "",
        event=AccessEvent.ENTITLEMENT,
        committee=committee,
        what=f"{what} (by {by.get_username()})"[:300],
    )


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
            what=f"access to {grant.scope_for_log}",
        )
    access.forget(grant.user)
    return grant


# Notices name an exempt item by its public title only and never attach it.


def _item_path(item) -> str:
    return reverse("meetings:item_detail", args=[item.meeting_id, item.pk])


def _scope_for_notice(grant) -> str:
    """What a grant opens, as a notice may say it: an item by its public title, and a
    draft meeting by nothing at all."""
    meeting = grant.meeting or (grant.item.meeting if grant.item_id else None)
    if meeting is not None and not meeting.is_public:
        return "a meeting whose agenda is not yet published"
    return grant.scope


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
    try:
        with transaction.atomic():  # a request made at the same moment wins; not both
            request = AccessRequest.objects.create(user=user, item=item, reason=reason.strip())
    except IntegrityError as taken:
        raise ValidationError("You have already asked to read this item.") from taken
    committee = item.meeting.committee
    notice_send(
        subject=f"Request to read an exempt item: {item.title}",
        body=f"{_name(user)} asks to read the exempt item \u201c{item.title}\u201d of the "
        f"{committee.name}.",
        recipients=_deciders_emails(committee),
        link_path=reverse("exempt:request_list"),
        link_text="Decide on the request",
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
    if not access.can_decide_request(decided_by, request, request.item.meeting.committee):
        raise ValidationError(
            "Only the committee's co-ordinators or the Monitoring Officer decide these "
            "requests, and never their own."
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
            what="request to read the item",
        )
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save()
    outcome = "approved" if approve else "refused"
    waiting = approve and request.grant.is_awaiting_approval
    body = f"Your request to read the exempt item \u201c{item.title}\u201d was {outcome}."
    if waiting:
        body += (
            " It takes effect when a co-ordinator of the committee confirms it; you will be "
            "told then."
        )
    notice_send(
        subject=f"Your request to read \u201c{item.title}\u201d was {outcome}",
        body=body + (f"\n\n{request.decision_note}" if request.decision_note else ""),
        recipients=[request.user.email],
        link_path=_item_path(item),
        link_text="The item",
    )
    return request
