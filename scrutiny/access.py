"""The one access policy: who may see and do what, per committee.

Every page, download, pack, search result, feed, e-mail, admin page and API
response asks these functions (or filters a queryset through them). No other
module decides entitlement, and no other module reads an exempt item's full
title except through `item_title`.

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


def _shared_entitlements(user) -> dict | None:
    """This user's entitlements as worked out by an earlier request, kept in the shared
    cache under the content version (every committed change bumps it) and today's date
    (memberships and grants start and end by date); None where they are not kept: no
    shared cache, or inside a transaction."""
    if getattr(user, "_scrutiny_shared_off", False):
        return None
    shared = getattr(user, "_scrutiny_shared", None)
    if shared is not None:
        return shared
    from django.core.cache import cache
    from django.db import connection

    from .fragments import fragment_version

    # Never inside a transaction, as with kept data (scrutiny.fragments.kept): one that
    # decides what to write must see what others committed before their bump landed.
    version = None if connection.in_atomic_block else fragment_version()
    if version is None:
        user._scrutiny_shared_off = True
        return None
    key = f"scrutiny:entitlements:{version}:{user.pk}:{timezone.localdate().isoformat()}"
    try:
        shared = cache.get(key) or {}
    except Exception:  # noqa: BLE001 (a cache that is down: work them out each time)
        user._scrutiny_shared_off = True
        return None
    user._scrutiny_shared, user._scrutiny_shared_key = shared, key
    return shared


def _remembered(user, name: str, compute):
    """`compute()` for this user, worked out once a request (kept on the user object as
    `name`) and, with the shared cache, once until the next change or the next day."""
    if not user.is_authenticated:
        return compute()
    cached = getattr(user, name, None)
    if cached is not None:
        return cached
    shared = _shared_entitlements(user)
    if shared is not None and name in shared:
        value = shared[name]
    else:
        value = compute()
        if shared is not None:
            from django.conf import settings
            from django.core.cache import cache

            shared[name] = value
            try:
                cache.set(
                    user._scrutiny_shared_key,
                    shared,
                    timeout=settings.SCRUTINY_PAGE_CACHE_SECONDS,
                )
            except Exception:  # noqa: BLE001
                user._scrutiny_shared_off = True
    setattr(user, name, value)
    return value


def _group_names(user) -> frozenset[str]:
    # A page asks this many times per request.
    return _remembered(
        user,
        "_scrutiny_group_names",
        lambda: frozenset(user.groups.values_list("name", flat=True)),
    )


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


def _committee_ids(committees, user, cache_name: str) -> frozenset[int]:
    """The ids of `committees(user)`, asked once a request: the queryset is built only
    when they are not yet known, as building it costs more than the checks that ask."""
    if not user.is_authenticated:
        return frozenset()
    return _remembered(
        user, cache_name, lambda: frozenset(committees(user).values_list("pk", flat=True))
    )


def can_edit_committee(user, committee: Committee) -> bool:
    """May this user build agendas, take minutes and publish for this committee?"""
    if not user.is_authenticated:
        return False
    ids = _committee_ids(coordinated_committees, user, "_scrutiny_coordinated_ids")
    return committee.pk in ids


def can_see_drafts(user, committee: Committee) -> bool:
    """May this user see unpublished agendas, reports and minutes of this committee?"""
    return can_edit_committee(user, committee)


def can_see_exempt(user, committee: Committee) -> bool:
    """May this user see this committee's published exempt (Schedule 12A) material?"""
    if not user.is_authenticated:
        return False
    ids = _committee_ids(committees_with_exempt_access, user, "_scrutiny_exempt_ids")
    return committee.pk in ids


def forget(user) -> None:
    """Drop the per-request caches, for code that changes a user's entitlement; what the
    shared cache holds is not asked again in this request (the change is not yet
    committed, so the content version does not yet know of it)."""
    for name in (
        "_scrutiny_group_names",
        "_scrutiny_coordinated_ids",
        "_scrutiny_exempt_ids",
        "_scrutiny_narrow_grants",
        "_scrutiny_requested_items",
        "_scrutiny_shared",
    ):
        if hasattr(user, name):
            delattr(user, name)
    user._scrutiny_shared_off = True


