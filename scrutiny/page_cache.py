"""The anonymous page cache: public pages kept whole in the shared cache, keyed by a
content version that every committed change to the site's data bumps.

Only what an anonymous reader would be given is kept: a GET with no session cookie,
answered 200 with HTML, XML or iCalendar, setting no cookie, and not marked private by
the view or the exempt middleware (which marks everything a signed-in user receives).
A kept page carries an ETag and Last-Modified and asks browsers to revalidate
(`no-cache`), so a reload costs a 304.

Any INSERT, UPDATE or DELETE to a table other than the logs below, once its
transaction commits, bumps the version (scrutiny.page_cache.install_write_watch): the
next request renders afresh, through the access policy. A kept page also expires after
SCRUTINY_PAGE_CACHE_SECONDS, for what changes with the clock alone.

It is on only with a shared cache (SCRUTINY_CACHE_URL): with a cache in each process,
one process's change could not retire the pages another keeps.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

VERSION_KEY = "scrutiny:content-version"
# Writes that change no page an anonymous reader sees.
UNWATCHED_TABLES = (
    "exempt_accesslog",
    "scrutiny_readervisit",
    "django_session",
    "axes_",
    "scrutiny_sentmail",
    "scrutiny_undeliveredtask",
    "alerts_alertdelivery",
    "django_admin_log",
    "search_",
    "notes_note",
)
CACHED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "text/calendar")
UNCACHED_PREFIXES = ("/accounts/", "/admin/", "/api/", "/healthz", "/static/", "/exempt/")
# Statements that change nothing: reads and transaction control. Everything else (any
# INSERT, UPDATE, DELETE, REPLACE, MERGE, WITH ..., TRUNCATE, DDL) counts as a write.
_READ = re.compile(
    r"\(*\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|PRAGMA|EXPLAIN)\b", re.I
)
# The table a plain write names, so that writes to the logs above are left out.
_TABLE = re.compile(
    r"(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z0-9_]+)",
    re.I,
)
_COMMENTS = re.compile(r"^(?:\s+|/\*.*?\*/|--[^\n]*\n?)*", re.S)


def _is_watched_write(sql) -> bool:
    if not isinstance(sql, str):
        sql = str(sql)
    statement = sql[_COMMENTS.match(sql).end() :]
    if _READ.match(statement):
        return False
    table = _TABLE.match(statement)
    return not (table and table.group(1).lower().startswith(UNWATCHED_TABLES))


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never start again from a number used before: pages kept under an old number
        # (the key evicted, or a replica behind) must not come back.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# A bump this process could not make (the cache was down): made before this process
# next serves a kept page, and until then it serves none.
_bump_owed = False


def bump_owed() -> bool:
    return _bump_owed


def content_version_bump() -> None:
    """Retire every kept page. A cache that cannot be reached must not turn a committed
    change into an error: the bump is owed, and kept pages expire on their own."""
    global _bump_owed
    from .fragments import forget_version

    forget_version()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not there yet (or evicted): a new, never-used number
            cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001
        _bump_owed = True
        logger.warning("The page cache cannot be reached: its pages are retired later")
    else:
        _bump_owed = False


def writes_pending(connection) -> bool:
    """Whether this connection's open transaction has changed data the content version
    will know of only when it commits."""
    return connection.in_atomic_block and any(
        func is content_version_bump for _, func, _ in connection.run_on_commit
    )


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _is_watched_write(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            content_version_bump()
        # Once per transaction; a rolled-back savepoint takes its callback with it.
        elif not writes_pending(connection):
            transaction.on_commit(content_version_bump, using=connection.alias)
    return result


def install_write_watch(sender, connection, **kwargs) -> None:
    """connection_created: watch every statement this connection runs."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _cacheable_request(request) -> bool:
    # Only addresses without a query (a page number aside): anyone can invent query
    # strings, and each would be another page kept.
    return (
        settings.SCRUTINY_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(UNCACHED_PREFIXES)
        and set(request.GET) <= {"page"}
        and all(value.isdigit() and len(value) < 6 for value in request.GET.getlist("page"))
    )


def _key(request, version: int) -> str:
    varies = "|".join(
        (
            request.get_host(),
            request.get_full_path(),
            "https" if request.is_secure() else "http",
            "htmx" if request.headers.get("HX-Request") else "",
        )
    )
    return f"scrutiny:page:{version}:{hashlib.sha256(varies.encode()).hexdigest()}"


def _cacheable_response(request, response) -> bool:
    control = response.get("Cache-Control", "").lower()
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and response.get("Content-Type", "").split(";")[0] in CACHED_TYPES
        and not getattr(request, "scrutiny_exempt_shown", False)
        and not (user is not None and user.is_authenticated)
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        if _bump_owed:
            content_version_bump()
            if _bump_owed:
                return self.get_response(request)
        try:
            key = _key(request, content_version())
            kept = cache.get(key)
        except Exception:  # noqa: BLE001 (a cache that is down: render the page)
            logger.warning("The page cache cannot be reached", exc_info=True)
            return self.get_response(request)
        if kept is not None:
            return self._answer(request, kept)
        response = self.get_response(request)
        if _cacheable_response(request, response):
            content = response.content
            kept = {
                "content": content,
                "headers": {
                    name: value
                    for name, value in response.items()
                    if name.lower() not in ("set-cookie", "date")
                },
                "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
                "modified": http_date(),
            }
            try:
                cache.set(key, kept, timeout=settings.SCRUTINY_PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("The page cache cannot be reached", exc_info=True)
            return self._answer(request, kept)
        return response

    def _answer(self, request, kept):
        response = HttpResponse(kept["content"])
        for name, value in kept["headers"].items():
            response[name] = value
        response["ETag"] = kept["etag"]
        response["Last-Modified"] = kept["modified"]
        response["Cache-Control"] = "no-cache"
        # 304 by the ETag only: Last-Modified counts whole seconds, and two versions
        # of a page can be kept within one.
        return get_conditional_response(request, etag=kept["etag"], response=response)
