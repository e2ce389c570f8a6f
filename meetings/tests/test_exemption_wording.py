"""The council's own words for the grounds of excluding the press and public."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaSection, ExemptionWording, MeetingStatus
from meetings.services import agenda_item_add, agenda_publish, exemption_wording_set

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
