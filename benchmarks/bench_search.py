"""Search at a large council's scale, on PostgreSQL.

Ten years of papers of 20 committees (150 meetings a year, 15 items a meeting, two
10-page papers an item, one minute an item; a tenth of the items exempt) are written
into the search index once, into the database `scrutiny_bench_search` (or the one
SEARCH_BENCH_DATABASE_URL names), and kept there for the next run; `--rebuild` makes
them again. The words come from the seed papers: each committee draws its papers from
its own share of the seeds' sentences, and each paper is about one thing (its sentences
come from one passage of that share), so a term is common in some papers and absent
from most, as in a real council's papers.

For a set of searches a resident, a member or an officer would type, it prints the
median time of a whole results page (count, ranking, the page of 20 and its
highlighted snippets) for an anonymous reader and for a member of two committees
(whose exempt entries join the access filter), beside the same search with no access
filter at all, measured in the same run.
"""

import argparse
import datetime
import glob
import io
import os
import random
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
DATABASE_URL = os.environ.get(
    "SEARCH_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scrutiny_bench_search"
)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_DEBUG"] = "true"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

COMMITTEES = 20
YEARS = 10
MEETINGS_A_YEAR = 150
ITEMS_A_MEETING = 15
PAPERS_AN_ITEM = 2
WORDS_A_PAGE = 400
PAGES_A_PAPER = 10
EXEMPT_EVERY = 10  # one item in ten is exempt
RUNS = 15
PASSAGE = 120  # sentences a paper draws on
# Bumped whenever the generated data changes, so an older copy is rebuilt.
DATASET = "search-bench-4"

SEARCHES = [
    "Strategic Assessment",
    "anti-social behaviour",
    "domestic abuse",
    "Police and Crime Commissioner",
    '"community safety partnership"',
    "CCTV",
    "work programme",
    "night-time economy",
    "shoplifting",
    "fly-tipping -planning",
    "Hook",
    "knife crime",
]


def ensure_database() -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(DATABASE_URL)
    server = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    server.close()


ensure_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser, Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import AgendaItem, AgendaSection, Meeting, MeetingStatus  # noqa: E402
from scrutiny.access import Role  # noqa: E402
from scrutiny.models import Committee, Membership, MembershipRole, Person  # noqa: E402
from search.models import EntryKind, SearchEntry  # noqa: E402
from search.selectors import search, search_entries  # noqa: E402
from search.services import entry_vector, title_vector  # noqa: E402

MARKER = "bench-dataset"


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(glob.glob(str(SEEDS / "*.txt"))):
        text = re.sub(r"\s+", " ", Path(path).read_text(encoding="utf-8"))
        for sentence in re.split(r"(?<=[.;:?!])\s+", text):
            if len(sentence.split()) >= 5:
                sentences.append(sentence.strip())
    return sentences


def paper_text(rng: random.Random, pool: list[str], words: int) -> str:
    start = rng.randrange(max(1, len(pool) - PASSAGE))
    passage = pool[start : start + PASSAGE]
    chosen, count = [], 0
    while count < words:
        sentence = rng.choice(passage)
        chosen.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(chosen)


def _copy_entries(rows: list[tuple]) -> None:
    def field(value) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(field(value) for value in row) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY search_searchentry (kind, meeting_id, committee_id, item_id, title, text, "
            "url, date, year, is_exempt, has_exempt_version) FROM STDIN",
            buffer,
        )


def _vectors_of(committee_id: int) -> None:
    try:
        SearchEntry.objects.filter(committee_id=committee_id).update(
            vector=entry_vector(), title_vector=title_vector()
        )
    finally:
        connections.close_all()


