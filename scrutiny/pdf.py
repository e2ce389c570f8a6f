"""One way to turn HTML into PDF: minutes, covering reports, front sheets and packs.

Everything is rendered by WeasyPrint as tagged PDF/UA-1, so that screen readers can
follow the structure of what the council publishes.
"""

import hashlib

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    """Render a complete HTML document (with its own ``lang``) to tagged PDF."""
    # Imported here: WeasyPrint loads Pango and fonts, which pages never need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def source_hash(html: str) -> str:
    """The hash a stored PDF keeps of the HTML it was rendered from."""
    return hashlib.sha256(html.encode()).hexdigest()
