"""PDFs without tags for screen readers: accepted, marked on upload, and counted on
the meeting page and the agenda builder with what to do about them."""

import pytest
from django.urls import reverse

from papers.models import Document
from papers.selectors import untagged_papers
from papers.services import document_replace
from scrutiny.testing import client_for, ooxml_bytes, tagged_pdf, text_of, untagged_pdf, upload

pytestmark = pytest.mark.django_db

ADVICE = "This PDF is not tagged for screen readers"


@pytest.fixture
def item(committee, make_meeting, make_item):
    return make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")


def _upload(client, item, title, content, name="paper.pdf"):
    return client.post(
        reverse("papers:upload", args=[item.pk]),
        {"title": title, "file": upload(content, name)},
        follow=True,
    )


def test_an_untagged_pdf_is_accepted_with_the_advice(coordinator_client, item):
    page = text_of(_upload(coordinator_client, item, "Scanned letter", untagged_pdf("Letter")))
    version = Document.objects.get(title="Scanned letter").current_version
    assert version.pdf_tagged is False and version.is_untagged_pdf
    assert f"\u201cScanned letter\u201d uploaded. {ADVICE}" in page
    assert "ask its author for an accessible version" in page


def test_a_tagged_pdf_is_accepted_without_it(coordinator_client, item):
    page = text_of(_upload(coordinator_client, item, "Forward plan", tagged_pdf("Forward plan")))
    version = Document.objects.get(title="Forward plan").current_version
    assert version.pdf_tagged is True and not version.is_untagged_pdf
    assert "\u201cForward plan\u201d uploaded." in page
    assert ADVICE not in page


def test_office_files_are_checked_once_converted(coordinator_client, item):
    _upload(coordinator_client, item, "Slides", ooxml_bytes("pptx"), "slides.pptx")
    version = Document.objects.get(title="Slides").current_version
    assert version.pdf_tagged is None and not version.is_untagged_pdf


def test_a_new_tagged_version_clears_the_mark(coordinator, item, make_document):
    document = make_document(item=item, title="Scanned letter")  # pypdf: untagged
    assert document.current_version.is_untagged_pdf
    document_replace(
        document=document,
        uploaded_file=upload(tagged_pdf("Letter")),
        user=coordinator,
        change_note="The accessible version",
    )
    document.refresh_from_db()
    assert document.current_version.pdf_tagged is True


def test_the_meeting_page_counts_untagged_papers_for_each_reader(
    item, make_item, make_document, coordinator, member, client
):
    make_document(item=item, title="Scanned letter")
    exempt = make_item(
        meeting=item.meeting,
        title="Exempt item",
        full_title="Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    make_document(item=exempt, title="Nightjar tasking plan")
    url = item.meeting.get_absolute_url()
    public = text_of(client.get(url))
    assert "1 paper not tagged for screen readers" in public
    assert "\u201cScanned letter\u201d" in public
    assert "Nightjar" not in public  # an exempt paper is not named, nor counted
    assert "email Member Services" in public
    entitled = text_of(client_for(member).get(url))
    assert "2 papers not tagged for screen readers" in entitled
    assert "\u201cNightjar tasking plan\u201d" in entitled
    builder = text_of(
        client_for(coordinator).get(reverse("meetings:agenda_builder", args=[item.meeting.pk]))
    )
    assert "2 papers not tagged for screen readers" in builder
    assert "Ask their authors for an accessible version" in builder


def test_no_notice_when_every_paper_is_tagged(item, coordinator, client):
    from papers.services import document_upload

    document_upload(
        item=item, title="Forward plan", uploaded_file=upload(tagged_pdf("Plan")), user=coordinator
    )
    assert "not tagged for screen readers" not in text_of(
        client.get(item.meeting.get_absolute_url())
    )


def test_untagged_papers_are_listed_in_agenda_order(item, make_item, make_document, member):
    from meetings.selectors import agenda_item_list

    later = make_item(meeting=item.meeting, title="Later item")
    make_document(item=later, title="Second")
    make_document(item=item, title="First")
    items = agenda_item_list(meeting=item.meeting, user=member)
    assert [d.title for d in untagged_papers(items)] == ["First", "Second"]
