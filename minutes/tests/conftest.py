"""Fixtures the minutes tests share."""

import datetime

import pytest
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create


@pytest.fixture
def meeting(committee):
    """A meeting held a week ago, its agenda published: a public item and an exempt one."""
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Council Chamber",
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_item_add(
        meeting=meeting,
        title="CSP Performance Report",
        full_title="Operation Nightjar performance",
        exempt_paragraph=7,
        exempt_reason="Crime",
    )
    return meeting
