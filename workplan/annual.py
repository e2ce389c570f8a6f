"""The committee's annual report of a municipal year: drafted from the record (meetings
held, attendance, topics considered, resolutions, recommendations and their outcomes,
business carried forward) with the co-ordinator's narrative, and put on an agenda as a
paper. It is a public paper: nothing exempt, and nothing from minutes not yet published,
is in it, whoever drafts it."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.models import AgendaItem, ItemKind, Meeting, MeetingStatus
from minutes.models import AttendanceCapacity, AttendanceStatus, MinuteOutcome
from minutes.numbering import municipal_year_label, municipal_year_start
from scrutiny.access import minute_title
from scrutiny.models import Committee

from .models import AnnualReport, Status, TrackedAction, WorkPlanItem, minute_discloses_exempt
from .selectors import action_reference, meeting_heading

NARRATIVE_FIELDS = ("foreword", "introduction", "highlights", "looking_ahead")
STALE_REPORT = (
    "Someone else saved this report after you opened it. Their words are shown below "
    "with yours kept in the form: compare them, then save again."
)


@dataclass
class Topic:
    number: int | None
    title: str
    considered: bool
    outcome: str
    resolutions: list[str]


@dataclass
class MeetingRecord:
    meeting: Meeting
    heading: str
    minutes_published: bool
    topics: list[Topic]


@dataclass
class AttendanceRow:
    name: str
    present: int
    as_substitute: int
    apologies: int
    absent: int

    @property
    def expected(self) -> int:
        return self.present + self.apologies + self.absent


@dataclass
class Recommendation:
    reference: str
    description: str
    owner: str
    status: str
    response: str


@dataclass
class AnnualReportDraft:
    committee: Committee
    year_start: datetime.date
    narrative: AnnualReport
    meetings: list[MeetingRecord]
    cancelled: int
    attendance: list[AttendanceRow]
    recommendations: list[Recommendation]
    carried_forward: list[str]
    prepared: datetime.date

    @property
    def year_label(self) -> str:
        return municipal_year_label(self.year_start)

    @property
    def document_title(self) -> str:
        return f"Annual Report of the {self.committee.name} {self.year_label}"

    @property
    def file_name(self) -> str:
        return f"annual-report-{self.year_label}.pdf"

    @property
    def topics_considered(self) -> int:
        return sum(topic.considered for record in self.meetings for topic in record.topics)

    @property
    def unpublished(self) -> int:
        return sum(not record.minutes_published for record in self.meetings)

    @property
    def resolutions(self) -> int:
        return sum(len(t.resolutions) for record in self.meetings for t in record.topics)


def year_bounds(year_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(year_start, datetime.time.min))
    return start, start.replace(year=start.year + 1)


def report_years(
    *, committee: Committee, today: datetime.date | None = None
) -> list[datetime.date]:
    """The municipal years the committee has met in (or is called to meet in), and the
    present one, newest first."""
    days = (
        Meeting.objects.filter(committee=committee)
        .exclude(status__in=(MeetingStatus.DRAFT, MeetingStatus.CANCELLED))
        .values_list("starts_at", flat=True)
    )
    years = {municipal_year_start(timezone.localdate(day)) for day in days}
    years.add(municipal_year_start(today or timezone.localdate()))
    return sorted(years, reverse=True)


def annual_report_narrative(*, committee: Committee, year_start: datetime.date) -> AnnualReport:
    """The saved narrative, or an empty one (version 0) not yet saved."""
    return AnnualReport.objects.filter(committee=committee, year_start=year_start).first() or (
        AnnualReport(committee=committee, year_start=year_start)
    )


def annual_report_draft(
    *, committee: Committee, year_start: datetime.date, now=None
) -> AnnualReportDraft:
    """The report as the record stands. A fixed number of queries, however long the
    year."""
    now = now or timezone.now()
    if year_start != municipal_year_start(year_start):
        raise ValidationError("A municipal year starts on 1 May.")
    start, end = year_bounds(year_start)
    in_year = Meeting.objects.filter(committee=committee, starts_at__gte=start, starts_at__lt=end)
    cancelled = in_year.filter(status=MeetingStatus.CANCELLED).count()
    # Held: past, and called by a published agenda (a draft meeting never took place).
    held = list(
        in_year.exclude(status__in=(MeetingStatus.CANCELLED, MeetingStatus.DRAFT))
        .filter(starts_at__lt=now)
        .select_related("committee", "minutes")
        .prefetch_related("minutes__entries__item__meeting", "minutes__entries__resolutions")
        .order_by("starts_at")
    )
    anonymous = AnonymousUser()
    records = []
    published = []
    for meeting in held:
        minutes = getattr(meeting, "minutes", None)
        is_public = minutes is not None and minutes.is_public
        topics = []
        if is_public:
            published.append(meeting.pk)
            for minute in minutes.entries.all():
                # Apologies, declarations, the last minutes: procedure, not topics.
                if minute.item is not None and minute.item.kind != ItemKind.BUSINESS:
                    continue
                hidden = minute_discloses_exempt(minute)
                topics.append(
                    Topic(
                        number=minute.number,
                        # What the public minutes call it: an exempt item by its public title.
                        title=minute_title(anonymous, minute, minutes),
                        considered=minute.outcome == MinuteOutcome.TAKEN,
                        outcome=minute.get_outcome_display(),
                        resolutions=[]
                        if hidden
                        else [resolution.text for resolution in minute.resolutions.all()],
                    )
                )
        records.append(MeetingRecord(meeting, meeting_heading(meeting), is_public, topics))
    return AnnualReportDraft(
        committee=committee,
        year_start=year_start,
        narrative=annual_report_narrative(committee=committee, year_start=year_start),
        meetings=records,
        cancelled=cancelled,
        attendance=_attendance(published),
        recommendations=_recommendations(committee, published, timezone.localdate(now)),
        carried_forward=_carried_forward(committee, end),
        prepared=timezone.localdate(now),
    )


def _attendance(meeting_ids: list[int]) -> list[AttendanceRow]:
    """Members' attendance at the meetings whose minutes (which record it) are published."""
    from minutes.models import Attendance

    rows: dict[int, AttendanceRow] = {}
    attendances = (
        Attendance.objects.filter(meeting_id__in=meeting_ids, capacity=AttendanceCapacity.MEMBER)
        .select_related("person")
        .order_by("person__surname", "person__forenames", "person_id")
    )
    for attendance in attendances:
        row = rows.setdefault(
            attendance.person_id, AttendanceRow(attendance.person.display_name, 0, 0, 0, 0)
        )
        if attendance.substitute_for_id:
            row.as_substitute += 1
        elif attendance.status == AttendanceStatus.PRESENT:
            row.present += 1
        elif attendance.status == AttendanceStatus.APOLOGIES:
            row.apologies += 1
        else:
            row.absent += 1
    return list(rows.values())


