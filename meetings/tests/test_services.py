import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaItem, AgendaSection, ItemKind, MeetingStatus
from meetings.services import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    agenda_publish,
    meeting_create,
)
from scrutiny.testing import numbered_agenda

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def meeting(draft_meeting):
    return draft_meeting


agenda = numbered_agenda


def test_new_meeting_starts_with_the_standard_items_in_order(meeting):
    assert [item.kind for item in meeting.items.order_by("position")] == [
        ItemKind.APOLOGIES,
        ItemKind.DECLARATIONS,
        ItemKind.MINUTES,
        ItemKind.URGENT,
        ItemKind.REFERENCES,
    ]
    assert meeting.status == MeetingStatus.DRAFT
    assert "declarations of interest" in meeting.items.get(kind=ItemKind.DECLARATIONS).purpose


def test_minutes_item_links_the_previous_published_meeting(committee, make_meeting):
    previous = make_meeting(committee=committee, starts_at=at(2029, 7, 26, 19))
    make_meeting(committee=committee, starts_at=at(2029, 9, 1, 19), status=MeetingStatus.CANCELLED)
    meeting = meeting_create(committee=committee, starts_at=at(2030, 2, 20, 19), venue="Chamber")
    minutes = meeting.items.get(kind=ItemKind.MINUTES)
    assert minutes.previous_meeting == previous
    assert minutes.title == "Confirmation of the Minutes of the meeting held on 26 July 2029"


def test_items_are_numbered_in_public_and_lettered_in_the_exempt_part(meeting):
    agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_item_add(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        exempt_paragraph=3,
        exempt_reason="Supplied in confidence",
    )
    agenda_item_add(meeting=meeting, title="Next Meeting")
    agenda_item_add(
        meeting=meeting, title="Legal advice", exempt_paragraph=5, exempt_reason="Privileged"
    )
    numbers = agenda(meeting)
    assert numbers[5:] == [
        ("6", "Regulation 9 Notice"),
        ("7", "Next Meeting"),
        ("", "Exclusion of the Press and Public"),
        ("A", "CSP Strategic Assessment 2017"),
        ("B", "Legal advice"),
    ]


def test_exclusion_item_follows_the_exempt_paragraphs_and_goes_when_they_do(meeting):
    first = agenda_item_add(
        meeting=meeting, title="Appendix", exempt_paragraph=3, exempt_reason="Confidence"
    )
    exclusion = meeting.items.get(section=AgendaSection.EXCLUSION)
    assert "paragraph 3 of Part 1 of Schedule 12A" in exclusion.purpose
    agenda_item_add(meeting=meeting, title="Crime data", exempt_paragraph=7, exempt_reason="Crime")
    exclusion.refresh_from_db()
    assert "paragraphs 3 and 7" in exclusion.purpose
    agenda_item_update(item=first, exempt_paragraph=None)  # made public
    exclusion.refresh_from_db()
    assert "paragraph 7 of" in exclusion.purpose
    first.refresh_from_db()
    assert first.section == AgendaSection.PUBLIC
    agenda_item_remove(item=meeting.items.get(title="Crime data"))
    assert not meeting.items.filter(section=AgendaSection.EXCLUSION).exists()


def test_exempt_item_needs_a_paragraph_and_a_reason(meeting):
    with pytest.raises(ValidationError) as error:
        agenda_item_add(meeting=meeting, title="Secret", exempt_paragraph=3, exempt_reason="")
    assert "Enter the reason the item is exempt" in str(error.value)
    assert not meeting.items.filter(title="Secret").exists()
    assert not meeting.items.filter(section=AgendaSection.EXCLUSION).exists()


def test_title_is_required(meeting):
    with pytest.raises(ValidationError, match="Enter the item's title"):
        agenda_item_add(meeting=meeting, title="   ")


