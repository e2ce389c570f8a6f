"""Enqueue Celery tasks once the transaction that asked for them has committed, and
keep what the task queue could not take.

A broker that cannot be reached must not turn a change that has been saved into an
error page, nor lose the work the change asked for: the change stands, the task is kept
as an UndeliveredTask row, the person who asked is told that it waits (see
QueueFailureNoticeMiddleware), and it is sent again when the queue is back (a worker
that starts, the periodic redelivery, or `manage.py tasks_redeliver`). Tasks must
therefore be idempotent: pack builds carry a token, notices a key.
"""

import contextvars
import logging

from celery import current_app
from django.contrib import messages
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# What could not be queued during this request (read by the middleware below).
_undelivered_now: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "undelivered_now", default=None
)

# What the queue is down for, in words, by task name.
TASK_WORDS = {
    "packs.tasks.build_meeting_packs": "building the agenda packs",
    "scrutiny.tasks.send_notice": "sending an e-mail",
    "alerts.tasks.send_alerts": "sending alerts",
    "alerts.tasks.send_alert_mail": "sending an alert e-mail",
    "minutes.tasks.build_minutes_pdf": "making the minutes PDF",
    "papers.tasks.convert_document_version": "converting an upload to PDF",
    "search.tasks.extract_version_text": "indexing a paper for search",
}


def _queue_is_in_process() -> bool:
    return bool(current_app.conf.task_always_eager)


def enqueue_on_commit(task, *args, countdown: float | None = None) -> None:
    def send():
        try:
            task.apply_async(args=list(args), countdown=countdown)
        except (BrokerError, ConnectionError, TimeoutError) as error:
            if _queue_is_in_process():
                logger.exception("%s%r failed in process", task.name, args)
                return
            _keep(task.name, list(args), error)
        except Exception:
            logger.exception("Could not queue %s%r: is the broker running?", task.name, args)

    transaction.on_commit(send)


def _keep(task_name: str, args: list, error: BaseException) -> None:
    from .models import UndeliveredTask

    logger.error("Could not queue %s%r (%s): kept to send again", task_name, args, error)
    UndeliveredTask.objects.create(task_name=task_name, args=args, last_error=str(error)[:500])
    noted = _undelivered_now.get()
    if noted is not None:
        noted.append(task_name)


def undelivered_tasks_send(*, limit: int = 500) -> int:
    """Send again what the queue could not take, oldest first; what fails again stays
    for the next attempt. Returns how many were sent."""
    from .models import UndeliveredTask

    sent = 0
    with transaction.atomic():
        # Two workers starting together must not send the same task twice.
        waiting = list(
            UndeliveredTask.objects.select_for_update(skip_locked=True).order_by(
                "created_at", "pk"
            )[:limit]
        )
        for row in waiting:
            try:
                current_app.send_task(row.task_name, args=row.args)
            except (BrokerError, ConnectionError, TimeoutError) as error:
                row.attempts += 1
                row.last_error = str(error)[:500]
                row.save(update_fields=["attempts", "last_error"])
                logger.warning("The task queue is still down: %d tasks wait", len(waiting) - sent)
                break
            row.delete()
            sent += 1
    if sent:
        logger.info("Sent %d tasks the queue could not take before", sent)
    return sent


def undelivered_now() -> list[str]:
    """The tasks this request asked for that the queue could not take (after commit)."""
    return list(_undelivered_now.get() or [])


def undelivered_count(*, task_name: str | None = None, first_arg=None) -> int:
    from .models import UndeliveredTask

    rows = UndeliveredTask.objects.all()
    if task_name is not None:
        rows = rows.filter(task_name=task_name)
    if first_arg is not None:
        rows = rows.filter(args__0=first_arg)
    return rows.count()


def _describe(task_names: list[str]) -> str:
    words = []
    for name in task_names:
        word = TASK_WORDS.get(name, "background work")
        if word not in words:
            words.append(word)
    return ", ".join(words)


class QueueFailureNoticeMiddleware:
    """Tells the person whose action asked for background work that the task queue
    could not take it, so no page says a job started that did not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        noted: list[str] = []
        token = _undelivered_now.set(noted)
        try:
            response = self.get_response(request)
        finally:
            _undelivered_now.reset(token)
        if noted and hasattr(request, "_messages"):
            count = len(noted)
            jobs = "1 background job" if count == 1 else f"{count} background jobs"
            messages.warning(
                request,
                f"The task queue cannot be reached just now, so {jobs} ({_describe(noted)}) "
                "did not start. What you saved is saved, and the job is kept: it starts "
                "when the queue is back.",
            )
        return response
