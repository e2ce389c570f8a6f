"""Items taken together, minuted once (seed 003: item 12 with exempt item A)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaSection
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.services import (
    ResolutionInput,
    minute_combine,
    minute_save,
    minutes_prefill,
)

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def minutes(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2017, 7, 26, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    agenda_item_add(meeting=meeting, title="CSP Performance Report")
    agenda_item_add(meeting=meeting, title="Annual Report")
    agenda_item_add(
        meeting=meeting, title="Performance figures", exempt_paragraph=3, exempt_reason="x"
    )
    agenda_publish(meeting=meeting, confirm_past=True, now=timezone.now())
    return minutes_prefill(meeting=meeting)


def numbers(minutes):
    return [(m.order, m.number, m.title) for m in minutes.entries.order_by("order")]


def test_an_item_taken_with_another_has_no_minute_of_its_own(minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    annual = minutes.entries.get(title="Annual Report")
    minute_combine(minute=report, into=minutes.entries.get(title="Performance figures"))
    assert not minutes.entries.filter(pk=report.pk).exists()
    assert numbers(minutes)[5:] == [
        (6, 6, "Annual Report"),
        (7, 7, "Exclusion of the Press and Public"),
        (8, 8, "Performance figures"),
    ]
    annual.refresh_from_db()
    assert annual.item.title == "Annual Report"
    exempt = minutes.meeting.items.get(section=AgendaSection.EXEMPT)
    assert exempt.minutes.get().number == 8


def test_a_written_minute_is_not_thrown_away(minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    minute_save(
        minute=report,
        user=None,
        based_on=report.version,
        title=report.title,
        text="",
        resolutions=[ResolutionInput("That the report be noted.")],
    )
    with pytest.raises(ValidationError, match="has been written"):
        minute_combine(minute=report, into=minutes.entries.get(title="Annual Report"))
    assert minutes.entries.filter(pk=report.pk).exists()


def test_a_minute_is_combined_only_into_another_of_the_same_meeting(minutes, committee):
    report = minutes.entries.get(title="CSP Performance Report")
    with pytest.raises(ValidationError):
        minute_combine(minute=report, into=report)
    other = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2018, 2, 21, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    agenda_publish(meeting=other, confirm_past=True, now=timezone.now())
    elsewhere = minutes_prefill(meeting=other).entries.first()
    with pytest.raises(ValidationError):
        minute_combine(minute=report, into=elsewhere)
