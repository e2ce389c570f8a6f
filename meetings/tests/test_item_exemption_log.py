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


def test_an_item_added_as_exempt_is_logged_with_who_added_it(
    coordinator_client, coordinator, draft_meeting
):
    meeting = draft_meeting
    coordinator_client.post(
        reverse("meetings:item_add", kwargs={"meeting_pk": meeting.pk}),
        {
            "title": "Exempt item",
            "full_title": "Kestrel tasking",
            "is_exempt": "on",
            "exempt_paragraph": "7",
            "exempt_reason": "Crime prevention",
            "public_interest_reasoning": "Named offenders.",
        },
    )
    (row,) = AccessLog.objects.all()
    assert (row.event, row.user, row.what) == (
        AccessEvent.ITEM_ADDED_EXEMPT,
        coordinator,
        "Added to the exempt part (paragraph 7)",
    )
    assert row.item.full_title == "Kestrel tasking"


def test_a_supplementary_exempt_item_says_so_and_a_public_one_is_not_logged(
    draft_meeting, coordinator
):
    from django.utils import timezone

    from meetings.services import agenda_publish

    published_meeting = agenda_publish(meeting=draft_meeting, now=timezone.now())
    added = AccessLog.objects.filter(event=AccessEvent.ITEM_ADDED_EXEMPT)
    agenda_item_add(meeting=published_meeting, title="Late public item", by=coordinator)
    assert not added.exists()
    agenda_item_add(
        meeting=published_meeting,
        title="Exempt item",
        full_title="Late tasking",
        exempt_paragraph=3,
        exempt_reason="Confidence",
        by=coordinator,
    )
    (row,) = added
    assert row.what == "Added to the exempt part (a supplementary item, paragraph 3)"
