"""Writes for attendance, declarations, minutes and resolutions: validate, then save,
in one transaction. Every saved state of a minute is kept as a revision."""

import dataclasses
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from meetings.models import ItemKind, Meeting, MeetingStatus
from scrutiny import access
from scrutiny.models import Membership, MembershipRole
from scrutiny.notices import notice_send_to_users, person_name
from scrutiny.selectors import chairman_on
from scrutiny.templatetags.council import council_date

from .models import (
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    ChairmanResponse,
    Declaration,
    Minute,
    MinuteOutcome,
    MinuteRevision,
    Minutes,
    MinutesPart,
    MinutesStatus,
    Resolution,
)
from .numbering import number_in_date_order, numbering_window, numbering_year
from .text import minute_text_to_html

NO_DECLARATIONS = "<p>There were no declarations of interest.</p>"


class MinuteConflict(ValidationError):
    """Someone else saved the minute since this editor opened it."""

    def __init__(self, *, minute: Minute, yours: dict):
        self.minute = minute
        self.yours = yours
        super().__init__(
            f"{_who(minute)} saved this minute while you were editing it. Nothing has been "
            "overwritten: compare their text with yours below, then save again."
        )


def _who(minute: Minute) -> str:
    user = minute.updated_by
    name = (user.get_full_name() or user.get_username()) if user else "Someone else"
    return f"{name} (at {timezone.localtime(minute.updated_at):%H:%M})"


def _minutes_changed(minutes_id: int, part: str = "") -> None:
    """What the minutes record has changed: their version goes up, so that an answer
    the Chairman gives on an earlier reading is refused, and `part` (a MinutesPart) is
    noted for the co-ordinator's "changed since the Chairman's answer". A minute's own
    text needs no part: its minute is listed by when it was saved."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes_id)
    minutes.version += 1
    if part and part not in minutes.changed_parts:
        minutes.changed_parts = [*minutes.changed_parts, part]
    minutes.save(update_fields=["version", "changed_parts"])


# --- numbering ---------------------------------------------------------------------


def _first_number(meeting: Meeting) -> int:
    earlier = Minute.objects.filter(
        minutes__meeting__committee=meeting.committee,
        minutes__meeting__starts_at__lt=meeting.starts_at,
        number__isnull=False,
    )
    window = numbering_window(meeting)
    if window is not None:
        earlier = earlier.filter(minutes__meeting__starts_at__gte=window)
    return (earlier.aggregate(top=Max("number"))["top"] or 0) + 1


def minutes_renumber(*, minutes: Minutes) -> None:
    """Number the meeting's minutes in the order taken, after the committee's earlier
    minutes of the same municipal year (or of all time, for continuous numbering), and
    renumber the unconfirmed minutes of that year's later meetings after them, so that
    numbers follow the meetings' dates whatever order the minutes were started in."""
    from scrutiny.models import Committee

    meeting = minutes.meeting
    # One renumbering of a committee at a time: two at once would hand out one number twice.
    Committee.objects.select_for_update().filter(pk=meeting.committee_id).first()
    later = Minutes.objects.filter(
        meeting__committee_id=meeting.committee_id, meeting__starts_at__gte=meeting.starts_at
    )
    window = numbering_window(meeting)
    if window is not None:
        later = later.filter(meeting__starts_at__lt=window.replace(year=window.year + 1))
    sets = {
        minutes_id: (status == MinutesStatus.CONFIRMED, [])
        for minutes_id, status in later.order_by("meeting__starts_at").values_list("pk", "status")
    }
    for minutes_id, minute_id, number in (
        Minute.objects.filter(minutes__in=later)
        .order_by("order")
        .values_list("minutes_id", "pk", "number")
    ):
        sets[minutes_id][1].append((minute_id, number))
    numbers = number_in_date_order(list(sets.values()), first=_first_number(meeting))
    # Through no number first, so that the database's uniqueness holds at every step.
    Minute.objects.filter(pk__in=numbers).update(number=None)
    year = numbering_year(meeting)
    for minute_id, number in numbers.items():
        Minute.objects.filter(pk=minute_id).update(
            number=number, committee_id=meeting.committee_id, numbering_year=year
        )
    # A later meeting's minutes renumbered read differently from what its Chairman read.
    for minutes_id, (_confirmed, entries) in sets.items():
        if any(numbers.get(minute_id, number) != number for minute_id, number in entries):
            _minutes_changed(minutes_id, MinutesPart.ORDER)
            # Search finds each minute by its number: the index follows.
            from search.services import search_index_meeting

            search_index_meeting(meeting=Minutes.objects.get(pk=minutes_id).meeting)


# --- prefilling from the agenda and the membership -------------------------------------


def _suggested_resolutions(item) -> list[str]:
    if item.kind == ItemKind.MINUTES and item.previous_meeting_id:
        day = council_date(item.previous_meeting.starts_at)
        return [
            f"That the Minutes of the Committee's meeting held on {day} be confirmed as an "
            "accurate record of those proceedings."
        ]
    return []


def _revision(minute: Minute, *, user=None, note: str = "") -> MinuteRevision:
    return MinuteRevision.objects.create(
        minute=minute,
        version=minute.version,
        title=minute.title,
        text=minute.text,
        outcome=minute.outcome,
        is_exempt=minute.is_exempt,
        public_summary=minute.public_summary,
        resolutions=[[r.text, r.is_free_text] for r in minute.resolutions.order_by("position")],
        saved_by=user,
        note=note,
    )


@transaction.atomic
def minutes_prefill(*, meeting: Meeting, user=None) -> Minutes:
    """Start the minutes: one minute per agenda item in agenda order, and the attendance
    register from the committee's memberships on the day. Safe to call again."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_public:
        raise ValidationError("Publish the agenda before starting the minutes.")
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    if not minutes.entries.exists():
        items = meeting.items.select_related("previous_meeting").order_by("section", "position")
        for order, item in enumerate(items, start=1):
            minute = Minute.objects.create(
                minutes=minutes,
                committee_id=meeting.committee_id,
                numbering_year=numbering_year(meeting),
                item=item,
                order=order,
                title=item.title,
                text=NO_DECLARATIONS if item.kind == ItemKind.DECLARATIONS else "",
                updated_by=user,
            )
            for position, text in enumerate(_suggested_resolutions(item), start=1):
                Resolution.objects.create(minute=minute, position=position, text=text)
            _revision(minute, user=user, note="Prefilled from the agenda")
        minutes_renumber(minutes=minutes)
    if not meeting.attendances.exists():
        attendance_prefill(meeting=meeting)
    # Held, not "Minutes in draft": the meeting's status is public, and minutes being
    # written or with the Chairman are not; it says "Minutes in draft" once they are
    # published as draft (minutes_advance).
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED and meeting.starts_at <= timezone.now():
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return minutes


ROLE_NOTES = {
    MembershipRole.CHAIR: "Chairman",
    MembershipRole.VICE_CHAIR: "Vice-Chairman",
    MembershipRole.CO_OPTED: "Co-opted member",
    MembershipRole.INVITEE: "Invitee",
}
ROLE_ORDER = [
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.CO_OPTED,
    MembershipRole.INVITEE,
]


def attendance_prefill(*, meeting: Meeting) -> list[Attendance]:
    """The register as it stands on the day: members and invitees, marked present."""
    day = timezone.localdate(meeting.starts_at)
    memberships = (
        Membership.objects.current(day)
        .filter(committee=meeting.committee, role__in=ROLE_ORDER)
        .select_related("person")
    )
    ordered = sorted(
        memberships,
        key=lambda m: (ROLE_ORDER.index(m.role), m.person.surname, m.person.forenames),
    )
    rows = []
    for position, membership in enumerate(ordered, start=1):
        invitee = membership.role == MembershipRole.INVITEE
        rows.append(
            Attendance.objects.create(
                meeting=meeting,
                person=membership.person,
                capacity=AttendanceCapacity.INVITEE if invitee else AttendanceCapacity.MEMBER,
                status=AttendanceStatus.PRESENT,
                role_note=ROLE_NOTES.get(membership.role, ""),
                position=position,
            )
        )
    return rows


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    person,
    capacity: str,
    status: str = AttendanceStatus.PRESENT,
    role_note: str = "",
    substitute_for=None,
    portfolio: str = "",
) -> Attendance:
    """Add or change one person's line in the register."""
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first()
    if attendance is None:
        top = meeting.attendances.aggregate(top=Max("position"))["top"] or 0
        attendance = Attendance(meeting=meeting, person=person, position=top + 1)
        before = None
    else:
        before = _attendance_line(attendance)
    attendance.capacity = capacity
    attendance.status = status
    attendance.role_note = role_note.strip()
    attendance.substitute_for = substitute_for
    attendance.portfolio = portfolio.strip()
    if substitute_for is not None and substitute_for == person:
        raise ValidationError({"substitute_for": "A member cannot substitute for themselves"})
    attendance.full_clean()
    attendance.save()
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        if _attendance_line(attendance) != before:
            _minutes_changed(minutes.pk, MinutesPart.REGISTER)
        schedule_minutes_pdf(minutes)
    return attendance


def _attendance_line(attendance: Attendance) -> tuple:
    return (
        attendance.capacity,
        attendance.status,
        attendance.role_note,
        attendance.substitute_for_id,
        attendance.portfolio,
    )


@transaction.atomic
def declaration_add(*, meeting: Meeting, person, kind: str, nature: str, item=None):
    declaration = Declaration(
        meeting=meeting, person=person, kind=kind, nature=nature.strip(), item=item
    )
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Select an item of this meeting"})
    declaration.full_clean()
    declaration.save()
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        _minutes_changed(minutes.pk, MinutesPart.DECLARATIONS)
    return declaration


# --- writing minutes ------------------------------------------------------------------


def _refuse_if_confirmed(minutes: Minutes) -> None:
    if minutes.status == MinutesStatus.CONFIRMED:
        day = council_date(minutes.confirmed_by_meeting.starts_at)
        raise ValidationError(
            f"These minutes were confirmed as a correct record at the meeting on {day} and "
            "signed by the Chairman. They cannot be edited: a correction is made by a "
            "recorded amendment at a later meeting."
        )


@dataclasses.dataclass
class ResolutionInput:
    text: str
    is_free_text: bool = False


def _clean_resolutions(resolutions: list[ResolutionInput]) -> list[ResolutionInput]:
    cleaned = [r for r in resolutions if r.text.strip()]
    errors = []
    for number, resolution in enumerate(cleaned, start=1):
        resolution.text = " ".join(resolution.text.split())
        if not resolution.text.startswith("That") and not resolution.is_free_text:
            errors.append(
                f"Resolution {number} must begin with \u201cThat\u201d, or be confirmed as worded"
            )
    if errors:
        raise ValidationError({"resolutions": errors})
    return cleaned


@transaction.atomic
def minute_save(
    *,
    minute: Minute,
    user,
    based_on: int,
    title: str,
    text: str,
    resolutions: list[ResolutionInput],
    outcome: str = MinuteOutcome.TAKEN,
    is_exempt: bool = False,
    public_summary: str = "",
    note: str = "",
) -> Minute:
    """Save a minute. `based_on` is the version the editor started from: if someone
    else has saved since, MinuteConflict is raised and nothing is written."""
    # The minutes before the minute, in the order every other change locks them.
    Minutes.objects.select_for_update().filter(pk=minute.minutes_id).first()
    minute = Minute.objects.select_for_update().select_related("minutes__meeting").get(pk=minute.pk)
    _refuse_if_confirmed(minute.minutes)
    yours = {
        "title": title,
        "text": text,
        "resolutions": [r.text for r in resolutions],
    }
    if minute.version != based_on:
        raise MinuteConflict(minute=minute, yours=yours)
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the minute's heading"
    if is_exempt and not public_summary.strip():
        errors["public_summary"] = (
            "Enter the public summary that the public minutes carry in place of the exempt minute"
        )
    try:
        resolutions = _clean_resolutions(resolutions)
    except ValidationError as error:
        errors.update(error.message_dict)
    if outcome not in MinuteOutcome.values:
        errors["outcome"] = "Select what happened to the item"
    if errors:
        raise ValidationError(errors)
    minute.title = title.strip()
    minute.text = minute_text_to_html(text)
    minute.outcome = outcome
    minute.is_exempt = is_exempt
    minute.public_summary = public_summary.strip() if is_exempt else ""
    minute.version += 1
    minute.updated_by = user
    minute.updated_at = timezone.now()
    minute.full_clean()
    minute.save()
    _resolutions_write(minute, resolutions)
    _revision(minute, user=user, note=note)
    _minutes_changed(minute.minutes_id)
    schedule_minutes_pdf(minute.minutes)
    if minute.minutes.is_public:
        # A corrected outcome reaches the work plan item it concerns.
        from workplan.services import work_plan_items_minuted

        work_plan_items_minuted(meeting=minute.minutes.meeting)
    return minute


# How alike a resolution's new wording must be to its old one (difflib's ratio) to
# count as the same resolution corrected rather than a different one.
REWORDED_AT_LEAST = 0.6


def _resolutions_write(minute: Minute, resolutions: list[ResolutionInput]) -> None:
    """Write the minute's resolutions, keeping each stored resolution that survives, so
    that what links to one (a work plan item asked for by it) still does: one whose
    wording is unchanged wherever it now stands, else the one it most resembles (a
    corrected wording), if close enough. The rest are replaced."""
    existing = list(minute.resolutions.order_by("position"))
    kept: dict[int, Resolution] = {}
    unused = {r.pk: r for r in existing}
    for n, wanted in enumerate(resolutions, start=1):
        same = next((r for r in unused.values() if r.text == wanted.text), None)
        if same is not None:
            kept[n] = unused.pop(same.pk)
    for n, wanted in enumerate(resolutions, start=1):
        if n not in kept:
            closest = max(
                unused.values(),
                key=lambda r: SequenceMatcher(None, r.text, wanted.text).ratio(),
                default=None,
            )
            if closest is not None and (
                SequenceMatcher(None, closest.text, wanted.text).ratio() >= REWORDED_AT_LEAST
            ):
                kept[n] = unused.pop(closest.pk)
    Resolution.objects.filter(pk__in=unused).delete()
    # Out of the way of the unique positions first, then into place.
    Resolution.objects.filter(minute=minute).update(position=F("position") + 10_000)
    for n, wanted in enumerate(resolutions, start=1):
        resolution = kept.get(n)
        if resolution is None:
            Resolution.objects.create(
                minute=minute, position=n, text=wanted.text, is_free_text=wanted.is_free_text
            )
            continue
        resolution.position = n
        resolution.text = wanted.text
        resolution.is_free_text = wanted.is_free_text
        resolution.save(update_fields=["position", "text", "is_free_text"])


@transaction.atomic
def minute_restore(*, minute: Minute, revision: MinuteRevision, user) -> Minute:
    """Bring back an earlier version as a new version: history is never rewritten."""
    if revision.minute_id != minute.pk:
        raise ValidationError("That version belongs to another minute.")
    minute = Minute.objects.get(pk=minute.pk)
    return minute_save(
        minute=minute,
        user=user,
        based_on=minute.version,
        title=revision.title,
        text=revision.text,
        resolutions=[ResolutionInput(text, free) for text, free in revision.resolutions],
        outcome=revision.outcome,
        is_exempt=revision.is_exempt,
        public_summary=revision.public_summary,
        note=f"Restored version {revision.version}",
    )


