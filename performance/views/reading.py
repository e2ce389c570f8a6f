"""Reading the figures: every indicator for an area and quarter, one indicator's series,
and each table as CSV. Confidential indicators reach only those the access policy
entitles (the selectors leave them out for everyone else), and showing or downloading
their figures goes in the access log."""

from urllib.parse import urlencode

from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from exempt.models import AccessEvent
from scrutiny import access
from scrutiny.csv_safe import csv_cell

from .. import charts, selectors
from ..analysis import Change, Shown
from ..forms import AreaChoiceForm, SummaryChoiceForm
from ..models import Indicator
from ..reports import SeriesRow, breaks_shown, file_slug, indicator_notes, series_rows
from ..selectors import IndicatorSummary, export_value
from .common import CommitteeMixin, csv_response, record_confidential


def _reader_context(request, committee) -> dict:
    entitled = access.can_see_confidential_indicators(request.user, committee)
    return {
        "entitled": entitled,
        # Those not entitled are told that confidential figures exist, never which.
        "withheld": not entitled and selectors.has_confidential_indicators(committee=committee),
    }


# --- every indicator for an area and quarter ----------------------------------------------


# ?version=public: the figures as the public version of the quarterly report gives them.
PUBLIC_VERSION = "public"


class SummaryMixin(CommitteeMixin):
    def choice_params(self):
        return self.request.GET

    def choice(self):
        """The picker, and the area and quarter it chose (None when it has errors)."""
        areas = selectors.areas_reported()
        quarters = selectors.quarters_reported(user=self.request.user, committee=self.committee)
        self.default_area = areas[0] if areas else None
        params = self.choice_params()
        if not areas or not quarters:
            return SummaryChoiceForm(areas=areas, quarters=quarters), None, None
        if "area" not in params and "quarter" not in params:
            form = SummaryChoiceForm(
                areas=areas,
                quarters=quarters,
                initial={"area": areas[0].code, "quarter": quarters[0].label},
            )
            return form, areas[0], quarters[0]
        form = SummaryChoiceForm(
            {
                "area": params.get("area", areas[0].code),
                "quarter": params.get("quarter", quarters[0].label),
            },
            areas=areas,
            quarters=quarters,
        )
        if not form.is_valid():
            return form, None, None
        return form, *form.chosen()

    def summaries(self, area, quarter) -> list[IndicatorSummary]:
        # The public version (of the quarterly report) leaves confidential figures out
        # and small numbers suppressed, whoever reads it.
        public = self.choice_params().get("version") == PUBLIC_VERSION
        summaries = selectors.indicator_summaries(
            user=self.request.user,
            committee=self.committee,
            area=area,
            period=quarter,
            exempt_output=False if public else None,
            include_confidential=not public,
        )
        if any(summary.indicator.is_confidential for summary in summaries):
            record_confidential(
                self.request,
                self.event,
                committee=self.committee,
                what=f"performance figures with confidential indicators: {area.name}, "
                f"{quarter.label}",
            )
        return summaries


class SummaryView(SummaryMixin, TemplateView):
    template_name = "performance/summary.html"
    event = AccessEvent.VIEWED

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, area, quarter = self.choice()
        summaries = self.summaries(area, quarter) if area else []
        context.update(
            _reader_context(self.request, self.committee),
            form=form,
            area=area,
            quarter=quarter,
            prior_quarter=quarter.shifted(-1) if quarter else None,
            year_before=quarter.shifted(-4) if quarter else None,
            summaries=summaries,
            notes=indicator_notes([summary.indicator for summary in summaries]),
            breaks=breaks_shown(summaries),
            has_county=area is not None and area.county_id is not None,
            has_rank=any(summary.rank for summary in summaries),
            # Links to each indicator keep the area, unless it is the one shown first.
            area_query=urlencode({"area": area.code}) if area and area != self.default_area else "",
            csv_query=urlencode({"area": area.code, "quarter": quarter.label}) if area else "",
        )
        return context


def _value(shown: Shown) -> str:
    """A value in a CSV file: the number, or the words shown instead of one."""
    return export_value(shown.value) if shown.value is not None else shown.text


def _change(change: Change | None) -> list[str]:
    return [change.percent_text, change.direction_label] if change else ["", ""]


SUMMARY_HEADER = [
    "indicator",
    "indicator name",
    "area",
    "quarter",
    "value",
    "prior quarter",
    "prior quarter value",
    "change on prior quarter",
    "direction on prior quarter",
    "same quarter last year",
    "same quarter last year value",
    "change on same quarter last year",
    "direction on same quarter last year",
    "county",
    "county value",
    "county change on prior quarter",
    "county direction on prior quarter",
    "against the county",
    "rank in most similar group",
    "series breaks",
    "note",
]


def summary_rows(summaries: list[IndicatorSummary]):
    yield SUMMARY_HEADER
    for summary in summaries:
        figures, county = summary.figures, summary.county_figures
        comparisons = (figures.prior_quarter, figures.year_before)
        breaks = {b.pk: b for comparison in comparisons for b in comparison.breaks}
        yield [
            summary.indicator.code,
            csv_cell(summary.indicator.name),
            csv_cell(summary.area.name),
            summary.period.label,
            csv_cell(_value(figures.value)),
            figures.prior_quarter.period.label,
            csv_cell(_value(figures.prior_quarter.earlier)),
            *_change(figures.prior_quarter.change),
            figures.year_before.period.label,
            csv_cell(_value(figures.year_before.earlier)),
            *_change(figures.year_before.change),
            csv_cell(summary.county.name) if summary.county else "",
            csv_cell(_value(county.value)) if county else "",
            *_change(county.prior_quarter.change if county else None),
            csv_cell(summary.against_county),
            summary.rank.text if summary.rank else "",
            csv_cell("; ".join(f"{b.date:%-d %B %Y}: {b.title}" for b in breaks.values())),
            csv_cell(summary.indicator.note),
        ]


