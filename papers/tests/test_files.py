"""Uploads are recognised by their content, never by their name."""

import hashlib
import io
import tracemalloc
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from pypdf.actions import JavaScript

from papers.files import inspect_upload
from papers.tests.hostile_pdfs import active_content
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
    # What is stored: an Office file as it came, a PDF as the sanitiser rebuilt it.
    if expected != "pdf":
        assert inspection.content == content
    assert inspection.size == len(inspection.content)
    assert inspection.sha256 == hashlib.sha256(inspection.content).hexdigest()


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


def test_pdf_encrypted_without_a_password_is_accepted_and_stored_unencrypted():
    inspection = inspect_upload(upload(pdf_bytes(2, password="")))
    assert inspection.page_count == 2
    with pikepdf.open(io.BytesIO(inspection.content)) as pdf:
        assert not pdf.is_encrypted


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
def test_pdfs_with_scripts_or_attachments_are_accepted_without_them(modify):
    original = _pdf_with(modify)
    assert active_content(original)
    inspection = inspect_upload(upload(original))
    assert active_content(inspection.content) == set()
    assert inspection.page_count == 1
    assert inspection.removed
    assert inspection.sanitised_note.startswith("Removed from the PDF: ")


# --- Office files that unpack to far more than they weigh ---------------------------

MB = 1024 * 1024
UNSAFE = (
    "The selected file could not be read safely. Save it again in Word, Excel or "
    "PowerPoint and upload the new copy"
)


def _packed_docx(*, parts: dict[str, int], content_types: int = 0) -> bytes:
    """A DOCX whose parts are runs of spaces of the given sizes, written in chunks so
    that building even a 200 MB part takes little memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        types = (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"><Override PartName="/word/'
            b'document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>'
        )
        with archive.open("[Content_Types].xml", "w", force_zip64=True) as part:
            part.write(types)
            _write_spaces(part, content_types)
        archive.writestr("word/document.xml", "<document/>")
        for name, size in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                _write_spaces(part, size)
    return out.getvalue()


def _write_spaces(part, size: int) -> None:
    chunk = b" " * MB
    for start in range(0, size, MB):
        part.write(chunk[: min(MB, size - start)])


def assert_refused_in_bounded_memory(data: bytes) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            inspect_upload(upload(data, "minutes.docx"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.messages == [UNSAFE]
    assert peak < 50 * MB


def test_content_types_that_unpack_to_200_mb_are_refused_in_bounded_memory():
    bomb = _packed_docx(parts={}, content_types=200 * MB)
    assert len(bomb) < MB
    assert_refused_in_bounded_memory(bomb)


def test_a_directory_that_understates_the_content_types_is_not_trusted():
    bomb = _packed_docx(parts={}, content_types=200 * MB)
    # The directory's first entry is the content types; its unpacked size is at byte 24.
    start = zipfile.ZipFile(io.BytesIO(bomb)).start_dir
    assert bomb[start : start + 4] == b"PK\x01\x02"
    lying = bomb[: start + 24] + (1024).to_bytes(4, "little") + bomb[start + 28 :]
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("[Content_Types].xml").file_size == 1024
    assert_refused_in_bounded_memory(lying)


def test_a_part_packed_more_than_a_hundred_to_one_is_refused():
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(_packed_docx(parts={"word/media/blank.xml": 20 * MB}), "a.docx"))
    assert refused.value.messages == [UNSAFE]


def test_many_small_parts_adding_up_to_too_much_are_refused(settings):
    settings.SCRUTINY_MAX_UPLOAD_BYTES = MB  # so at most 10 MB unpacked
    parts = {f"word/part{n}.xml": MB - 1 for n in range(12)}  # each under the ratio check
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(_packed_docx(parts=parts), "a.docx"))
    assert refused.value.messages == [UNSAFE]


def test_an_ordinary_office_file_is_still_accepted_with_its_parts_unread():
    docx = _packed_docx(parts={"word/media/notes.xml": 512 * 1024})
    assert inspect_upload(upload(docx, "a.docx")).format == "docx"


def test_a_vba_project_is_refused_as_macros_whatever_the_content_types_say():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        with zipfile.ZipFile(io.BytesIO(ooxml_bytes("docx"))) as plain:
            for name in plain.namelist():
                archive.writestr(name, plain.read(name))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(out.getvalue(), "report.docx"))
    assert "contains macros" in refused.value.messages[0]


def test_an_archive_packed_with_another_method_is_refused():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w") as archive,
        zipfile.ZipFile(io.BytesIO(ooxml_bytes("docx"))) as plain,
    ):
        for name in plain.namelist():
            archive.writestr(name, plain.read(name), compress_type=zipfile.ZIP_LZMA)
    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload(out.getvalue(), "report.docx"))
    assert refused.value.messages == [UNSAFE]
