from django.core.management.base import BaseCommand

from scrutiny.models import UndeliveredTask
from scrutiny.queue import undelivered_tasks_send


class Command(BaseCommand):
    help = (
        "Send again the background jobs the task queue could not take while it was down "
        "(workers do this as they start, and beat every minute)."
    )

    def handle(self, *args, **options):
        sent = undelivered_tasks_send()
        waiting = UndeliveredTask.objects.count()
        self.stdout.write(f"Sent {sent} job(s); {waiting} still waiting for the queue.")
