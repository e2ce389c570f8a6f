"""Writes for committees and memberships: validate, then save, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Committee, Membership, MembershipRole, Person

SINGLE_HOLDER_ROLES = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR)


def _overlapping(*, committee, role, start_date, end_date, exclude_pk=None):
    overlapping = Membership.objects.filter(committee=committee, role=role).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping


@transaction.atomic
def membership_create(
    *,
    committee: Committee,
    person: Person,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Membership:
    """Put a person on a committee. A committee has one chair and one vice-chair at a time."""
    membership = Membership(
        committee=committee,
        person=person,
        role=role,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    membership.full_clean()
    membership_check_single_holder(membership=membership)
    membership.save()
    from alerts.services import member_subscription_ensure

    member_subscription_ensure(membership=membership)
    return membership


def membership_check_single_holder(*, membership: Membership) -> None:
    """A committee has one chairman and one vice-chairman at a time: refuse a membership
    (new or changed, here or in the admin) that would make two. Call inside the
    transaction that saves it: the committee stays locked until then."""
    if membership.role not in SINGLE_HOLDER_ROLES:
        return
    # Appointments to a committee one at a time: two made at once would both find the
    # chair free.
    Committee.objects.select_for_update().filter(pk=membership.committee_id).first()
    holder = (
        _overlapping(
            committee=membership.committee_id,
            role=membership.role,
            start_date=membership.start_date,
            end_date=membership.end_date,
            exclude_pk=membership.pk,
        )
        .select_related("person")
        .first()
    )
    if holder is not None:
        raise ValidationError(
            {
                "role": f"{holder.person} is already {holder.get_role_display()} "
                "for those dates. End that membership first."
            }
        )


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date) -> Membership:
    """End a membership; entitlement that came with it ends the day after."""
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership


def mail_send_once(*, key: str, message) -> bool:
    """Send an e-mail unless one with this key was sent already. Tasks run at least once;
    only a worker killed between the sending and the row below can send it twice.
    Returns whether it was sent now."""
    from .models import SentMail

    if key and SentMail.objects.filter(key=key).exists():
        return False
    message.send()
    if key:
        SentMail.objects.get_or_create(key=key)
    return True


def sent_mail_prune(*, now=None) -> int:
    """Forget the keys of e-mails sent more than SCRUTINY_SENT_MAIL_KEEP_DAYS ago.
    Returns how many were forgotten."""
    from django.conf import settings

    from .models import SentMail

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SCRUTINY_SENT_MAIL_KEEP_DAYS)
    deleted, _ = SentMail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
