"""A meeting's status is public: it says "Minutes in draft" only once the draft minutes
are published, never while they are being written or are with the Chairman."""

import datetime

import pytest

from meetings.models import MeetingStatus
from minutes.services import minutes_advance, minutes_prefill, minutes_update
from scrutiny.testing import ROLES, text_of

pytestmark = pytest.mark.django_db


def status_shown(client, meeting) -> tuple[str, str]:
    detail = text_of(client.get(f"/meetings/{meeting.pk}/"))
    listing = text_of(client.get("/meetings/"))
    return detail, listing


def test_starting_and_circulating_the_minutes_leaves_the_meeting_held(meeting):
    minutes = minutes_prefill(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    minutes_advance(minutes=minutes)  # circulated to the Chairman
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 0))
    minutes_advance(minutes=minutes)  # published as draft
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_no_one_is_told_of_minutes_before_they_are_published(request, role, meeting):
    client = request.getfixturevalue(role)
    minutes = minutes_prefill(meeting=meeting)
    for _ in range(2):  # being written, then with the Chairman
        for page in status_shown(client, meeting):
            assert "Held" in page
            assert "Minutes in draft" not in page
        minutes_advance(minutes=minutes)
        if minutes.closing_time is None:
            minutes_update(minutes=minutes, closing_time=datetime.time(21, 0))


@pytest.mark.parametrize("role", ROLES)
def test_published_draft_minutes_are_announced_to_everyone(request, role, meeting):
    client = request.getfixturevalue(role)
    minutes = minutes_prefill(meeting=meeting)
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 0))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    for page in status_shown(client, meeting):
        assert "Minutes in draft" in page


def test_meetings_marked_before_the_change_are_put_right(meeting, make_meeting, committee):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "minutes.migrations.0006_meeting_held_until_minutes_published"
    )
    minutes_prefill(meeting=meeting)
    published = make_meeting(committee=committee, status=MeetingStatus.AGENDA_PUBLISHED)
    published_minutes = minutes_prefill(meeting=published)
    minutes_update(minutes=published_minutes, closing_time=datetime.time(21, 0))
    minutes_advance(minutes=published_minutes)
    minutes_advance(minutes=published_minutes)
    type(meeting).objects.update(status=MeetingStatus.MINUTES_DRAFT)
    migration.held_until_published(apps, None)
    meeting.refresh_from_db()
    published.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert published.status == MeetingStatus.MINUTES_DRAFT