def _recommendations(
    committee: Committee, meeting_ids: list[int], today: datetime.date
) -> list[Recommendation]:
    actions = (
        TrackedAction.objects.filter(
            committee=committee, minute__minutes__meeting_id__in=meeting_ids
        )
        .select_related("minute__minutes__meeting", "minute__item")
        .order_by("minute__minutes__meeting__starts_at", "minute__order", "pk")
    )
    return [
        Recommendation(
            reference=action_reference(action),
            description=action.description,
            owner=action.owner_name,
            status="Overdue" if action.is_overdue(today) else action.get_status_display(),
            response=action.response,
        )
        for action in actions
        if not minute_discloses_exempt(action.minute)
    ]


def _carried_forward(committee: Committee, year_end: datetime.datetime) -> list[str]:
    """Work plan items on the programme at the year's end and not planned for one of its
    meetings: taken into the next year (whatever became of them since, except
    withdrawal)."""
    from scrutiny.templatetags.council import council_date

    items = (
        WorkPlanItem.objects.filter(committee=committee, created_at__lt=year_end)
        .exclude(status=Status.WITHDRAWN)
        .exclude(target_meeting__starts_at__lt=year_end)
        .select_related("target_meeting")
        .order_by("target_meeting__starts_at", "position", "pk")
    )
    lines = []
    for item in items:
        if item.target_meeting is None:
            lines.append(f"{item.topic} (to be scheduled)")
        else:
            lines.append(f"{item.topic} ({council_date(item.target_meeting.starts_at)})")
    return lines


@transaction.atomic
def annual_report_save(
    *, committee: Committee, year_start: datetime.date, user, based_on: int, now=None, **narrative
) -> AnnualReport:
    """Save the co-ordinator's words. A form read before someone else's save is refused,
    so that nobody's words are overwritten unseen."""
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not part of the narrative: {', '.join(sorted(unknown))}")
    if year_start != municipal_year_start(year_start):
        raise ValidationError("A municipal year starts on 1 May.")
    report, _created = AnnualReport.objects.select_for_update().get_or_create(
        committee=committee, year_start=year_start
    )
    if report.version != based_on:
        raise ValidationError(STALE_REPORT, code="stale")
    for name in NARRATIVE_FIELDS:
        setattr(report, name, str(narrative.get(name, "")).strip())
    report.version += 1
    report.updated_at = now or timezone.now()
    report.updated_by = user
    report.full_clean()
    report.save()
    return report


def annual_report_html(draft: AnnualReportDraft) -> str:
    return render_to_string(
        "workplan/pdf/annual_report.html",
        {"report": draft, "council_name": settings.COUNCIL_NAME},
    )


def annual_report_pdf(draft: AnnualReportDraft) -> bytes:
    from packs.build import render_cached

    return render_cached(annual_report_html(draft))


def annual_report_attach(
    *,
    committee: Committee,
    year_start: datetime.date,
    item: AgendaItem,
    confirm_past=False,
    now=None,
):
    """The report as it stands onto an agenda item of a meeting still to be held: new, or
    the next version of the report already there."""
    from .documents import generated_paper_attach

    return generated_paper_attach(
        committee=committee,
        item=item,
        make=lambda _meeting: annual_report_draft(
            committee=committee, year_start=year_start, now=now
        ),
        render=annual_report_pdf,
        source="the committee's record for the year",
        confirm_past=confirm_past,
        now=now,
    )
