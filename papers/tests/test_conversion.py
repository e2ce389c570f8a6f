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
    assert version.pdf_tagged is True  # exported tagged for screen readers
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


def test_every_office_format_is_exported_tagged():
    from papers.conversion import PDF_EXPORT_FILTERS, TAGGED_PDF_OPTIONS, pdf_filter
    from papers.models import OFFICE_FORMATS

    assert set(PDF_EXPORT_FILTERS) == set(OFFICE_FORMATS)
    assert all(pdf_filter(kind).endswith(TAGGED_PDF_OPTIONS) for kind in OFFICE_FORMATS)


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


# --- nothing outside the document is fetched -------------------------------------------


def _docx_with(parts: dict[str, str]) -> bytes:
    import io
    import zipfile

    from scrutiny.testing import docx_bytes

    source = zipfile.ZipFile(io.BytesIO(docx_bytes("Crime and Disorder Committee")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, parts.pop(name, None) or source.read(name))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships">'
    '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/image" Target="file:///srv/scrutiny/var/private/packs/1/x.pdf" '
    'TargetMode="External"/>'
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/hyperlink" Target="https://www.dartford.gov.uk/" TargetMode="External"/>'
    "</Relationships>"
)


def test_linked_pictures_are_taken_out_and_hyperlinks_kept():
    import io
    import zipfile

    from papers.conversion import without_outside_links

    cleaned = without_outside_links(_docx_with({"word/_rels/document.xml.rels": RELS}), "docx")
    rels = zipfile.ZipFile(io.BytesIO(cleaned)).read("word/_rels/document.xml.rels").decode()
    assert "file:///" not in rels
    assert "https://www.dartford.gov.uk/" in rels


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        (
            "docx",
            '<w:instrText xml:space="preserve"> INCLUDEPICTURE "file:///etc/passwd" </w:instrText>',
        ),
        ("docx", '<w:fldSimple w:instr=" INCLUDETEXT &quot;C:\\\\x.docx&quot; ">'),
        ("rtf", r'{\rtf1{\field{\*\fldinst INCLUDEPICTURE "http://127.0.0.1:8999/x.png"}}}'),
        ("rtf", r"{\rtf1{\object\objautlink{\*\objdata 01}}}"),
        ("doc", "INCLUDEPICTURE".encode("utf-16-le").decode("latin-1")),
    ],
)
def test_fields_that_include_other_files_are_refused(extension, content):
    from papers.conversion import ConversionError, without_outside_links

    if extension == "docx":
        document = (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            f"{content}</w:r></w:p></w:body></w:document>"
        )
        data = _docx_with({"word/document.xml": document})
    else:
        data = content.encode("latin-1")
    with pytest.raises(ConversionError, match="fetches content from other files"):
        without_outside_links(data, extension)


def test_words_like_link_in_the_text_are_not_taken_for_fields():
    from papers.conversion import without_outside_links

    text = r"{\rtf1 The link between DDE and import figures. {\field{\*\fldinst HYPERLINK x}}}"
    assert without_outside_links(text.encode(), "rtf") == text.encode()


def test_libreoffice_runs_without_network_and_without_the_papers(tmp_path):
    import socket
    import subprocess
    import sys

    from papers.conversion import _isolation, isolated

    if not _isolation():
        pytest.skip("this server allows no network or mount namespace (unshare)")
    private = tmp_path / "private"
    private.mkdir()
    (private / "exempt.pdf").write_text("Operation Nightjar")
    read = subprocess.run(
        isolated(["cat", str(private / "exempt.pdf")], hide=private),
        capture_output=True,
        check=False,
    )
    assert b"Nightjar" not in read.stdout
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2)"
    connect = subprocess.run(
        isolated([sys.executable, "-c", probe], hide=private), capture_output=True, check=False
    )
    listener.close()
    assert connect.returncode != 0
