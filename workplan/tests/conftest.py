"""Fixtures the work programme tests share: meetings still to come, items on the plan,
and minutes whose resolutions ask for topics."""

import datetime

import pytest
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.models import Resolution
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from workplan.models import Category
from workplan.services import action_create, work_plan_item_add


def _meeting(committee, days: int):
    return meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        venue="Council Chamber",
    )


@pytest.fixture
def make_future_meeting():
    return _meeting


@pytest.fixture
def next_meeting(committee):
    """A draft meeting in about two months."""
    return _meeting(committee, 60)


@pytest.fixture
def later_meeting(committee):
    """A draft meeting in about eight months."""
    return _meeting(committee, 240)


@pytest.fixture
def make_plan_item(committee):
    def make(*, target_meeting=None, topic="Review of Safer Streets", user=None, **fields):
        fields.setdefault("category", Category.DISCRETIONARY)
        return work_plan_item_add(
            committee=fields.pop("committee", committee),
            user=user,
            topic=topic,
            target_meeting=target_meeting,
            **fields,
        )

    return make


@pytest.fixture
def held_meeting(committee):
    """A meeting held a week ago, its agenda published, its minutes published with a
    resolution asking for a topic (minute of "Performance"), and an exempt item whose
    exempt minute's resolution asks for another."""
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Performance")
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title="Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    minute_save(
        minute=minutes.entries.get(title="Performance"),
        user=None,
        based_on=1,
        title="Performance",
        text="Members discussed crime recording.",
        resolutions=[
            ResolutionInput("That the report be noted."),
            ResolutionInput(
                "That a presentation by a crime data expert be added to the Work Plan."
            ),
        ],
    )
    minute_save(
        minute=minutes.entries.get(item__title="Closed business"),
        user=None,
        based_on=1,
        title="Operation Nightjar",
        text="",
        resolutions=[ResolutionInput("That Operation Nightjar's informant be invited back.")],
        is_exempt=True,
        public_summary="A confidential matter was discussed.",
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    return meeting


@pytest.fixture
def resolution(held_meeting):
    return Resolution.objects.get(text__contains="crime data expert")


@pytest.fixture
def exempt_resolution(held_meeting):
    return Resolution.objects.get(text__contains="Nightjar")


@pytest.fixture
def make_action(coordinator):
    def make(resolution, *, due_in_days=14, **fields):
        fields.setdefault("description", "Officers to respond to Members on both points")
        fields.setdefault("owner_name", "Community Safety Manager")
        fields.setdefault("owner_email", "csm@dartford.gov.uk")
        return action_create(
            resolution=resolution,
            user=coordinator,
            due_date=timezone.localdate() + datetime.timedelta(days=due_in_days),
            **fields,
        )

    return make