# --- agenda items and their papers --------------------------------------------
# Callers pass objects whose meeting and committee are already loaded
# (select_related), so these ask no more queries than the cached sets above.


def can_see_meeting(user, meeting) -> bool:
    """Published meetings are public; drafts only to the committee's co-ordinators."""
    return meeting.is_public or can_see_drafts(user, meeting.committee)


def visible_meetings(meetings: QuerySet, user, *, prefix: str = "") -> QuerySet:
    """Filter a queryset (of meetings, or of rows reached through `prefix`, such as
    "meeting__" or "item__meeting__") to the meetings this user may see."""
    from meetings.models import PUBLIC_STATUSES

    return meetings.filter(
        Q(**{f"{prefix}status__in": PUBLIC_STATUSES})
        | Q(**{f"{prefix}committee__in": coordinated_committees(user)})
    )


def _narrow_grants(user) -> tuple[frozenset[int], frozenset[int]]:
    """Meetings and items this user may read the exempt papers of without a committee-wide
    entitlement: grants in force to a meeting or an item, and the meetings a councillor
    attended as a substitute member."""
    return _remembered(user, "_scrutiny_narrow_grants", lambda: _narrow_grants_of(user))


def _narrow_grants_of(user) -> tuple[frozenset[int], frozenset[int]]:
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
    return (frozenset(meetings), frozenset(items))


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


def can_see_exempt_pack(user, meeting, *, minutes_of=()) -> bool:
    """The exempt agenda pack of a meeting: its exempt papers and, printed in full for
    confirmation, what the public minutes of the earlier meetings `minutes_of` withhold.
    Its reader must be entitled to both: a grant to one meeting, or attending it as a
    substitute, does not open the exempt minutes of the meeting before."""
    return can_see_exempt_of_meeting(user, meeting) and all(
        can_see_exempt_of_meeting(user, earlier) for earlier in minutes_of
    )


def can_see_exempt_item(user, item) -> bool:
    """This exempt item's full title, purpose and papers."""
    if can_see_exempt_of_meeting(user, item.meeting):
        return True
    return user.is_authenticated and item.pk in _narrow_grants(user)[1]


def _requested_items(user) -> frozenset[int]:
    """Items whose report this user is writing: asked, sent back or submitted. Once the
    report is accepted, the item's own rules apply again."""
    from papers.models import OUTSTANDING_REQUEST_STATUSES, ReportRequest, ReportRequestStatus

    writing = [*OUTSTANDING_REQUEST_STATUSES, ReportRequestStatus.SUBMITTED]
    # Reports are asked of officers only: no query for anyone else.
    return _remembered(
        user,
        "_scrutiny_requested_items",
        lambda: (
            frozenset(
                ReportRequest.objects.filter(officer=user, status__in=writing).values_list(
                    "item_id", flat=True
                )
            )
            if has_role(user, Role.OFFICER)
            else frozenset()
        ),
    )


def can_see_item_in_full(user, item) -> bool:
    """The full title, purpose and papers of an item: exempt ones only to the entitled,
    and to the officer asked to write its report."""
    if user.is_authenticated and user.is_active and item.pk in _requested_items(user):
        return True
    if not can_see_meeting(user, item.meeting):
        return False
    if not item.is_exempt:
        return True
    return can_see_exempt_item(user, item)


def item_title(user, item) -> str:
    """The title of an item as this user may read it: the full title of an exempt item
    only for those entitled, its public title for everyone else."""
    if item.is_exempt and item.full_title and can_see_item_in_full(user, item):
        return item.full_title
    return item.title


def item_label(user, item) -> str:
    """How an item is named in lists that reach beyond what a user may read (grants,
    requests, the access log): a draft meeting's items are not named at all to those
    who may not see the draft."""
    if not can_see_meeting(user, item.meeting):
        return "an item of an agenda not yet published"
    return item_title(user, item)


