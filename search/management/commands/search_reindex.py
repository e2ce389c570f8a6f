from django.core.management.base import BaseCommand

from meetings.models import PUBLIC_STATUSES, Meeting
from search.services import search_index_meeting


class Command(BaseCommand):
    help = (
        "Build the search index of every published meeting (after installing search on a "
        "site with history, or restoring a backup). Papers' words are then extracted by "
        "the worker."
    )

    def handle(self, *args, **options):
        total = 0
        meetings = Meeting.objects.filter(status__in=PUBLIC_STATUSES).order_by("starts_at")
        for meeting in meetings.iterator():
            total += search_index_meeting(meeting=meeting)
        self.stdout.write(f"Indexed {meetings.count()} meeting(s): {total} entries.")
