"""Reads of committees and people."""

import datetime

from .models import ROLE_ORDER, Committee, Membership, MembershipRole, Person


def committee_get(*, slug: str) -> Committee:
    return Committee.objects.get(slug=slug)


def membership_list_current(*, committee: Committee) -> list[Membership]:
    """Today's members, in the order the minutes list them: chair first."""
    memberships = Membership.objects.current().filter(committee=committee).select_related("person")
    return sorted(
        memberships, key=lambda m: (ROLE_ORDER[m.role], m.person.surname, m.person.forenames)
    )


def chairman_on(*, committee: Committee, day: datetime.date) -> Person | None:
    """The committee's Chairman on a day: who chaired a meeting, signs its minutes and
    checks them before they are published."""
    chair = (
        Membership.objects.current(day)
        .filter(committee=committee, role=MembershipRole.CHAIR)
        .select_related("person")
        .first()
    )
    return chair.person if chair else None
