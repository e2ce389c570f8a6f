"""Writes for committees and memberships: validate, then save, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

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
    if role in SINGLE_HOLDER_ROLES:
        holder = (
            _overlapping(committee=committee, role=role, start_date=start_date, end_date=end_date)
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
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date) -> Membership:
    """End a membership; entitlement that came with it ends the day after."""
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership
