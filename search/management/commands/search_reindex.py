from django.core.management.base import BaseCommand

from meetings.models import PUBLIC_STATUSES, Meeting
from search.models import VersionText
from search.services import search_index_meeting


class Command(BaseCommand):
    help = (
        "Build the search index of every published meeting (after installing search on a "
        "site with history, or restoring a backup). Papers' words are then extracted by "
        "the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Extract again the words of papers whose extraction failed (found until "
            "then by their titles only).",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            failed = VersionText.objects.exclude(error="")
            count = failed.count()
            failed.delete()  # the rebuild below asks the worker for their words again
            self.stdout.write(f"Extracting the words of {count} paper(s) again.")
        total = 0
        meetings = Meeting.objects.filter(status__in=PUBLIC_STATUSES).order_by("starts_at")
        for meeting in meetings.iterator():
            total += search_index_meeting(meeting=meeting)
        self.stdout.write(f"Indexed {meetings.count()} meeting(s): {total} entries.")
