"""Reads of meetings."""

import datetime
import zoneinfo

import pytest

from meetings.models import MeetingStatus
from meetings.selectors import meeting_last

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(month: int, day: int, hour: int = 19, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2030, month, day, hour, minute, tzinfo=LONDON)


def test_a_committee_with_no_meetings_has_no_last_meeting(committee):
    assert meeting_last(committee=committee) is None


def test_the_last_meeting_is_the_latest_one_not_cancelled(committee, make_committee, make_meeting):
    make_meeting(committee=committee, starts_at=at(1, 9), venue="Committee Room 1")
    latest = make_meeting(
        committee=committee,
        starts_at=at(3, 13, 18, 30),
        status=MeetingStatus.DRAFT,
        venue="Council Chamber, Civic Centre",
    )
    make_meeting(
        committee=committee, starts_at=at(4, 10), status=MeetingStatus.CANCELLED, venue="Elsewhere"
    )
    make_meeting(committee=make_committee(), starts_at=at(5, 1), venue="Another committee's room")

    assert meeting_last(committee=committee) == latest