def can_see_papers_of(user, meeting) -> bool:
    """A meeting's papers and packs, as far as retention goes: once archived after their
    inspection period, only the committee's co-ordinators read them."""
    return meeting.papers_archived_at is None or can_see_drafts(user, meeting.committee)


def can_see_document(user, document) -> bool:
    """Whether this user may open the document at all: co-ordinators always; the author
    of any of its versions (an officer who wrote it, a draft included); others follow the
    item's rules, and a draft (submitted, not yet accepted) document reaches no one else.
    Which versions they may read is `can_see_version`."""
    committee = document.item.meeting.committee
    if can_see_drafts(user, committee):
        return True
    if not can_see_papers_of(user, document.item.meeting):
        return False
    if user.is_authenticated and document.created_by_id == user.pk:
        return True
    if document.is_draft or not can_see_meeting(user, document.item.meeting):
        return False
    if document.is_restricted:
        return can_see_exempt_item(user, document.item)
    return True


def can_see_version(user, version, document) -> bool:
    """One version of a document. Co-ordinators read every version and an author reads
    the versions they wrote themselves. Anyone else reads a version only if the document
    may be read today and the version is public (its document was public while it was
    current, or the co-ordinator released it) or they are entitled to the exempt item."""
    committee = document.item.meeting.committee
    if can_see_drafts(user, committee):
        return True
    if not can_see_papers_of(user, document.item.meeting):
        return False
    if user.is_authenticated and version.created_by_id == user.pk:
        return True
    if document.is_draft or not can_see_meeting(user, document.item.meeting):
        return False
    if document.is_restricted or version.withheld:
        return can_see_exempt_item(user, document.item)
    return True


def can_work_on_request(user, report_request) -> bool:
    """The officer asked for a report may read its item in full and submit papers for it."""
    return user.is_authenticated and user.is_active and report_request.officer_id == user.pk


# --- minutes --------------------------------------------------------------------------


def can_review_minutes(user, minutes) -> bool:
    """Minutes circulated to the Chairman, before they are published: read and answered
    by the Chairman of the committee on the day of the meeting, and read by its
    co-ordinators. No one else learns that they exist."""
    from minutes.models import MinutesStatus

    if minutes.status != MinutesStatus.CIRCULATED:
        return False
    meeting = minutes.meeting
    if can_see_drafts(user, meeting.committee):
        return True
    return is_chairman_of(user, meeting)


def is_told_minutes_were_published(user, minutes) -> bool:
    """The Chairman answering minutes that were published while he read them is told
    so, and shown back what he wrote; to anyone else the page is still not there.
    Published minutes are public, so this tells him nothing he may not read."""
    return minutes.is_public and is_chairman_of(user, minutes.meeting)


def is_chairman_of(user, meeting) -> bool:
    """Whether this user is the person who chaired the meeting's committee on its day."""
    if not user.is_authenticated or not user.is_active:
        return False
    from .selectors import chairman_on

    chairman = chairman_on(committee=meeting.committee, day=timezone.localdate(meeting.starts_at))
    return chairman is not None and chairman.user_id == user.pk


def can_see_minutes(user, minutes) -> bool:
    """Published minutes are public; draft ones reach co-ordinators, and the Chairman
    once they are circulated for checking."""
    meeting = minutes.meeting
    if can_see_drafts(user, meeting.committee):
        return True
    if minutes.is_public:
        return can_see_meeting(user, meeting)
    return can_review_minutes(user, minutes)


def can_see_public_minutes(user, minutes) -> bool:
    """The public (PDF) edition of the minutes: published ones of a visible meeting."""
    return minutes.is_public and can_see_meeting(user, minutes.meeting)


def can_see_exempt_minutes_of(user, committee) -> bool:
    """Exempt minutes in committee-wide lists (the decisions list)."""
    return can_see_exempt(user, committee) or can_see_drafts(user, committee)


def minute_title(user, minute, minutes) -> str:
    """A minute's heading as this user may read it: the heading of the minute of an
    exempt item is its public title for anyone not entitled to the item."""
    item = minute.item
    if item is not None and item.is_exempt and not can_see_exempt_item(user, item):
        return item.title
    return minute.title


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


