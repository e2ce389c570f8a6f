"""The demo's minutes: those of 26 July 2017 as seed 003 records them, confirmed by
item 3 of 21 February 2018."""

import datetime
import json
from pathlib import Path

from meetings.models import AgendaSection, ItemKind, Meeting
from scrutiny.models import Person

from .models import AttendanceCapacity, AttendanceStatus, MinutesStatus
from .services import (
    ResolutionInput,
    attendance_record,
    minute_move,
    minute_save,
    minutes_advance,
    minutes_confirm,
    minutes_prefill,
    minutes_update,
)

MINUTES_FILE = Path(__file__).parent / "demo_data" / "minutes_2017_07_26.json"

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
    """The exclusion and the exempt CSP Performance Report were taken after item 11,
    before the last three public items: they are minutes 12 and 13."""
    minute_move(minute=minutes.entries.get(item__kind=ItemKind.EXCLUSION), offset=-3)
    minute_move(minute=minutes.entries.get(item__section=AgendaSection.EXEMPT), offset=-3)


def load_minutes(*, meetings: list[Meeting], people: dict[str, Person]) -> None:
    july = _meeting_on(meetings, datetime.date(2017, 7, 26))
    february = _meeting_on(meetings, datetime.date(2018, 2, 21))
    if hasattr(july, "minutes") and july.minutes.status == MinutesStatus.CONFIRMED:
        return
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


def _existing_note(meeting, person) -> str:
    row = meeting.attendances.filter(person=person).first()
    return row.role_note if row else ""
