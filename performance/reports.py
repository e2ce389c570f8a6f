"""What the figures pages and the quarterly report show beside the numbers (notes, series
breaks, a series quarter by quarter), and the quarterly performance report itself: the
summary table by indicator, each indicator's charts and table, the notes and sources,
as an HTML page and as a PDF for the agenda.

The report is built for an audience, not for whoever asks: a report with any
confidential indicator is exempt (small numbers in full); a public version leaves the
confidential indicators out and suppresses small numbers. Either is built only from
what the reader may see (performance/selectors.py applies the access policy)."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string

from scrutiny.models import Committee

from . import charts, selectors
from .models import Area, DataQuality, Indicator, Observation, PeriodKey, SeriesBreak, Unit
from .selectors import IndicatorSummary

# Two years of quarters in each indicator's section, as the partnership's reports chart them.
REPORT_QUARTERS = 8


@dataclasses.dataclass(frozen=True)
class IndicatorNote:
    """A note shown with the figures (such as "illustrative figures"), and the
    indicators it applies to when not all of them."""

    text: str
    indicators: list[Indicator]


def indicator_notes(indicators: list[Indicator]) -> list[IndicatorNote]:
    by_text: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.note.strip():
            by_text.setdefault(indicator.note.strip(), []).append(indicator)
    return [
        IndicatorNote(text, [] if len(applies) == len(indicators) else applies)
        for text, applies in by_text.items()
    ]


def breaks_shown(summaries: list[IndicatorSummary]) -> list[SeriesBreak]:
    """Every series break that falls between quarters a table compares, oldest first."""
    found = {}
    for summary in summaries:
        for comparison in (summary.figures.prior_quarter, summary.figures.year_before):
            for series_break in comparison.breaks:
                found[series_break.pk] = series_break
    return sorted(found.values(), key=lambda b: (b.date, b.pk))


@dataclasses.dataclass(frozen=True)
class SeriesRow:
    """A quarter of the series, and the breaks between it and the quarter before."""

    summary: IndicatorSummary
    breaks_before: tuple[SeriesBreak, ...]


def series_rows(quarters: list[IndicatorSummary]) -> list[SeriesRow]:
    """Quarters newest first, each with the breaks that fall since the quarter before
    (each break once, beside the first quarter after it)."""
    rows, shown = [], set()
    for summary in reversed(quarters):
        breaks = ()
        if rows:  # nothing to mark before the oldest quarter shown
            breaks = tuple(b for b in summary.figures.prior_quarter.breaks if b.pk not in shown)
            shown.update(b.pk for b in breaks)
        rows.append(SeriesRow(summary, breaks))
    return rows[::-1]


# --- the quarterly report --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportSection:
    """One indicator in the report: the chosen quarter, the quarters before it for its
    table and charts, and the charts themselves (from those rows, nothing else)."""

    summary: IndicatorSummary
    rows: list[SeriesRow]
    series_chart: str
    group_chart: str
    group_period: PeriodKey | None
    county_drawn: bool = False

    @property
    def indicator(self) -> Indicator:
        return self.summary.indicator

    @property
    def has_rank(self) -> bool:
        return any(row.summary.rank for row in self.rows)

    @property
    def columns(self) -> int:
        """The columns of its table of quarters (as the indicator's page counts them)."""
        return 4 + 2 * (self.summary.area.county_id is not None) + self.has_rank


@dataclasses.dataclass(frozen=True)
class QuarterlyReport:
    committee: Committee
    area: Area
    period: PeriodKey
    sections: list[ReportSection]
    is_exempt: bool  # it carries confidential indicators, and small numbers in full
    withheld: bool  # confidential indicators exist that this version leaves out
    figures_as_of: datetime.datetime | None  # when the latest of its figures was imported
    exempt_paragraph: int | None = None  # when attached to an exempt item

    @property
    def title(self) -> str:
        where = f"{self.area.name}, {self.period.label}"
        return f"Community Safety Partnership Performance Report: {where}"

    @property
    def summaries(self) -> list[IndicatorSummary]:
        return [section.summary for section in self.sections]

    @property
    def confidential_count(self) -> int:
        return sum(section.indicator.is_confidential for section in self.sections)

    @property
    def has_county(self) -> bool:
        return self.area.county_id is not None

    @property
    def has_rank(self) -> bool:
        return any(section.summary.rank for section in self.sections)

    @property
    def breaks(self) -> list[SeriesBreak]:
        found = {
            b.pk: b for section in self.sections for row in section.rows for b in row.breaks_before
        }
        found.update((b.pk, b) for b in breaks_shown(self.summaries))
        return sorted(found.values(), key=lambda b: (b.date, b.pk))

    @property
    def notes(self) -> list[IndicatorNote]:
        return indicator_notes([section.indicator for section in self.sections])

    @property
    def front_line(self) -> list[Indicator]:
        """Indicators whose figures come from partners' front-line recording systems."""
        indicators = [section.indicator for section in self.sections]
        return [i for i in indicators if i.data_quality != DataQuality.AUDITED]


def figures_as_of(indicators: list[Indicator]) -> datetime.datetime | None:
    """When the latest of these indicators' figures was imported: only the report's own
    indicators, so that a public report says nothing of when confidential figures came."""
    latest = Observation.objects.filter(indicator__in=indicators).aggregate(
        latest=Max("upload__confirmed_at")
    )["latest"]
    return latest


def quarterly_report(
    *,
    user,
    committee: Committee,
    area: Area,
    period: PeriodKey,
    include_confidential: bool = True,
) -> QuarterlyReport:
    """The report for the area and quarter as this user may read it. With
    `include_confidential` (and a user entitled to them), it carries the confidential
    indicators and is exempt; otherwise it is the public version: no confidential
    indicator, small numbers suppressed, whoever reads it."""
    confidential_exist = selectors.has_confidential_indicators(committee=committee)
    # Exempt only when it carries confidential indicators; small numbers are shown in
    # full only then, whoever asks.
    is_exempt = (
        include_confidential and confidential_exist and selectors.exempt_output_for(user, committee)
    )
    series = selectors.indicator_series(
        user=user,
        committee=committee,
        area=area,
        period=period,
        quarters=REPORT_QUARTERS,
        exempt_output=is_exempt,
        include_confidential=is_exempt,
    )
    county = area.county if area.county_id else None
    sections = []
    for indicator, quarters in series:
        rows = series_rows(quarters)
        drawn = charts.history_charts(
            indicator=indicator, area=area, rows=rows, county=county, prefix="report"
        )
        sections.append(
            ReportSection(
                summary=quarters[0],
                rows=rows,
                series_chart=drawn["series_chart"],
                group_chart=drawn["group_chart"],
                group_period=drawn.get("group_period"),
                county_drawn=drawn["county_drawn"],
            )
        )
    return QuarterlyReport(
        committee=committee,
        area=area,
        period=period,
        sections=sections,
        is_exempt=is_exempt,
        withheld=confidential_exist and not is_exempt,
        figures_as_of=figures_as_of([indicator for indicator, _quarters in series]),
    )


def report_context(report: QuarterlyReport) -> dict:
    return {
        "report": report,
        "committee": report.committee,
        "area": report.area,
        "quarter": report.period,
        "prior_quarter": report.period.shifted(-1),
        "year_before": report.period.shifted(-4),
        "council_name": settings.COUNCIL_NAME,
        "rate_unit": Unit.RATE_PER_1000,
    }


def report_html(report: QuarterlyReport) -> str:
    """The report as a complete HTML document for WeasyPrint."""
    return render_to_string(
        "performance/pdf/report.html", {**report_context(report), "in_pdf": True}
    )


def report_pdf(report: QuarterlyReport) -> bytes:
    """The PDF, from the render cache while the figures and the report are unchanged
    (its HTML names when the figures last changed)."""
    from packs.build import render_cached

    return render_cached(report_html(report))


def file_slug(*parts: str) -> str:
    """ "all-crime", "Dartford", "2017-18 Q1" -> "all-crime-dartford-2017-18-q1"."""
    text = "-".join(parts).lower()
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text).strip("-")


def report_file_name(report: QuarterlyReport) -> str:
    """ "performance-report-dartford-2016-17-q4-exempt.pdf": the area, quarter, version."""
    # The version is in the name, so that the exempt one is not mistaken for the other.
    version = "exempt" if report.is_exempt else "public"
    return f"{file_slug('performance-report', report.area.code, report.period.label, version)}.pdf"


def report_document_title(report: QuarterlyReport) -> str:
    """The title of the report as an agenda document: a public version says so."""
    return f"{report.title} (public version)" if report.withheld else report.title