@transaction.atomic
def minute_move(*, minute: Minute, offset: int) -> None:
    """Change the order in which an item was taken (minute numbers follow)."""
    minutes = Minutes.objects.select_for_update().get(pk=minute.minutes_id)
    _refuse_if_confirmed(minutes)
    entries = list(minutes.entries.order_by("order"))
    index = next(i for i, entry in enumerate(entries) if entry.pk == minute.pk)
    target = index + offset
    if not 0 <= target < len(entries):
        return
    entries.insert(target, entries.pop(index))
    free = max(entry.order for entry in entries) + len(entries) + 1
    for entry in entries:  # through free orders first: the order is unique
        Minute.objects.filter(pk=entry.pk).update(order=entry.order + free)
    for order, entry in enumerate(entries, start=1):
        Minute.objects.filter(pk=entry.pk).update(order=order)
    _minutes_changed(minutes.pk, MinutesPart.ORDER)
    minutes_renumber(minutes=minutes)


@transaction.atomic
def minute_combine(*, minute: Minute, into: Minute) -> None:
    """Record that an item was taken together with another and minuted once, in the
    other's minute (a covering report and its exempt appendix item, say): the item's
    own minute, still unwritten, is removed, and the minutes after it renumbered."""
    minutes = Minutes.objects.select_for_update().get(pk=minute.minutes_id)
    _refuse_if_confirmed(minutes)
    minute = Minute.objects.get(pk=minute.pk)
    if into.minutes_id != minutes.pk or into.pk == minute.pk:
        raise ValidationError("Choose another minute of the same meeting.")
    if minute.is_written:
        raise ValidationError(
            f"Minute {minute.number} has been written: move what it says into minute "
            f"{into.number} and clear it first."
        )
    minute.delete()
    entries = list(minutes.entries.order_by("order"))
    for order, entry in enumerate(entries, start=1):
        if entry.order != order:  # the gap closes from below, so each order is free
            Minute.objects.filter(pk=entry.pk).update(order=order)
    _minutes_changed(minutes.pk, MinutesPart.ORDER)
    minutes_renumber(minutes=minutes)
    schedule_minutes_pdf(minutes)


@transaction.atomic
def minutes_update(*, minutes: Minutes, closing_time) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    _refuse_if_confirmed(minutes)
    if closing_time != minutes.closing_time:
        minutes.closing_time = closing_time
        minutes.save(update_fields=["closing_time"])
        _minutes_changed(minutes.pk, MinutesPart.CLOSING_TIME)
        minutes.refresh_from_db(fields=["version", "changed_parts"])
    schedule_minutes_pdf(minutes)
    return minutes


NEXT_STATUS = {
    MinutesStatus.DRAFT: MinutesStatus.CIRCULATED,
    MinutesStatus.CIRCULATED: MinutesStatus.PUBLISHED,
}


@transaction.atomic
def minutes_advance(*, minutes: Minutes, now=None) -> Minutes:
    """Draft -> circulated to the Chairman -> published as draft (unconfirmed)."""
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status not in NEXT_STATUS:
        raise ValidationError(
            "Published minutes are confirmed at the next meeting, through its "
            "\u201cConfirmation of the Minutes\u201d item."
        )
    if NEXT_STATUS[minutes.status] == MinutesStatus.CIRCULATED:
        return minutes_circulate(minutes=minutes, now=now)
    if NEXT_STATUS[minutes.status] == MinutesStatus.PUBLISHED:
        if minutes.closing_time is None:
            raise ValidationError({"closing_time": "Enter the time the meeting closed"})
        minutes.published_at = now or timezone.now()
        Meeting.objects.filter(
            pk=minutes.meeting_id,
            status__in=(MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD),
        ).update(status=MeetingStatus.MINUTES_DRAFT)
    minutes.status = NEXT_STATUS[minutes.status]
    minutes.save(update_fields=["status", "published_at"])
    schedule_minutes_pdf(minutes)
    if minutes.is_public:
        from alerts.services import alert_raise
        from workplan.services import work_plan_items_minuted

        work_plan_items_minuted(meeting=minutes.meeting, now=now)
        for kind in ("minutes", "decisions"):
            alert_raise(kind=kind, meeting=minutes.meeting, key=f"{kind}:{minutes.pk}")
    return minutes


