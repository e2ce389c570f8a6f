"""Reads of the work programme, with what each reader may see of the meetings, minutes
and resolutions it links to."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from meetings.models import Meeting, MeetingStatus
from minutes.models import Minute
from minutes.numbering import municipal_year_label, municipal_year_start
from minutes.selectors import minute_anchor
from scrutiny import access
from scrutiny.models import Committee
from scrutiny.templatetags.council import council_date

from .models import OPEN_STATUSES, ChangeKind, Status, WorkPlanChange, WorkPlanItem

SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring"}
SEASONS.update({6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"})


def meeting_heading(meeting: Meeting) -> str:
    """As the council's work plan heads a meeting: "2018/19: Summer Meeting - 25 July 2018"."""
    day = timezone.localdate(meeting.starts_at)
    start = municipal_year_start(day).year
    season = SEASONS[day.month]
    return f"{start}/{(start + 1) % 100:02d}: {season} Meeting - {council_date(meeting.starts_at)}"


def _items(committee: Committee) -> QuerySet[WorkPlanItem]:
    return (
        WorkPlanItem.objects.filter(committee=committee)
        .select_related(
            "committee",
            "key_decision",
            "target_meeting__committee",
            "agenda_item__meeting__committee",
            "source_resolution",
            "source_minute__minutes__meeting__committee",
            "source_minute__item",
        )
        .prefetch_related(
            Prefetch(
                "agenda_item__minutes",
                queryset=Minute.objects.select_related(
                    "minutes__meeting__committee", "item__meeting__committee"
                ),
                to_attr="minuted_as",
            )
        )
        .order_by("position", "pk")
    )


@dataclass
class Link:
    text: str
    url: str = ""


@dataclass
class MeetingPlan:
    meeting: Meeting | None
    heading: str
    items: list = field(default_factory=list)
    is_past: bool = False
    can_see: bool = False


def agenda_order(item: WorkPlanItem) -> tuple:
    """A meeting's items as its agenda takes them, then the rest in the plan's order.
    An agenda the reader may not see (a draft) does not order them for that reader."""
    agenda_item = item.agenda_item
    if agenda_item is not None and not getattr(item, "agenda_hidden", False):
        return (0, agenda_item.section, agenda_item.position, 0)
    return (1, 0, 0, item.position)


def show_work_plan_item(item: WorkPlanItem, user, *, now=None) -> WorkPlanItem:
    """Mark an item with the links this reader may follow: where it was asked for, its
    agenda item and the minute that dealt with it."""
    now = now or timezone.now()
    item.asked_in = _source_link(item, user)
    item.resolution_text = ""
    if item.source_resolution and item.source_minute:
        minutes = item.source_minute.minutes
        if access.can_see_minutes(user, minutes) and access.can_see_minute_in_full(
            user, item.source_minute, minutes
        ):
            item.resolution_text = item.source_resolution.text
    item.agenda_link = None
    item.minute_link = None
    agenda_item = item.agenda_item
    # A draft agenda is the co-ordinators'; an exempt item is tied to its subject only
    # for those entitled to it. To anyone else the item is as if still scheduled.
    item.agenda_hidden = agenda_item is not None and not (
        access.can_see_meeting(user, agenda_item.meeting)
        and access.can_see_item_in_full(user, agenda_item)
    )
    item.display_status = item.get_status_display()
    if item.agenda_hidden and item.status == Status.ON_AGENDA:
        item.display_status = Status.SCHEDULED.label
    if agenda_item is not None and not item.agenda_hidden:
        item.agenda_link = Link(
            f"On the agenda of {council_date(agenda_item.meeting.starts_at)}",
            f"{agenda_item.meeting.get_absolute_url()}items/{agenda_item.pk}/",
        )
        for minute in getattr(agenda_item, "minuted_as", []):
            if minute.number and access.can_see_minutes(user, minute.minutes):
                title = access.minute_title(user, minute, minute.minutes)
                item.minute_link = Link(
                    f"Minute {minute.number}: {title}",
                    f"{minute.minutes.get_absolute_url()}#{minute_anchor(minute)}",
                )
    meeting = item.target_meeting
    item.missed_meeting = bool(
        meeting is not None and item.status in OPEN_STATUSES and meeting.starts_at < now
    )
    return item


