from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.demo import load_meetings
from minutes.demo import load_minutes
from papers.demo import load_papers, load_requests
from performance.demo import load_data_officer, load_performance, load_report
from scrutiny.demo import DEMO_PASSWORD, load_committee, load_logins
from workplan.demo import load_work_plan


class Command(BaseCommand):
    help = (
        "Load the demo Crime and Disorder (Overview and Scrutiny) Committee from the seed "
        "papers. Safe to run again. Demo logins are created only with DEBUG on or "
        "--with-logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-logins",
            action="store_true",
            help="Create the demo logins even when DEBUG is off (never on a live site).",
        )

    @transaction.atomic
    def handle(self, *args, with_logins=False, **options):
        committee, people = load_committee()
        meetings = load_meetings(committee=committee)
        load_papers(meetings=meetings)
        load_minutes(meetings=meetings, people=people)
        planned = load_work_plan(committee=committee)
        uploads = load_performance(committee=committee)
        load_report(committee=committee)
        self.stdout.write(
            f"Loaded {committee.name}: {committee.memberships.count()} memberships, "
            f"{len(people)} people, {len(meetings)} meetings."
        )
        self.stdout.write(f"Work programme: {planned} items.")
        self.stdout.write(f"Imported {uploads} quarterly uploads of illustrative performance data.")
        if not (settings.DEBUG or with_logins):
            self.stdout.write("No demo logins created (DEBUG is off; use --with-logins).")
            return
        logins = load_logins(committee=committee, people=people)
        users = get_user_model().objects.in_bulk(
            ["officer", "coordinator", "dataofficer"], field_name="username"
        )
        load_requests(meetings=meetings, officer=users["officer"], coordinator=users["coordinator"])
        load_data_officer(
            committee=committee, officer=users["dataofficer"], coordinator=users["coordinator"]
        )
        self.stdout.write(f"Demo logins (password for each: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.describes}")
