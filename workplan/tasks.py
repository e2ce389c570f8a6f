"""Scheduled work: reminders to owners of actions falling due, and the weekly digest of
overdue actions. Celery beat runs it daily where a worker runs; with in-process tasks,
`manage.py send_action_reminders` from cron does the same."""

from celery import shared_task

from . import services


@shared_task
def send_action_reminders() -> dict:
    return {
        "reminders": services.actions_remind(),
        "digests": services.actions_digest(),
    }
