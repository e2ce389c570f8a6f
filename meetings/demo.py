"""The demo meetings from the seed papers."""

import datetime
import zoneinfo

from scrutiny.models import Committee

from .models import Meeting, MeetingStatus

LONDON = zoneinfo.ZoneInfo("Europe/London")

# The seeds name the Council Chamber (minute 12 of 26 July 2017) but not the
# start time; 7.00 pm fits a meeting that closed at 9.25 pm after 16 items.
VENUE = "Council Chamber, Civic Centre, Home Gardens, Dartford"


def _at(year, month, day, hour=19, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# (start, status, publication): publication is the latest date that gave five
# clear days' notice, as the council's practice is to publish on that day.
MEETINGS = [
    (_at(2017, 7, 26), MeetingStatus.MINUTES_CONFIRMED, _at(2017, 7, 18, 9)),
    (_at(2018, 2, 21), MeetingStatus.HELD, _at(2018, 2, 13, 9)),
]


def load_meetings(*, committee: Committee) -> list[Meeting]:
    meetings = []
    for starts_at, status, published_at in MEETINGS:
        meeting, _ = Meeting.objects.update_or_create(
            committee=committee,
            starts_at=starts_at,
            defaults={"venue": VENUE, "status": status, "published_at": published_at},
        )
        meetings.append(meeting)
    return meetings
