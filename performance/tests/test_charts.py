"""The server-rendered SVG charts: well-formed, named and described in words, series
breaks marked, withheld quarters as gaps, nothing confidential for those not entitled,
and ids unique on a page with two charts."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from performance.analysis import Shown
from performance.charts import Bar, Series, group_chart, series_chart
from performance.models import PeriodKey, SeriesBreak
from scrutiny.testing import client_for

from .helpers import SECRET_VALUES
from .test_views import url

SVG = "{http://www.w3.org/2000/svg}"
Q4 = PeriodKey(2015, 4)


def quarters(*values, first=Q4):
    """Shown values from a first quarter on: None is missing, a string is suppressed."""
    points = []
    for n, value in enumerate(values):
        if value is None:
            shown = Shown(None, "Not available", missing=True)
        elif isinstance(value, str):
            shown = Shown(None, value, suppressed=True)
        else:
            shown = Shown(Decimal(value), f"{value:,}")
        points.append((first.shifted(n), shown))
    return points


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 markup the tests themselves rendered
    assert root.tag == f"{SVG}svg"
    return root


def described(root) -> tuple[str, str]:
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox") and root.get("width") == "100%"
    return title.text, desc.text


def line_path(root) -> str:
    return root.find(f"{SVG}path").get("d")


def test_series_chart_is_named_and_states_the_trend_and_the_break():
    crime_break = SeriesBreak(date=datetime.date(2017, 4, 1), title="Crime data integrity")
    svg = series_chart(
        chart_id="c1",
        indicator_name="All crime",
        series=[
            Series("Dartford", quarters(2410, 2538, 2611, 2684, 2603, 2590, 2560, 2526)),
            Series("Kent", quarters(28150, 29420, 30110, 30390, 32180, 33000, 33500, 33950)),
        ],
        breaks=[crime_break],
    )
    root = parse(svg)
    title, desc = described(root)
    assert title == "All crime, Dartford and Kent: 2015-16 Q4 to 2017-18 Q3"
    assert desc == (
        "All crime: Dartford rose from 2,410 in 2015-16 Q4 to 2,526 in 2017-18 Q3; "
        "Kent rose from 28,150 in 2015-16 Q4 to 33,950 in 2017-18 Q3; "
        "a series break in April 2017."
    )
    assert len(root.findall(f".//{SVG}line[@class='chart-break']")) == 1
    assert "Series break, April 2017" in ET.tostring(root, encoding="unicode")
    # Distinct shapes per series, and a legend in words.
    assert len(root.findall(f"{SVG}circle")) == 8 + 1
    assert len(root.findall(f"{SVG}rect")) == 8 + 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Dartford" in texts and "Kent" in texts


def test_no_break_line_when_the_break_falls_outside_the_quarters_shown():
    svg = series_chart(
        chart_id="c1",
        indicator_name="All crime",
        series=[Series("Dartford", quarters(10, 12, 14))],
        breaks=[SeriesBreak(date=datetime.date(2019, 4, 1), title="Later")],
    )
    root = parse(svg)
    assert root.findall(f".//{SVG}line[@class='chart-break']") == []
    assert "series break" not in described(root)[1]


def test_withheld_and_missing_quarters_are_gaps_not_zeros():
    svg = series_chart(
        chart_id="c1",
        indicator_name="Hate crime",
        series=[Series("Dartford", quarters(8, "fewer than 5", 9, None, 7))],
    )
    root = parse(svg)
    path = line_path(root)
    # Three separate runs: no segment joins across a withheld quarter, nothing at 0.
    assert path.count("M") == 3 and "L" not in path
    assert len(root.findall(f"{SVG}circle")) == 3 + 1  # and the legend's
    text = ET.tostring(root, encoding="unicode")
    assert "fewer than 5" not in text.split("<desc")[0]
    desc = described(root)[1]
    assert "Dartford fell from 8 in 2015-16 Q4 to 7 in 2016-17 Q4" in desc
    assert "not shown for 2 quarters (not available)" in desc
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text[0].isdigit()]
    assert "0" not in ticks  # the scale fits the figures shown, not a zero put in a gap


def test_group_chart_highlights_the_area_in_words_and_pattern_and_orders_lowest_first():
    bars = [
        Bar("Peer 0", Shown(Decimal(10), "10.00")),
        Bar("Peer 1", Shown(Decimal(30), "30.00")),
        Bar("Dartford", Shown(Decimal("23.79"), "23.79"), highlighted=True),
        Bar("Peer 2", Shown(None, "Not available", missing=True)),
    ]
    root = parse(
        group_chart(chart_id="g1", indicator_name="Crimes per 1,000", period=Q4, bars=bars)
    )
    title, desc = described(root)
    assert title == "Crimes per 1,000: the most similar group, 2015-16 Q4"
    assert "Dartford is 2nd of 3, counting from the lowest" in desc
    assert "from 10.00 in Peer 0 to 30.00 in Peer 1" in desc
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels[0] == "Peer 0" and "Dartford, 2nd of 3" in labels
    assert "Peer 2: Not available" in labels
    highlighted = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(")]
    assert len(highlighted) == 1 and highlighted[0].get("stroke")


def svgs(html: str) -> list[ET.Element]:
    return [parse(match) for match in re.findall(r"<svg xmlns=.*?</svg>", html, re.S)]


@pytest.mark.django_db
def test_indicator_page_has_two_charts_with_unique_ids(client, committee, figures):  # noqa: F811
    response = client.get(url("indicator", committee, code="crime-rate"))
    html = response.content.decode()
    charts = [svg for svg in svgs(html) if svg.get("class") == "chart"]
    assert len(charts) == 2
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    group = charts[1]
    assert "Dartford is 3rd of 5, counting from the lowest" in described(group)[1]
    assert "Dartford, 3rd of 5" in [t.text for t in group.iter(f"{SVG}text")]


@pytest.mark.django_db
def test_series_chart_on_the_page_uses_the_table_figures(client, committee, figures):  # noqa: F811
    html = client.get(url("indicator", committee, code="all-crime")).content.decode()
    (chart,) = [svg for svg in svgs(html) if svg.get("class") == "chart"]
    desc = described(chart)[1]
    assert desc == "All crime: Dartford rose from 2,412 in 2015-16 Q4 to 2,526 in 2017-18 Q1."
    # Kent's counts, many times Dartford's, are in the table, not on the same scale.
    assert "Kent" not in desc
    assert "Quarter by quarter, Dartford." in html


@pytest.mark.django_db
def test_suppressed_quarter_is_a_gap_for_the_public(client, committee, figures):  # noqa: F811
    html = client.get(url("indicator", committee, code="hate-crime")).content.decode()
    (chart,) = [svg for svg in svgs(html) if svg.get("class") == "chart"]
    desc = described(chart)[1]
    assert "not shown for 1 quarter (fewer than the number shown publicly)" in desc
    assert ">3<" not in ET.tostring(chart, encoding="unicode")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["councillor", "officer", "other_coordinator"])
def test_no_confidential_value_reaches_a_chart_for_those_not_entitled(
    request,
    role,
    committee,
    figures,  # noqa: F811
):
    client = client_for(request.getfixturevalue(role))
    response = client.get(url("indicator", committee, code="da-withdrawals"))
    assert response.status_code == 404
    for code in ("all-crime", "crime-rate", "hate-crime"):
        html = client.get(url("indicator", committee, code=code)).content.decode()
        for chart in svgs(html):
            text = ET.tostring(chart, encoding="unicode")
            for value in SECRET_VALUES:
                assert value not in text


@pytest.mark.django_db
def test_the_entitled_see_the_confidential_chart(request, committee, figures):  # noqa: F811
    client = client_for(request.getfixturevalue("member"))
    html = client.get(url("indicator", committee, code="da-withdrawals")).content.decode()
    (chart,) = [svg for svg in svgs(html) if svg.get("class") == "chart"]
    assert "rose from 9,173" in described(chart)[1]


def test_tick_labels_keep_the_places_their_step_needs():
    from performance.charts import _tick_text

    assert [_tick_text(v, 2.5) for v in (17.5, 20.0, 22.5)] == ["17.5", "20.0", "22.5"]
    assert _tick_text(2500.0, 500.0) == "2,500"
    assert _tick_text(0.25, 0.25) == "0.25"
