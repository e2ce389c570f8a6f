"""Office uploads become PDFs with LibreOffice, once per version, for reading and packs."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import skip_or_fail
from meetings.services import agenda_item_add, agenda_publish
from packs.models import Pack, PackKind
from packs.services import packs_build
from papers.conversion import soffice
from papers.models import DocumentVersion
from papers.services import document_upload, document_version_convert
from scrutiny.testing import body_of, docx_bytes, text_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _libreoffice():
    if soffice() is None:
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


@pytest.fixture
def item(draft_meeting):
    return agenda_item_add(meeting=draft_meeting, title="D-TAC Progress Report")


def test_a_word_upload_is_converted_and_read_as_pdf(
    item, coordinator, anon_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_upload(
            item=item,
            title="D-TAC Business Plan",
            user=coordinator,
            uploaded_file=upload(
                docx_bytes("D-TAC Business Plan 2016-18", "Objectives"), "plan.docx"
            ),
        )
    version = DocumentVersion.objects.get(document=document)
    assert version.converted_pdf
    assert version.page_count == 1
    assert version.conversion_error == ""
    agenda_publish(meeting=item.meeting, now=timezone.now())
    response = anon_client.get(reverse("papers:document_pdf", args=[document.pk]))
    pdf = body_of(response)
    assert "D-TAC Business Plan 2016-18" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    page = text_of(anon_client.get(item.meeting.get_absolute_url()))
    assert "Word document" in page and "PDF version" in page
    # Converting again does nothing: once per version.
    assert document_version_convert(version_id=version.pk) is False


def test_the_pack_merges_the_converted_pdf(item, coordinator):
    document = document_upload(
        item=item,
        title="Business Plan",
        user=coordinator,
        uploaded_file=upload(docx_bytes("CONVERTED-CONTENT"), "plan.docx"),
    )
    document_version_convert(version_id=document.current_version_id)
    agenda_publish(meeting=item.meeting, now=timezone.now())
    packs_build(meeting_id=item.meeting_id)
    pack = Pack.objects.get(meeting=item.meeting, kind=PackKind.PUBLIC)
    with pack.file.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "CONVERTED-CONTENT" in text
    assert "Page 1" in text


def test_a_file_libreoffice_cannot_open_is_reported_by_name(item, coordinator):
    import zipfile

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:  # claims to be Word, holds nothing usable
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "not xml at all <<<")
    document = document_upload(
        item=item,
        title="Broken minutes",
        user=coordinator,
        uploaded_file=upload(broken.getvalue(), "broken.docx"),
    )
    assert document_version_convert(version_id=document.current_version_id) is False
    version = DocumentVersion.objects.get(pk=document.current_version_id)
    assert version.conversion_error.startswith("“Broken minutes” could not be converted to PDF")
    assert not version.converted_pdf
