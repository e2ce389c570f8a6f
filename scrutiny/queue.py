"""Enqueue a Celery task once the transaction that asked for it has committed.

A broker that cannot be reached must not turn a change that has been saved into an
error page: the change stands (with whatever it withdrew), the failure is logged, and
the work waits for a retry (the co-ordinator's "Rebuild" button, the next change).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, countdown: float | None = None) -> None:
    def send():
        try:
            task.apply_async(args=list(args), countdown=countdown)
        except Exception:
            logger.exception("Could not queue %s%r: is the broker running?", task.name, args)

    transaction.on_commit(send)
