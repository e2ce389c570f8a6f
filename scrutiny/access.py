"""The one access policy: who may see and do what, per committee.

Every page, download, pack, search result, feed and API response asks these
functions (or filters a queryset through them). No other module decides
entitlement.

The rules (DOMAIN.md):
- Co-ordinators (Member Services) see everything of the committees they serve,
  drafts included, and edit their meetings. Being in the Co-ordinator group is
  not enough: they must be assigned to the committee.
- Councillors sitting on a committee (chair, vice-chair, member, co-opted) see
  its exempt papers once published, while their membership lasts.
- Everyone else, anonymous included, sees published, non-exempt material only.
  (Grants to others are added by the exempt-information work; they extend
  `committees_with_exempt_access`, and nothing else changes.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Committee, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


class Role:
    """Names of the groups a migration creates; a user's role is their group."""

    COORDINATOR = "Co-ordinator"
    MEMBER = "Member"
    OFFICER = "Officer"
    MONITORING_OFFICER = "Monitoring Officer"

    ALL = (COORDINATOR, MEMBER, OFFICER, MONITORING_OFFICER)


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page asks this many times per request.
    cached = getattr(user, "_scrutiny_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._scrutiny_group_names = cached
    return cached


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return role in _group_names(user)


def coordinated_committees(user) -> QuerySet[Committee]:
    """Committees whose drafts this user may see and whose meetings they may edit."""
    if not user.is_authenticated or not user.is_active:
        return Committee.objects.none()
    if user.is_superuser:
        return Committee.objects.all()
    if not has_role(user, Role.COORDINATOR):
        return Committee.objects.none()
    return Committee.objects.filter(coordinators=user)


def committees_with_exempt_access(user) -> QuerySet[Committee]:
    """Committees whose published exempt material this user may see today."""
    if not user.is_authenticated or not user.is_active:
        return Committee.objects.none()
    if user.is_superuser:
        return Committee.objects.all()
    from exempt.models import Grant

    sitting = Membership.objects.current(timezone.localdate()).sitting()
    condition = Q(pk__in=sitting.filter(person__user=user).values("committee_id"))
    condition |= Q(
        pk__in=Grant.objects.in_force()
        .filter(user=user, committee__isnull=False)
        .values("committee_id")
    )
    if has_role(user, Role.COORDINATOR):
        condition |= Q(coordinators=user)
    return Committee.objects.filter(condition).distinct()


def _committee_ids(queryset: QuerySet[Committee], user, cache_name: str) -> frozenset[int]:
    cached = getattr(user, cache_name, None)
    if cached is None:
        cached = frozenset(queryset.values_list("pk", flat=True))
        if user.is_authenticated:
            setattr(user, cache_name, cached)
    return cached


def can_edit_committee(user, committee: Committee) -> bool:
    """May this user build agendas, take minutes and publish for this committee?"""
    if not user.is_authenticated:
        return False
    ids = _committee_ids(coordinated_committees(user), user, "_scrutiny_coordinated_ids")
    return committee.pk in ids


def can_see_drafts(user, committee: Committee) -> bool:
    """May this user see unpublished agendas, reports and minutes of this committee?"""
    return can_edit_committee(user, committee)


def can_see_exempt(user, committee: Committee) -> bool:
    """May this user see this committee's published exempt (Schedule 12A) material?"""
    if not user.is_authenticated:
        return False
    ids = _committee_ids(committees_with_exempt_access(user), user, "_scrutiny_exempt_ids")
    return committee.pk in ids


def forget(user) -> None:
    """Drop the per-request caches, for code that changes a user's entitlement."""
    for name in (
        "_scrutiny_group_names",
        "_scrutiny_coordinated_ids",
        "_scrutiny_exempt_ids",
        "_scrutiny_narrow_grants",
    ):
        if hasattr(user, name):
            delattr(user, name)


# --- agenda items and their papers --------------------------------------------
# Callers pass objects whose meeting and committee are already loaded
# (select_related), so these ask no more queries than the cached sets above.


def can_see_meeting(user, meeting) -> bool:
    """Published meetings are public; drafts only to the committee's co-ordinators."""
    return meeting.is_public or can_see_drafts(user, meeting.committee)


def _narrow_grants(user) -> tuple[frozenset[int], frozenset[int]]:
    """Meetings and items this user may read the exempt papers of without a committee-wide
    entitlement: grants in force to a meeting or an item, and the meetings a councillor
    attended as a substitute member."""
    cached = getattr(user, "_scrutiny_narrow_grants", None)
    if cached is not None:
        return cached
    from exempt.models import Grant
    from minutes.models import Attendance

    meetings, items = set(), set()
    for meeting_id, item_id in (
        Grant.objects.in_force()
        .filter(user=user, committee__isnull=True)
        .values_list("meeting_id", "item_id")
    ):
        if meeting_id:
            meetings.add(meeting_id)
        if item_id:
            items.add(item_id)
    meetings.update(
        Attendance.objects.filter(
            person__user=user, substitute_for__isnull=False, status="present"
        ).values_list("meeting_id", flat=True)
    )
    cached = (frozenset(meetings), frozenset(items))
    user._scrutiny_narrow_grants = cached
    return cached


def can_see_exempt_of_meeting(user, meeting) -> bool:
    """All the exempt papers of this meeting (its exempt pack, its exempt minutes)."""
    if (
        not user.is_authenticated
        or not meeting.is_public
        and not can_see_drafts(user, meeting.committee)
    ):
        return False
    committee = meeting.committee
    if can_see_drafts(user, committee) or can_see_exempt(user, committee):
        return True
    return meeting.pk in _narrow_grants(user)[0]


def can_see_exempt_item(user, item) -> bool:
    """This exempt item's full title, purpose and papers."""
    if can_see_exempt_of_meeting(user, item.meeting):
        return True
    return user.is_authenticated and item.pk in _narrow_grants(user)[1]


def can_see_item_in_full(user, item) -> bool:
    """The full title, purpose and papers of an item: exempt ones only to the entitled."""
    if not can_see_meeting(user, item.meeting):
        return False
    if not item.is_exempt:
        return True
    return can_see_exempt_item(user, item)


def _is_author(user, document) -> bool:
    return user.is_authenticated and document.created_by_id == user.pk


def can_see_document(user, document) -> bool:
    """Officers see what they wrote, drafts included; others follow the item's rules,
    and a draft (submitted, not yet accepted) document only reaches co-ordinators."""
    committee = document.item.meeting.committee
    if can_see_drafts(user, committee) or _is_author(user, document):
        return True
    if document.is_draft or not can_see_meeting(user, document.item.meeting):
        return False
    if document.is_restricted:
        return can_see_exempt_item(user, document.item)
    return True


def can_work_on_request(user, report_request) -> bool:
    """The officer asked for a report may read its item in full and submit papers for it."""
    return user.is_authenticated and user.is_active and report_request.officer_id == user.pk


# --- minutes --------------------------------------------------------------------------


def _is_chair(user, committee, day) -> bool:
    from .models import MembershipRole

    return (
        user.is_authenticated
        and Membership.objects.current(day)
        .filter(committee=committee, role=MembershipRole.CHAIR, person__user=user)
        .exists()
    )


def can_see_minutes(user, minutes) -> bool:
    """Published minutes are public; draft ones reach co-ordinators, and the Chairman
    once they are circulated for checking."""
    meeting = minutes.meeting
    if can_see_drafts(user, meeting.committee):
        return True
    if minutes.is_public:
        return can_see_meeting(user, meeting)
    if minutes.status == "circulated":
        return _is_chair(user, meeting.committee, timezone.localdate())
    return False


def can_see_minute_in_full(user, minute, minutes) -> bool:
    """A minute marked exempt is read in full only by those entitled to the committee's
    exempt papers; everyone else reads its public summary."""
    if not minute.is_exempt:
        return True
    if can_see_exempt_of_meeting(user, minutes.meeting):
        return True
    return bool(user.is_authenticated and minute.item_id in _narrow_grants(user)[1])


# --- deciding who else may read exempt papers -------------------------------------------


def committees_managing_exempt_access(user) -> QuerySet[Committee]:
    """Committees whose grants, need-to-know requests and access log this user manages:
    those they co-ordinate, or every committee for the Monitoring Officer."""
    if has_role(user, Role.MONITORING_OFFICER) or (user.is_authenticated and user.is_superuser):
        return Committee.objects.all()
    return coordinated_committees(user)


def can_manage_exempt_access(user, committee: Committee) -> bool:
    return can_edit_committee(user, committee) or has_role(user, Role.MONITORING_OFFICER)
