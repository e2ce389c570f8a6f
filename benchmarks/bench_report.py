"""Reading performance data: an indicator's page over ten years of quarters, and the
quarterly report for 30 indicators as a PDF.

Fills a throw-away database with 30 indicators (every third a rate per 1,000, ranked in
a most similar group of 15), a district, its partner district and the county, 14 peers,
and 40 quarters (ten years) of figures. It prints
  - an indicator's page (a rate: the district, the county and 15 peers, every quarter)
    for 2 quarters of figures and for 40: SQL queries (the same for both: the tests
    assert it) and median time, beside a bare Django view through the same client;
  - the quarterly report for 30 indicators: building it (its queries), rendering the
    PDF, its pages, beside WeasyPrint alone rendering plain text to the same number of
    pages in the same run. Target: the PDF in under 3 seconds.
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["SCRUTINY_VAR_DIR"] = tempfile.mkdtemp(prefix="scrutiny-bench-report-")
os.environ["DJANGO_DEBUG"] = "true"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

INDICATORS = 30
PEERS = 14
QUARTERS = 40
REQUESTS = 30
FIRST = (2008, 1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill():
    from performance.models import (
        Area,
        AreaKind,
        Indicator,
        Observation,
        Period,
        PeriodKey,
        Polarity,
        Unit,
        Upload,
        UploadSource,
    )
    from scrutiny.models import Committee

    committee = Committee.objects.create(name="Benchmark Committee", slug="bench-report")
    county = Area.objects.create(code="county", name="County", kind=AreaKind.COUNTY)
    district = Area.objects.create(
        code="district", name="District", kind=AreaKind.DISTRICT, county=county
    )
    partner = Area.objects.create(
        code="partner", name="Partner", kind=AreaKind.PARTNER_DISTRICT, county=county
    )
    peers = Area.objects.bulk_create(
        Area(code=f"peer-{n}", name=f"Peer {n}", kind=AreaKind.PEER) for n in range(PEERS)
    )
    district.most_similar.set(peers)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            committee=committee,
            code=f"indicator-{n}",
            name=f"Indicator {n} of the partnership's plan",
            definition="What is counted, by whom, and how.",
            unit=Unit.RATE_PER_1000 if n % 3 == 0 else Unit.COUNT,
            polarity=Polarity.LOWER_IS_BETTER if n % 2 else Polarity.HIGHER_IS_BETTER,
            source_agency="Kent Police",
            position=n,
        )
        for n in range(INDICATORS)
    )
    periods = Period.objects.bulk_create(
        Period(start_year=key.start_year, quarter=key.quarter)
        for key in (PeriodKey(*FIRST).shifted(n) for n in range(QUARTERS))
    )
    upload = Upload.objects.create(
        committee=committee,
        uploaded_by_name="benchmark",
        source=UploadSource.COMMAND,
        file_name="bench.csv",
        file_format="csv",
        size=0,
        sha256="0" * 64,
    )

    def value(i: int, a: int, p: int) -> Decimal:
        return Decimal(100 + (i * 7 + a * 3 + p * 5) % 40)

    observations = []
    for i, indicator in enumerate(indicators):
        areas = [district, partner, county]
        if indicator.unit == Unit.RATE_PER_1000:
            areas += peers
        for a, area in enumerate(areas):
            observations += [
                Observation(
                    indicator=indicator,
                    area=area,
                    period=period,
                    value=value(i, a, p),
                    status="audited",
                    upload=upload,
                )
                for p, period in enumerate(periods)
            ]
    Observation.objects.bulk_create(observations, batch_size=2000)
    return committee, indicators, district, periods


def measure(client: Client, url: str) -> tuple[float, int]:
    """Median seconds over REQUESTS, and the SQL queries of one request."""
    client.get(url)  # warm
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    reset_queries()
    client.get(url)
    return statistics.median(times), len(connection.queries)


def bare_view(request):
    return HttpResponse("ok")


def main():
    from performance.models import Observation, PeriodKey
    from performance.reports import quarterly_report, report_html
    from scrutiny import urls
    from scrutiny.pdf import render_pdf

    call_command("migrate", verbosity=0)
    setup_test_environment()
    urls.urlpatterns.append(path("bench-bare/", bare_view))
    clear_url_caches()
    connection.force_debug_cursor = True  # count queries

    committee, indicators, district, periods = fill()
    client = Client()
    rate = indicators[0]
    url = f"/committees/{committee.slug}/performance/indicators/{rate.code}/?area=district"
    bare, _ = measure(client, "/bench-bare/")
    print(f"bare Django view:                         {bare * 1000:6.1f} ms median")

    # The same page with only the first two quarters kept, then with all forty.
    later = Observation.objects.filter(indicator=rate, period__in=periods[2:])
    kept = list(later)
    later.delete()
    few, few_queries = measure(client, url)
    Observation.objects.bulk_create(kept)
    many, many_queries = measure(client, url)
    print(
        f"indicator page, 2 quarters:               {few * 1000:6.1f} ms median, "
        f"{few_queries} queries"
    )
    print(
        f"indicator page, {QUARTERS} quarters (10 years):   {many * 1000:6.1f} ms median, "
        f"{many_queries} queries ({many / bare:.0f} x the bare view)"
    )
    assert few_queries == many_queries, "the query count grows with the quarters"

    from django.contrib.auth.models import AnonymousUser

    latest = PeriodKey(*FIRST).shifted(QUARTERS - 1)
    reset_queries()
    started = time.perf_counter()
    report = quarterly_report(
        user=AnonymousUser(), committee=committee, area=district, period=latest
    )
    html = report_html(report)
    built = time.perf_counter() - started
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    if os.environ.get("BENCH_REPORT_HTML"):
        Path(os.environ["BENCH_REPORT_HTML"]).write_text(html)
    render_pdf("<html lang='en'><body><p>warm</p></body></html>")  # fonts loaded once
    renders = []
    for _ in range(3):
        started = time.perf_counter()
        pdf = render_pdf(html)
        renders.append(time.perf_counter() - started)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    paragraph = (
        "<p>" + "The partnership's figures for the quarter, and what they say. " * 12 + "</p>"
    )
    plain = f"<html lang='en'><body>{paragraph * 5 * pages}</body></html>"
    started = time.perf_counter()
    plain_pdf = render_pdf(plain)
    alone = time.perf_counter() - started
    plain_pages = len(PdfReader(io.BytesIO(plain_pdf)).pages)
    print(
        f"quarterly report, {len(report.sections)} indicators: built in "
        f"{built * 1000:.0f} ms with {queries} queries; PDF of {pages} pages in "
        f"{min(renders):.2f} s (best of 3, target < 3 s)"
    )
    print(
        f"WeasyPrint alone, plain text, {plain_pages} pages:  {alone:.2f} s "
        f"(the report takes {min(renders) / alone:.1f} x as long)"
    )
    from performance.reports import report_pdf

    report_pdf(report)  # rendered once, into the render cache
    started = time.perf_counter()
    report_pdf(report)
    again = time.perf_counter() - started
    print(f"the same report again, from the render cache: {again * 1000:.0f} ms")
    print(f"peak RSS of this process:                 {peak_rss_mb():6.0f} MB")


if __name__ == "__main__":
    main()
