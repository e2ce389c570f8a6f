"""Text over PDF pages lands where a viewer shows the page, upright, and is marked as a
pagination artifact. Checked with poppler, as a reader's viewer would draw it.

The helpers here (`cropped_pdf`, `visible_text`, `marked_rows`, `drawn_text`) are
used by the watermark tests too.
"""

import io
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pikepdf
import pytest

from conftest import skip_or_fail
from packs.tagged import TaggedPack
from scrutiny.pdf_overlay import HELVETICA, HELVETICA_BOLD, PageView

# Crop boxes inset by an inch on each side of A4, as scanners and Word exports leave.
A4 = (595, 842)
INSET = 72
ORIGINAL = "Original page text"


def cropped_pdf(rotations=(0, 90), *, split_contents: bool = False) -> bytes:
    """A4 pages, each with one line of text near the middle and a crop box an inch
    inside the media box, turned by each of `rotations`."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for rotate in rotations:
        pdf.add_blank_page(page_size=A4)
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        text = b"BT /F1 12 Tf 200 400 Td (%s) Tj ET" % ORIGINAL.encode()
        if split_contents:
            page.obj.Contents = pikepdf.Array([pdf.make_stream(b"0 0 1 rg"), pdf.make_stream(text)])
        else:
            page.obj.Contents = pdf.make_stream(text)
        page.obj.CropBox = pikepdf.Array([INSET, INSET, A4[0] - INSET, A4[1] - INSET])
        if rotate:
            page.obj.Rotate = rotate
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        skip_or_fail(f"poppler's {tool} is not installed (apt-get install poppler-utils)")
    return path


def _run(tool: str, data: bytes, *arguments: str) -> list[bytes]:
    """What a poppler tool writes for the PDF, one file's bytes for each it writes."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 (poppler, on a file we made)
            [_poppler(tool), *arguments, str(source), folder + "/out"],
            capture_output=True,
            check=True,
        )
        written = sorted(path for path in Path(folder).iterdir() if path != source)
        return [path.read_bytes() for path in written]


def visible_text(data: bytes) -> list[str]:
    """The words poppler finds inside each page's crop box (characters wholly outside
    it are dropped), joined by spaces, one string a page."""
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    (found,) = _run("pdftotext", data, "-bbox", "-cropbox")
    root = ElementTree.fromstring(found)  # noqa: S314 (poppler's output)
    return [
        " ".join(word.text or "" for word in page.findall("x:word", namespace))
        for page in root.iterfind(".//x:page", namespace)
    ]


def marked_rows(data: bytes) -> list[list[bool]]:
    """Each page rendered as shown (its crop box, turned by /Rotate) at 50 dpi: for each
    row of pixels from the top, whether any is in the watermark's red (clearly redder
    than it is green or blue, as the light diagonal is not)."""
    from PIL import Image

    pages = []
    for png in _run("pdftoppm", data, "-r", "50", "-png", "-cropbox"):
        with Image.open(io.BytesIO(png)) as image:
            red, green, blue = (band.tobytes() for band in image.convert("RGB").split())
            width = image.width
        reddish = [r - max(g, b) > 40 for r, g, b in zip(red, green, blue, strict=True)]
        pages.append([any(reddish[row : row + width]) for row in range(0, len(reddish), width)])
    return pages


def drawn_text(page: pikepdf.Page) -> list[tuple[str, bool]]:
    """Each string the page's content shows, and whether it is drawn inside
    `/Artifact <</Type /Pagination ...>>` marked content."""
    shown = []
    open_marks = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            properties = operands[1] if name == "BDC" else None
            pagination = (
                isinstance(properties, pikepdf.Dictionary)
                and properties.get("/Type") == pikepdf.Name.Pagination
            )
            open_marks.append(operands[0] == pikepdf.Name.Artifact and pagination)
        elif name == "EMC":
            open_marks.pop()
        elif name in ("Tj", "'", '"'):
            shown.append((bytes(operands[-1]).decode("cp1252"), any(open_marks)))
        elif name == "TJ":
            text = b"".join(bytes(part) for part in operands[0] if isinstance(part, pikepdf.String))
            shown.append((text.decode("cp1252"), any(open_marks)))
    return shown


