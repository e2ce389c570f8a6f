"""Reads with the access policy applied, at a fixed number of queries."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser

from performance.analysis import Direction
from performance.models import AreaKind, Indicator, PeriodKey, SeriesBreak, Unit, Upload
from performance.selectors import (
    indicator_get,
    indicator_history,
    indicator_list,
    indicator_summaries,
    template_csv,
    upload_list,
)

pytestmark = pytest.mark.django_db

Q1 = PeriodKey(2017, 1)


@pytest.fixture
def confidential(make_indicator):
    return make_indicator(
        code="da-withdrawals",
        name="Domestic abuse: victim withdrawals",
        is_confidential=True,
        suppress_below=5,
    )


@pytest.fixture
def rate(make_indicator):
    return make_indicator(code="crime-rate", name="Crimes per 1,000", unit=Unit.RATE_PER_1000)


@pytest.fixture
def peers(make_area, district):
    areas = [make_area(code=f"peer-{n}", name=f"Peer {n}") for n in range(4)]
    district.most_similar.set(areas)
    return areas


def rows_for(code, area, values, *, last=Q1):
    count = len(values)
    return [
        f"{code},{area},{last.shifted(n - count + 1).label},{value},,"
        for n, value in enumerate(values)
    ]


@pytest.fixture
def data(upload_rows, crime, confidential, rate, district, county, peers):
    upload_rows(
        *rows_for("all-crime", "dartford", [2412, 2538, 2611, 2684, 2603, 2526]),
        *rows_for("all-crime", "kent", [28150, 29420, 30110, 30390, 32180, 33950]),
        *rows_for("da-withdrawals", "dartford", [12, 4]),
        *rows_for("crime-rate", "dartford", ["23.79"]),
        *[
            f"crime-rate,{peer.code},{Q1.label},{value},,"
            for peer, value in zip(peers, [10, 20, 30, "23.79"], strict=True)
        ],
    )


# --- confidential indicators -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_confidential"),
    [
        ("anonymous", False),
        ("councillor", False),
        ("officer", False),
        ("other_coordinator", False),
        ("member", True),
        ("data_officer", True),
        ("coordinator", True),
    ],
)
def test_confidential_indicators_reach_only_those_entitled(
    request, role, sees_confidential, committee, data, district
):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    codes = {i.code for i in indicator_list(user=user, committee=committee)}
    assert ("da-withdrawals" in codes) is sees_confidential
    assert {"all-crime", "crime-rate"} <= codes
    summaries = indicator_summaries(user=user, committee=committee, area=district, period=Q1)
    assert ("da-withdrawals" in {s.indicator.code for s in summaries}) is sees_confidential
    if sees_confidential:
        assert indicator_get(user=user, code="DA-WITHDRAWALS").is_confidential
    else:
        with pytest.raises(Indicator.DoesNotExist):
            indicator_get(user=user, code="da-withdrawals")
        with pytest.raises(Indicator.DoesNotExist):
            indicator_history(
                user=user, indicator=Indicator.objects.get(code="da-withdrawals"), area=district
            )


def test_small_numbers_are_suppressed_unless_the_output_is_exempt(
    committee, data, district, confidential, member
):
    [public] = [
        s
        for s in indicator_summaries(
            user=member, committee=committee, area=district, period=Q1, exempt_output=False
        )
        if s.indicator == confidential
    ]
    assert public.figures.value.text == "fewer than 5"
    assert public.figures.prior_quarter.change is None
    [exempt] = [
        s
        for s in indicator_summaries(user=member, committee=committee, area=district, period=Q1)
        if s.indicator == confidential
    ]
    assert exempt.figures.value.text == "4"


# --- summaries ---------------------------------------------------------------------------------


def test_the_summary_for_an_area_and_quarter(committee, data, district, coordinator):
    summaries = {
        s.indicator.code: s
        for s in indicator_summaries(
            user=coordinator, committee=committee, area=district, period=Q1
        )
    }
    crime = summaries["all-crime"]
    assert crime.figures.value.value == D(2526)
    assert crime.figures.prior_quarter.change.direction == Direction.IMPROVEMENT
    assert crime.county.name == "Kent"
    assert crime.county_figures.prior_quarter.change.words == "a small increase"
    assert crime.against_county == "a slight decrease in Dartford against a small increase in Kent"
    assert crime.rank is None  # counts are not ranked
    rate = summaries["crime-rate"]
    assert (rate.rank.position, rate.rank.of) == (3, 5)  # 10, 20, 23.79 (shared), 30
    assert rate.county_figures.value.missing


def test_series_breaks_are_carried_where_the_figures_span_them(
    committee, data, district, coordinator, crime
):
    hmic = SeriesBreak.objects.create(date=datetime.date(2017, 4, 1), title="HMIC")
    SeriesBreak.objects.create(date=datetime.date(2010, 4, 1), title="Long ago")
    [summary] = [
        s
        for s in indicator_summaries(
            user=coordinator, committee=committee, area=district, period=Q1
        )
        if s.indicator == crime
    ]
    assert summary.breaks == (hmic,)
    assert summary.figures.prior_quarter.breaks == (hmic,)
    history = indicator_history(user=coordinator, indicator=crime, area=district)
    assert history.breaks == (hmic,)
    assert [q.period for q in history.quarters][:2] == [Q1, Q1.shifted(-1)]


def test_the_history_of_an_indicator(committee, data, district, coordinator, rate):
    history = indicator_history(
        user=coordinator, indicator=Indicator.objects.get(code="all-crime"), area=district
    )
    assert len(history.quarters) == 6
    latest = history.quarters[0]
    assert latest.figures.year_before.earlier.value == D(2538)
    assert latest.county_figures.value.value == D(33950)
    rate_history = indicator_history(user=coordinator, indicator=rate, area=district)
    assert rate_history.quarters[0].rank.position == 3


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def grow(upload_rows, quarters: int, *, name: str):
    last = PeriodKey(2017, 3)
    values = [1000 + 10 * (n % 7) for n in range(quarters)]
    upload_rows(
        *rows_for("all-crime", "dartford", values, last=last),
        *rows_for("all-crime", "kent", [v * 12 for v in values], last=last),
        *rows_for("crime-rate", "dartford", [D(v) / 40 for v in values], last=last),
        *rows_for("crime-rate", "peer-0", [D(v) / 50 for v in values], last=last),
        name=name,
    )


def test_the_history_of_ten_years_asks_no_more_queries_than_of_two(
    committee,
    crime,
    rate,
    district,
    county,
    peers,
    coordinator,
    upload_rows,
    django_assert_max_num_queries,
):
    def count(indicator):
        user = fresh(coordinator)  # as each request loads its user
        with django_assert_max_num_queries(10) as captured:
            history = indicator_history(user=user, indicator=indicator, area=district)
        return len(captured.captured_queries), len(history.quarters)

    grow(upload_rows, 8, name="two-years.csv")
    few = [count(crime), count(rate)]
    grow(upload_rows, 40, name="ten-years.csv")
    many = [count(crime), count(rate)]
    assert [queries for queries, _ in few] == [queries for queries, _ in many]
    assert [quarters for _, quarters in many] == [40, 40]


def test_the_summaries_ask_a_fixed_number_of_queries(
    committee,
    make_indicator,
    district,
    county,
    peers,
    coordinator,
    upload_rows,
    django_assert_max_num_queries,
):
    make_indicator(code="all-crime", is_crime=True)
    make_indicator(code="crime-rate", unit=Unit.RATE_PER_1000)

    def count():
        user = fresh(coordinator)
        with django_assert_max_num_queries(10) as captured:
            summaries = indicator_summaries(
                user=user, committee=committee, area=district, period=PeriodKey(2017, 3)
            )
        return len(captured.captured_queries), len(summaries)

    grow(upload_rows, 8, name="two-years.csv")
    queries, indicators = count()
    for n in range(10):
        make_indicator(code=f"more-{n}")
    grow(upload_rows, 40, name="ten-years.csv")
    assert count() == (queries, indicators + 10)


# --- uploads and the template -------------------------------------------------------------------


def test_uploads_are_listed_for_data_officers_and_coordinators_without_their_rows(
    committee, data, data_officer, coordinator, member, officer
):
    for user in (data_officer, coordinator):
        [upload] = upload_list(user=user, committee=committee)
        assert "rows" in upload.get_deferred_fields()
    for user in (member, officer, AnonymousUser()):
        assert not upload_list(user=user, committee=committee).exists()
    assert Upload.objects.count() == 1


def test_the_template_lists_every_indicator_and_area_code_with_their_names(
    committee, data, make_area, county
):
    make_area(code="gravesham", name="Gravesham", kind=AreaKind.PARTNER_DISTRICT, county=county)
    rows = list(csv.reader(io.StringIO(template_csv(committee=committee))))
    assert rows[0] == [
        "indicator",
        "area",
        "period",
        "value",
        "status",
        "note",
        "indicator name",
        "area name",
    ]
    body = rows[1:]
    assert {row[2] for row in body} == {"2017-18 Q2"}  # the quarter after the latest
    assert {row[3] for row in body} == {""}
    assert {row[0] for row in body} == {i.code for i in Indicator.objects.all()}
    assert {row[1] for row in body} == {
        "dartford",
        "gravesham",
        "kent",
        "peer-0",
        "peer-1",
        "peer-2",
        "peer-3",
    }
    # Local areas for every indicator, in order; the most similar group for rates only.
    assert [row[1] for row in body if row[0] == "all-crime"] == ["dartford", "gravesham", "kent"]
    assert len([row for row in body if row[0] == "crime-rate"]) == 7
    assert ["all-crime", "dartford", "2017-18 Q2", "", "", "", "All crime", "Dartford"] in body
