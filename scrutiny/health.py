"""The health endpoint (/healthz) and the page shown when the database cannot be reached.

/healthz reports each part separately, for a load balancer and for whoever is on call:
the database, the task queue's broker, the cache and file storage. It answers 503 only
when the database is down (this process cannot serve pages); with the broker, cache or
storage down, pages still work, so it answers 200 with "status": "degraded", and a load
balancer keeps the process in service. It names each failure by its kind only: no
addresses, settings or messages that could help an attacker.
"""

import sys
import threading
import time
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    if current_app.conf.task_always_eager:
        return "in-process"  # no broker configured: tasks run in the web process
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
        broker.default_channel  # noqa: B018 (opens a channel: the broker answers)
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)
    return "ok"


def _check_storage() -> str:
    # Writes, reads and deletes a few bytes: a store that can list but not write is down.
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage returned other bytes")
    finally:
        default_storage.delete(name)
    return "ok"


CHECKS = {
    "database": _check_database,
    "broker": _check_broker,
    "cache": _check_cache,
    "storage": _check_storage,
}


def _run(check) -> dict:
    started = time.perf_counter()
    try:
        state = check()
        result = {"status": state}
    except Exception as error:  # noqa: BLE001 (every failure is a finding, not a crash)
        result = {"status": "down", "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


# The last report and when it was made: a check costs up to a few seconds (a broker
# that does not answer) and a write to storage, so each process makes one at most
# every SCRUTINY_HEALTH_REPORT_SECONDS, however often it is asked.
_last: tuple[float, dict] | None = None
_lock = threading.Lock()


def _parts() -> dict:
    global _last
    with _lock:
        if _last is None or time.monotonic() - _last[0] > settings.SCRUTINY_HEALTH_REPORT_SECONDS:
            _last = (time.monotonic(), {name: _run(check) for name, check in CHECKS.items()})
        return _last[1]


@never_cache
def healthz(request):
    parts = _parts()
    if parts["database"]["status"] == "down":
        status = "down"
    elif any(part["status"] == "down" for part in parts.values()):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "parts": parts},
        status=503 if status == "down" else 200,
    )


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error_or_unavailable(request, *args, **kwargs):
    """handler500: a database that cannot be reached is a plain 503 page asking people to
    try again shortly (it reads nothing from the database); any other error is the
    usual 500 page. Neither shows a trace."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN) or (
        isinstance(error, DatabaseError) and _connection_lost()
    ):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return server_error(request, *args, **kwargs)


def _connection_lost() -> bool:
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001
        return True
