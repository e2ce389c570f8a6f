"""An item moved between the public and exempt parts of its agenda, or given another
exempt paragraph, goes into the committee's exempt access log, named by its public
title."""

import pytest
from django.urls import reverse

from exempt.models import AccessEvent, AccessLog
from meetings.services import agenda_item_add, agenda_item_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(draft_meeting):
    return agenda_item_add(meeting=draft_meeting, title="Assessment")


def test_each_change_of_exemption_is_logged_once(item, coordinator):
    meeting = item.meeting
    agenda_item_update(
        item=item,
        by=coordinator,
        full_title="Assessment of Operation Nightjar",
        exempt_paragraph=3,
        exempt_reason="Confidence",
        public_interest_reasoning="Named suspects.",
    )
    agenda_item_update(item=item, by=coordinator, exempt_paragraph=7)
    agenda_item_update(item=item, by=coordinator, purpose="To note.")  # not the exemption
    agenda_item_update(item=item, by=coordinator, exempt_paragraph=None)
    rows = list(AccessLog.objects.order_by("at", "pk"))
    assert [(r.event, r.what) for r in rows] == [
        (
            AccessEvent.ITEM_MADE_EXEMPT,
            "Public part \u2192 exempt part (paragraph 3) for the item",
        ),
        (AccessEvent.ITEM_PARAGRAPH, "Exempt paragraph 3 \u2192 7 for the item"),
        (
            AccessEvent.ITEM_MADE_PUBLIC,
            "Exempt part (paragraph 7) \u2192 public part for the item",
        ),
    ]
    for row in rows:
        assert (row.user, row.committee, row.meeting, row.item) == (
            coordinator,
            meeting.committee,
            meeting,
            item,
        )


def test_the_item_form_names_the_coordinator(coordinator_client, coordinator, item):
    coordinator_client.post(
        reverse("meetings:item_edit", kwargs={"meeting_pk": item.meeting_id, "pk": item.pk}),
        {
            "title": "Assessment",
            "full_title": "Assessment of Operation Nightjar",
            "purpose": "To note.",
            "is_exempt": "on",
            "exempt_paragraph": "3",
            "exempt_reason": "Confidence",
            "public_interest_reasoning": "Named suspects.",
        },
    )
    (row,) = AccessLog.objects.all()
    assert (row.event, row.user) == (AccessEvent.ITEM_MADE_EXEMPT, coordinator)
