"""The summary, indicator and report pages ask the same number of queries with the demo's
eight quarters as with four times as many."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from performance import demo
from performance.services import upload_confirm, upload_preview
from scrutiny.testing import client_for

pytestmark = pytest.mark.django_db

CEILING = 25
EXTRA_QUARTERS = 24  # eight quarters become thirty-two
OLDEST = demo.FIRST_QUARTER.shifted(-EXTRA_QUARTERS)


@pytest.fixture
def demo_figures(committee):
    demo.load_performance(committee=committee)


def add_earlier_quarters(committee):
    """Every figure the demo has, for 24 quarters before its first, in one upload."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "area", "period", "value", "status", "note"])
    pairs = sorted({(indicator, area) for indicator, area, _ in demo.figures()})
    for n in range(1, EXTRA_QUARTERS + 1):
        period = demo.FIRST_QUARTER.shifted(-n)
        for indicator, area in pairs:
            writer.writerow([indicator, area, period.label, 10 + n, "audited", ""])
    data = out.getvalue().encode()
    upload = upload_preview(
        file=ContentFile(data, name="history.csv"),
        name="history.csv",
        user=None,
        committee=committee,
    )
    upload_confirm(upload=upload, user=None)


def pages(committee):
    def at(name, **kwargs):
        return reverse(f"performance:{name}", kwargs={"slug": committee.slug, **kwargs})

    return {
        "summary": at("summary"),
        "summary for the county": at("summary") + "?area=kent&quarter=2016-17+Q1",
        "summary CSV": at("summary_csv") + "?area=dartford&quarter=2017-18+Q1",
        "indicator": at("indicator", code="all-crime"),
        "rate indicator": at("indicator", code="crime-rate"),
        "confidential indicator": at("indicator", code="da-withdrawals"),
        "indicator CSV": at("indicator_csv", code="crime-rate"),
        "uploads": at("upload_list"),
        "quarterly report": at("report") + "?area=dartford&quarter=2017-18+Q3",
    }


def count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(CEILING) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


@pytest.mark.parametrize("role", ["anonymous", "member", "data_officer"])
def test_performance_pages_do_not_grow_with_the_quarters(
    request, role, committee, demo_figures, django_assert_max_num_queries
):
    if role == "anonymous":
        client = request.getfixturevalue("client")
    else:
        client = client_for(request.getfixturevalue(role))
    shown = {
        name: url
        for name, url in pages(committee).items()
        if role != "anonymous" or name not in ("confidential indicator", "uploads")
    }
    if role == "member":
        shown.pop("uploads")
    before = {
        name: count(client, url, django_assert_max_num_queries)[0] for name, url in shown.items()
    }

    add_earlier_quarters(committee)

    after = {}
    for name, url in shown.items():
        after[name], response = count(client, url, django_assert_max_num_queries)
        if name in ("indicator", "rate indicator"):
            # The added quarters are there: 32 rows, back to the oldest.
            assert "32 quarters, newest first" in response.content.decode()
            assert OLDEST.label in response.content.decode()
        if name == "summary":
            assert OLDEST.label in response.content.decode()  # in the quarter picker
    assert after == before