# --- where a page is shown ---------------------------------------------------


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return round(a * x + c * y + e, 3), round(b * x + d * y + f, 3)


@pytest.mark.parametrize(
    "rotate, size, bottom_left, top_right",
    [
        # The corners of the page as shown, in the page's own space.
        (0, (451, 698), (72, 72), (523, 770)),
        (90, (698, 451), (523, 72), (72, 770)),
        (180, (451, 698), (523, 770), (72, 72)),
        (270, (698, 451), (72, 770), (523, 72)),
        (-90, (698, 451), (72, 770), (523, 72)),
        (45, (451, 698), (72, 72), (523, 770)),  # not a quarter turn: viewers ignore it
    ],
)
def test_the_view_is_the_crop_box_turned_upright(rotate, size, bottom_left, top_right):
    view = PageView.from_boxes([0, 0, *A4], [72, 72, 523, 770], rotate)
    assert (view.width, view.height) == size
    assert _apply(view.matrix, 0, 0) == bottom_left
    assert _apply(view.matrix, view.width, view.height) == top_right


def test_the_view_is_what_the_crop_box_leaves_of_the_media_box():
    view = PageView.from_boxes([0, 0, *A4], [-50, 100, 700, 900])
    assert (view.width, view.height) == (595, 742)
    assert view.matrix[4:] == (0, 100)
    # A crop box off the page, or none, leaves the media box, written either way round.
    assert PageView.from_boxes([0, 0, *A4], [1000, 1000, 1100, 1100]).width == 595
    assert PageView.from_boxes([595, 842, 0, 0]).matrix == (1, 0, 0, 1, 0, 0)


def test_text_is_measured_with_the_fonts_widths():
    # P 667, a 556, g 556, e 556, space 278, 1 556 thousandths of the size.
    assert HELVETICA.width("Page 1", 10) == pytest.approx(31.69)
    assert HELVETICA_BOLD.width("issued to", 10) > HELVETICA.width("issued to", 10)
    # Letters the table does not hold count as the widest there is.
    assert HELVETICA.width("\u0152", 10) == 10


def test_a_line_too_long_for_the_page_is_shrunk_to_fit_between_the_margins():
    view = PageView.from_boxes([0, 0, 200, 300])
    text = "EXEMPT - NOT FOR PUBLICATION - issued to Councillor A Very-Long-Name"
    line = view.line(text, font=HELVETICA_BOLD, resource="F", size=7, y=6)
    size = float(line.split(b" Tf")[0].split()[-1])
    assert size < 7
    assert HELVETICA_BOLD.width(text, size) <= 200 - 2 * 10
    short = view.line("Page 1", font=HELVETICA, resource="F", size=9, y=18, centre=True)
    x = float(short.split(b" Td")[0].split()[-2])
    assert x == pytest.approx((200 - HELVETICA.width("Page 1", 9)) / 2, abs=0.001)


# --- pack page numbers ---------------------------------------------------------


def _numbered(data: bytes, first: int = 5) -> bytes:
    pack = TaggedPack()
    try:
        start = pack.add(data, title="Cropped")
        for index in range(start, pack.page_count):
            pack.number_page(index, f"Page {first + index - start}")
        return pack.save(title="Numbered", author="Council", subject="Pack", outline=[])
    finally:
        pack.close()


def test_page_numbers_show_inside_an_inset_crop_box_upright():
    pages = visible_text(_numbered(cropped_pdf((0, 90, 180, 270))))
    assert len(pages) == 4
    for number, words in enumerate(pages, start=5):
        assert f"Page {number}" in words
        assert ORIGINAL in words


def test_page_numbers_are_pagination_artifacts():
    with pikepdf.open(io.BytesIO(_numbered(cropped_pdf((0, 90))))) as pdf:
        for number, page in enumerate(pdf.pages, start=5):
            assert drawn_text(page) == [(ORIGINAL, False), (f"Page {number}", True)]
