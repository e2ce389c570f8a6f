"""Expire upload previews left unconfirmed, and the figures they held."""

from django.core.management.base import BaseCommand

from performance.services import upload_previews_expire


class Command(BaseCommand):
    help = (
        "Expire previews of performance data uploads left unconfirmed for "
        "SCRUTINY_UPLOAD_PREVIEW_DAYS days, deleting the rows they held (every upload also "
        "expires a batch; this expires them all)."
    )

    def handle(self, *args, **options):
        total = 0
        while expired := upload_previews_expire():
            total += expired
        self.stdout.write(f"Expired {total} unconfirmed preview{'s' if total != 1 else ''}.")
