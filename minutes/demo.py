"""The demo's minutes: those of 26 July 2017 as seed 003 records them, confirmed by
item 3 of 21 February 2018, and those of 21 February 2018 published as draft with
seed 002's minute of item 10."""

import datetime
import json
from pathlib import Path

from meetings.models import AgendaSection, ItemKind, Meeting
from scrutiny.models import Person

from .models import AttendanceCapacity, AttendanceStatus, Minutes, MinutesStatus
from .services import (
    ResolutionInput,
    attendance_record,
    minute_combine,
    minute_move,
    minute_save,
    minutes_advance,
    minutes_confirm,
    minutes_prefill,
    minutes_update,
)

MINUTES_FILE = Path(__file__).parent / "demo_data" / "minutes_2017_07_26.json"
FEBRUARY_MINUTES_FILE = Path(__file__).parent / "demo_data" / "minutes_2018_02_21.json"

# The register of 26 July 2017 beyond the membership (seed 003): who else attended.
JULY_2017_ATTENDANCE = [
    # (person key, capacity, status, note shown after the name, Cabinet portfolio)
    ("lees", AttendanceCapacity.MEMBER, AttendanceStatus.ABSENT, "", ""),
    (
        "allen",
        AttendanceCapacity.INVITEE,
        AttendanceStatus.PRESENT,
        "Invitee",
        "Portfolio Holder for Community Development",
    ),
    ("hammock", AttendanceCapacity.INVITEE, AttendanceStatus.PRESENT, "Invitee", ""),
    ("green", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("salisbury", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("henley", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("kirnon", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("morgan", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("ransley", AttendanceCapacity.OFFICER, AttendanceStatus.PRESENT, "", ""),
    ("woodward", AttendanceCapacity.GUEST, AttendanceStatus.PRESENT, "", ""),
    (
        "matthews",
        AttendanceCapacity.GUEST,
        AttendanceStatus.PRESENT,
        "DA Commissioning Officer, KCC",
        "",
    ),
]


def _meeting_on(meetings, day: datetime.date) -> Meeting:
    return next(m for m in meetings if m.starts_at.date() == day)


def _take_in_seed_order(minutes) -> None:
    """Item 12, the CSP Performance Report, was taken in closed session together with
    exempt item A, after the exclusion: minute 12 is the exclusion, minute 13 the report
    with its appendix, and the last three public items follow."""
    report = minutes.entries.get(item__title="CSP Performance Report")
    minute_combine(minute=minutes.entries.get(item__section=AgendaSection.EXEMPT), into=report)
    minute_move(minute=minutes.entries.get(item__kind=ItemKind.EXCLUSION), offset=-4)


def load_minutes(*, meetings: list[Meeting], people: dict[str, Person]) -> None:
    july = _meeting_on(meetings, datetime.date(2017, 7, 26))
    february = _meeting_on(meetings, datetime.date(2018, 2, 21))
    if not Minutes.objects.filter(meeting=july, status=MinutesStatus.CONFIRMED).exists():
        _load_july_2017(july, february, people)
    if not Minutes.objects.filter(meeting=february, status=MinutesStatus.PUBLISHED).exists():
        _load_february_2018(february)


def _load_july_2017(july: Meeting, february: Meeting, people: dict[str, Person]) -> None:
    record = json.loads(MINUTES_FILE.read_text(encoding="utf-8"))["minutes"]
    minutes = minutes_prefill(meeting=july)
    _take_in_seed_order(minutes)
    for entry, seed in zip(minutes.entries.order_by("order"), record, strict=True):
        if entry.number != seed["number"]:
            raise RuntimeError(f"Minute {entry.number} would carry the text of {seed['number']}")
        minute_save(
            minute=entry,
            user=None,
            based_on=entry.version,
            title=seed["heading"],
            text=seed["text"],
            resolutions=[ResolutionInput(text) for text in seed["resolutions"]],
            note="From the signed minutes",
        )
    for key, capacity, status, note, portfolio in JULY_2017_ATTENDANCE:
        attendance_record(
            meeting=july,
            person=people[key],
            capacity=capacity,
            status=status,
            role_note=note or _existing_note(july, people[key]),
            portfolio=portfolio,
        )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(
        minutes=minutes, now=datetime.datetime(2017, 8, 2, 9, tzinfo=july.starts_at.tzinfo)
    )
    # Item 3 of 21 February 2018 confirmed them.
    february_minutes = minutes_prefill(meeting=february)
    confirmation = february_minutes.entries.get(item__kind=ItemKind.MINUTES)
    minutes_confirm(minute=confirmation)


def _load_february_2018(february: Meeting) -> None:
    """Seed 002's minute of item 10, published as draft minutes for the next meeting to
    confirm; the co-ordinator has the other minutes still to write."""
    minutes = minutes_prefill(meeting=february)
    for seed in json.loads(FEBRUARY_MINUTES_FILE.read_text(encoding="utf-8"))["minutes"]:
        entry = minutes.entries.get(item__title=seed["item"])
        minute_save(
            minute=entry,
            user=None,
            based_on=entry.version,
            title=seed["heading"],
            text=seed["text"],
            resolutions=[ResolutionInput(text) for text in seed["resolutions"]],
            note="From the published minute",
        )
    # The seeds give neither the time the meeting closed nor the day its minutes were
    # published: 9.15 pm, and a week later as in July 2017, are the demo's own.
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 15))
    minutes_advance(minutes=minutes)
    minutes_advance(
        minutes=minutes, now=datetime.datetime(2018, 2, 28, 9, tzinfo=february.starts_at.tzinfo)
    )


def _existing_note(meeting, person) -> str:
    row = meeting.attendances.filter(person=person).first()
    return row.role_note if row else ""
