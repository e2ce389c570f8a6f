"""Agenda items whose origin was typed become work plan items linked to them."""

from importlib import import_module

import pytest
from django.apps import apps

from meetings.models import ItemOrigin
from workplan.models import Category, Status, WorkPlanItem

pytestmark = pytest.mark.django_db

migration = import_module("workplan.migrations.0002_agenda_item_origins")


def test_typed_origins_become_linked_work_plan_items(make_item, next_meeting, later_meeting):
    from meetings.services import agenda_publish

    agenda_publish(meeting=next_meeting)
    on_a_draft = make_item(
        meeting=later_meeting,
        title="Draft business",
        origin=ItemOrigin.WORK_PROGRAMME,
        origin_detail="Work Programme",
    )
    draw_down = make_item(
        meeting=next_meeting,
        title="Unauthorised Encampments (Draw-Down)",
        purpose="To note the procedures",
        origin=ItemOrigin.DRAW_DOWN,
        origin_detail="Raised by the Lead Member for Enforcement",
    )
    planned = make_item(
        meeting=next_meeting,
        title="PCP Update",
        origin=ItemOrigin.WORK_PROGRAMME,
        origin_detail="Work Programme 2017-18 [Min. No. 15 refers]",
    )
    reference = make_item(
        meeting=next_meeting,
        title="Reference from Cabinet",
        origin=ItemOrigin.REFERENCE,
        origin_detail="Cabinet, Min. No. 4",
    )
    migration.forwards(apps, None)
    from_draw_down = WorkPlanItem.objects.get(agenda_item=draw_down)
    assert (from_draw_down.category, from_draw_down.requested_by, from_draw_down.status) == (
        Category.DRAW_DOWN,
        "Raised by the Lead Member for Enforcement",
        Status.ON_AGENDA,
    )
    assert from_draw_down.description == "To note the procedures"
    from_plan = WorkPlanItem.objects.get(agenda_item=planned)
    assert "Min. No. 15 refers" in from_plan.changes.get().reason
    for item in (draw_down, planned):
        item.refresh_from_db()
        assert (item.origin, item.origin_detail) == ("", "")
    # An item of a draft agenda waits, as the draft does.
    assert not WorkPlanItem.objects.filter(agenda_item=on_a_draft).exists()
    on_a_draft.refresh_from_db()
    assert on_a_draft.origin == ItemOrigin.WORK_PROGRAMME
    # A reference from another committee keeps its typed origin.
    reference.refresh_from_db()
    assert reference.origin == ItemOrigin.REFERENCE
    assert not WorkPlanItem.objects.filter(agenda_item=reference).exists()
