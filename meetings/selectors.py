"""Reads of meetings, with the access policy applied."""

import datetime

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from scrutiny import access
from scrutiny.fragments import kept
from scrutiny.models import Committee

from .law import INSPECTION_YEARS, inspection_ends
from .models import AgendaItem, AgendaSection, ExemptionWording, Meeting, MeetingStatus


def meeting_list(*, user, committee: Committee | None = None) -> QuerySet[Meeting]:
    """Meetings this user may see: published ones, plus drafts of committees they serve."""
    meetings = Meeting.objects.select_related("committee")
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    return access.visible_meetings(meetings, user)


def meeting_get(*, user, pk: int) -> Meeting:
    """The meeting, or Meeting.DoesNotExist if this user may not see it (the policy of
    `access.visible_meetings`, asked of the one meeting)."""
    meeting = kept(
        "meeting",
        pk,
        load=lambda: Meeting.objects.select_related("committee").filter(pk=pk).first(),
        keep_none=False,  # the id comes from the address
    )
    if meeting is None or not access.can_see_meeting(user, meeting):
        raise Meeting.DoesNotExist(pk)
    return meeting


def meeting_last(*, committee: Committee) -> Meeting | None:
    """The committee's latest meeting, not cancelled: a new one most likely keeps its
    venue and start time. For the co-ordinator, so drafts count."""
    return (
        Meeting.objects.filter(committee=committee)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def committee_list_with_next_meeting(*, user) -> QuerySet[Committee]:
    """Committees, each annotated with the start of the next meeting this user may see."""
    next_meeting = (
        meeting_list(user=user)
        .filter(committee=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    return Committee.objects.annotate(
        next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
        next_meeting_id=Subquery(next_meeting.values("pk")[:1]),
    )


def _letter(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA, as exempt items are lettered."""
    letters = ""
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def number_agenda(items: list[AgendaItem]) -> list[AgendaItem]:
    """Give each item its agenda number: 1, 2, ... in public, A, B, ... in the exempt part.

    The one place that numbers agenda items; the exclusion item has no number.
    """
    public = exempt = 0
    for item in items:
        if item.section == AgendaSection.PUBLIC:
            public += 1
            item.number = str(public)
        elif item.section == AgendaSection.EXEMPT:
            exempt += 1
            item.number = _letter(exempt)
        else:
            item.number = ""
    return items


def show_item(item: AgendaItem, user) -> AgendaItem:
    """Mark an item (its meeting and committee loaded) with what this user may see of it."""
    item.shown_in_full = access.can_see_item_in_full(user, item)
    item.display_title = access.item_title(user, item)
    return item


def agenda_item_list(*, meeting: Meeting, user, with_documents: bool = True) -> list[AgendaItem]:
    """The numbered agenda, each item marked with what this user may see of it, and
    (with_documents) the documents they may see as `shown_documents`."""
    from papers.selectors import documents_prefetch, visible_documents

    def load():
        items = meeting.items.select_related("previous_meeting", "work_plan_item").order_by(
            "section", "position"
        )
        if with_documents:
            items = items.prefetch_related(documents_prefetch())
        return list(items)

    items = number_agenda(kept("agenda", meeting.pk, with_documents, load=load))
    for item in items:
        item.meeting = meeting  # one committee object for every access check
        show_item(item, user)
        if with_documents:
            item.shown_documents, item.withheld_documents = visible_documents(item=item, user=user)
    return items


def exemption_wordings() -> dict[int, str]:
    """The council's own description of exempt information, by Schedule 12A paragraph."""
    return dict(ExemptionWording.objects.values_list("paragraph", "wording"))


# Retention: the co-ordinator's list looks this far ahead.
RETENTION_HORIZON_DAYS = 365


class RetentionView(models.TextChoices):
    DUE = "due", "Period ends within a year"
    ENDED = "ended", "Period ended"
    HELD = "held", "Under a legal hold"
    ARCHIVED = "archived", "Archived"


def _last_meeting_day_ending_by(day: datetime.date) -> datetime.date:
    """The last meeting day whose inspection period ends on or before `day`."""
    candidate = datetime.date(day.year - INSPECTION_YEARS, day.month, min(day.day, 28))
    while inspection_ends(candidate) > day:
        candidate -= datetime.timedelta(days=1)
    while inspection_ends(candidate + datetime.timedelta(days=1)) <= day:
        candidate += datetime.timedelta(days=1)
    return candidate


def _start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(days=1)
    )


def retention_list(
    *, committee: Committee, view: str, today: datetime.date | None = None
) -> QuerySet[Meeting]:
    """The committee's published meetings as retention sees them, oldest first:
    those whose inspection period ends within a year, has ended (and may be archived),
    those under a legal hold, and those archived."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.published()
        .filter(committee=committee)
        .select_related("committee", "papers_archived_by", "legal_hold_by")
        .order_by("starts_at", "pk")
    )
    ended_before = _start_of_day_after(_last_meeting_day_ending_by(today - datetime.timedelta(1)))
    if view == RetentionView.HELD:
        return meetings.filter(legal_hold_at__isnull=False)
    if view == RetentionView.ARCHIVED:
        return meetings.filter(papers_archived_at__isnull=False)
    waiting = meetings.filter(legal_hold_at__isnull=True, papers_archived_at__isnull=True)
    if view == RetentionView.ENDED:
        return waiting.filter(starts_at__lt=ended_before)
    horizon = today + datetime.timedelta(days=RETENTION_HORIZON_DAYS)
    return waiting.filter(
        starts_at__gte=ended_before,
        starts_at__lt=_start_of_day_after(_last_meeting_day_ending_by(horizon)),
    )


def retention_counts(*, committee: Committee, today: datetime.date | None = None) -> dict:
    """How many meetings each retention view lists, in one query."""
    from django.db.models import Count, Q

    today = today or timezone.localdate()
    counted = {}
    for view in RetentionView:
        listed = retention_list(committee=committee, view=view, today=today)
        counted[view.value] = Count("pk", filter=Q(pk__in=listed.values("pk")))
    return Meeting.objects.filter(committee=committee).aggregate(**counted)
