"""One way to turn HTML into PDF: minutes, covering reports, front sheets and packs.

Everything is rendered by WeasyPrint as tagged PDF/UA-1, so that screen readers can
follow the structure of what the council publishes.
"""

import hashlib

PDF_VARIANT = "pdf/ua-1"


def _refusing_fetcher():
    """A URL fetcher that fetches nothing. Our templates carry their styles inline and
    use the fonts installed on the server, so nothing a PDF shows comes from a URL;
    text that reaches a PDF (a minute, a report, pasted HTML) must not make the server
    read its own files (file://) or call other hosts (http://) while rendering."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    class RefusingURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            # WeasyPrint leaves out what it could not fetch and goes on rendering.
            raise URLFetchingError(f"Not fetched: {url[:80]}")

    return RefusingURLFetcher()


def render_pdf(html: str) -> bytes:
    """Render a complete HTML document (with its own ``lang``) to tagged PDF."""
    # Imported here: WeasyPrint loads Pango and fonts, which pages never need.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refusing_fetcher()).write_pdf(pdf_variant=PDF_VARIANT)


def source_hash(html: str) -> str:
    """The hash a stored PDF keeps of the HTML it was rendered from."""
    return hashlib.sha256(html.encode()).hexdigest()


def is_tagged(pdf) -> bool:
    """Whether a PDF (open in pikepdf) carries a structure tree for screen readers and
    says its content is marked."""
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    marked = mark_info is not None and bool(mark_info.get("/Marked", False))
    tree = root.get("/StructTreeRoot")
    return marked and tree is not None and tree.get("/K") is not None


# qpdf copies an object from one PDF into another (a page, a structure tree) by a
# recursive walk of everything it reaches, one C stack frame per object and per nested
# array or dictionary: a chain of references a hundred thousand long, a few hundred
# kilobytes of upload, overflows the stack and kills the process (a segmentation
# fault, which no `except` catches). The PDFs the site renders reach a depth of about
# 25; a few hundred frames fit even the smallest thread stack.
MAX_COPY_DEPTH = 500


class CopyDepth:
    """The depth qpdf's copy (`QPDF::reserveObjects`) reaches from objects of one PDF,
    walked as it walks them, without recursion: each dictionary's values in key order,
    each array's items in order, an object reached before not again, and no further
    than a page reached from elsewhere or the page tree. Copies from one PDF into
    another share what was reached, as qpdf's do: ask in the order they are made."""

    def __init__(self, limit: int = MAX_COPY_DEPTH):
        self.limit = limit
        self._reached: set[tuple[int, int]] = set()

    def too_deep(self, *roots) -> bool:
        """Whether copying `roots`, one after another, would go deeper than the limit."""
        return any(self._too_deep(root) for root in roots)

    def _enter(self, obj, *, top: bool, visiting: set):
        import pikepdf

        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            return None
        values = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        kind = values.get("/Type") if isinstance(values, pikepdf.Dictionary) else None
        if kind == pikepdf.Name.Pages:
            return None
        key = None
        if obj.is_indirect:
            key = obj.objgen
            if key in visiting or key in self._reached:
                return None
            if not top and kind == pikepdf.Name.Page:
                return None  # copied when its page is, as a top object
            self._reached.add(key)
            visiting.add(key)
        children = values.values() if isinstance(values, pikepdf.Dictionary) else list(values)
        return key, iter(children)

    def _too_deep(self, root) -> bool:
        visiting: set = set()
        frame = self._enter(root, top=True, visiting=visiting)
        stack = [frame] if frame else []
        while stack:
            if len(stack) > self.limit:
                return True
            key, children = stack[-1]
            for child in children:
                frame = self._enter(child, top=False, visiting=visiting)
                if frame is not None:
                    stack.append(frame)
                    break
            else:
                stack.pop()
                visiting.discard(key)
        return False
