from django.core.management.base import BaseCommand

from workplan import services


class Command(BaseCommand):
    help = (
        "E-mail owners whose actions fall due within a week (once per due date), and each "
        "committee's co-ordinators a digest of overdue actions (once a week). Run daily."
    )

    def handle(self, *args, **options):
        reminders = services.actions_remind()
        digests = services.actions_digest()
        self.stdout.write(f"Reminders queued: {reminders}. Weekly digests queued: {digests}.")
