"""What an uploaded file really is, read from its content, never from its name.

Councils receive papers as officers write them: PDF, Word (DOCX and the older
DOC), RTF, Excel and PowerPoint. Anything else, a file that claims to be one of
these and is not, a damaged PDF or one locked with a password is refused with a
reason the uploader can act on.

What is stored is what was checked: a PDF is stored as the sanitiser rebuilt it
(papers/sanitise.py), without scripts, actions, forms or attached files. An
Office file is stored as it came, once its directory shows that it unpacks to a
sensible size: it is read here and again by LibreOffice when it is converted.
"""

import dataclasses
import hashlib
import io
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .models import DocumentFormat
from .sanitise import PdfLocked, PdfUnreadable, SanitisedPdf, removed_note, sanitise_pdf

ACCEPTED = "a PDF, Word (DOCX or DOC), RTF, Excel (XLSX) or PowerPoint (PPTX) file"

# The Office Open XML part that tells a Word file from a workbook or a deck.
OOXML_MAIN_PARTS = {
    "word/document.xml": DocumentFormat.DOCX,
    "xl/workbook.xml": DocumentFormat.XLSX,
    "ppt/presentation.xml": DocumentFormat.PPTX,
}
CONTENT_TYPES = "[Content_Types].xml"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A Word 97-2003 file is an OLE2 compound file holding a "WordDocument" stream,
# whose name is stored in UTF-16 in the directory.
WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")

# An Office file is a zip archive, and a few kilobytes of zip can unpack to gigabytes.
# The archive's directory declares each part's packed and unpacked size; nothing is
# unpacked until those are within these limits. The list of content types is read,
# and no more than its limit of it. Real documents stay well inside: text and XML
# pack about ten to one, pictures hardly at all.
CONTENT_TYPES_LIMIT = 1024 * 1024
PACKING_RATIO_LIMIT = 100
PACKING_RATIO_FROM = 1024 * 1024  # a small part may pack as tightly as it likes
UNPACKED_LIMIT = 1024 * 1024 * 1024
UNPACKED_UPLOADS = 10  # times the upload limit, if that is less
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

MACROS = (
    "The selected file contains macros. Save it as an ordinary document without "
    "macros and upload that copy"
)
UNSAFE_ARCHIVE = (
    "The selected file could not be read safely. Save it again in Word, Excel or "
    "PowerPoint and upload the new copy"
)
LOCKED = "The selected PDF is protected by a password. Upload a copy without a password"
DAMAGED = (
    "The selected PDF could not be read. It may be damaged: save it again and upload the new copy"
)


@dataclasses.dataclass(frozen=True)
class Inspection:
    format: str
    content: bytes = dataclasses.field(repr=False)  # what is stored: a PDF as rebuilt
    size: int
    sha256: str
    page_count: int | None
    removed: tuple[str, ...] = ()  # what the sanitiser took out of a PDF
    tagged: bool | None = None  # a PDF's tags for screen readers; None for other formats

    @property
    def sanitised_note(self) -> str:
        return removed_note(self.removed)


def max_upload_bytes() -> int:
    return settings.SCRUTINY_MAX_UPLOAD_BYTES


def max_unpacked_bytes() -> int:
    return min(UNPACKED_LIMIT, UNPACKED_UPLOADS * max_upload_bytes())


def _check_unpacked_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose directory declares too much, before anything is unpacked."""
    total = 0
    for member in members:
        if member.compress_type not in ZIP_METHODS:
            raise ValidationError(UNSAFE_ARCHIVE)
        packed = max(member.compress_size, 1)
        if (
            member.file_size > PACKING_RATIO_FROM
            and member.file_size > PACKING_RATIO_LIMIT * packed
        ):
            raise ValidationError(UNSAFE_ARCHIVE)
        total += member.file_size
    if total > max_unpacked_bytes():
        raise ValidationError(UNSAFE_ARCHIVE)


def _read_content_types(archive: zipfile.ZipFile) -> bytes:
    member = archive.getinfo(CONTENT_TYPES)
    if member.file_size > CONTENT_TYPES_LIMIT:
        raise ValidationError(UNSAFE_ARCHIVE)
    try:
        with archive.open(member) as part:
            # Never more than the limit, whatever the directory said.
            content = part.read(CONTENT_TYPES_LIMIT + 1)
    except (
        zipfile.BadZipFile,
        RuntimeError,
        NotImplementedError,
        zlib.error,
        EOFError,
        OSError,
    ) as error:
        raise ValidationError(UNSAFE_ARCHIVE) from error
    if len(content) > CONTENT_TYPES_LIMIT:
        raise ValidationError(UNSAFE_ARCHIVE)
    return content


def _ooxml_format(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if CONTENT_TYPES not in names:
            return None
        if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
            raise ValidationError(MACROS)
        _check_unpacked_sizes(members)
        content_types = _read_content_types(archive)
    if b"macroEnabled" in content_types:
        raise ValidationError(MACROS)
    for part, file_format in OOXML_MAIN_PARTS.items():
        if part in names:
            return file_format
    return None


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
    """Check an uploaded file by its content; raise ValidationError with the reason.

    The inspection carries the bytes to store: for a PDF, the sanitised copy."""
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
    content, page_count, removed, tagged = data, None, (), None
    if file_format == DocumentFormat.PDF:
        sanitised = sanitise_upload_pdf(data)
        content, page_count, removed = sanitised.pdf, sanitised.page_count, sanitised.removed
        tagged = sanitised.tagged
    return Inspection(
        format=file_format,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=page_count,
        removed=removed,
        tagged=tagged,
    )


def sanitise_upload_pdf(data: bytes) -> SanitisedPdf:
    """The PDF rebuilt without active content, or ValidationError saying why it cannot be."""
    try:
        return sanitise_pdf(data)
    except PdfLocked as error:
        raise ValidationError(LOCKED) from error
    except PdfUnreadable as error:
        raise ValidationError(DAMAGED) from error
