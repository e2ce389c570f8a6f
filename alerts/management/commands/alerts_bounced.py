from django.core.management.base import BaseCommand

from alerts.services import subscription_bounced


class Command(BaseCommand):
    help = (
        "Stop every e-mail alert to addresses that bounce (from the mail provider's bounce "
        "report). They are never subscribed again but by their owner, confirming afresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+")

    def handle(self, *args, **options):
        stopped = sum(subscription_bounced(email=address) for address in options["addresses"])
        self.stdout.write(f"Stopped {stopped} subscription(s).")