def test_move_up_and_down_renumbers(meeting):
    item = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_item_move(item=item, offset=-1)
    assert agenda(meeting)[4:6] == [
        ("5", "Regulation 9 Notice"),
        ("6", "To consider references from other Committees (if any)"),
    ]
    agenda_item_move(item=item, offset=+1)
    assert agenda(meeting)[5] == ("6", "Regulation 9 Notice")
    agenda_item_move(item=item, offset=+1)  # already last: nothing changes
    assert agenda(meeting)[5] == ("6", "Regulation 9 Notice")


def test_remove_closes_the_gap(meeting):
    agenda_item_remove(item=meeting.items.get(kind=ItemKind.URGENT))
    assert [n for n, _ in agenda(meeting)] == ["1", "2", "3", "4"]
    assert list(meeting.items.values_list("position", flat=True).order_by("position")) == [
        1,
        2,
        3,
        4,
    ]


def test_publishing_with_five_clear_days_needs_no_reason(meeting):
    published = agenda_publish(meeting=meeting, now=at(2030, 2, 12, 9))
    assert published.status == MeetingStatus.AGENDA_PUBLISHED
    assert published.published_at == at(2030, 2, 12, 9)


def test_late_publication_needs_the_chairs_reason(meeting):
    with pytest.raises(ValidationError, match="4 clear days' notice, not 5"):
        agenda_publish(meeting=meeting, now=at(2030, 2, 13, 9))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    published = agenda_publish(
        meeting=meeting, now=at(2030, 2, 13, 9), late_reason="Report delayed by Kent Police."
    )
    assert published.late_publication_reason == "Report delayed by Kent Police."


def test_publishing_a_past_meeting_needs_confirmation(committee):
    past = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Chamber",
    )
    with pytest.raises(ValidationError, match="already taken place"):
        agenda_publish(meeting=past)
    assert agenda_publish(meeting=past, confirm_past=True).is_public


def test_items_added_after_publication_are_supplementary(meeting):
    agenda_publish(meeting=meeting, now=at(2030, 2, 1, 9))
    item = agenda_item_add(meeting=meeting, title="Urgent update")
    assert item.is_supplementary
    with pytest.raises(ValidationError, match="withdrawn"):
        agenda_item_remove(item=meeting.items.get(kind=ItemKind.APOLOGIES))
    agenda_item_remove(item=item)
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_minuted_supplementary_item_stays_on_the_record(meeting):
    """Its minute would otherwise lose the item that says whether it is exempt."""
    from minutes.services import minutes_prefill

    agenda_publish(meeting=meeting, now=at(2030, 2, 1, 9))
    item = agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title="Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    assert item.is_supplementary
    minutes_prefill(meeting=meeting)
    with pytest.raises(ValidationError, match="has a minute"):
        agenda_item_remove(item=item)
    assert item.minutes.get().item_id == item.pk
    # Nor can it be made public, which would publish its minute with it.
    with pytest.raises(ValidationError, match="stays exempt"):
        agenda_item_update(item=item, exempt_paragraph=None)
    item.refresh_from_db()
    assert item.is_exempt and item.full_title == "Operation Nightjar"


def test_a_minuted_exclusion_stays_when_its_exempt_item_goes(meeting):
    from minutes.models import Minute
    from minutes.services import minutes_prefill

    agenda_publish(meeting=meeting, now=at(2030, 2, 1, 9))
    item = agenda_item_add(
        meeting=meeting, title="Closed", exempt_paragraph=7, exempt_reason="Crime prevention"
    )
    minutes_prefill(meeting=meeting)
    exclusion = meeting.items.get(kind=ItemKind.EXCLUSION)
    Minute.objects.filter(item=item).delete()  # its minute taken with another
    agenda_item_remove(item=item)
    assert meeting.items.filter(pk=exclusion.pk).exists()
    assert Minute.objects.get(item=exclusion)


def test_publishing_twice_is_refused(meeting):
    agenda_publish(meeting=meeting, now=at(2030, 2, 1, 9))
    with pytest.raises(ValidationError, match="published already"):
        agenda_publish(meeting=meeting, now=at(2030, 2, 2, 9))
