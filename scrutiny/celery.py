"""The one Celery app: reads CELERY_* settings and finds each app's tasks.py."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

app = Celery("scrutiny")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def send_what_waited(sender=None, **kwargs):
    """A worker that starts sends again what the queue could not take while it was down."""
    from scrutiny.queue import undelivered_tasks_send

    undelivered_tasks_send()