class SummaryCsvView(SummaryMixin, View):
    event = AccessEvent.DOWNLOADED

    def get(self, request, *args, **kwargs):
        _form, area, quarter = self.choice()
        if area is None:
            raise Http404("No such area or quarter.")
        summaries = self.summaries(area, quarter)
        return csv_response(
            summary_rows(summaries),
            filename=f"{file_slug('performance', area.code, quarter.label)}.csv",
        )


# --- one indicator's series ----------------------------------------------------------------


class IndicatorMixin(CommitteeMixin):
    def indicator(self) -> Indicator:
        """The indicator, or 404: a confidential one looks like no indicator at all to
        those who may not see it, as its name is exempt too."""
        try:
            indicator = selectors.indicator_get(user=self.request.user, code=self.kwargs["code"])
        except Indicator.DoesNotExist as missing:
            raise Http404("No such indicator.") from missing
        if indicator.committee_id != self.committee.pk:
            raise Http404("No such indicator.")
        return indicator

    def area_choice(self):
        areas = selectors.areas_reported()
        self.default_area = areas[0] if areas else None
        if not areas:
            return AreaChoiceForm(areas=areas), None
        if "area" not in self.request.GET:
            return AreaChoiceForm(areas=areas, initial={"area": areas[0].code}), areas[0]
        form = AreaChoiceForm(self.request.GET, areas=areas)
        return form, (form.chosen() if form.is_valid() else None)

    def history(self, indicator, area):
        history = selectors.indicator_history(
            user=self.request.user, indicator=indicator, area=area
        )
        if indicator.is_confidential:
            record_confidential(
                self.request,
                self.event,
                committee=self.committee,
                # Named by number: the log's readers may not be entitled to the name (or
                # the code, which its address carries).
                what=f"confidential performance figures (indicator {indicator.pk}): {area.name}",
                path=self.request.get_full_path().replace(
                    f"/{self.kwargs['code']}/", f"/(indicator {indicator.pk})/"
                ),
            )
        return history


class IndicatorView(IndicatorMixin, TemplateView):
    template_name = "performance/indicator_detail.html"
    event = AccessEvent.VIEWED

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.indicator()
        form, area = self.area_choice()
        history = self.history(indicator, area) if area else None
        rows = series_rows(history.quarters) if history else []
        has_county = area is not None and area.county_id is not None
        has_rank = any(row.summary.rank for row in rows)
        context.update(
            _reader_context(self.request, self.committee),
            indicator=indicator,
            form=form,
            area=area,
            history=history,
            rows=rows,
            breaks=breaks_shown(history.quarters) if history else [],
            notes=indicator_notes([indicator]),
            has_county=has_county,
            has_rank=has_rank,
            columns=4 + 2 * has_county + has_rank,
            # Drawn from the rows the table shows: nothing it withholds reaches a chart.
            **(
                charts.history_charts(
                    indicator=indicator,
                    area=area,
                    rows=rows,
                    county=area.county if has_county else None,
                )
                if rows
                else {}
            ),
            area_query=urlencode({"area": area.code}) if area and area != self.default_area else "",
        )
        return context


SERIES_HEADER = [
    "indicator",
    "indicator name",
    "area",
    "quarter",
    "value",
    "change on prior quarter",
    "direction on prior quarter",
    "change on same quarter last year",
    "direction on same quarter last year",
    "county",
    "county value",
    "county change on prior quarter",
    "county direction on prior quarter",
    "rank in most similar group",
    "series break since the prior quarter",
    "note",
]


def series_csv_rows(rows: list[SeriesRow]):
    yield SERIES_HEADER
    for row in rows:
        summary = row.summary
        figures, county = summary.figures, summary.county_figures
        yield [
            summary.indicator.code,
            csv_cell(summary.indicator.name),
            csv_cell(summary.area.name),
            summary.period.label,
            csv_cell(_value(figures.value)),
            *_change(figures.prior_quarter.change),
            *_change(figures.year_before.change),
            csv_cell(summary.county.name) if summary.county else "",
            csv_cell(_value(county.value)) if county else "",
            *_change(county.prior_quarter.change if county else None),
            summary.rank.text if summary.rank else "",
            csv_cell("; ".join(f"{b.date:%-d %B %Y}: {b.title}" for b in row.breaks_before)),
            csv_cell(figures.note),
        ]


class IndicatorCsvView(IndicatorMixin, View):
    event = AccessEvent.DOWNLOADED

    def get(self, request, *args, **kwargs):
        indicator = self.indicator()
        _form, area = self.area_choice()
        if area is None:
            raise Http404("No such area.")
        history = self.history(indicator, area)
        return csv_response(
            series_csv_rows(series_rows(history.quarters)),
            filename=f"{file_slug(indicator.code, area.code)}.csv",
        )
