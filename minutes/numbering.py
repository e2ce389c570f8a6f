"""Minute numbers: the one place that numbers minutes.

Minutes are numbered per committee, in the order items were taken, either
continuously or restarting at 1 each municipal year. The municipal year runs from
the annual meeting of the council in May; the first of May is taken as its start.
"""

import datetime

from django.utils import timezone

from scrutiny.models import MinuteNumbering

MUNICIPAL_YEAR_STARTS = (5, 1)  # 1 May


def municipal_year_start(day: datetime.date) -> datetime.date:
    month, first = MUNICIPAL_YEAR_STARTS
    start = datetime.date(day.year, month, first)
    return start if day >= start else start.replace(year=day.year - 1)


def municipal_year_label(day: datetime.date) -> str:
    start = municipal_year_start(day)
    return f"{start.year}-{(start.year + 1) % 100:02d}"


def numbering_year(meeting) -> int:
    """The year a meeting's minute numbers count in: the start of its municipal year, or
    0 for a committee that numbers continuously."""
    if meeting.committee.minute_numbering == MinuteNumbering.CONTINUOUS:
        return 0
    return municipal_year_start(timezone.localdate(meeting.starts_at)).year


def number_in_date_order(sets: list[tuple[bool, list]], *, first: int) -> dict:
    """Numbers for the minutes of several meetings, given in the meetings' date order as
    (confirmed, [(minute id, its number now), ... in the order taken]). Confirmed minutes
    keep their numbers (they are signed); the others follow on in date order from
    `first`, never taking a number a confirmed minute holds. Returns {minute id: number}
    for the unconfirmed ones."""
    taken = {number for confirmed, minutes in sets if confirmed for _, number in minutes}
    numbers = {}
    next_number = first
    for confirmed, minutes in sets:
        if confirmed:
            held = [number for _, number in minutes if number is not None]
            next_number = max([next_number, *(n + 1 for n in held)])
            continue
        for minute_id, _ in minutes:
            while next_number in taken:
                next_number += 1
            numbers[minute_id] = next_number
            next_number += 1
    return numbers


def numbering_window(meeting) -> datetime.datetime | None:
    """The moment from which this meeting's committee counts its minutes: the start of
    the meeting's municipal year, or None for continuous numbering."""
    if meeting.committee.minute_numbering == MinuteNumbering.CONTINUOUS:
        return None
    start = municipal_year_start(timezone.localdate(meeting.starts_at))
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
