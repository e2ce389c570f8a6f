"""The one Celery app: reads CELERY_* settings and finds each app's tasks.py."""

import os

from celery import Celery
from celery.signals import task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

app = Celery("scrutiny")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def retire_pages_owed(sender=None, **kwargs):
    """A worker that could not retire the kept pages after a change (the cache was
    down) does so before its next task."""
    from scrutiny import page_cache

    if page_cache._bump_owed:
        page_cache.content_version_bump()


@worker_ready.connect
def send_what_waited(sender=None, **kwargs):
    """A worker that starts sends again what the queue could not take while it was down."""
    from scrutiny.queue import undelivered_tasks_send

    undelivered_tasks_send()