def _source_link(item: WorkPlanItem, user) -> Link | None:
    minute = item.source_minute
    if minute is None:
        return None
    minutes = minute.minutes
    day = council_date(minutes.meeting.starts_at)
    if not access.can_see_minutes(user, minutes) or not minute.number:
        return Link(f"The committee's meeting of {day}")
    return Link(
        f"Minute {minute.number} of {day}",
        f"{minutes.get_absolute_url()}#{minute_anchor(minute)}",
    )


def year_starts(committee: Committee) -> list[datetime.date]:
    """The municipal years with meetings the programme has planned for, newest last,
    with the current year."""
    days = {
        municipal_year_start(timezone.localdate(starts_at))
        for starts_at in WorkPlanItem.objects.filter(
            committee=committee, target_meeting__isnull=False
        ).values_list("target_meeting__starts_at", flat=True)
    }
    days.add(municipal_year_start(timezone.localdate()))
    return sorted(days)


def default_year_start(committee: Committee, *, now=None) -> datetime.date:
    """The programme opens at the year of the earliest meeting with business still to
    deal with, or the current year."""
    first = (
        WorkPlanItem.objects.filter(
            committee=committee,
            target_meeting__isnull=False,
            status__in=(*OPEN_STATUSES, Status.ON_AGENDA),
        )
        .order_by("target_meeting__starts_at")
        .values_list("target_meeting__starts_at", flat=True)
        .first()
    )
    return municipal_year_start(timezone.localdate(first or now or timezone.now()))


@dataclass
class WorkProgramme:
    committee: Committee
    year_start: datetime.date
    meetings: list[MeetingPlan]
    to_schedule: list[WorkPlanItem]
    withdrawn: list[WorkPlanItem]
    year_starts: list[datetime.date]

    @property
    def year_label(self) -> str:
        return municipal_year_label(self.year_start)

    @property
    def year_options(self) -> list[tuple[int, str, bool]]:
        """(year, "2018-19", chosen) for the year picker."""
        return [
            (start.year, municipal_year_label(start), start == self.year_start)
            for start in self.year_starts
        ]

    @property
    def item_count(self) -> int:
        return sum(len(m.items) for m in self.meetings) + len(self.to_schedule)


def work_programme(
    *, committee: Committee, user, year_start: datetime.date | None = None, now=None
) -> WorkProgramme:
    """The rolling programme from a municipal year on ("this year and beyond"): each
    meeting with its items, in date order, then the items still to be scheduled, then
    those withdrawn. A fixed number of queries."""
    now = now or timezone.now()
    year_start = municipal_year_start(year_start or default_year_start(committee, now=now))
    local = timezone.get_current_timezone()
    since = datetime.datetime.combine(year_start, datetime.time(), tzinfo=local)
    plans: dict[int, MeetingPlan] = {}
    to_schedule, withdrawn = [], []
    items = _items(committee).exclude(target_meeting__starts_at__lt=since)
    for item in items:
        show_work_plan_item(item, user, now=now)
        if item.status == Status.WITHDRAWN:
            withdrawn.append(item)
            continue
        meeting = item.target_meeting
        if meeting is None:
            to_schedule.append(item)
            continue
        plan = plans.get(meeting.pk)
        if plan is None:
            plan = plans[meeting.pk] = MeetingPlan(
                meeting=meeting,
                heading=meeting_heading(meeting),
                is_past=meeting.starts_at < now,
                can_see=access.can_see_meeting(user, meeting),
            )
        plan.items.append(item)
    # A meeting still to come with nothing planned yet is part of the programme too.
    upcoming = Meeting.objects.filter(committee=committee, starts_at__gte=max(since, now))
    for meeting in upcoming.exclude(status=MeetingStatus.CANCELLED).select_related("committee"):
        if meeting.pk not in plans:
            plans[meeting.pk] = MeetingPlan(
                meeting=meeting,
                heading=meeting_heading(meeting),
                can_see=access.can_see_meeting(user, meeting),
            )
    meetings = sorted(plans.values(), key=lambda p: p.meeting.starts_at)
    for plan in meetings:
        plan.items.sort(key=agenda_order)
    return WorkProgramme(
        committee=committee,
        year_start=year_start,
        meetings=meetings,
        to_schedule=to_schedule,
        withdrawn=withdrawn,
        year_starts=sorted({*year_starts(committee), year_start}),
    )


