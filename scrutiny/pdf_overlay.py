"""Text written over the pages of a PDF already in a pypdf writer: pack page numbers
and readers' watermarks.

The page's own content is wrapped in q/Q, so its graphics state cannot move the
text, and the text is appended as one more content stream: far cheaper than
merging a stamp page, and the page is never re-rendered.
"""

from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject


def pdf_string(text: str) -> bytes:
    """Text as the inside of a PDF literal string in WinAnsi encoding."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


class PageOverlay:
    def __init__(self, writer: PdfWriter, *, font_name: str, base_font: str):
        self.writer = writer
        self.font_name = font_name
        self.font = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject(base_font),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
        self.save_state = self._stream(b"q\n")

    def _stream(self, data: bytes):
        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def add(self, page: PageObject, operators: bytes) -> None:
        """Append content operators (which may use this overlay's font) to the page."""
        overlay = self._stream(b"Q\nq " + operators + b" Q\n")
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else None
        if existing is None:
            parts = []
        elif isinstance(existing, ArrayObject):
            parts = list(existing)
        else:
            parts = [contents]
        page[NameObject("/Contents")] = ArrayObject([self.save_state, *parts, overlay])
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject(f"/{self.font_name}")] = self.font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
