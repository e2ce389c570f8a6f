"""Delete cached renderings of papers that no pack build has used for a while."""

from django.core.management.base import BaseCommand

from packs.services import render_cache_prune


class Command(BaseCommand):
    help = (
        "Delete cached renderings of papers no build has used for SCRUTINY_RENDER_CACHE_DAYS "
        "days (every build also clears a batch; this clears them all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Unused for this many days.")

    def handle(self, *args, days=None, **options):
        total = 0
        while pruned := render_cache_prune(unused_for_days=days):
            total += pruned
        self.stdout.write(f"Pruned {total} cached rendering{'s' if total != 1 else ''}.")
