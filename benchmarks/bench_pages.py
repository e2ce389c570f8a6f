"""Public pages under growing data: response time and SQL queries per page.

Builds a throw-away SQLite database, fills it with committees, members,
meetings, agenda items and their papers at two sizes, and prints median and
95th-percentile times and the query count of the home, committee, meeting,
agenda item, calendar and iCalendar feed pages. The query count must not grow
with the data (the tests assert it); the times show what a request costs on
this machine.
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

from meetings.models import AgendaItem, AgendaSection, Meeting, MeetingStatus  # noqa: E402
from papers.models import Document, DocumentVersion  # noqa: E402
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


def fill_agenda(meeting: Meeting, items: int, papers_per_item: int) -> None:
    """Public items with papers, a third of them exempt appendices, and a few exempt items."""
    have = meeting.items.count()
    new_items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            section=AgendaSection.EXEMPT if n % 10 == 9 else AgendaSection.PUBLIC,
            position=n + 1,
            title=f"Item {n}",
            purpose="To note the report.",
            exempt_paragraph=3 if n % 10 == 9 else None,
            exempt_reason="Confidence" if n % 10 == 9 else "",
        )
        for n in range(have, items)
    )
    for item in new_items:
        for p in range(papers_per_item):
            document = Document.objects.create(
                item=item,
                title=f"Appendix {p}",
                position=p + 1,
                is_exempt=p % 3 == 2,
                exempt_paragraph=3 if p % 3 == 2 else None,
            )
            version = DocumentVersion.objects.create(
                document=document, number=1, format="pdf", size=250_000, page_count=12
            )
            Document.objects.filter(pk=document.pk).update(current_version=version)


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
    for committees, members, meetings, items in ((5, 10, 20, 12), (50, 40, 400, 60)):
        committee = fill(committees, members, meetings)
        meeting = committee.meetings.first()
        fill_agenda(meeting, items, papers_per_item=2)
        item = meeting.items.order_by("position").first()
        starts = timezone.localtime(meeting.starts_at)
        label = f"{committees} committees, {members} members, {meetings} meetings"
        print(f"{label}; agenda of {items} items, {items * 2} papers")
        for name, url in (
            ("home", "/"),
            ("committee", committee.get_absolute_url()),
            ("meeting", meeting.get_absolute_url()),
            ("item", f"/meetings/{meeting.pk}/items/{item.pk}/"),
            ("calendar", f"/meetings/calendar/{starts.year}/{starts.month}/"),
            ("feed", f"/committees/{committee.slug}/meetings.ics"),
        ):
            median, p95, queries = measure(client, url)
            print(f"{label:<38} {name:<10} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
