"""Uploads are recognised by their content, never by their name."""

import pytest
from django.core.exceptions import ValidationError
from pypdf.actions import JavaScript

from papers.files import inspect_upload
from scrutiny.testing import doc_bytes, ooxml_bytes, pdf_bytes, upload


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (pdf_bytes(3), "report.pdf", "pdf"),
        (ooxml_bytes("docx"), "report.docx", "docx"),
        (ooxml_bytes("xlsx"), "figures.xlsx", "xlsx"),
        (ooxml_bytes("pptx"), "slides.pptx", "pptx"),
        (doc_bytes(), "old-report.doc", "doc"),
        (b"{\\rtf1\\ansi Minutes}", "minutes.rtf", "rtf"),
        # A misleading name does not matter: the content decides.
        (pdf_bytes(1), "report.docx", "pdf"),
    ],
)
def test_accepted_formats_are_recognised_by_content(content, name, expected):
    inspection = inspect_upload(upload(content, name))
    assert inspection.format == expected
    assert inspection.size == len(content)
    assert len(inspection.sha256) == 64


def test_pdf_pages_are_counted():
    assert inspect_upload(upload(pdf_bytes(7))).page_count == 7


def test_office_page_count_waits_for_conversion():
    assert inspect_upload(upload(ooxml_bytes("docx"), "a.docx")).page_count is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 an executable", "report.pdf", "must be a PDF, Word (DOCX or DOC)"),
        (b"<html><script>alert(1)</script></html>", "report.pdf", "must be a PDF"),
        (b"", "empty.pdf", "The selected file is empty"),
        (b"%PDF-1.7\n garbage that is not a PDF", "broken.pdf", "could not be read"),
        (ooxml_bytes("docx", macros=True), "macro.docm", "contains macros"),
        (b"PK\x03\x04 not really a zip", "fake.docx", "must be a PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "book.xls", "must be a PDF"),
    ],
)
def test_bad_files_are_refused_with_the_reason(content, name, message):
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(content, name))
    assert message in refused.value.messages[0]


def test_too_large_a_file_is_refused(settings):
    settings.SCRUTINY_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(pdf_bytes(1) + b"\n" * 2048))
    assert refused.value.messages == ["The selected file must be smaller than 1.0\xa0KB"]


def test_pdf_locked_with_a_password_is_refused():
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(pdf_bytes(1, password="secret")))
    assert "protected by a password" in refused.value.messages[0]


def test_pdf_encrypted_without_a_password_is_accepted():
    assert inspect_upload(upload(pdf_bytes(2, password=""))).page_count == 2


def _pdf_with(modify) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    modify(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "modify",
    [
        lambda w: w.add_open_action(JavaScript("app.alert(1)")),
        lambda w: w.add_attachment("payload.exe", b"MZ"),
    ],
    ids=["javascript", "embedded file"],
)
def test_pdfs_with_scripts_or_attachments_are_refused(modify):
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(_pdf_with(modify)))
    assert "contains scripts, actions or attached files" in refused.value.messages[0]
