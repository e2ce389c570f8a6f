"""Every exempt PDF leaves the system carrying its reader's name on every page.

The mark is added at download time to the stored file (`scrutiny.pdf_overlay`): the
reader's name along the top and bottom of each page as a viewer shows it, inside any
crop box, and "EXEMPT" lightly across the middle. It is written into the page's own
content stream, so it cannot be deleted apart from the page, and nothing is
re-rendered: a 100-page pack is marked in a fraction of a second.
"""

import io

import pikepdf
from django.utils import timezone

from scrutiny.pdf_overlay import HELVETICA_BOLD, PageView, artifact, pikepdf_font, stamp


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


# The mark's colour, and how strongly the word across the middle covers the paper.
MARK_COLOUR = b"0.58 0.15 0.08 rg"
DIAGONAL_OPACITY = 0.15


def watermark(data: bytes, text: str) -> bytes:
    """The PDF with the text along the top and bottom of every page as shown, and
    "EXEMPT" lightly across the middle, all in the page's own content stream."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {"FExemptMark": pikepdf_font(pdf, HELVETICA_BOLD)}
        states = {
            "GSExemptMark": pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.ExtGState, ca=DIAGONAL_OPACITY, CA=DIAGONAL_OPACITY
                )
            )
        }
        for page in pdf.pages:
            view = PageView.of(page)
            size = 7 if view.width < 700 else 9
            lines = [
                view.line(text, font=HELVETICA_BOLD, resource="FExemptMark", size=size, y=y)
                for y in (view.height - 16, 6)
            ]
            across = view.diagonal("EXEMPT", font=HELVETICA_BOLD, resource="FExemptMark")
            mark = b"%s\nq /GSExemptMark gs\n%s\nQ\n%s" % (MARK_COLOUR, across, b"\n".join(lines))
            stamp(pdf, page, view.draw(artifact(mark, "Watermark")), fonts=fonts, states=states)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()