def _chair_on(meeting: Meeting):
    return chairman_on(committee=meeting.committee, day=timezone.localdate(meeting.starts_at))


def _meeting_words(meeting: Meeting) -> str:
    return f"the {meeting.committee.name} meeting on {council_date(meeting.starts_at)}"


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, now=None) -> Minutes:
    """Send the draft minutes to the Chairman of the meeting to check, or send them
    again after changes: an earlier answer is cleared, so the answer on record is always
    about the minutes as last circulated. Sets `notified` (who is e-mailed) and
    `chairman` (None if the committee had no Chairman that day)."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    if minutes.status not in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED):
        raise ValidationError(
            "These minutes are published: they are checked at the next meeting, which "
            "confirms them."
        )
    minutes.status = MinutesStatus.CIRCULATED
    minutes.circulated_at = now or timezone.now()
    minutes.chairman_response = ""
    minutes.chairman_comments = ""
    minutes.chairman_responded_at = None
    minutes.chairman_responded_by = None
    minutes.chairman_version = None
    minutes.changed_parts = []
    minutes.save(
        update_fields=[
            "status",
            "circulated_at",
            "chairman_response",
            "chairman_comments",
            "chairman_responded_at",
            "chairman_responded_by",
            "chairman_version",
            "changed_parts",
        ]
    )
    schedule_minutes_pdf(minutes)
    meeting = minutes.meeting
    minutes.chairman = _chair_on(meeting)
    # The notice names the meeting only: the minutes, exempt ones included, are read on
    # the page, where the access policy decides what the Chairman sees.
    minutes.notified = notice_send_to_users(
        users=[minutes.chairman.user] if minutes.chairman else [],
        subject=f"Minutes to check: {meeting.committee.name}, {council_date(meeting.starts_at)}",
        body=f"The draft minutes of {_meeting_words(meeting)} are ready for you to check "
        "before they are published.\n\nApprove them, or return your comments to the "
        "committee's co-ordinator.",
        link_path=reverse("minutes:minutes_review", kwargs={"meeting_pk": meeting.pk}),
        link_text="Check the minutes",
    )
    return minutes


class MinutesChangedWhileReading(ValidationError):
    """The minutes changed after the Chairman opened them: his answer would be about
    something he has not read."""

    def __init__(self):
        super().__init__("The minutes changed while you were reading them: read them again.")


def _chairman_answer(
    *, minutes: Minutes, by, read_version: int, response: str, comments: str = "", now=None
) -> Minutes:
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    meeting = minutes.meeting
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError("These minutes are not waiting for the Chairman.")
    if not access.is_chairman_of(by, meeting):
        raise ValidationError("Only the Chairman of the meeting answers its minutes.")
    if minutes.chairman_response:
        raise ValidationError(
            "You have answered these minutes already. If they change, the co-ordinator "
            "will send them to you again."
        )
    # Every change to the minutes locks this row to count itself: none can slip in
    # between this comparison and the answer.
    if read_version != minutes.version:
        raise MinutesChangedWhileReading()
    minutes.chairman_response = response
    minutes.chairman_comments = comments
    minutes.chairman_responded_at = now or timezone.now()
    minutes.chairman_responded_by = by
    minutes.chairman_version = minutes.version
    minutes.changed_parts = []
    minutes.full_clean(exclude=["pdf"])
    minutes.save(
        update_fields=[
            "chairman_response",
            "chairman_comments",
            "chairman_responded_at",
            "chairman_responded_by",
            "chairman_version",
            "changed_parts",
        ]
    )
    # The comments stay on the page: they may discuss an exempt minute.
    if response == ChairmanResponse.APPROVED:
        subject = "Minutes approved by the Chairman"
        body = (
            f"{person_name(by)} has approved the draft minutes of {_meeting_words(meeting)}. "
            "They are ready to be published as draft minutes."
        )
    else:
        subject = "The Chairman's comments on the minutes"
        body = (
            f"{person_name(by)} has returned comments on the draft minutes of "
            f"{_meeting_words(meeting)}. Read them on the minutes page, make the changes, "
            "then circulate the minutes again."
        )
    minutes.notified = notice_send_to_users(
        users=meeting.committee.coordinators.filter(is_active=True),
        subject=f"{subject}: {meeting.committee.name}, {council_date(meeting.starts_at)}",
        body=body,
        link_path=reverse("minutes:minutes_edit", kwargs={"meeting_pk": meeting.pk}),
        link_text="The minutes",
    )
    return minutes


@transaction.atomic
def minutes_chairman_approve(*, minutes: Minutes, by, read_version: int, now=None) -> Minutes:
    """The Chairman approves the minutes as he read them (`read_version`, refused with
    MinutesChangedWhileReading if they have changed since); the co-ordinators are told."""
    return _chairman_answer(
        minutes=minutes,
        by=by,
        read_version=read_version,
        response=ChairmanResponse.APPROVED,
        now=now,
    )


@transaction.atomic
def minutes_chairman_return(
    *, minutes: Minutes, by, read_version: int, comments: str, now=None
) -> Minutes:
    """The Chairman returns comments on the minutes as he read them (`read_version`, as
    for approving); the co-ordinators are told, and circulate them again once changed."""
    comments = comments.strip()
    if not comments:
        raise ValidationError({"comments": "Enter your comments on the minutes"})
    return _chairman_answer(
        minutes=minutes,
        by=by,
        read_version=read_version,
        response=ChairmanResponse.COMMENTS,
        comments=comments,
        now=now,
    )


class MinutesNotApproved(ValidationError):
    """The Chairman has not approved the minutes as they stand: `reasons` say why, for
    the co-ordinator to read before publishing them anyway at `version`."""

    def __init__(self, *, reasons: list[str], version: int):
        self.reasons = reasons
        self.version = version
        super().__init__(reasons)


@transaction.atomic
def minutes_publish(*, minutes: Minutes, confirmed_version: int | None = None, now=None) -> Minutes:
    """The co-ordinator publishes circulated minutes as draft minutes. Unless the
    Chairman approved them as they stand, MinutesNotApproved is raised with the reasons,
    and they are published only once the co-ordinator confirms, having read those
    reasons, at this version of the minutes (`confirmed_version`): a change after the
    warning is warned about again."""
    from .selectors import minutes_publication_warnings

    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )
    if minutes.status == MinutesStatus.DRAFT:
        raise ValidationError("Circulate the minutes to the Chairman before publishing them.")
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError("These minutes are published already.")
    if minutes.closing_time is None:
        raise ValidationError({"closing_time": "Enter the time the meeting closed"})
    reasons = minutes_publication_warnings(minutes=minutes)
    if reasons and confirmed_version != minutes.version:
        raise MinutesNotApproved(reasons=reasons, version=minutes.version)
    return minutes_advance(minutes=minutes, now=now)


@transaction.atomic
def minutes_confirm(*, minute: Minute, by=None) -> Minutes:
    """Record, through the confirmation item of a meeting, that the previous meeting's
    minutes were confirmed as a correct record and signed by the Chairman. The audit
    log records who recorded it (`by`)."""
    minute = Minute.objects.select_related(
        "item__previous_meeting", "minutes__meeting__committee"
    ).get(pk=minute.pk)
    item = minute.item
    if item is None or item.kind != ItemKind.MINUTES or item.previous_meeting is None:
        raise ValidationError(
            "Only the \u201cConfirmation of the Minutes\u201d item confirms earlier minutes."
        )
    if not minute.resolutions.exists():
        raise ValidationError(
            {"resolutions": "Record the resolution that confirms the minutes first"}
        )
    previous = (
        Minutes.objects.select_for_update()
        .filter(meeting=item.previous_meeting)
        .select_related("meeting")
        .first()
    )
    if previous is None or previous.status != MinutesStatus.PUBLISHED:
        raise ValidationError(
            "The minutes of that meeting must be published as a draft before they are confirmed."
        )
    meeting = minute.minutes.meeting
    previous.status = MinutesStatus.CONFIRMED
    previous.confirmed_at = meeting.starts_at
    previous.confirmed_by_meeting = meeting
    previous.signed_by = _chair_on(meeting)
    previous.full_clean()
    previous.save()
    Meeting.objects.filter(pk=previous.meeting_id).update(status=MeetingStatus.MINUTES_CONFIRMED)
    from exempt.models import AccessEvent
    from exempt.services import action_record

    action_record(
        by=by,
        event=AccessEvent.MINUTES_CONFIRMED,
        committee=meeting.committee,
        meeting=previous.meeting,
        what=f"Minutes of {previous.meeting} confirmed at the meeting of "
        f"{timezone.localdate(meeting.starts_at):%-d %B %Y}, "
        f"signed by {previous.signed_by or 'no one recorded'}",
    )
    schedule_minutes_pdf(previous)
    return previous


# --- the PDF -----------------------------------------------------------------------------


def minutes_pdf_withdraw(*, minutes: Minutes) -> bool:
    """If the public edition of the minutes no longer says what the PDF says, stop
    serving the PDF in this transaction (the rebuild follows). Returns whether it was
    withdrawn."""
    from .pdf import minutes_html, source_hash

    if not minutes.pdf:
        return False
    minutes = Minutes.objects.select_related("meeting__committee", "signed_by").get(pk=minutes.pk)
    if minutes.is_public and source_hash(minutes_html(minutes)) == minutes.pdf_source_hash:
        return False
    old, storage = minutes.pdf.name, minutes.pdf.storage
    Minutes.objects.filter(pk=minutes.pk).update(pdf="", pdf_built_at=None, pdf_source_hash="")
    transaction.on_commit(lambda: storage.delete(old))
    return True


def schedule_minutes_pdf(minutes: Minutes) -> None:
    """Rebuild the PDF of public minutes once this transaction has committed, having
    withdrawn the old one at once if what the public may read has changed, and with it
    the next meeting's public pack if that prints them otherwise for confirmation."""
    from packs.services import packs_minutes_changed
    from search.services import search_index_meeting

    minutes_pdf_withdraw(minutes=minutes)
    # Whether or not this PDF was ever built: the pack prints the minutes afresh.
    packs_minutes_changed(minutes=minutes)
    search_index_meeting(meeting=minutes.meeting)
    if not minutes.is_public:
        return
    from scrutiny.queue import enqueue_on_commit

    from .tasks import build_minutes_pdf

    enqueue_on_commit(build_minutes_pdf, minutes.pk)


