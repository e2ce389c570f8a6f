"""The generated "Update: Work Programme" papers: Appendix A laid out as the council's
work plan, its covering report, and putting both on an agenda item."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.services import agenda_item_add
from papers.models import Document
from scrutiny.testing import pdf_text, text_of
from workplan.documents import (
    covering_report_content,
    work_plan_appendix,
    work_plan_papers_attach,
)
from workplan.services import work_plan_item_move, work_plan_item_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(make_plan_item, next_meeting, later_meeting):
    make_plan_item(
        target_meeting=next_meeting,
        topic="Recording of Kent Crime Data and Statistics",
        lead="Kent Police",
    )
    make_plan_item(
        target_meeting=next_meeting,
        topic="CSP Strategic Assessment",
        category="statutory",
        recurrence="annual",
    )
    make_plan_item(
        target_meeting=later_meeting,
        topic="PCP Update",
        category="standing",
        recurrence="every_meeting",
    )
    trading = make_plan_item(target_meeting=next_meeting, topic="KCC Trading Standards")
    work_plan_item_move(
        item=trading,
        user=None,
        to_meeting=later_meeting,
        postpone=True,
        reason="Postponed until the summer at the Chairman's request",
    )
    work_plan_item_withdraw(
        item=make_plan_item(target_meeting=next_meeting, topic="Dropped topic"),
        user=None,
        reason="No longer needed",
    )
    make_plan_item(topic="Gangs (Draw-Down)")


def test_the_appendix_groups_the_plan_by_meeting_as_the_council_lays_it_out(
    committee, planned, next_meeting, later_meeting
):
    appendix = work_plan_appendix(committee=committee, from_meeting=next_meeting)
    first, second = appendix.meetings
    assert " Meeting - " in first.heading
    assert "Recording of Kent Crime Data and Statistics [Kent Police]" in first.lines
    assert "Dropped topic" not in " ".join(first.lines)
    assert "KCC Trading Standards" in second.lines and "PCP Update" in second.lines
    assert appendix.to_schedule == ["Gangs (Draw-Down)"]
    assert appendix.statutory == ["CSP Strategic Assessment"]
    assert appendix.standing == ["PCP Update"]
    assert any(
        "KCC Trading Standards: postponed to" in change and "Chairman's request" in change
        for change in appendix.changes
    )
    # From the later meeting, the earlier one's items are left out.
    later = work_plan_appendix(committee=committee, from_meeting=later_meeting)
    assert len(later.meetings) == 1


def test_the_covering_report_follows_the_council_template(committee, planned, next_meeting):
    appendix = work_plan_appendix(committee=committee, from_meeting=next_meeting)
    content = covering_report_content(appendix, author="David Hook")
    assert content["summary"].startswith("1.1 To agree the contents and timeframe")
    assert content["recommendations"][0].startswith("That the updated Work Plan")
    assert "Appendix A to this report" in content["recommendations"][0]
    assert "KCC Trading Standards: postponed" in content["background"]
    assert content["appendices"] == [appendix.document_title]
    assert content["background_papers"][0]["author"] == "David Hook"


def test_the_papers_go_on_an_item_and_become_new_versions_when_generated_again(
    committee, planned, next_meeting, coordinator, make_plan_item
):
    item = agenda_item_add(meeting=next_meeting, title="Update - Committee Work Programme")
    report, appendix = work_plan_papers_attach(committee=committee, item=item, user=coordinator)
    assert report.is_report and not report.is_exempt
    assert "Updated Work Plan for the Remainder of" in pdf_text(appendix.current_version.file)
    assert "Recording of Kent Crime Data and Statistics [Kent Police]" in pdf_text(
        appendix.current_version.file
    )
    make_plan_item(target_meeting=next_meeting, topic="A new topic")
    report, appendix = work_plan_papers_attach(committee=committee, item=item, user=coordinator)
    assert appendix.versions.count() == 2
    assert "A new topic" in pdf_text(appendix.current_version.file)
    assert Document.objects.filter(item=item).count() == 2
    # Without the report, only the appendix changes.
    _none, appendix = work_plan_papers_attach(
        committee=committee, item=item, user=coordinator, with_report=False
    )
    assert _none is None


def test_papers_are_refused_for_a_held_meeting_or_an_exempt_item(
    committee, planned, held_meeting, next_meeting
):
    with pytest.raises(ValidationError, match="has been held"):
        work_plan_papers_attach(
            committee=committee, item=held_meeting.items.get(title="Performance"), user=None
        )
    exempt = agenda_item_add(
        meeting=next_meeting, title="Closed", exempt_paragraph=3, exempt_reason="Contracts"
    )
    with pytest.raises(ValidationError, match="public item of business"):
        work_plan_papers_attach(committee=committee, item=exempt, user=None)


def test_the_appendix_page_and_pdf_are_public_and_the_form_is_the_coordinators(
    client, committee, planned, next_meeting, coordinator, member
):
    url = reverse("workplan:appendix", kwargs={"slug": committee.slug})
    page = text_of(client.get(url, {"from": next_meeting.pk}))
    assert "Recording of Kent Crime Data and Statistics [Kent Police]" in page
    assert "Put it on an agenda" not in page
    pdf = client.get(reverse("workplan:appendix_pdf", kwargs={"slug": committee.slug}))
    assert pdf["Content-Type"] == "application/pdf"
    item = agenda_item_add(meeting=next_meeting, title="Update - Work Programme")
    assert client.post(url, {"item": item.pk}).status_code == 302  # to sign in
    client.force_login(member)
    assert client.post(url, {"item": item.pk}).status_code == 403
    assert not item.documents.exists()
    client.force_login(coordinator)
    assert "Put it on an agenda" in text_of(client.get(url))
    response = client.post(url, {"item": "nonsense"})
    assert "Select an agenda item from the list" in response.content.decode()
    response = client.post(url, {"item": item.pk, "with_report": "on"}, follow=True)
    assert "The covering report and Appendix A are on item" in text_of(response)
    assert item.documents.count() == 2
