"""What an uploaded file really is, read from its content, never from its name.

Councils receive papers as officers write them: PDF, Word (DOCX and the older
DOC), RTF, Excel and PowerPoint. Anything else, a file that claims to be one of
these and is not, a damaged PDF or one locked with a password is refused with a
reason the uploader can act on.
"""

import dataclasses
import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .models import DocumentFormat

ACCEPTED = "a PDF, Word (DOCX or DOC), RTF, Excel (XLSX) or PowerPoint (PPTX) file"

# The Office Open XML part that tells a Word file from a workbook or a deck.
OOXML_MAIN_PARTS = {
    "word/document.xml": DocumentFormat.DOCX,
    "xl/workbook.xml": DocumentFormat.XLSX,
    "ppt/presentation.xml": DocumentFormat.PPTX,
}
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A Word 97-2003 file is an OLE2 compound file holding a "WordDocument" stream,
# whose name is stored in UTF-16 in the directory.
WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")


@dataclasses.dataclass(frozen=True)
class Inspection:
    format: str
    size: int
    sha256: str
    page_count: int | None


def max_upload_bytes() -> int:
    return settings.SCRUTINY_MAX_UPLOAD_BYTES


def _ooxml_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return None
    if b"macroEnabled" in content_types:
        raise ValidationError(
            "The selected file contains macros. Save it as an ordinary document without "
            "macros and upload that copy"
        )
    for part, file_format in OOXML_MAIN_PARTS.items():
        if part in names:
            return file_format
    return None


ACTIVE_CONTENT = (
    "The selected PDF contains scripts, actions or attached files. Print it to a new PDF "
    "(or save it as PDF/A) and upload that copy"
)


def _has_active_content(reader: PdfReader) -> bool:
    """Document JavaScript, embedded files, open actions, or scripted page actions."""
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/JavaScript" in names or "/EmbeddedFiles" in names:
        return True
    if "/OpenAction" in root or "/AA" in root:
        return True
    for page in reader.pages:
        if "/AA" in page:
            return True
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            if action.get("/S") in ("/JavaScript", "/Launch") or "/AA" in annotation:
                return True
            if annotation.get("/Subtype") == "/FileAttachment":
                return True
    return False


def _pdf_page_count(data: bytes) -> int:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                "The selected PDF is protected by a password. Upload a copy without a password"
            )
        if _has_active_content(reader):
            raise ValidationError(ACTIVE_CONTENT)
        return len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValidationError(
            "The selected PDF could not be read. It may be damaged: save it again and upload "
            "the new copy"
        ) from error


def sniff_format(data: bytes) -> str | None:
    """The document format the bytes hold, or None."""
    if data.startswith(b"%PDF-"):
        return DocumentFormat.PDF
    if data.startswith(b"{\\rtf"):
        return DocumentFormat.RTF
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_format(data)
    if data.startswith(OLE2_SIGNATURE) and WORD_STREAM_NAME in data:
        return DocumentFormat.DOC
    return None


def inspect_upload(uploaded) -> Inspection:
    """Check an uploaded file by its content; raise ValidationError with the reason."""
    limit = max_upload_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if not data:
        raise ValidationError("The selected file is empty")
    if len(data) > limit:
        raise ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
    file_format = sniff_format(data)
    if file_format is None:
        raise ValidationError(f"The selected file must be {ACCEPTED}")
    page_count = _pdf_page_count(data) if file_format == DocumentFormat.PDF else None
    return Inspection(
        format=file_format,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
    )
