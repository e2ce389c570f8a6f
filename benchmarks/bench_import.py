"""Importing performance data: a 50,000-row CSV checked and imported through the upload
services, beside a bare `bulk_create` of the same rows in the same run.

The file holds 50 indicators x 50 areas x 20 quarters. The benchmark prints
  - the bare insert: building the 50,000 Observation objects and one bulk_create,
  - the import: upload_preview (read, check every row, compare with what is stored,
    keep the preview) then upload_confirm (create the quarters, check nothing changed
    since the preview, insert), and its ratio to the bare insert,
  - a re-import of the same file with every value changed (revisions and upserts),
  - the peak resident memory of the process.
Targets: import <= 3 x the bare insert; peak RSS < 300 MB.

SQLite by default (a throw-away file). For PostgreSQL, name a scratch database:
  python benchmarks/bench_import.py --database-url postgres://postgres@127.0.0.1:5432/scratch
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--database-url", help="a scratch PostgreSQL database (default: SQLite)")
parser.add_argument("--rows", type=int, default=50_000)
ARGS = parser.parse_args()

os.environ["SCRUTINY_VAR_DIR"] = tempfile.mkdtemp(prefix="scrutiny-bench-import-")
os.environ["DJANGO_DEBUG"] = "true"
os.environ.pop("DATABASE_URL", None)
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Settings need DEBUG to start without production secrets; the measured work runs as in
# production, without Django keeping every SQL statement it sends.
settings.DEBUG = False

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

INDICATORS = 50
AREAS = 50
SLUG = "bench-import"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clear():
    """Remove what an earlier run left: everything of the benchmark's committee."""
    from exempt.models import AccessLog
    from performance.models import Area, Indicator, Observation, ObservationRevision, Upload
    from scrutiny.models import Committee

    committee = Committee.objects.filter(slug=SLUG).first()
    if committee is None:
        return
    ObservationRevision.objects.filter(observation__indicator__committee=committee).delete()
    Observation.objects.filter(indicator__committee=committee).delete()
    Upload.objects.filter(committee=committee).delete()
    Indicator.objects.filter(committee=committee).delete()
    Area.objects.filter(code__startswith="bench-").delete()
    AccessLog.objects.filter(committee=committee).delete()
    committee.delete()


def setup():
    from performance.models import Area, AreaKind, Indicator, PeriodKey, Polarity, Unit
    from scrutiny.models import Committee

    call_command("migrate", verbosity=0)
    clear()
    committee = Committee.objects.create(name="Benchmark Committee", slug=SLUG)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            committee=committee,
            code=f"bench-{n}",
            name=f"Indicator {n}",
            unit=Unit.RATE_PER_1000 if n % 5 == 0 else Unit.COUNT,
            polarity=Polarity.LOWER_IS_BETTER,
        )
        for n in range(INDICATORS)
    )
    areas = Area.objects.bulk_create(
        Area(code=f"bench-area-{n}", name=f"Area {n}", kind=AreaKind.PEER) for n in range(AREAS)
    )
    quarters = ARGS.rows // (INDICATORS * AREAS)
    periods = [PeriodKey(2012, 1).shifted(n) for n in range(quarters)]
    return committee, indicators, areas, periods


def rows(indicators, areas, periods, *, offset=0):
    for i, indicator in enumerate(indicators):
        for a, area in enumerate(areas):
            for p, period in enumerate(periods):
                yield indicator, area, period, 100 + (i * 7 + a * 3 + p) % 40 + offset


def csv_file(data) -> ContentFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "area", "period", "value", "status", "note"])
    for indicator, area, period, value in data:
        writer.writerow([indicator.code, area.code, period.label, value, "audited", ""])
    return ContentFile(out.getvalue().encode("utf-8"), name="bench.csv")


def bare_insert(committee, data) -> float:
    """The floor: the same rows as model objects, inserted with one bulk_create."""
    from performance.models import Observation, Period, Upload, UploadSource

    upload = Upload.objects.create(
        committee=committee,
        uploaded_by_name="benchmark",
        source=UploadSource.COMMAND,
        file_name="bare",
        file_format="csv",
        size=0,
        sha256="0" * 64,
    )
    Period.objects.bulk_create(
        [Period(start_year=p.start_year, quarter=p.quarter) for p in {row[2] for row in data}],
        ignore_conflicts=True,
    )
    period_ids = {period.key: period.pk for period in Period.objects.all()}
    started = time.perf_counter()
    now = timezone.now()
    Observation.objects.bulk_create(
        Observation(
            indicator_id=indicator.pk,
            area_id=area.pk,
            period_id=period_ids[period],
            value=value,
            status="audited",
            upload=upload,
            created_at=now,
        )
        for indicator, area, period, value in data
    )
    seconds = time.perf_counter() - started
    Observation.objects.filter(upload=upload).delete()
    upload.delete()
    return seconds


def timed_import(committee, file):
    from performance.services import upload_confirm, upload_preview

    started = time.perf_counter()
    upload = upload_preview(file=file, name="bench.csv", user=None, committee=committee)
    previewed = time.perf_counter()
    upload_confirm(upload=upload, user=None)
    done = time.perf_counter()
    return upload, previewed - started, done - previewed


def main():
    from performance.models import Observation

    committee, indicators, areas, periods = setup()
    data = list(rows(indicators, areas, periods))
    file = csv_file(data)
    vendor = connection.vendor
    print(
        f"{vendor}: {len(data):,} rows ({INDICATORS} indicators x {AREAS} areas x "
        f"{len(periods)} quarters), CSV {file.size / 1e6:.1f} MB; "
        f"peak RSS before {peak_rss_mb():.0f} MB"
    )
    bare = bare_insert(committee, data)
    print(f"bare bulk_create of the same rows:  {bare:6.2f} s")

    upload, preview, confirm = timed_import(committee, file)
    total = preview + confirm
    assert Observation.objects.filter(upload=upload).count() == len(data)
    print(
        f"import (check, preview, confirm):   {total:6.2f} s  = {total / bare:.2f} x the bare "
        f"insert (target <= 3)  [preview {preview:.2f} s, confirm {confirm:.2f} s]; "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )

    changed = csv_file(rows(indicators, areas, periods, offset=1))
    upload, preview, confirm = timed_import(committee, changed)
    assert upload.changed_count == len(data)
    print(
        f"re-import, every value changed:     {preview + confirm:6.2f} s  "
        f"[preview {preview:.2f} s, confirm {confirm:.2f} s, with {len(data):,} revisions]; "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )
    print(f"peak RSS of this process:           {peak_rss_mb():6.0f} MB (target < 300 MB)")
    clear()


if __name__ == "__main__":
    main()
