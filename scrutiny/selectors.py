"""Reads of committees and people."""

from .models import ROLE_ORDER, Committee, Membership


def committee_get(*, slug: str) -> Committee:
    return Committee.objects.get(slug=slug)


def membership_list_current(*, committee: Committee) -> list[Membership]:
    """Today's members, in the order the minutes list them: chair first."""
    memberships = Membership.objects.current().filter(committee=committee).select_related("person")
    return sorted(
        memberships, key=lambda m: (ROLE_ORDER[m.role], m.person.surname, m.person.forenames)
    )