def minutes_pdf_build(*, minutes_id: int) -> bool:
    """Render the public minutes to PDF and store it, unless nothing has changed since
    the last build. Returns whether a new PDF was written."""
    from django.core.files.base import ContentFile

    from .pdf import minutes_html, render_pdf, source_hash

    minutes = Minutes.objects.select_related("meeting__committee", "signed_by").get(pk=minutes_id)
    if not minutes.is_public:
        return False
    html = minutes_html(minutes)
    digest = source_hash(html)
    if digest == minutes.pdf_source_hash and minutes.pdf:
        return False
    rendered = render_pdf(html)
    with transaction.atomic():
        # Rendering takes seconds: if the minutes changed meanwhile, this PDF says what
        # is no longer public. The change scheduled its own build; this one gives way.
        current = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting__committee", "signed_by")
            .get(pk=minutes_id)
        )
        if not current.is_public or source_hash(minutes_html(current)) != digest:
            return False
        previous = current.pdf.name if current.pdf else ""
        current.pdf.save("minutes.pdf", ContentFile(rendered), save=False)
        Minutes.objects.filter(pk=current.pk).update(
            pdf=current.pdf.name, pdf_built_at=timezone.now(), pdf_source_hash=digest
        )
        if previous and previous != current.pdf.name:
            storage = current.pdf.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return True
