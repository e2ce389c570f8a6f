"""The "Update: Work Programme" papers, generated from the plan: Appendix A (the updated
rolling work plan, laid out as the council's Word appendix was) and its covering report,
put on an agenda item in one action. The work programme is public, so these are too."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus
from minutes.numbering import municipal_year_label, municipal_year_start
from scrutiny.models import Committee
from scrutiny.templatetags.council import council_date

from .models import Category, ChangeKind, Status, WorkPlanChange, WorkPlanItem
from .selectors import action_reference, agenda_order, meeting_heading

APPENDIX_LETTER = "A"


@dataclass
class AppendixMeeting:
    heading: str
    lines: list[str]


@dataclass
class WorkPlanAppendix:
    committee: Committee
    from_meeting: Meeting
    year_label: str
    meetings: list[AppendixMeeting]
    to_schedule: list[str]
    statutory: list[str]
    standing: list[str]
    prepared: datetime.date
    changes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Updated Work Plan for the Remainder of {self.year_label} and Beyond"

    @property
    def document_title(self) -> str:
        return (
            f"Appendix {APPENDIX_LETTER}: Updated rolling Work Plan for the remainder of "
            f"{self.year_label} cycle and beyond"
        )

    @property
    def file_name(self) -> str:
        day = timezone.localdate(self.from_meeting.starts_at).isoformat()
        return f"work-plan-from-{day}.pdf"


def _line(item: WorkPlanItem) -> str:
    return f"{item.topic} [{item.lead}]" if item.lead else item.topic


def work_plan_appendix(
    *, committee: Committee, from_meeting: Meeting, prepared: datetime.date | None = None
) -> WorkPlanAppendix:
    """The plan from this meeting on: each meeting's items (all but withdrawn ones, so
    that the appendix for a meeting lists what that meeting takes), those still to be
    scheduled, the statutory and standing business it recurs with, and what has moved
    since the previous meeting, with the reasons."""
    if from_meeting.committee_id != committee.pk:
        raise ValidationError("Choose a meeting of this committee.")
    items = (
        WorkPlanItem.objects.filter(committee=committee)
        .exclude(status=Status.WITHDRAWN)
        .select_related("target_meeting", "agenda_item__meeting")
        .order_by("position", "pk")
    )
    by_meeting: dict[int, tuple[Meeting, list[WorkPlanItem]]] = {}
    to_schedule, statutory, standing = [], [], []
    for item in items:
        meeting = item.target_meeting
        if item.recurrence and item.recurs_from_id is None:
            (statutory if item.category == Category.STATUTORY else standing).append(item.topic)
        if meeting is None:
            if item.is_open:
                to_schedule.append(_line(item))
            continue
        if meeting.starts_at < from_meeting.starts_at or meeting.status == MeetingStatus.CANCELLED:
            continue
        # The appendix is public: a draft agenda's order, or an exempt item's place, is not.
        agenda_item = item.agenda_item
        item.agenda_hidden = agenda_item is not None and (
            not agenda_item.meeting.is_public or agenda_item.is_exempt
        )
        by_meeting.setdefault(meeting.pk, (meeting, []))[1].append(item)
    meetings = [
        AppendixMeeting(
            meeting_heading(meeting), [_line(i) for i in sorted(items, key=agenda_order)]
        )
        for meeting, items in sorted(by_meeting.values(), key=lambda pair: pair[0].starts_at)
    ]
    start = municipal_year_start(timezone.localdate(from_meeting.starts_at))
    return WorkPlanAppendix(
        committee=committee,
        from_meeting=from_meeting,
        year_label=municipal_year_label(start),
        meetings=meetings,
        to_schedule=to_schedule,
        statutory=statutory,
        standing=standing,
        # Dated as it would have gone out: today, or for a meeting whose agenda is
        # already out, the last day that gave notice of it.
        prepared=prepared or min(timezone.localdate(), from_meeting.publish_by),
        changes=_changes_since_last_meeting(committee, from_meeting),
    )


def _previous_meeting(committee: Committee, meeting: Meeting) -> Meeting | None:
    """The meeting before this one that took place: not cancelled, and called by a
    published agenda."""
    return (
        Meeting.objects.filter(committee=committee, starts_at__lt=meeting.starts_at)
        .exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.DRAFT))
        .order_by("-starts_at")
        .first()
    )


def _changes_since_last_meeting(committee: Committee, meeting: Meeting) -> list[str]:
    """Moves, postponements, withdrawals and additions since the previous meeting began,
    in words, with their reasons: what the covering report tells Members has changed."""
    previous = _previous_meeting(committee, meeting)
    changes = WorkPlanChange.objects.filter(
        item__committee=committee,
        kind__in=(ChangeKind.ADDED, ChangeKind.MOVED, ChangeKind.POSTPONED, ChangeKind.WITHDRAWN),
    ).select_related("item", "to_meeting")
    if previous is not None:
        changes = changes.filter(at__gte=previous.starts_at)
    changes = changes.filter(at__lt=meeting.starts_at).order_by("at", "pk")
    words = []
    for change in changes:
        where = (
            council_date(change.to_meeting.starts_at) if change.to_meeting else "to be scheduled"
        )
        if change.kind == ChangeKind.ADDED:
            text = f"{change.item.topic}: added ({where})"
        elif change.kind == ChangeKind.WITHDRAWN:
            text = f"{change.item.topic}: withdrawn"
        else:
            verb = "postponed" if change.kind == ChangeKind.POSTPONED else "moved"
            text = f"{change.item.topic}: {verb} to {where}"
        words.append(f"{text}. {change.reason}".strip() if change.reason else f"{text}.")
    return words


def appendix_html(appendix: WorkPlanAppendix, *, in_pdf: bool = True) -> str:
    return render_to_string(
        "workplan/pdf/appendix.html",
        {"appendix": appendix, "in_pdf": in_pdf, "council_name": settings.COUNCIL_NAME},
    )


def appendix_pdf(appendix: WorkPlanAppendix) -> bytes:
    from packs.build import render_cached

    return render_cached(appendix_html(appendix))


def covering_report_title(appendix: WorkPlanAppendix) -> str:
    return f"Update: Work Programme {appendix.year_label} Municipal Year and Beyond"


def covering_report_content(appendix: WorkPlanAppendix, *, author: str) -> dict:
    """The council's covering report template, filled from the plan."""
    year = appendix.year_label
    previous = _previous_meeting(appendix.committee, appendix.from_meeting)
    background = [
        f"3.1 The Committee's Work Programme is subject to review at each meeting. An updated "
        f"Work Plan for the remainder of the {year} municipal cycle and beyond is attached at "
        f"Appendix {APPENDIX_LETTER} for approval.",
        "3.2 Members may have further topics they wish to suggest for possible inclusion and "
        "consideration by the Committee.",
    ]
    if appendix.changes:
        since = (
            f"the meeting of {council_date(previous.starts_at)}" if previous else "it was agreed"
        )
        background.append(
            f"3.3 Since {since}, the Work Plan has changed as follows:\n\n"
            + "\n".join(f"- {change}" for change in appendix.changes)
        )
    papers_consulted = f"{appendix.committee.name}: Work Programme"
    if previous is not None:
        papers_consulted = (
            f"{appendix.committee.name}: Agenda and Minutes of {council_date(previous.starts_at)}"
        )
    return {
        "summary": f"1.1 To agree the contents and timeframe for an updated Committee Work Plan "
        f"for the remainder of the {year} municipal year and beyond.",
        "recommendations": [
            f"That the updated Work Plan for the Committee for the remainder of the {year} "
            f"municipal cycle and beyond (Appendix {APPENDIX_LETTER} to this report) be "
            "approved, subject to any amendments/additions Members may wish to make in "
            "Committee."
        ],
        "background": "\n\n".join(background),
        "corporate_plan": "",
        "confidence": "",
        "implications": {},
        "appendices": [appendix.document_title],
        "background_papers": [
            {
                "document": papers_consulted,
                "date": f"{appendix.prepared:%B %Y}",
                "author": author,
                "section": "Member Services",
                "exempt_category": "N/A",
            }
        ],
    }


