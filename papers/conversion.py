"""Office documents to PDF with LibreOffice in headless mode, as officers write them.

Each conversion runs in its own temporary profile and folder, with a time limit, so
that one stuck or hostile file cannot hold up or poison the next.

A document can ask the converter to fetch what it shows: a picture linked to a web
address or to a file on the server (which could be another paper, exempt), a field
that includes another file. Nothing is fetched: links to outside parts are taken out of
Word, Excel and PowerPoint files before conversion (hyperlinks stay), a file whose
fields include other files is refused, and LibreOffice runs without a network where the
server allows it (a network namespace, `unshare`).
"""

import functools
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings


class ConversionError(Exception):
    pass


LINKED_CONTENT = (
    "It fetches content from other files or web addresses (linked pictures, included "
    "files or data links). Embed the pictures and remove the links, then upload it again."
)
# Field instructions that pull in another file or a live data link: a field's code
# starts with its name (Word: w:instrText or w:instr; RTF: \\fldinst).
INCLUDING_FIELD = re.compile(
    rb"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE
)
FIELD_CODES = {
    "xml": re.compile(rb"<w:instrText[^>]*>([^<]*)<|\bw:instr=\"([^\"]*)\""),
    "rtf": re.compile(rb"\\fldinst\s*(?:\{[^{}]*?\s)?([^{}\\]*)"),
}
# OLE objects that RTF keeps linked to a file, and Word 97-2003's including fields
# (whose codes are stored as plain text, in one byte or two per character).
RTF_LINKED_OBJECTS = re.compile(rb"\\objautlink|\\objlink")
BINARY_FIELDS = re.compile(rb"INCLUDEPICTURE|INCLUDETEXT|DDEAUTO")
EXTERNAL_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*TargetMode=\"External\"[^>]*/>")
HYPERLINK_TYPE = b'/relationships/hyperlink"'


def _includes_other_files(data: bytes, kind: str) -> bool:
    if kind == "doc":
        narrow = data.replace(b"\x00", b"")  # two bytes a character: the codes read through
        return bool(BINARY_FIELDS.search(data) or BINARY_FIELDS.search(narrow))
    if kind == "rtf" and RTF_LINKED_OBJECTS.search(data):
        return True
    for match in FIELD_CODES["rtf" if kind == "rtf" else "xml"].finditer(data):
        code = next((group for group in match.groups() if group), b"")
        if INCLUDING_FIELD.match(code):
            return True
    return False


def without_outside_links(data: bytes, extension: str) -> bytes:
    """The document as LibreOffice may open it: OOXML relationships to outside parts
    other than hyperlinks removed; a file whose fields include others refused."""
    if extension not in ("docx", "xlsx", "pptx"):
        if _includes_other_files(data, extension):
            raise ConversionError(LINKED_CONTENT)
        return data
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            # Sizes were checked at upload (papers.files): members are small enough.
            content = source.read(member)
            if member.filename.endswith(".xml") and _includes_other_files(content, "xml"):
                raise ConversionError(LINKED_CONTENT)
            if member.filename.endswith(".rels"):
                content = EXTERNAL_RELATIONSHIP.sub(
                    lambda m: m.group(0) if HYPERLINK_TYPE in m.group(0) else b"", content
                )
            target.writestr(member, content)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


# Run a command with no network and with the papers' storage hidden behind an empty
# folder: "$1" is the folder to hide, the rest the command.
HIDE_AND_RUN = 'mount -t tmpfs -o size=1m scrutiny "$1" && shift && exec "$@"'


@functools.cache
def _isolation() -> tuple[str, ...]:
    """The unshare options that isolate LibreOffice on this server (a new network and
    mount namespace, as root or through a user namespace), or () where it is not allowed."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    with tempfile.TemporaryDirectory() as folder:
        for options in (("--net", "--mount"), ("--map-root-user", "--net", "--mount")):
            probe = [unshare, *options, "sh", "-c", HIDE_AND_RUN, "sh", folder, "true"]
            try:
                done = subprocess.run(probe, capture_output=True, timeout=10, check=False)  # noqa: S603
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0:
                return (unshare, *options)
    return ()


def isolated(command: list[str], *, hide: Path) -> list[str]:
    """The command run without network and with a folder hidden, where the server
    allows it; otherwise as it is (the links were taken out beforehand)."""
    options = _isolation()
    if not options:
        return command
    if not hide.is_dir():
        return [*options, *command]
    return [*options, "sh", "-c", HIDE_AND_RUN, "sh", str(hide), *command]


def _storage_folder() -> Path | None:
    from django.core.files.storage import default_storage

    location = getattr(default_storage, "location", None)
    return Path(location).resolve() if location else None


# LibreOffice's PDF export for each kind of document, asked to tag the PDF for screen
# readers (headings, lists and tables from the document's own styles), which it does
# not by default.
PDF_EXPORT_FILTERS = {
    "docx": "writer_pdf_Export",
    "doc": "writer_pdf_Export",
    "rtf": "writer_pdf_Export",
    "xlsx": "calc_pdf_Export",
    "pptx": "impress_pdf_Export",
}
TAGGED_PDF_OPTIONS = '{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def pdf_filter(extension: str) -> str:
    return f"pdf:{PDF_EXPORT_FILTERS[extension]}:{TAGGED_PDF_OPTIONS}"


def convert_to_pdf(data: bytes, extension: str) -> bytes:
    program = soffice()
    if program is None:
        raise ConversionError("LibreOffice is not installed on this server.")
    with tempfile.TemporaryDirectory(prefix="scrutiny-convert-") as folder:
        work = Path(folder)
        source = work / f"document.{extension}"
        source.write_bytes(without_outside_links(data, extension))
        command = [
            program,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            pdf_filter(extension),
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        folder = _storage_folder()
        if folder is not None:
            command = isolated(command, hide=folder)
        try:
            subprocess.run(  # noqa: S603 (our own command line, the file is ours)
                command,
                capture_output=True,
                timeout=settings.SCRUTINY_CONVERSION_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionError(
                f"Converting it took longer than {settings.SCRUTINY_CONVERSION_TIMEOUT} seconds."
            ) from error
        result = work / "out" / "document.pdf"
        if not result.exists():
            raise ConversionError("LibreOffice could not open it; it may be damaged.")
        return result.read_bytes()