def build() -> float:
    start = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(2026)
    sentences = seed_sentences()
    titles = [s[:120] for s in sentences if len(s) < 120] or ["Report"]
    committees = Committee.objects.bulk_create(
        Committee(name=f"Committee {c + 1}", slug=f"committee-{c + 1}") for c in range(COMMITTEES)
    )
    # Each committee writes about its own things: a third of the seeds' sentences
    # (all of them for the first, the Crime and Disorder committee of the seeds).
    pools = [sentences] + [
        [sentences[i] for i in sorted(rng.sample(range(len(sentences)), len(sentences) // 3))]
        for _ in range(COMMITTEES - 1)
    ]
    first = datetime.datetime(2016, 5, 10, 18, 0, tzinfo=datetime.UTC)
    meetings = []
    for number in range(YEARS * MEETINGS_A_YEAR):
        committee = committees[number % COMMITTEES]
        starts = first + datetime.timedelta(days=number * 365 * YEARS // (YEARS * 150))
        meetings.append(
            Meeting(
                committee=committee,
                starts_at=starts,
                venue="Council Chamber",
                status=MeetingStatus.AGENDA_PUBLISHED,
                published_at=starts - datetime.timedelta(days=7),
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    items = []
    for meeting in meetings:
        for position in range(1, ITEMS_A_MEETING + 1):
            exempt = position % EXEMPT_EVERY == 0
            items.append(
                AgendaItem(
                    meeting=meeting,
                    section=AgendaSection.EXEMPT if exempt else AgendaSection.PUBLIC,
                    position=position,
                    title=rng.choice(titles),
                    purpose="To consider the report and make recommendations.",
                    exempt_paragraph=3 if exempt else None,
                    exempt_reason="Commercially sensitive information" if exempt else "",
                )
            )
    items = AgendaItem.objects.bulk_create(items, batch_size=5000)
    by_meeting = {meeting.pk: meeting for meeting in meetings}
    rows = []
    for item in items:
        meeting = by_meeting[item.meeting_id]
        committee_index = (meeting.committee_id - committees[0].pk) % COMMITTEES
        pool = pools[committee_index]
        year = meeting.starts_at.year - (1 if meeting.starts_at.month < 5 else 0)
        common = (meeting.pk, meeting.committee_id, item.pk)
        url = f"/meetings/{meeting.pk}/items/{item.pk}/"
        exempt = item.section == AgendaSection.EXEMPT
        if exempt:
            rows.append(
                (
                    EntryKind.ITEM,
                    *common,
                    "Exempt item",
                    "",
                    url,
                    meeting.starts_at,
                    year,
                    False,
                    True,
                )
            )
        rows.append(
            (
                EntryKind.ITEM,
                *common,
                item.title,
                item.purpose,
                url,
                meeting.starts_at,
                year,
                exempt,
                False,
            )
        )
        for paper in range(PAPERS_AN_ITEM):
            rows.append(
                (
                    EntryKind.PAPER,
                    *common,
                    f"{item.title} - Appendix {paper + 1}",
                    paper_text(rng, pool, WORDS_A_PAGE * PAGES_A_PAPER),
                    f"{url}papers/{paper + 1}/",
                    meeting.starts_at,
                    year,
                    exempt,
                    False,
                )
            )
        rows.append(
            (
                EntryKind.MINUTE,
                *common,
                f"Minute: {item.title}",
                paper_text(rng, pool, 200),
                f"/meetings/{meeting.pk}/minutes/#item-{item.pk}",
                meeting.starts_at,
                year,
                exempt,
                False,
            )
        )
        if len(rows) >= 5000:
            _copy_entries(rows)
            rows = []
    _copy_entries(rows)
    print(f"  {SearchEntry.objects.count():,} entries written; making their vectors")
    connections.close_all()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(_vectors_of, [c.pk for c in committees]))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchentry")
    Group.objects.get_or_create(name=MARKER, defaults={})
    Group.objects.filter(name=MARKER).update(name=f"{MARKER}:{DATASET}")
    return time.perf_counter() - start


def member_of_two_committees():
    user = get_user_model().objects.create_user("bench-member", password=None)
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER)[0])
    person = Person.objects.create(kind="councillor", forenames="A", surname="Member", user=user)
    for committee in Committee.objects.order_by("pk")[:2]:
        Membership.objects.create(
            committee=committee,
            person=person,
            role=MembershipRole.MEMBER,
            start_date=datetime.date(2016, 5, 1),
        )
    return user


def timed(run) -> tuple[float, str]:
    run()  # warm
    times, count = [], ""
    for _ in range(RUNS):
        start = time.perf_counter()
        results = run()
        times.append((time.perf_counter() - start) * 1000)
        count = f"{results.count:,}{'+' if results.more else ''}"
    return statistics.median(times), count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="make the data again")
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    ready = Group.objects.filter(name=f"{MARKER}:{DATASET}").exists()
    if arguments.rebuild or not ready:
        print("Writing ten years of a large council's papers into the index (once)...")
        print(f"  built in {build():.0f} s")
    member = get_user_model().objects.filter(username="bench-member").first()
    if member is None:
        member = member_of_two_committees()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('search_searchentry')), "
            "pg_size_pretty(pg_relation_size('search_entry_vector'))"
        )
        table_size, index_size = cursor.fetchone()
        cursor.execute("SELECT sum(length(text)) FROM search_searchentry")
        characters = cursor.fetchone()[0]
    entries = SearchEntry.objects.count()
    print(
        f"{COMMITTEES} committees, {Meeting.objects.count():,} meetings, "
        f"{AgendaItem.objects.count():,} items, {entries:,} index entries "
        f"({characters / 1e6:,.0f} million characters; table {table_size}, "
        f"GIN index {index_size}); PostgreSQL {connection.pg_version // 10000}, "
        f"{os.cpu_count()} cores; median of {RUNS} runs of a whole results page"
    )
    anonymous = AnonymousUser()
    print(
        f"{'search':<34} {'matches':>8} {'no filter ms':>13} {'anonymous ms':>13} {'member ms':>10}"
    )
    bare, public, members = [], [], []
    for text in SEARCHES:
        unfiltered, total = timed(lambda t=text: search_entries(SearchEntry.objects.all(), text=t))
        anon, _ = timed(lambda t=text: search(user=anonymous, text=t))
        as_member, _ = timed(lambda t=text: search(user=member, text=t))
        bare.append(unfiltered)
        public.append(anon)
        members.append(as_member)
        print(f"{text:<34} {total:>8} {unfiltered:>13.1f} {anon:>13.1f} {as_member:>10.1f}")
    print(
        f"{'median of the searches':<34} {'':>8} {statistics.median(bare):>13.1f} "
        f"{statistics.median(public):>13.1f} {statistics.median(members):>10.1f}"
    )
    print(f"{'slowest':<34} {'':>8} {max(bare):>13.1f} {max(public):>13.1f} {max(members):>10.1f}")
    print(f"(measured {timezone.now():%Y-%m-%d})")


if __name__ == "__main__":
    main()