def may_manage_exempt_access(user) -> bool:
    """Whether the "Exempt access" pages are for this user at all (for the menu)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or has_role(user, Role.COORDINATOR)
            or has_role(user, Role.MONITORING_OFFICER)
        )
    )


def can_manage_exempt_access(user, committee: Committee) -> bool:
    return can_edit_committee(user, committee) or has_role(user, Role.MONITORING_OFFICER)


def grant_needs_second_approval(*, granted_by, user, committee: Committee) -> bool:
    """Separation of duties: a grant to oneself, or a grant by anyone who does not
    co-ordinate the committee (the Monitoring Officer, say), takes effect only when a
    second person approves it."""
    return granted_by.pk == user.pk or not can_edit_committee(granted_by, committee)


def can_approve_grant(user, grant, committee: Committee) -> bool:
    """The second person: someone who manages the committee's exempt access and is
    neither the grant's proposer nor the person it would let read."""
    return (
        can_manage_exempt_access(user, committee)
        and user.pk != grant.user_id
        and user.pk != grant.granted_by_id
    )


def can_decide_request(user, access_request, committee: Committee) -> bool:
    """Need-to-know requests are decided by those who manage the committee's exempt
    access, never by the person asking."""
    return can_manage_exempt_access(user, committee) and user.pk != access_request.user_id


# --- the admin ----------------------------------------------------------------------------


def admin_committees(user) -> QuerySet[Committee]:
    """Committees whose records a staff member may see and change in the admin: the ones
    they co-ordinate (every one for a superuser). Who co-ordinates a committee, and which
    login a person signs in with, are the superuser's alone: no one in the admin can
    change their own entitlement."""
    if not user.is_active or not user.is_staff:
        return Committee.objects.none()
    return coordinated_committees(user)


def can_change_entitlements_in_admin(user) -> bool:
    return bool(user.is_active and user.is_superuser)


# --- performance data ---------------------------------------------------------------------
# A confidential indicator (received under an obligation of confidence) is exempt
# material of the committee that receives the partnership's reports: its values reach
# those entitled to that committee's exempt papers, and the data officers who supply them.


def is_data_officer(user, committee: Committee) -> bool:
    """Named by the committee's co-ordinator to upload its performance data, and still an
    officer."""
    if not user.is_authenticated or not user.is_active or not has_role(user, Role.OFFICER):
        return False
    from performance.models import DataOfficer

    return DataOfficer.objects.filter(committee=committee, user=user).exists()


def can_upload_observations(user, committee: Committee) -> bool:
    """Upload, import, cancel and revert the committee's performance data: its data
    officers, and no one else (co-ordinators name them, but do not upload)."""
    return is_data_officer(user, committee)


def can_manage_data_officers(user, committee: Committee) -> bool:
    return can_edit_committee(user, committee)


def can_see_confidential_indicators(user, committee: Committee) -> bool:
    """The values of the committee's confidential indicators, and small numbers without
    suppression: whoever may see its exempt papers or drafts, and its data officers."""
    return (
        can_see_exempt(user, committee)
        or can_see_drafts(user, committee)
        or is_data_officer(user, committee)
    )


def committees_with_confidential_indicators(user) -> QuerySet[Committee]:
    """`can_see_confidential_indicators` as a queryset, for filtering indicators."""
    if not user.is_authenticated or not user.is_active:
        return Committee.objects.none()
    condition = Q(pk__in=committees_with_exempt_access(user).values("pk"))
    condition |= Q(pk__in=coordinated_committees(user).values("pk"))
    if has_role(user, Role.OFFICER):
        from performance.models import DataOfficer

        condition |= Q(pk__in=DataOfficer.objects.filter(user=user).values("committee_id"))
    return Committee.objects.filter(condition)


def visible_indicators(indicators: QuerySet, user) -> QuerySet:
    """Filter indicators to those whose values this user may see: every indicator that
    is not confidential, and the confidential ones of committees they are entitled to."""
    return indicators.filter(
        Q(is_confidential=False) | Q(committee__in=committees_with_confidential_indicators(user))
    )
