"""Papers: versions, covering reports, optimistic locking, report requests."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.law import ExemptParagraph
from meetings.models import ItemKind
from meetings.services import agenda_publish
from papers.models import Document, DocumentVersion, ReportRequestStatus
from papers.services import (
    default_report_deadline,
    document_remove,
    document_replace,
    document_upload,
    report_request_accept,
    report_request_create,
    report_request_return,
    report_request_submit,
    report_revise,
    report_write,
)
from scrutiny.testing import pdf_bytes, upload

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def meeting(draft_meeting):
    return draft_meeting


@pytest.fixture
def item(meeting, make_item):
    return make_item(meeting=meeting)


def test_upload_stores_version_one_under_a_name_that_hides_the_title(item, coordinator):
    document = document_upload(
        item=item,
        title="Named suspects list",
        uploaded_file=upload(pdf_bytes(4), "Named suspects list.pdf"),
        user=coordinator,
        is_exempt=True,
        exempt_paragraph=ExemptParagraph.CRIME,
    )
    version = document.current_version
    assert (version.number, version.format, version.page_count) == (1, "pdf", 4)
    assert version.original_name == "Named suspects list.pdf"
    assert "suspects" not in version.file.name.lower()
    assert version.file.name.startswith(f"papers/{item.meeting_id}/")
    assert document.is_restricted and document.restricted_paragraph == 7


def test_a_bad_upload_saves_nothing(item, coordinator):
    with pytest.raises(ValidationError):
        document_upload(
            item=item, title="Report", uploaded_file=upload(b"not a pdf"), user=coordinator
        )
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_exempt_document_on_a_public_item_needs_a_paragraph(item, coordinator):
    with pytest.raises(ValidationError) as refused:
        document_upload(
            item=item,
            title="Appendix",
            uploaded_file=upload(pdf_bytes()),
            user=coordinator,
            is_exempt=True,
        )
    assert refused.value.message_dict == {"exempt_paragraph": ["Select a Schedule 12A paragraph"]}


def test_documents_on_an_exempt_item_are_restricted_by_the_item(meeting, make_item, make_document):
    exempt_item = make_item(
        meeting=meeting, title="CSP Strategic Assessment", exempt_paragraph=3, exempt_reason="x"
    )
    document = make_document(item=exempt_item)
    assert document.is_exempt is False
    assert document.is_restricted
    assert document.restricted_paragraph == 3


def test_replacing_keeps_every_version(item, make_document, coordinator):
    document = make_document(item=item, pages=2)
    document_replace(
        document=document,
        uploaded_file=upload(pdf_bytes(5)),
        user=coordinator,
        change_note="Corrected table 2",
    )
    document.refresh_from_db()
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.page_count) for v in versions] == [(1, 2), (2, 5)]
    assert document.current_version == versions[1]
    assert versions[1].change_note == "Corrected table 2"
    assert versions[0].file.read() != versions[1].file.read()


def test_replacing_needs_a_note_of_what_changed(item, make_document, coordinator):
    document = make_document(item=item)
    with pytest.raises(ValidationError) as refused:
        document_replace(
            document=document, uploaded_file=upload(pdf_bytes()), user=coordinator, change_note=" "
        )
    assert refused.value.message_dict == {"change_note": ["Enter what has changed in this version"]}
    assert document.versions.count() == 1


def test_covering_report_is_stored_as_sections(item, coordinator, report_content):
    document = report_write(
        item=item, title="Performance Report", content=report_content, user=coordinator
    )
    report = document.current_version.report
    assert document.is_report
    assert report["recommendations"] == [
        "That the Committee notes the report.",
        "That officers report back.",
    ]
    assert report["implications"]["financial"] == "None"
    assert report["implications"]["risk"].startswith("Any reduction")


def test_covering_report_needs_a_summary_and_a_recommendation(item, coordinator, report_content):
    report_content.update(summary=" ", recommendations="\n")
    with pytest.raises(ValidationError) as refused:
        report_write(item=item, title="Report", content=report_content, user=coordinator)
    assert refused.value.message_dict == {
        "summary": ["Enter the summary of the report"],
        "recommendations": ["Enter at least one recommendation"],
    }
    assert not Document.objects.exists()


def test_two_editors_never_overwrite_each_other(item, coordinator, report_content):
    document = report_write(item=item, title="Report", content=report_content, user=coordinator)
    first = dict(report_content, summary="First editor's summary.")
    second = dict(report_content, summary="Second editor's summary.")
    report_revise(document=document, content=first, user=coordinator, change_note="a", based_on=1)
    with pytest.raises(ValidationError) as conflict:
        report_revise(
            document=document, content=second, user=coordinator, change_note="b", based_on=1
        )
    assert "Someone else saved version 2" in conflict.value.messages[0]
    document.refresh_from_db()
    assert document.current_version.report["summary"] == "First editor's summary."
    assert document.versions.count() == 2


def test_published_papers_are_replaced_not_removed(meeting, item, make_document, make_item):
    draft_paper = make_document(item=item, title="Early draft")
    document_remove(document=draft_paper)
    assert not Document.objects.filter(pk=draft_paper.pk).exists()
    published_paper = make_document(item=item, title="Appendix A")
    agenda_publish(meeting=meeting, now=timezone.now())
    with pytest.raises(ValidationError) as refused:
        document_remove(document=published_paper)
    assert "Upload a new version instead" in refused.value.messages[0]


def test_report_deadline_defaults_to_ten_working_days_before(item):
    # Wednesday 20 February 2030: ten working days back is Wednesday 6 February.
    assert default_report_deadline(item) == datetime.date(2030, 2, 6)


def test_request_accept_puts_the_officers_paper_on_the_agenda(item, officer, coordinator):
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    assert request.deadline == datetime.date(2030, 2, 6)
    assert request.status == ReportRequestStatus.REQUESTED
    document = document_upload(
        item=item, title="Report", uploaded_file=upload(pdf_bytes()), user=officer, is_draft=True
    )
    report_request_submit(request=request, document=document)
    request.refresh_from_db()
    assert request.status == ReportRequestStatus.SUBMITTED
    report_request_accept(request=request, version=1)
    request.refresh_from_db()
    document.refresh_from_db()
    assert request.status == ReportRequestStatus.ACCEPTED
    assert document.is_draft is False


def test_sending_back_needs_a_comment_and_reopens_the_request(item, officer, coordinator):
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    document = document_upload(
        item=item, title="Report", uploaded_file=upload(pdf_bytes()), user=officer, is_draft=True
    )
    report_request_submit(request=request, document=document)
    with pytest.raises(ValidationError):
        report_request_return(request=request, comment="  ")
    report_request_return(request=request, comment="Add the June figures")
    request.refresh_from_db()
    assert request.status == ReportRequestStatus.RETURNED
    assert request.is_outstanding
    assert request.comment == "Add the June figures"
    with pytest.raises(ValidationError):
        report_request_accept(request=request, version=1)


def test_requests_go_to_officers_before_the_meeting(item, councillor, officer, coordinator):
    with pytest.raises(ValidationError) as refused:
        report_request_create(item=item, officer=councillor, requested_by=coordinator)
    assert "officer" in refused.value.message_dict
    with pytest.raises(ValidationError) as late:
        report_request_create(
            item=item,
            officer=officer,
            requested_by=coordinator,
            deadline=datetime.date(2030, 2, 21),
        )
    assert late.value.message_dict == {"deadline": ["The deadline must be before the meeting"]}
    report_request_create(item=item, officer=officer, requested_by=coordinator)
    with pytest.raises(ValidationError) as twice:
        report_request_create(item=item, officer=officer, requested_by=coordinator)
    assert "already been asked" in twice.value.messages[0]


def test_overdue_is_an_outstanding_request_past_its_deadline(item, officer, coordinator):
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    assert not request.is_overdue(today=datetime.date(2030, 2, 6))
    assert request.is_overdue(today=datetime.date(2030, 2, 7))
    request.status = ReportRequestStatus.SUBMITTED
    assert not request.is_overdue(today=datetime.date(2030, 2, 7))


def test_papers_never_attach_to_the_exclusion_item(meeting, make_item, coordinator):
    make_item(meeting=meeting, title="Exempt", exempt_paragraph=1, exempt_reason="x")
    exclusion = meeting.items.get(kind=ItemKind.EXCLUSION)
    with pytest.raises(ValidationError):
        document_upload(
            item=exclusion, title="X", uploaded_file=upload(pdf_bytes()), user=coordinator
        )
