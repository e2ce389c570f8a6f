"""Every exempt PDF leaves the system carrying its reader's name on every page.

The mark is added at download time over the stored file, as an overlay on each page
(`scrutiny.pdf_overlay`): no re-rendering, so a 100-page pack is marked in a
fraction of a second.
"""

import io

from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from scrutiny.pdf_overlay import PageOverlay, pdf_string


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


def watermark(data: bytes, text: str) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    overlay = PageOverlay(writer, font_name="FExemptMark", base_font="/Helvetica-Bold")
    literal = pdf_string(text)
    for page in writer.pages:
        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        top = bottom + float(box.height)
        size = 7 if float(box.width) < 700 else 9
        overlay.add(
            page,
            b"0.58 0.15 0.08 rg BT /FExemptMark %d Tf %.1f %.1f Td (%s) Tj ET "
            b"BT /FExemptMark %d Tf %.1f %.1f Td (%s) Tj ET"
            % (size, left + 24, top - 16, literal, size, left + 24, bottom + 6, literal),
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
