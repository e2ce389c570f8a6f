"""Conditional GET for downloads: an ETag made from what the database already knows
about the stored bytes (their storage name, new for every file written, and their
hash), so a reader whose copy is current gets 304 Not Modified and the file is never
opened.

Called only after the access check, and only for bytes that are the same for every
reader allowed them: a watermarked copy carries its reader's name and the minute it
was issued, so it is never conditional.
"""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag


def etag_for(*parts) -> str:
    """A quoted ETag naming the parts without revealing them (storage paths stay private)."""
    return quote_etag(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32])


def conditional(request, *, etag: str, respond, last_modified=None):
    """304 Not Modified when the reader's copy has this ETag, else respond(); both carry
    the validators."""
    # 304 by the ETag only, as the page cache does: Last-Modified counts whole seconds,
    # and a paper can be replaced or a pack rebuilt within one.
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = respond()
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response
