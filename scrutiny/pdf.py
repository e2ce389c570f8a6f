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
