"""The one PDF renderer: it fetches nothing that the HTML it is given points at."""

import io
import urllib.request

import pytest
from pypdf import PdfReader

from scrutiny.pdf import render_pdf

# What a pasted minute or report could carry if a sanitiser ever let it through.
POINTED_AT = [
    '<img src="file:///etc/passwd" alt="">',
    '<img src="http://169.254.169.254/latest/meta-data/" alt="">',
    '<link rel="stylesheet" href="https://example.com/style.css">',
    "<div style=\"background: url('file:///etc/hostname')\">Styled</div>",
    "<style>@font-face { font-family: Remote; src: url(http://example.com/f.woff); }</style>",
]


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint's own fetcher would open (file, http, data alike)."""
    opened = []

    def record(self, url, data=None, timeout=None):
        opened.append(getattr(url, "full_url", url))
        raise OSError("no network in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    return opened


@pytest.mark.parametrize("html", POINTED_AT)
def test_nothing_the_html_points_at_is_fetched_and_the_pdf_still_renders(html, fetched):
    pdf = render_pdf(f'<html lang="en-GB"><body><p>Minute text</p>{html}</body></html>')
    assert fetched == []
    assert "Minute text" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
