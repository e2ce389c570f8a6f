"""Text written over the pages of a PDF: pack page numbers and readers' watermarks.

Both are placed on the page as a viewer shows it: inside the crop box (what is left
visible of the media box) and upright after the page's /Rotate, so a scanned or
exported page with an inset crop box or a landscape turn still shows them. Both are
pagination artifacts (`/Artifact` marked content), which assistive technology skips.

Readers' watermarks are written with pikepdf (`stamp`): the page's own content and
the mark become one content stream, so the mark cannot be taken off by deleting a
stream without taking the page with it. Pack page numbers are written while the pack
is assembled (`packs.tagged.TaggedPack.number_page`), as one more content stream:
cheap, and the pack is watermarked as a whole when an exempt copy is downloaded.
"""

import dataclasses
import math

import pikepdf

# Advance widths, in thousandths of the font size, of the printable ASCII characters
# (space to tilde) in Adobe's Core 14 AFM files for Helvetica and Helvetica-Bold
# (Copyright (c) 1985, 1987, 1989, 1990, 1997 Adobe Systems Incorporated).
_HELVETICA_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 "
    "556 556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 "
    "500 667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 "
    "556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 "
    "278 556 500 722 500 500 500 334 260 334 584"
)
_HELVETICA_BOLD_WIDTHS = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 "
    "556 556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 "
    "556 722 611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 "
    "556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 "
    "333 611 556 778 556 556 500 389 280 389 584"
)
# No character of either font outside ASCII is wider than this: a safe overestimate.
_WIDEST = 1000


def encoded(text: str) -> bytes:
    """Text in WinAnsi encoding, as a standard font draws it."""
    return text.encode("cp1252", errors="replace")


def pdf_string(text: str) -> bytes:
    """Text as the inside of a PDF literal string in WinAnsi encoding."""
    return encoded(text).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


class Font:
    """One of the standard Type 1 fonts every PDF reader has, with its widths."""

    def __init__(self, base_font: str, ascii_widths: str, *, cap_height: int = 718):
        self.base_font = base_font
        self.cap_height = cap_height
        printable = tuple(map(int, ascii_widths.split()))
        # By WinAnsi code: the printable ASCII characters as measured, the rest at most.
        self.widths = (_WIDEST,) * 32 + printable + (_WIDEST,) * (256 - 32 - len(printable))

    def width(self, text: str, size: float) -> float:
        """The width of one line of the text, in points."""
        return sum(map(self.widths.__getitem__, encoded(text))) * size / 1000

    def fit(self, text: str, size: float, width: float) -> float:
        """The size, at most `size`, at which the text fits in `width` points."""
        natural = self.width(text, size)
        if natural <= width:
            return size
        # Rounded down, so the size written into the page still fits.
        return math.floor(100 * size * max(width, 0) / natural) / 100

    def resource(self) -> dict[str, str]:
        return {
            "/Type": "/Font",
            "/Subtype": "/Type1",
            "/BaseFont": self.base_font,
            "/Encoding": "/WinAnsiEncoding",
        }


HELVETICA = Font("/Helvetica", _HELVETICA_WIDTHS)
HELVETICA_BOLD = Font("/Helvetica-Bold", _HELVETICA_BOLD_WIDTHS)


