"""Pieces of pages rendered once for every reader whose view of them is the same.

Signed-in readers never get a kept page (scrutiny.page_cache), but most of what they
read is the same for everyone who may read as much: the agenda of a meeting, for
instance, differs between readers only by what the access policy decided for each
item and paper. A fragment is kept under the content version (which every committed
change bumps, read before the data the fragment shows) and the decisions that shaped
it, taken afresh for each request: two readers share a kept fragment only when the
policy decided the same for both. The template of a fragment must use nothing but
the data and those decisions (never the request or the user).
"""

import functools
import hashlib
import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import page_cache

logger = logging.getLogger(__name__)


# The content version as a request first read it: a page asks for it a dozen times,
# and once is enough. Only inside a request (workers have none to bound it), and
# forgotten when this process bumps the version.
_request = threading.local()


def request_started(**kwargs) -> None:
    _request.memo = {}


def request_finished(**kwargs) -> None:
    _request.memo = None


def forget_version() -> None:
    memo = getattr(_request, "memo", None)
    if memo:
        memo.clear()


def fragment_version() -> int | None:
    """The content version to keep fragments under; None when they are not kept (no
    shared cache, or a change this process has not yet made known to it). Read it
    before reading the data the fragment shows."""
    if settings.SCRUTINY_PAGE_CACHE_SECONDS <= 0:
        return None
    if page_cache.bump_owed():
        # A change this process committed while the cache was down: retire what is kept
        # before keeping anything again.
        page_cache.content_version_bump()
        if page_cache.bump_owed():
            return None
    memo = getattr(_request, "memo", None)
    if memo and "version" in memo:
        return memo["version"]
    try:
        version = page_cache.content_version()
    except Exception:  # noqa: BLE001 (a cache that is down: render every time)
        logger.warning("The fragment cache cannot be reached", exc_info=True)
        return None
    if memo is not None:
        memo["version"] = version
    return version


def fragment(name: str, *, version: int | None, decisions, render) -> SafeString:
    """`render()`'s HTML, kept under `version` and a digest of `decisions` (the ids of
    what is shown and every access decision that shapes it)."""
    if version is None:
        return render()
    digest = hashlib.sha256(repr(decisions).encode()).hexdigest()
    key = f"scrutiny:fragment:{name}:{version}:{digest}"
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("The fragment cache cannot be reached", exc_info=True)
        return render()
    if kept is not None:
        return mark_safe(kept)  # noqa: S308 (HTML this module rendered and kept)
    html = render()
    try:
        cache.set(key, str(html), timeout=settings.SCRUTINY_PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("The fragment cache cannot be reached", exc_info=True)
    return html


_MISSING = object()


def kept(name: str, *parts, load, keep_none: bool = True):
    """`load()`'s result, kept under the content version and `parts` until the next
    change: for the selectors, whose reads are the same for every reader before the
    access policy decides what each may see of them (a meeting, its agenda and papers).
    The caller applies the policy to what it gets, kept or not.

    Read afresh inside any transaction: one that writes must read its own changes, and
    one that reads to decide what to write (a build checking, with rows locked, that
    what it rendered still stands) must read what other transactions have committed,
    whose bumps of the version may not have reached the cache yet.

    `keep_none=False` where `parts` come from the address and None means "no such
    thing": anyone could otherwise fill the cache with misses."""
    from django.db import connection

    version = None if connection.in_atomic_block else fragment_version()
    if version is None:
        return load()
    key = f"scrutiny:kept:{name}:{version}:" + ":".join(map(str, parts))
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001 (a cache that is down: read every time)
        logger.warning("The fragment cache cannot be reached", exc_info=True)
        return load()
    if value is not _MISSING:
        return value
    value = load()
    if value is None and not keep_none:
        return value
    try:
        cache.set(key, value, timeout=settings.SCRUTINY_PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("The fragment cache cannot be reached", exc_info=True)
    return value


def render_fragment(template_name: str, context: dict) -> SafeString:
    """Render a fragment's template from its data alone: no request, so no user (the
    council's name and contact, the same for everyone, are given)."""
    return render_to_string(
        template_name,
        {
            "council_name": settings.COUNCIL_NAME,
            "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
            **context,
        },
    )


# What a kept response keeps of its headers besides its body.
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Last-Modified")


def kept_for_everyone(view):
    """For a view that answers everyone alike, the public's view whoever asks (the news
    and calendar feeds, which are read as AnonymousUser): its response is kept under the
    content version and its address, and given to signed-in readers too, who never get
    a kept page. Only addresses without a query string, which anyone could vary."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        version = fragment_version()
        if version is None or request.method not in ("GET", "HEAD") or request.GET:
            return view(request, *args, **kwargs)
        address = f"{request.scheme}|{request.get_host()}|{request.path}"
        key = f"scrutiny:kept-response:{version}:{hashlib.sha256(address.encode()).hexdigest()}"
        try:
            kept_response = cache.get(key)
        except Exception:  # noqa: BLE001
            logger.warning("The fragment cache cannot be reached", exc_info=True)
            return view(request, *args, **kwargs)
        if kept_response is not None:
            body, headers = kept_response
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            try:
                cache.set(
                    key,
                    (response.content, headers),
                    timeout=settings.SCRUTINY_PAGE_CACHE_SECONDS,
                )
            except Exception:  # noqa: BLE001
                logger.warning("The fragment cache cannot be reached", exc_info=True)
        return response

    return wrapped
