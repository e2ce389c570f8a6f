"""Public pages under growing data: response time and SQL queries per page.

Builds a throw-away SQLite database, fills it with committees, members and
meetings at two sizes, and prints median and 95th-percentile times and the
query count of the home, committee and meeting pages. The query count must
not grow with the data (the tests assert it); the times show what a request
costs on this machine.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["SCRUTINY_VAR_DIR"] = tempfile.mkdtemp(prefix="scrutiny-bench-")
os.environ["DJANGO_DEBUG"] = "true"
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Meeting, MeetingStatus  # noqa: E402
from scrutiny.models import Committee, Membership, MembershipRole, Person  # noqa: E402

REQUESTS = 40


def fill(committees: int, members: int, meetings: int) -> Committee:
    now = timezone.now()
    for c in range(Committee.objects.count(), committees):
        Committee.objects.create(name=f"Committee {c}", slug=f"committee-{c}")
    target = Committee.objects.order_by("pk").first()
    have = target.memberships.count()
    people = Person.objects.bulk_create(
        Person(kind="councillor", forenames="A", surname=f"Member{n}") for n in range(have, members)
    )
    Membership.objects.bulk_create(
        Membership(
            committee=target,
            person=p,
            role=MembershipRole.MEMBER,
            start_date=datetime.date(2017, 5, 1),
        )
        for p in people
    )
    have = target.meetings.count()
    Meeting.objects.bulk_create(
        Meeting(
            committee=target,
            starts_at=now + datetime.timedelta(days=(10 - n) * 30, hours=n % 7),  # 10 ahead
            venue="Council Chamber",
            status=MeetingStatus.AGENDA_PUBLISHED,
            published_at=now,
        )
        for n in range(have, meetings)
    )
    return target


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches and templates
    times = []
    for _ in range(REQUESTS):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = len(connection.queries)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def main():
    call_command("migrate", verbosity=0)
    setup_test_environment()
    client = Client()
    print(f"{'data':<38} {'page':<10} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for committees, members, meetings in ((5, 10, 20), (50, 40, 400)):
        committee = fill(committees, members, meetings)
        meeting = committee.meetings.first()
        label = f"{committees} committees, {members} members, {meetings} meetings"
        for name, url in (
            ("home", "/"),
            ("committee", committee.get_absolute_url()),
            ("meeting", meeting.get_absolute_url()),
        ):
            median, p95, queries = measure(client, url)
            print(f"{label:<38} {name:<10} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
