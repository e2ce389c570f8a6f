import time

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from packs.models import Pack
from packs.services import packs_build


class Command(BaseCommand):
    help = (
        "Build the agenda packs of a meeting (or of every published meeting with --all) "
        "now, in this process, and print their page counts and the time taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", nargs="?", type=int)
        parser.add_argument("--all", action="store_true", help="every published meeting")

    def handle(self, *args, meeting_id=None, all=False, **options):
        if all == (meeting_id is not None):
            raise CommandError("Give one meeting id, or --all.")
        meetings = Meeting.objects.published().select_related("committee")
        if meeting_id is not None:
            meetings = meetings.filter(pk=meeting_id)
            if not meetings.exists():
                raise CommandError(f"No published meeting has id {meeting_id}.")
        failures = 0
        for meeting in meetings.order_by("starts_at"):
            started = time.perf_counter()
            outcome = packs_build(meeting_id=meeting.pk)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{meeting}: {outcome} in {seconds:.2f} s")
            for pack in Pack.objects.filter(meeting=meeting).order_by("kind"):
                if pack.error:
                    failures += 1
                    self.stdout.write(f"  {pack.get_kind_display()}: failed: {pack.error}")
                elif pack.file:
                    self.stdout.write(
                        f"  {pack.get_kind_display()}: pages {pack.first_page}-"
                        f"{pack.last_page} ({pack.page_count} pages), {pack.size:,} bytes"
                    )
        if failures:
            raise CommandError(f"{failures} pack build(s) failed.")
