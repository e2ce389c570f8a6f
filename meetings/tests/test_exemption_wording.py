"""The council's own words for the grounds of excluding the press and public."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaSection, ExemptionWording, MeetingStatus
from meetings.services import (
    agenda_item_add,
    agenda_item_update,
    agenda_publish,
    exemption_wording_set,
)

pytestmark = pytest.mark.django_db

DARTFORD = "information supplied to the Council in confidence"
STATUTORY = "exempt information as defined in paragraph 3 of Part 1 of Schedule 12A of the Act."


def exclusion_of(meeting) -> str:
    return meeting.items.get(section=AgendaSection.EXCLUSION).purpose


def add_exempt_item(meeting, paragraph=3):
    return agenda_item_add(
        meeting=meeting, title="Appendix", exempt_paragraph=paragraph, exempt_reason="Confidence"
    )


def test_without_a_wording_the_resolution_cites_schedule_12a(draft_meeting):
    add_exempt_item(draft_meeting)
    assert exclusion_of(draft_meeting).endswith(f"the likely disclosure of {STATUTORY}")


def test_the_councils_wording_replaces_the_paragraph_it_words(draft_meeting):
    exemption_wording_set(paragraph=3, wording=f"  {DARTFORD}.  ")
    add_exempt_item(draft_meeting)
    add_exempt_item(draft_meeting, paragraph=7)
    resolution = exclusion_of(draft_meeting)
    assert resolution.endswith(
        "they involve the likely disclosure of exempt information as defined in paragraph 7 "
        f"of Part 1 of Schedule 12A of the Act and {DARTFORD}."
    )
    assert ExemptionWording.objects.get().wording == DARTFORD


def test_a_new_wording_reaches_draft_agendas_but_not_published_ones(
    draft_meeting, make_meeting, committee
):
    add_exempt_item(draft_meeting)
    published = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    add_exempt_item(published)
    agenda_publish(meeting=published, now=timezone.now())
    as_published = exclusion_of(published)
    exemption_wording_set(paragraph=3, wording=DARTFORD)
    assert exclusion_of(draft_meeting).endswith(f"the likely disclosure of {DARTFORD}.")
    assert exclusion_of(published) == as_published
    # Cleared, the paragraph is cited as the Act defines it again.
    assert exemption_wording_set(paragraph=3, wording="") is None
    assert exclusion_of(draft_meeting).endswith(STATUTORY)
    assert not ExemptionWording.objects.exists()


def test_a_wording_is_kept_to_a_line(draft_meeting):
    with pytest.raises(ValidationError):
        exemption_wording_set(paragraph=3, wording="x" * 301)


def test_a_superuser_words_it_in_the_admin(draft_meeting, make_user, verified_client_for):
    add_exempt_item(draft_meeting)
    admin = verified_client_for(make_user(is_staff=True, is_superuser=True))
    response = admin.post(
        "/admin/meetings/exemptionwording/add/", {"paragraph": "3", "wording": DARTFORD}
    )
    assert response.status_code == 302
    assert exclusion_of(draft_meeting).endswith(f"the likely disclosure of {DARTFORD}.")
    saved = ExemptionWording.objects.get()
    page = admin.get(f"/admin/meetings/exemptionwording/{saved.pk}/change/")
    assert page.status_code == 200
    assert DARTFORD in page.content.decode()


def published_with_exempt_item(make_meeting, committee):
    meeting = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    item = add_exempt_item(meeting)
    agenda_publish(meeting=meeting, now=timezone.now())
    return meeting, item


@pytest.mark.parametrize("status", [MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD])
def test_editing_an_exempt_item_keeps_the_published_resolution(make_meeting, committee, status):
    meeting, item = published_with_exempt_item(make_meeting, committee)
    meeting.status = status
    meeting.save(update_fields=["status"])
    as_published = exclusion_of(meeting)
    exemption_wording_set(paragraph=3, wording=DARTFORD)
    agenda_item_update(item=item, title="Appendix A (corrected)", exempt_reason="In confidence")
    add_public_item = agenda_item_add(meeting=meeting, title="Late public report")
    agenda_item_update(item=add_public_item, purpose="To note.")
    assert exclusion_of(meeting) == as_published


def test_a_published_resolution_is_reworded_when_what_it_resolves_changes(make_meeting, committee):
    meeting, item = published_with_exempt_item(make_meeting, committee)
    exemption_wording_set(paragraph=3, wording=DARTFORD)
    # Another paragraph: the resolution must name it, so it is worded afresh.
    agenda_item_update(item=item, exempt_paragraph=7)
    assert "paragraph 7 of Part 1" in exclusion_of(meeting)
    # Another item: "the following items", in the wording in force now.
    add_exempt_item(meeting)
    resolution = exclusion_of(meeting)
    assert "following items of business" in resolution
    assert resolution.endswith(f"Schedule 12A of the Act and {DARTFORD}.")


def test_deleting_a_wording_in_the_admin_returns_draft_agendas_to_the_act(
    draft_meeting, make_user, verified_client_for
):
    add_exempt_item(draft_meeting)
    saved = exemption_wording_set(paragraph=3, wording=DARTFORD)
    admin = verified_client_for(make_user(is_staff=True, is_superuser=True))
    response = admin.post(f"/admin/meetings/exemptionwording/{saved.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ExemptionWording.objects.exists()
    assert exclusion_of(draft_meeting).endswith(STATUTORY)


def test_deleting_wordings_in_bulk_in_the_admin_returns_draft_agendas_to_the_act(
    draft_meeting, make_user, verified_client_for
):
    add_exempt_item(draft_meeting)
    add_exempt_item(draft_meeting, paragraph=7)
    first = exemption_wording_set(paragraph=3, wording=DARTFORD)
    second = exemption_wording_set(paragraph=7, wording="information about crime prevention")
    admin = verified_client_for(make_user(is_staff=True, is_superuser=True))
    response = admin.post(
        "/admin/meetings/exemptionwording/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ExemptionWording.objects.exists()
    assert exclusion_of(draft_meeting).endswith(
        "exempt information as defined in paragraphs 3 and 7 of Part 1 of Schedule 12A of the Act."
    )