def attachable_items(*, committee: Committee | None = None, committees=None, now=None):
    """Items of business of this committee's (or these committees') meetings to come,
    for generated papers to go on."""
    scope = (
        {"meeting__committee": committee} if committee else {"meeting__committee__in": committees}
    )
    return (
        AgendaItem.objects.filter(
            **scope,
            meeting__starts_at__gte=now or timezone.now(),
            kind=ItemKind.BUSINESS,
            section=1,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__committee")
        .order_by("meeting__starts_at", "position")
    )


def work_plan_papers_attach(
    *,
    committee: Committee,
    item: AgendaItem,
    user,
    with_report: bool = True,
    confirm_past: bool = False,
    now=None,
):
    """Put Appendix A, generated from the plan as it stands from the item's meeting on,
    onto that item, with its covering report unless `with_report` is off (an officer has
    written one): new papers, or new versions of those already there. Returns (report or
    None, appendix) documents."""
    from papers.models import Document
    from papers.services import report_revise, report_write

    item = _attach_target(committee, item, confirm_past=confirm_past, now=now)
    meeting = item.meeting
    appendix = work_plan_appendix(
        committee=committee, from_meeting=meeting, prepared=timezone.localdate(now)
    )
    author = (
        (user.get_full_name() or user.get_username()) if user is not None else "Member Services"
    )
    pdf = appendix_pdf(appendix)
    title = covering_report_title(appendix)
    content = covering_report_content(appendix, author=author)
    with transaction.atomic():
        report = Document.objects.filter(item=item, title=title, is_report=True).first()
        if not with_report:
            report = None
        elif report is None:
            report = report_write(item=item, title=title, content=content, user=user)
        elif report.current_version.report != _cleaned(content):
            report = report_revise(
                document=report,
                content=content,
                user=user,
                change_note="Generated again from the work programme",
                based_on=report.current_version.number,
            )
        document = _attach_pdf(
            item=item,
            title=appendix.document_title,
            pdf=pdf,
            file_name=appendix.file_name,
            source="the work programme",
        )
    return report, document


def _cleaned(content: dict) -> dict:
    from papers.reports import clean_report_content

    return clean_report_content(content)


def _attach_pdf(*, item: AgendaItem, title: str, pdf: bytes, file_name: str, source: str):
    """A generated public paper onto an agenda item: new, or the next version of the
    paper of that title already there. No one is its author: it is read by the item's
    rules alone."""
    from papers.models import Document
    from papers.services import document_replace, document_upload

    upload = ContentFile(pdf, name=file_name)
    existing = Document.objects.filter(item=item, title=title, is_report=False).first()
    if existing is None:
        return document_upload(
            item=item,
            title=title,
            uploaded_file=upload,
            user=None,
            change_note=f"Generated from {source}",
        )
    return document_replace(
        document=existing,
        uploaded_file=upload,
        user=None,
        change_note=f"Generated again from {source}",
    )


def generated_paper_attach(
    *, committee: Committee, item: AgendaItem, make, render, source: str, confirm_past, now
):
    """A paper generated for the item's meeting (`make(meeting)`, with a document title
    and file name; `render(paper)` gives its PDF) onto that item, once the item is one
    such papers may go on. Rendering happens before the transaction, which stays short."""
    item = _attach_target(committee, item, confirm_past=confirm_past, now=now)
    paper = make(item.meeting)
    pdf = render(paper)
    with transaction.atomic():
        return _attach_pdf(
            item=item,
            title=paper.document_title,
            pdf=pdf,
            file_name=paper.file_name,
            source=source,
        )


def _attach_target(committee: Committee, item: AgendaItem, *, confirm_past: bool, now):
    """The agenda item a generated paper may go on: a public item of business of one of
    this committee's meetings still to be held."""
    item = AgendaItem.objects.select_related("meeting__committee").get(pk=item.pk)
    meeting = item.meeting
    if meeting.committee_id != committee.pk:
        raise ValidationError({"item": "Select an item of this committee's agendas"})
    if (
        item.kind != ItemKind.BUSINESS
        or item.is_exempt
        or meeting.status == MeetingStatus.CANCELLED
    ):
        raise ValidationError({"item": "Select a public item of business of a meeting to be held"})
    if meeting.starts_at <= (now or timezone.now()) and not confirm_past:
        raise ValidationError(
            {"item": "That meeting has been held: its papers are part of the record"}
        )
    return item


# --- the recommendations and actions tracker --------------------------------------------


def tracker_title(meeting: Meeting) -> str:
    return f"Recommendations and Actions Tracker ({council_date(meeting.starts_at)})"


@dataclass
class TrackerRow:
    reference: str
    description: str
    owner: str
    due_date: datetime.date
    status: str
    is_overdue: bool
    response: str
    responded_on: datetime.date | None


@dataclass
class ActionTracker:
    committee: Committee
    for_meeting: Meeting
    prepared: datetime.date
    since: datetime.date | None
    outstanding: list[TrackerRow]
    closed: list[TrackerRow]

    @property
    def document_title(self) -> str:
        return tracker_title(self.for_meeting)

    @property
    def file_name(self) -> str:
        day = timezone.localdate(self.for_meeting.starts_at).isoformat()
        return f"actions-tracker-{day}.pdf"

    @property
    def overdue(self) -> int:
        return sum(row.is_overdue for row in self.outstanding)


def action_tracker(
    *, committee: Committee, for_meeting: Meeting, prepared: datetime.date | None = None
) -> ActionTracker:
    """The tracker the committee notes at a meeting: every action asked at an earlier
    meeting still outstanding, overdue ones marked in words, and those closed since the
    previous meeting, reported once before they drop off. It is a public paper: actions
    asked in exempt minutes, or in minutes not yet published, are not in it."""
    from .models import TrackedAction, minute_discloses_exempt

    if for_meeting.committee_id != committee.pk:
        raise ValidationError("Choose a meeting of this committee.")
    # Dated the day it is made: it shows the actions as they stand now, even for a
    # meeting long past.
    prepared = prepared or timezone.localdate()
    previous = _previous_meeting(committee, for_meeting)
    since = _previous_tracker_day(previous) if previous else None
    actions = (
        TrackedAction.objects.filter(
            committee=committee, minute__minutes__meeting__starts_at__lt=for_meeting.starts_at
        )
        .select_related("minute__minutes__meeting", "minute__item")
        .order_by("due_date", "pk")
    )
    outstanding, closed = [], []
    for action in actions:
        minutes = action.minute.minutes
        if not minutes.is_public or minute_discloses_exempt(action.minute):
            continue
        if (
            action.is_closed
            and since is not None
            and (action.closed_on is None or action.closed_on < since)
        ):
            continue
        row = TrackerRow(
            reference=action_reference(action),
            description=action.description,
            owner=action.owner_name,
            due_date=action.due_date,
            status=action.get_status_display(),
            is_overdue=action.is_overdue(prepared),
            response=action.response,
            responded_on=action.responded_on,
        )
        (closed if action.is_closed else outstanding).append(row)
    return ActionTracker(committee, for_meeting, prepared, since, outstanding, closed)


def _previous_tracker_day(previous: Meeting) -> datetime.date:
    """The day the previous meeting's tracker was made (its last version), or else the
    day that meeting's papers went out: whatever closed after it has not been reported."""
    from papers.models import Document

    made = (
        Document.objects.filter(item__meeting=previous, title=tracker_title(previous))
        .values_list("current_version__created_at", flat=True)
        .first()
    )
    if made is not None:
        return timezone.localdate(made)
    if previous.published_at is not None:
        return min(timezone.localdate(previous.published_at), previous.publish_by)
    return previous.publish_by


def tracker_html(tracker: ActionTracker) -> str:
    return render_to_string(
        "workplan/pdf/tracker.html", {"tracker": tracker, "council_name": settings.COUNCIL_NAME}
    )


def tracker_pdf(tracker: ActionTracker) -> bytes:
    from packs.build import render_cached

    return render_cached(tracker_html(tracker))


def tracker_attach(*, committee: Committee, item: AgendaItem, confirm_past: bool = False, now=None):
    """The tracker for the item's meeting onto that item: new, or its next version."""
    return generated_paper_attach(
        committee=committee,
        item=item,
        make=lambda meeting: action_tracker(
            committee=committee, for_meeting=meeting, prepared=timezone.localdate(now)
        ),
        render=tracker_pdf,
        source="the actions tracker",
        confirm_past=confirm_past,
        now=now,
    )


# --- the Regulation 9 notice -------------------------------------------------------------


@dataclass
class Regulation9Notice:
    start: datetime.date
    end: datetime.date
    decisions: list
    members: list
    council_name: str

    @property
    def document_title(self) -> str:
        return (
            f"Regulation 9 Notice: forthcoming key decisions, {council_date(self.start)} to "
            f"{council_date(self.end)}"
        )

    @property
    def file_name(self) -> str:
        return f"regulation-9-notice-{self.start.isoformat()}-to-{self.end.isoformat()}.pdf"


def regulation_9_notice(
    *, start: datetime.date, end: datetime.date, as_of: datetime.date | None = None
) -> Regulation9Notice:
    """The key decisions to be taken between two dates, with the Cabinet members above
    them, as the council publishes its notice."""
    from .models import ExecutiveMember, KeyDecision

    if end < start:
        raise ValidationError("The notice's period ends before it starts.")
    # Only decisions already published on the notice: one entered ahead of its day is not.
    decisions = KeyDecision.objects.filter(
        decision_date__gte=start,
        decision_date__lte=end,
        first_notice_on__lte=as_of or timezone.localdate(),
    )
    return Regulation9Notice(
        start=start,
        end=end,
        decisions=list(decisions.order_by("decision_date", "pk")),
        members=list(ExecutiveMember.objects.all()),
        council_name=settings.COUNCIL_NAME,
    )


def notice_html(notice: Regulation9Notice) -> str:
    return render_to_string("workplan/pdf/regulation_9_notice.html", {"notice": notice})


def notice_pdf(notice: Regulation9Notice) -> bytes:
    from packs.build import render_cached

    return render_cached(notice_html(notice))


def notice_attach(
    *,
    committee: Committee,
    item: AgendaItem,
    start: datetime.date,
    end: datetime.date,
    confirm_past: bool = False,
    now=None,
):
    """The notice for a period onto an agenda item, for the committee to note."""
    return generated_paper_attach(
        committee=committee,
        item=item,
        make=lambda _meeting: regulation_9_notice(start=start, end=end),
        render=notice_pdf,
        source="the forward plan of key decisions",
        confirm_past=confirm_past,
        now=now,
    )