def _number(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _rectangle(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


@dataclasses.dataclass(frozen=True)
class PageView:
    """A page as a viewer shows it: the crop box within the media box, turned by the
    page's /Rotate. Coordinates run from its bottom-left corner as displayed, with x
    to the right and y up, so text drawn in them reads upright on screen."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]  # to the page's own space

    @classmethod
    def of(cls, page) -> "PageView":
        """The view of a pypdf or a pikepdf page (both name the same attributes)."""
        return cls.from_boxes(page.mediabox, page.cropbox, page.rotation)

    @classmethod
    def from_boxes(cls, mediabox, cropbox=None, rotate: int = 0) -> "PageView":
        left, bottom, right, top = media = _rectangle(mediabox)
        if cropbox is not None:
            crop = _rectangle(cropbox)
            clipped = (
                max(media[0], crop[0]),
                max(media[1], crop[1]),
                min(media[2], crop[2]),
                min(media[3], crop[3]),
            )
            # Viewers show what the crop box leaves of the media box.
            if clipped[0] < clipped[2] and clipped[1] < clipped[3]:
                left, bottom, right, top = clipped
        width, height = right - left, top - bottom
        # /Rotate turns the page clockwise for display, in quarter turns; viewers
        # ignore any other angle.
        turn = int(rotate) % 360 if int(rotate) % 90 == 0 else 0
        if turn == 90:
            return cls(height, width, (0, 1, -1, 0, right, bottom))
        if turn == 180:
            return cls(width, height, (-1, 0, 0, -1, right, top))
        if turn == 270:
            return cls(height, width, (0, -1, 1, 0, left, top))
        return cls(width, height, (1, 0, 0, 1, left, bottom))

    def draw(self, operators: bytes) -> bytes:
        """Operators written in this view's coordinates, for the page's content."""
        return b"q %s cm\n%s\nQ" % (b" ".join(map(_number, self.matrix)), operators)

    def line(
        self,
        text: str,
        *,
        font: Font,
        resource: str,
        size: float,
        y: float,
        margin: float = 24,
        centre: bool = False,
    ) -> bytes:
        """A text object for one line at height `y`, shrunk to fit between the side
        margins when it would not."""
        margin = min(margin, self.width / 20)
        size = font.fit(text, size, self.width - 2 * margin)
        x = (self.width - font.width(text, size)) / 2 if centre else margin
        return b"BT /%s %s Tf %s %s Td (%s) Tj ET" % (
            resource.encode(),
            _number(size),
            _number(x),
            _number(y),
            pdf_string(text),
        )

    def diagonal(self, text: str, *, font: Font, resource: str) -> bytes:
        """A text object for one line across the middle, corner to corner, large but
        inside the page."""
        angle = math.atan2(self.height, self.width)
        cos, sin = math.cos(angle), math.sin(angle)
        length = font.width(text, 1)
        height = font.cap_height / 1000
        size = min(
            0.5 * math.hypot(self.width, self.height) / length,
            0.8 * self.width / (length * cos + height * sin),
            0.8 * self.height / (length * sin + height * cos),
        )
        # Start so that the middle of the line is the middle of the page.
        x = self.width / 2 - size * (length * cos - height * sin) / 2
        y = self.height / 2 - size * (length * sin + height * cos) / 2
        return b"BT /%s %s Tf %s Tm (%s) Tj ET" % (
            resource.encode(),
            _number(size),
            b" ".join(map(_number, (cos, sin, -sin, cos, x, y))),
            pdf_string(text),
        )


def artifact(operators: bytes, subtype: str) -> bytes:
    """Operators marked as a pagination artifact (subtype Header, Footer or Watermark),
    which assistive technology does not read as the page's text."""
    return b"/Artifact <</Type /Pagination /Subtype /%s>> BDC\n%s\nEMC" % (
        subtype.encode(),
        operators,
    )


def stamp(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    operators: bytes,
    *,
    fonts: dict[str, pikepdf.Object],
    states: dict[str, pikepdf.Object] | None = None,
) -> None:
    """Draw operators over a page of a pikepdf document, in one content stream that
    holds the page's own content too. The operators may use the fonts and graphics
    states given, by the names given."""
    contents = page.obj.get(pikepdf.Name.Contents)
    if contents is None:
        parts = []
    elif isinstance(contents, pikepdf.Array):
        parts = [part.read_bytes() for part in contents if isinstance(part, pikepdf.Stream)]
    else:
        parts = [contents.read_bytes()]
    # A stream may be shared by several pages, so each page gets a new one. The page's
    # content is wrapped in q/Q so that its graphics state cannot move the mark.
    page.obj.Contents = pdf.make_stream(b"q\n%s\nQ\n%s\n" % (b"\n".join(parts), operators))
    # pikepdf.open copies inherited /Resources onto each page, so the page's own
    # dictionary is the one its content uses.
    resources = page.resources
    for kind, named in ((pikepdf.Name.Font, fonts), (pikepdf.Name.ExtGState, states or {})):
        if not named:
            continue
        if kind not in resources:
            resources[kind] = pikepdf.Dictionary()
        for name, value in named.items():
            resources[kind][pikepdf.Name("/" + name)] = value


def pikepdf_font(pdf: pikepdf.Pdf, font: Font) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary({key: pikepdf.Name(value) for key, value in font.resource().items()})
    )
