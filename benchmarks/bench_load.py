"""Meeting night at a large council: the site under load, served as in production.

The data: the demo committee's meeting of 21 February 2018 (its agenda, papers, minutes
and packs, from the seed papers), copied to 20 committees over 10 years, 150 meetings
a year (1,500 meetings), each with that meeting's items, papers, minutes and packs; a
member of two committees; the search index of it all. It is built once into the
PostgreSQL database `scrutiny_bench_load` (or LOAD_BENCH_DATABASE_URL), with its files
under var/bench-load/, and kept for later runs; `--rebuild` makes it again.

The server: gunicorn (production settings, SCRUTINY_GUNICORN_WORKERS sync workers,
default 2) on PostgreSQL, with Redis as the broker and the shared cache, so the
anonymous page cache is on. The load: wrk, a separate process, 20 connections, each
kind of request for RUN_SECONDS, then the whole mix; each request picks its address at
random (four in five for the five meetings of the coming week, the rest from the whole
archive). Printed for each: requests a second, median and 95th-percentile latency,
errors, and the requests a second as a share of a minimal Django view's (a view that
returns a short text, on the same server, measured in the same run).
"""

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "LOAD_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scrutiny_bench_load"
)
REDIS = os.environ.get("LOAD_BENCH_REDIS", "redis://127.0.0.1:6379")
FILES = ROOT / "var" / "bench-load" / "private"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_DEBUG"] = "true"
os.environ["SCRUTINY_PRIVATE_STORAGE"] = str(FILES)
os.environ.pop("CELERY_BROKER_URL", None)  # the build runs tasks in process
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

