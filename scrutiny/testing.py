"""Helpers shared by the test suites: page text, and small real files of each kind
officers upload."""

import html
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

# The site's address in every test, so that an absolute link in a notice can be told.
SITE_URL = "https://committees.example.gov.uk"

# The role fixtures, least entitled first, as the per-role tests walk them.
ROLES = [
    "anon_client",
    "councillor_client",
    "officer_client",
    "member_client",
    "coordinator_client",
]


def queued_work(callbacks) -> list:
    """The on-commit callbacks that queue work, leaving out the page cache's version
    bump, which every committed write adds (scrutiny.page_cache)."""
    from scrutiny.page_cache import content_version_bump

    return [callback for callback in callbacks if callback is not content_version_bump]


def text_of(response) -> str:
    """The page's text as a reader sees it: tags removed, white space folded."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def client_for(user):
    """A separate test client signed in as this user (the role fixtures share one)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def pdf_bytes(pages: int = 1, *, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner-secret")  # noqa: S106
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


OOXML_PARTS = {
    "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
}


def ooxml_bytes(kind: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package of the given kind (docx, xlsx or pptx)."""
    part, content_type = OOXML_PARTS[kind]
    main_type = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macros
        else f"application/vnd.openxmlformats-officedocument.{content_type}"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<document/>")
    return out.getvalue()


def doc_bytes() -> bytes:
    """The start of a Word 97-2003 compound file: OLE2 signature and its Word stream."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "WordDocument".encode("utf-16-le")
        + b"\x00" * 512
    )


def upload(content: bytes, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def numbered_agenda(meeting) -> list[tuple[str, str]]:
    """The agenda as (number, title) pairs, as the front sheet prints it."""
    from meetings.selectors import number_agenda

    items = number_agenda(list(meeting.items.order_by("section", "position")))
    return [(item.number, item.title) for item in items]


def docx_bytes(*paragraphs: str) -> bytes:
    """A small but complete Word document that LibreOffice opens."""
    from xml.sax.saxutils import escape

    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def body_of(response) -> bytes:
    """A response's bytes, streamed (files) or not (watermarked PDFs)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data) -> str:
    """The words of every page of a PDF (bytes or an open file), one space between each
    (lines wrap where they fit)."""
    if not isinstance(data, bytes):
        with data.open("rb") as handle:
            data = handle.read()
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def tagged_pdf(text: str, pages: int = 1) -> bytes:
    """Pages rendered as the site renders its own papers: tagged PDF/UA, with a heading,
    a paragraph and a link on each."""
    from scrutiny.pdf import render_pdf

    body = "".join(
        f'<section style="break-after: page"><h2>{text}</h2><p>{text} sheet {n + 1}</p>'
        f'<p><a href="https://example.org/{n}">{text} link {n + 1}</a></p></section>'
        for n in range(pages)
    )
    return render_pdf(
        f"<html lang='en-GB'><head><title>{text}</title></head><body>{body}</body></html>"
    )


def untagged_pdf(text: str) -> bytes:
    """One A4 page of text, as an old scanner or a print driver makes it: no tags."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (%s) Tj ET" % text.encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _poppler(tool: str, *args: str, data: bytes) -> str:
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from conftest import skip_or_fail

    if shutil.which(tool) is None:
        skip_or_fail(f"poppler's {tool} is not installed")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(data)
        return subprocess.run(  # noqa: S603 (poppler, on a file the test wrote)
            [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout


def struct_text(data: bytes) -> str:
    """The text a screen reader reaches through the structure tree, in its order."""
    return _poppler("pdfinfo", "-struct-text", data=data)


def struct_strings(data: bytes) -> list[str]:
    return re.findall(r'^\s*"(.*)"\s*$', struct_text(data), re.M)


def page_words(data: bytes, page: int) -> list[str]:
    return _poppler("pdftotext", "-f", str(page), "-l", str(page), data=data).split()