def work_plan_item_get(*, committee: Committee, pk: int, user) -> WorkPlanItem:
    """The item with its history; WorkPlanItem.DoesNotExist if not this committee's."""
    items = _items(committee).prefetch_related(
        Prefetch(
            "changes",
            queryset=WorkPlanChange.objects.select_related(
                "by",
                "from_meeting__committee",
                "to_meeting__committee",
                "agenda_item__meeting__committee",
            ),
            to_attr="history",
        )
    )
    return show_work_plan_item(items.get(pk=pk), user)


def move_choices(*, committee: Committee, now=None) -> QuerySet[Meeting]:
    """The meetings an item may be planned for: this committee's, still to come."""
    return (
        Meeting.objects.filter(committee=committee, starts_at__gte=now or timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("committee")
        .order_by("starts_at")
    )


def resolution_for_work_plan(*, committee: Committee, pk: int):
    """A resolution of this committee's minutes, for the co-ordinator to plan from."""
    from minutes.models import Resolution

    return Resolution.objects.select_related(
        "minute__minutes__meeting__committee", "minute__item"
    ).get(pk=pk, minute__minutes__meeting__committee=committee)


def visible_history(item: WorkPlanItem, user) -> list[WorkPlanChange]:
    """The item's history as this reader may read it: placing it on (or taking it off) an
    agenda they may not see is left out, as the agenda is."""
    hidden_meetings = set()
    if item.agenda_hidden:
        hidden_meetings.add(item.agenda_item.meeting_id)
    shown = []
    for change in item.history:
        concerned = change.agenda_item
        if concerned is not None and not (
            access.can_see_meeting(user, concerned.meeting)
            and access.can_see_item_in_full(user, concerned)
        ):
            continue  # what became of an exempt (or draft) agenda item is not theirs
        if change.kind in (ChangeKind.PLACED, ChangeKind.REMOVED):
            meeting = change.to_meeting or change.from_meeting
            if meeting is not None and (
                meeting.pk in hidden_meetings or not access.can_see_meeting(user, meeting)
            ):
                continue
        change.words = history_words(change)
        shown.append(change)
    return shown


def history_words(change: WorkPlanChange) -> str:
    """One line of an item's history, in words."""

    def day(meeting):
        return council_date(meeting.starts_at) if meeting else "to be scheduled"

    if change.kind == ChangeKind.ADDED:
        return f"Added ({day(change.to_meeting)})"
    if change.kind == ChangeKind.ROLLED_FORWARD:
        return f"Added as recurring business ({day(change.to_meeting)})"
    if change.kind in (ChangeKind.MOVED, ChangeKind.POSTPONED):
        verb = "Postponed" if change.kind == ChangeKind.POSTPONED else "Moved"
        if change.from_meeting is None:
            return f"Planned for {day(change.to_meeting)} (it was to be scheduled)"
        if change.to_meeting is None:
            return f"{verb} from {day(change.from_meeting)}: to be scheduled"
        return f"{verb} from {day(change.from_meeting)} to {day(change.to_meeting)}"
    if change.kind == ChangeKind.PLACED:
        return f"Placed on the agenda of {day(change.to_meeting)}"
    if change.kind == ChangeKind.REMOVED:
        return f"Taken off the agenda of {day(change.from_meeting)}"
    if change.kind == ChangeKind.CONSIDERED:
        return f"Considered at the meeting of {day(change.from_meeting)}"
    if change.kind == ChangeKind.DEFERRED:
        return "Deferred at the meeting: to be scheduled again"
    if change.kind == ChangeKind.EDITED:
        return change.detail or "Edited"
    return change.get_kind_display()


def recurring_items(*, committee: Committee) -> list[WorkPlanItem]:
    """One item per recurring series (its latest), for the roll-forward page."""
    series: dict[int, WorkPlanItem] = {}
    items = (
        WorkPlanItem.objects.filter(committee=committee)
        .exclude(recurrence="")
        .exclude(status=Status.WITHDRAWN)
        .select_related("target_meeting")
        .order_by("position", "pk")
    )
    for item in items:
        series[item.series_id] = item
    return list(series.values())


def resolutions_to_follow_up(*, minutes, entries) -> list[tuple]:
    """For the co-ordinator reading the minutes: each resolution with the work plan
    items it has asked for, so that one not yet planned is planned in one step. One
    query beyond the minutes' own."""
    planned: dict[int, list[WorkPlanItem]] = {}
    for item in WorkPlanItem.objects.filter(source_minute__minutes=minutes).order_by("pk"):
        planned.setdefault(item.source_resolution_id, []).append(item)
    return [
        (minute, resolution, planned.get(resolution.pk, []))
        for minute in entries
        for resolution in minute.resolutions.all()
    ]


def appendix_meetings(*, committee: Committee) -> QuerySet[Meeting]:
    """The meetings a work plan appendix may start from."""
    return (
        Meeting.objects.filter(committee=committee)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("committee")
        .order_by("starts_at")
    )


# --- the actions tracker ---------------------------------------------------------------


@dataclass
class ActionRow:
    action: object
    is_overdue: bool
    minute_link: Link | None


def action_list(*, committee: Committee, user, status: str = "", today=None) -> list[ActionRow]:
    """The committee's tracked actions, soonest due first. Those asked in exempt minutes
    are listed only for readers entitled to them: to anyone else they do not exist. A
    fixed number of queries."""
    from .models import ActionStatus, TrackedAction

    today = today or timezone.localdate()
    actions = TrackedAction.objects.filter(committee=committee).select_related(
        "committee", "minute__item__meeting__committee", "minute__minutes__meeting__committee"
    )
    if status == "overdue":
        actions = actions.filter(status=ActionStatus.AWAITING, due_date__lt=today)
    elif status in ActionStatus.values:
        actions = actions.filter(status=status)
    rows = []
    for action in actions.order_by("due_date", "pk"):
        minutes = action.minute.minutes
        # Unpublished minutes' resolutions, and exempt ones, are not everyone's.
        if not access.can_see_minutes(user, minutes):
            continue
        if action.is_exempt and not _may_read_exempt_action(user, action):
            continue
        link = None
        if action.minute.number:
            link = Link(
                f"Minute {action.minute.number} of {council_date(minutes.meeting.starts_at)}",
                f"{minutes.get_absolute_url()}#{minute_anchor(action.minute)}",
            )
        rows.append(ActionRow(action, action.is_overdue(today), link))
    return rows


def action_reference(action) -> str:
    """Where an action was asked, as the papers cite it: "Minute 13, 26 July 2017"."""
    where = council_date(action.minute.minutes.meeting.starts_at)
    return f"Minute {action.minute.number}, {where}" if action.minute.number else where


def _may_read_exempt_action(user, action) -> bool:
    minute = action.minute
    minutes = minute.minutes
    if not access.can_see_minutes(user, minutes):
        return False
    item = minute.item
    if item is not None and item.is_exempt and not access.can_see_exempt_item(user, item):
        return False
    return access.can_see_minute_in_full(user, minute, minutes)


def action_get(*, committee: Committee, pk: int):
    """For the co-ordinator's form."""
    from .models import TrackedAction

    return TrackedAction.objects.select_related(
        "minute__minutes__meeting", "minute__item", "resolution", "owner"
    ).get(committee=committee, pk=pk)
