"""Fixtures the work programme tests share: meetings still to come, items on the plan,
and minutes whose resolutions ask for topics."""

import datetime

import pytest
from django.utils import timezone

from meetings.services import meeting_create
from minutes.models import Resolution
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
