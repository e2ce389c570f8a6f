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


def numbering_window(meeting) -> datetime.datetime | None:
    """The moment from which this meeting's committee counts its minutes: the start of
    the meeting's municipal year, or None for continuous numbering."""
    if meeting.committee.minute_numbering == MinuteNumbering.CONTINUOUS:
        return None
    start = municipal_year_start(timezone.localdate(meeting.starts_at))
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
