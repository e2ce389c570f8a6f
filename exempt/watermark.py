"""Every exempt PDF leaves the system carrying its reader's name on every page.

The mark is added at download time over the stored file, as one extra content
stream per page (the page's own content is wrapped in q/Q so it cannot move the
mark): no re-rendering, so a 100-page pack is marked in a fraction of a second.
"""

import io

from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject


def paragraphs_label(paragraphs) -> str:
    numbers = sorted({p for p in paragraphs if p})
    if not numbers:
        return "Schedule 12A"
    if len(numbers) == 1:
        return f"Schedule 12A paragraph {numbers[0]}"
    listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    return f"Schedule 12A paragraphs {listed}"


def watermark_text(*, user, paragraphs, when=None) -> str:
    when = timezone.localtime(when or timezone.now())
    person = getattr(user, "person", None)
    name = (
        person.display_name if person is not None else (user.get_full_name() or user.get_username())
    )
    return (
        f"EXEMPT - NOT FOR PUBLICATION - {paragraphs_label(paragraphs)} - issued to {name} on "
        f"{when.day} {when:%B %Y} at {when:%H:%M}"
    )


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def watermark(data: bytes, text: str) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )

    def stream(content: bytes):
        obj = DecodedStreamObject()
        obj.set_data(content)
        return writer._add_object(obj)

    save_state = stream(b"q\n")
    literal = _pdf_string(text)
    for page in writer.pages:
        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        top = bottom + float(box.height)
        size = 7 if float(box.width) < 700 else 9
        mark = stream(
            b"Q\nq 0.58 0.15 0.08 rg BT /FExemptMark %d Tf %.1f %.1f Td (%s) Tj ET "
            b"BT /FExemptMark %d Tf %.1f %.1f Td (%s) Tj ET Q\n"
            % (size, left + 24, top - 16, literal, size, left + 24, bottom + 6, literal)
        )
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else None
        if existing is None:
            parts = []
        elif isinstance(existing, ArrayObject):
            parts = list(existing)
        else:
            parts = [contents]
        page[NameObject("/Contents")] = ArrayObject([save_state, *parts, mark])
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject("/FExemptMark")] = font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