COMMITTEES = 20
YEARS = 10
MEETINGS_A_YEAR = 150
CONNECTIONS = 20
RUN_SECONDS = int(os.environ.get("LOAD_BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("SCRUTINY_GUNICORN_WORKERS", "2"))
DATASET = "load-bench-2"
MARKER = "bench-load-dataset"
TEMPLATE_DAY = datetime.date(2018, 2, 21)
SEARCHES = [
    "anti-social behaviour",
    "domestic abuse",
    "Strategic Assessment",
    "Police and Crime Commissioner",
    "knife crime",
    "community safety partnership",
]

LUA = r"""
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local headers = {}
headers["X-Forwarded-Proto"] = "https"
local cookie = os.getenv("WRK_COOKIE")
if cookie and cookie ~= "" then headers["Cookie"] = cookie end
local failed = 0
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
response = function(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %f, \"p50\": %f, \"p95\": %f, \"errors\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
"""


def ensure_database(rebuild: bool) -> None:
    import psycopg2

    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    name = DATABASE_URL.rsplit("/", 1)[1]
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and rebuild:
            cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def dataset_present() -> bool:
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=f"{MARKER}:{DATASET}").exists()


def build() -> float:
    """The demo, then its meeting of 21 February 2018 copied 1,500 times."""
    import io

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from minutes.models import Attendance, Minute, Minutes, Resolution
    from packs.models import Pack, PackEntry
    from papers.models import Document, DocumentVersion
    from scrutiny.models import Committee, Membership, MembershipRole, Person
    from search.models import VersionText
    from search.services import search_index_meeting

    started = time.perf_counter()
    shutil.rmtree(FILES, ignore_errors=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    template = next(
        m for m in Meeting.objects.all() if timezone.localdate(m.starts_at) == TEMPLATE_DAY
    )
    demo_committee = template.committee
    items = list(AgendaItem.objects.filter(meeting=template).order_by("pk"))
    documents = list(Document.objects.filter(item__meeting=template).order_by("pk"))
    versions = list(DocumentVersion.objects.filter(document__in=documents).order_by("pk"))
    # Two papers an item: items with fewer get copies of an uploaded paper of the template.
    donor = next(d for d in documents if not d.is_report and not d.is_exempt)
    donor_version = next(v for v in versions if v.pk == donor.current_version_id)
    extra = {}
    for item in items:
        have = sum(1 for d in documents if d.item_id == item.pk)
        extra[item.pk] = max(0, 2 - have)
    texts = list(VersionText.objects.filter(version__in=versions))
    minutes = Minutes.objects.filter(meeting=template).first()
    minute_rows = list(Minute.objects.filter(minutes=minutes).order_by("order"))
    resolutions = list(Resolution.objects.filter(minute__in=minute_rows).order_by("pk"))
    attendance = list(Attendance.objects.filter(meeting=template))
    packs = list(Pack.objects.filter(meeting=template).exclude(file=""))
    entries = list(PackEntry.objects.filter(pack__in=packs))
    print(
        f"  template: {len(items)} items, {len(documents)} papers, {len(minute_rows)} minutes, "
        f"{len(packs)} packs"
    )
    committees = [demo_committee] + [
        Committee.objects.create(name=f"Committee {n}", slug=f"committee-{n}")
        for n in range(2, COMMITTEES + 1)
    ]
    first = datetime.datetime(2017, 1, 9, 18, 30, tzinfo=datetime.UTC)
    total = YEARS * MEETINGS_A_YEAR
    now = timezone.now()
    from django.db.models import Max

    numbers: dict[tuple[int, int], int] = {
        (row["committee_id"], row["numbering_year"]): row["top"]
        for row in Minute.objects.values("committee_id", "numbering_year").annotate(
            top=Max("number")
        )
    }

    def clone(row, **changes):
        row = type(row).objects.model(
            **{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
        )
        row.pk = None
        for name, value in changes.items():
            setattr(row, name, value)
        return row

    for number in range(total):
        committee = committees[number % COMMITTEES]
        # The archive runs up to the coming week: the last meetings are the hot ones.
        starts = first + (now + datetime.timedelta(days=5) - first) * (number / (total - 1))
        starts = starts.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
            minutes=number % 60
        )
        if starts.date() == template.starts_at.date() and committee == demo_committee:
            continue
        with transaction.atomic():
            meeting = Meeting.objects.create(
                committee=committee,
                starts_at=starts,
                venue=template.venue,
                status=template.status,
                published_at=starts - datetime.timedelta(days=8),
            )
            new_items = AgendaItem.objects.bulk_create(
                [clone(i, meeting_id=meeting.pk, previous_meeting_id=None) for i in items]
            )
            item_map = {old.pk: new.pk for old, new in zip(items, new_items, strict=True)}
            new_docs = Document.objects.bulk_create(
                [clone(d, item_id=item_map[d.item_id], current_version_id=None) for d in documents]
            )
            doc_map = {old.pk: new for old, new in zip(documents, new_docs, strict=True)}
            new_versions = DocumentVersion.objects.bulk_create(
                [clone(v, document_id=doc_map[v.document_id].pk) for v in versions]
            )
            copies = Document.objects.bulk_create(
                [
                    clone(
                        donor, item_id=item_map[item_id], position=10 + n, current_version_id=None
                    )
                    for item_id, count in extra.items()
                    for n in range(count)
                ]
            )
            copy_versions = DocumentVersion.objects.bulk_create(
                [clone(donor_version, document_id=copy.pk) for copy in copies]
            )
            for copy, version in zip(copies, copy_versions, strict=True):
                copy.current_version_id = version.pk
            Document.objects.bulk_update(copies, ["current_version"])
            donor_text = next((t for t in texts if t.version_id == donor_version.pk), None)
            if donor_text is not None:
                VersionText.objects.bulk_create(
                    [clone(donor_text, version_id=version.pk) for version in copy_versions]
                )
            version_map = {old.pk: new.pk for old, new in zip(versions, new_versions, strict=True)}
            for old in documents:
                doc_map[old.pk].current_version_id = version_map.get(old.current_version_id)
            Document.objects.bulk_update(new_docs, ["current_version"])
            # The papers' words, as the worker extracted them for the template.
            VersionText.objects.bulk_create(
                [clone(t, version_id=version_map[t.version_id]) for t in texts]
            )
            if minutes is not None and starts < now:
                new_minutes = clone(minutes, meeting_id=meeting.pk, confirmed_by_meeting_id=None)
                new_minutes.save()
                year = starts.year - (1 if starts.month < 5 else 0)
                new_rows = []
                for row in minute_rows:
                    key = (committee.pk, year)
                    numbers[key] = numbers.get(key, 0) + 1
                    new_rows.append(
                        clone(
                            row,
                            minutes_id=new_minutes.pk,
                            item_id=item_map.get(row.item_id),
                            committee_id=committee.pk,
                            numbering_year=year,
                            number=numbers[key],
                        )
                    )
                new_rows = Minute.objects.bulk_create(new_rows)
                minute_map = {o.pk: n.pk for o, n in zip(minute_rows, new_rows, strict=True)}
                Resolution.objects.bulk_create(
                    [clone(r, minute_id=minute_map[r.minute_id]) for r in resolutions]
                )
                Attendance.objects.bulk_create(
                    [clone(a, meeting_id=meeting.pk) for a in attendance]
                )
            new_packs = Pack.objects.bulk_create(
                [clone(p, meeting_id=meeting.pk, minutes_of=[]) for p in packs]
            )
            pack_map = {o.pk: n.pk for o, n in zip(packs, new_packs, strict=True)}
            PackEntry.objects.bulk_create(
                [
                    clone(
                        e,
                        pack_id=pack_map[e.pack_id],
                        item_id=item_map[e.item_id],
                        document_id=doc_map[e.document_id].pk if e.document_id else None,
                    )
                    for e in entries
                ]
            )
            search_index_meeting(meeting=meeting)
        if number % 150 == 0:
            print(f"  {number:,} of {total:,} meetings", flush=True)
    member = get_user_model().objects.create_user("bench-member", password=None)
    person = Person.objects.create(kind="councillor", forenames="A", surname="Member", user=member)
    for committee in committees[:2]:
        Membership.objects.create(
            committee=committee,
            person=person,
            role=MembershipRole.MEMBER,
            start_date=datetime.date(2016, 5, 1),
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    Group.objects.create(name=f"{MARKER}:{DATASET}")
    return time.perf_counter() - started


def addresses() -> dict[str, list[str]]:
    """Each kind of request, by address: four in five for the coming week's meetings."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting
    from minutes.models import Minutes
    from packs.models import Pack
    from papers.models import Document

    now = timezone.now()
    meetings = list(Meeting.objects.filter(published_at__isnull=False).order_by("starts_at"))
    hot = [m for m in meetings if m.starts_at >= now][:5]
    rng = random.Random(7)

    def mix(hot_paths, all_paths, size=400):
        return [
            rng.choice(hot_paths) if rng.random() < 0.8 or not all_paths else rng.choice(all_paths)
            for _ in range(size)
        ]

    item_rows = list(AgendaItem.objects.filter(section=1).values_list("meeting_id", "pk"))
    hot_ids = {m.pk for m in hot}
    items = [f"/meetings/{m}/items/{i}/" for m, i in item_rows]
    hot_items = [f"/meetings/{m}/items/{i}/" for m, i in item_rows if m in hot_ids]
    held = list(Minutes.objects.values_list("meeting_id", flat=True))
    recent_held = sorted(held)[-5:]
    docs = list(
        Document.objects.filter(
            item__section=1, current_version__isnull=False, is_report=False, is_exempt=False
        ).values_list("pk", "item__meeting_id")
    )
    packs = list(Pack.objects.filter(kind="public").exclude(file="").values_list("meeting_id"))
    slugs = list(Meeting.objects.values_list("committee__slug", flat=True).distinct())
    return {
        "minimal view": ["/bench/minimal/"],
        "meeting page": mix(
            [m.get_absolute_url() for m in hot], [m.get_absolute_url() for m in meetings]
        ),
        "item page": mix(hot_items, items),
        "minutes page": mix(
            [f"/meetings/{m}/minutes/" for m in recent_held],
            [f"/meetings/{m}/minutes/" for m in held],
        ),
        "paper download": mix(
            [f"/papers/{d}/download/" for d, m in docs if m in hot_ids],
            [f"/papers/{d}/download/" for d, m in docs],
        ),
        "pack download": mix(
            [f"/meetings/{m.pk}/packs/public.pdf" for m in hot],
            [f"/meetings/{m}/packs/public.pdf" for (m,) in packs],
        ),
        "search": [f"/search/?q={q.replace(' ', '+')}" for q in SEARCHES],
        "iCalendar feed": [f"/committees/{s}/meetings.ics" for s in slugs],
        "RSS feed": ["/feeds/updates.rss"] + [f"/committees/{s}/updates.rss" for s in slugs],
    }


def member_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bench-member")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, workdir: Path) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SCRUTINY_"))},
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-bench-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SCRUTINY_SITE_URL": f"https://127.0.0.1:{port}",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": f"{REDIS}/5",
        "SCRUTINY_CACHE_URL": f"{REDIS}/6",
        "SCRUTINY_PRIVATE_STORAGE": str(FILES),
        "PYTHONPATH": str(ROOT),
    }
    # Production settings serve static files from the collected manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "scrutiny.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / "gunicorn.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start: see " + str(workdir / "gunicorn.log"))


def load(port: int, paths: list[str], workdir: Path, cookie: str = "", seconds: int = RUN_SECONDS):
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = workdir / "mix.lua"
    script.write_text(LUA)
    done = subprocess.run(
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout=10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "WRK_PATHS": str(listing), "WRK_COOKIE": cookie},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rate"] = result["requests"] / result["seconds"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="make the data again")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    ensure_database(options.rebuild)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not dataset_present():
        from django.db import connections

        connections.close_all()
        ensure_database(rebuild=True)  # a new database: a failed build leaves nothing
        print("Building the dataset (once; kept in the database for later runs)...")
        print(f"  built in {build():.0f} s")
    from meetings.models import AgendaItem, Meeting
    from papers.models import Document

    print(
        f"Data: {Meeting.objects.count():,} meetings, {AgendaItem.objects.count():,} items, "
        f"{Document.objects.count():,} papers; gunicorn {WORKERS} sync workers; wrk "
        f"{CONNECTIONS} connections, {RUN_SECONDS} s a run."
    )
    kinds = addresses()
    cookie = member_cookie()
    import redis

    redis.Redis.from_url(f"{REDIS}/6").flushdb()  # the page cache starts empty
    from django.db import connections

    connections.close_all()
    workdir = Path(tempfile.mkdtemp(prefix="scrutiny-load-"))
    port = free_port()
    server = serve(port, workdir)
    try:
        load(port, kinds["minimal view"], workdir, seconds=3)  # warm up
        rows = []
        ceiling = load(port, kinds["minimal view"], workdir)
        rows.append(("minimal Django view", "anyone", ceiling))
        for kind, paths in kinds.items():
            if kind == "minimal view":
                continue
            rows.append((kind, "anonymous", load(port, paths, workdir)))
            if kind in ("meeting page", "item page", "minutes page", "paper download", "search"):
                rows.append((kind, "member", load(port, paths, workdir, cookie=cookie)))
        everything = [p for k, ps in kinds.items() if k != "minimal view" for p in ps]
        rows.append(("the whole mix", "anonymous", load(port, everything, workdir)))
        rows.append(("the whole mix", "member", load(port, everything, workdir, cookie=cookie)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print()
    heading = f"{'request':<22}{'reader':<11}{'req/s':>8}{'of minimal':>12}"
    print(f"{heading}{'median':>9}{'p95':>9}{'errors':>8}")
    for kind, reader, result in rows:
        share = result["rate"] / ceiling["rate"] * 100
        print(
            f"{kind:<22}{reader:<11}{result['rate']:>8.0f}{share:>11.1f}%"
            f"{result['p50']:>7.1f}ms{result['p95']:>7.1f}ms{result['errors']:>8}"
        )
    print(
        "\nTargets: no errors; p95 under 250 ms at 20 connections; meeting, item and minutes "
        "pages at least 40% of the minimal view for anonymous readers, 15% for members."
    )


if __name__ == "__main__":
    main()
