"""Reads of performance data, with the access policy applied: confidential indicators
reach only those entitled to the committee's exempt papers (and its data officers),
and small numbers are suppressed for everyone else. Each read asks a fixed number of
queries, however many quarters or indicators there are."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from scrutiny import access
from scrutiny.csv_safe import csv_cell
from scrutiny.models import Committee

from .analysis import (
    QuarterFigures,
    Rank,
    Shown,
    against_county,
    format_value,
    quarter_figures,
    rank_lowest_first,
    shown,
)
from .files import COLUMNS
from .models import (
    Area,
    AreaKind,
    DataOfficer,
    Indicator,
    Observation,
    ObservationStatus,
    PeriodKey,
    RowChange,
    SeriesBreak,
    Unit,
    Upload,
)
from .services import PreviewRow

EXPORT_HEADER = list(COLUMNS)
TEMPLATE_HEADER = [*COLUMNS, "indicator name", "area name"]


def indicator_list(*, user, committee: Committee) -> QuerySet[Indicator]:
    """The committee's indicators whose values this user may see. No user is the
    command line (as the services take it): whoever runs it holds the database."""
    indicators = Indicator.objects.filter(committee=committee)
    return indicators if user is None else access.visible_indicators(indicators, user)


def indicator_get(*, user, code: str) -> Indicator:
    """The indicator, or Indicator.DoesNotExist if this user may not see its values."""
    indicators = access.visible_indicators(Indicator.objects.select_related("committee"), user)
    return indicators.get(code__iexact=code)


def area_get(*, code: str) -> Area:
    return Area.objects.select_related("county").get(code__iexact=code)


def exempt_output_for(user, committee: Committee) -> bool:
    """Whether what this user is shown is exempt output: small numbers unsuppressed.
    No user is the command line, as for indicator_list."""
    return user is None or access.can_see_confidential_indicators(user, committee)


def may_see_uploads(user, committee: Committee) -> bool:
    """The committee's uploads are read by its data officers and its co-ordinators (who
    name the officers, and see everything of the committee)."""
    return access.can_upload_observations(user, committee) or access.can_edit_committee(
        user, committee
    )


def upload_list(*, user, committee: Committee) -> QuerySet[Upload]:
    """Uploads (who, when, file, hash, counts: never the rows) for the committee's data
    officers and co-ordinators."""
    if not may_see_uploads(user, committee):
        return Upload.objects.none()
    return Upload.objects.filter(committee=committee).defer("rows").select_related("uploaded_by")


# --- summaries -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class GroupValue:
    """An area of the most similar group and its value for the quarter, as shown."""

    area_id: int
    name: str
    value: Shown


@dataclasses.dataclass(frozen=True)
class IndicatorSummary:
    """One indicator for an area and quarter: its figures, the county's beside them, its
    place in the most similar group (rates), and the series breaks it spans."""

    indicator: Indicator
    area: Area
    figures: QuarterFigures
    county: Area | None
    county_figures: QuarterFigures | None
    against_county: str
    rank: Rank | None
    breaks: tuple[SeriesBreak, ...]
    # Rates: every area of the most similar group with its value as this reader may see it.
    group: tuple[GroupValue, ...] = ()

    @property
    def period(self) -> PeriodKey:
        return self.figures.period


def _peer_ids(area: Area) -> dict[int, str]:
    """The area and its most similar group: {area id: name}."""
    return {area.pk: area.name, **dict(area.most_similar.values_list("pk", "name"))}


def _breaks(indicators: Iterable[Indicator]) -> list[SeriesBreak]:
    ids = [indicator.pk for indicator in indicators]
    return list(SeriesBreak.objects.filter(Q(indicator_id__in=ids) | Q(indicator__isnull=True)))


def _values(observations: QuerySet[Observation]):
    """{(indicator id, area id): {quarter: (value, note)}} in one query."""
    values = defaultdict(dict)
    for indicator_id, area_id, start_year, quarter, value, note in observations.values_list(
        "indicator_id", "area_id", "period__start_year", "period__quarter", "value", "note"
    ):
        values[indicator_id, area_id][PeriodKey(start_year, quarter)] = (value, note)
    return values


def _summary(indicator, area, period, values, *, peers, exempt_output, breaks) -> IndicatorSummary:
    own = values.get((indicator.pk, area.pk), {})
    figures = quarter_figures(indicator, period, own, exempt_output=exempt_output, breaks=breaks)
    county_figures = None
    county = area.county
    if county is not None:
        county_figures = quarter_figures(
            indicator,
            period,
            values.get((indicator.pk, county.pk), {}),
            exempt_output=exempt_output,
            breaks=breaks,
        )
    rank, group = None, ()
    if indicator.unit == Unit.RATE_PER_1000 and len(peers) > 1:
        at_period = {
            peer: values.get((indicator.pk, peer), {}).get(period, (None, ""))[0] for peer in peers
        }
        group = tuple(
            GroupValue(peer, name, shown(at_period[peer], indicator, exempt_output=exempt_output))
            for peer, name in peers.items()
        )
        # Ranked only among the values this output shows: a place counted among suppressed
        # values would say how they compare.
        rank = rank_lowest_first({g.area_id: g.value.value for g in group}, area.pk)
    return IndicatorSummary(
        indicator=indicator,
        area=area,
        figures=figures,
        county=county,
        county_figures=county_figures,
        against_county=against_county(
            area.name,
            figures.prior_quarter.change,
            county.name if county else "",
            county_figures.prior_quarter.change if county_figures else None,
        ),
        rank=rank,
        group=group,
        breaks=tuple(
            b for b in breaks if b.applies_to(indicator) and b.splits(period.shifted(-7), period)
        ),
    )


def indicator_summaries(
    *,
    user,
    committee: Committee,
    area: Area,
    period: PeriodKey,
    exempt_output: bool | None = None,
    include_confidential: bool = True,
) -> list[IndicatorSummary]:
    """Every indicator of the committee this user may see, for the area and quarter:
    value, prior quarter, same quarter last year, the year to the quarter, the county
    beside it and the rank among the most similar group. `exempt_output` says whether
    the output is exempt (small numbers shown); by default, whether the user may see
    the committee's exempt material."""
    return [
        quarters[0]
        for _indicator, quarters in indicator_series(
            user=user,
            committee=committee,
            area=area,
            period=period,
            quarters=1,
            exempt_output=exempt_output,
            include_confidential=include_confidential,
        )
    ]


def indicator_series(
    *,
    user,
    committee: Committee,
    area: Area,
    period: PeriodKey,
    quarters: int,
    exempt_output: bool | None = None,
    include_confidential: bool = True,
) -> list[tuple[Indicator, list[IndicatorSummary]]]:
    """Each indicator of the committee this user may see, with its summaries for the
    area in up to `quarters` quarters to `period`, newest first: the chosen quarter
    always, and each earlier one that has a figure for the area. Three queries, however
    many indicators and quarters. `include_confidential=False` leaves out the
    confidential indicators even for those entitled (a public version of a report)."""
    if exempt_output is None:
        exempt_output = exempt_output_for(user, committee)
    indicators = indicator_list(user=user, committee=committee)
    if not include_confidential:
        indicators = indicators.filter(is_confidential=False)
    indicators = list(indicators)
    peers = _peer_ids(area)
    local = [area.pk] + ([area.county_id] if area.county_id else [])
    oldest = period.shifted(-(quarters - 1))
    # Seven more quarters before the oldest shown: its year before and its year to date.
    first = oldest.shifted(-7)
    observations = Observation.objects.filter(
        Q(area_id__in=local) | Q(area_id__in=list(peers), indicator__unit=Unit.RATE_PER_1000),
        indicator__in=indicators,
        period__start_year__gte=first.start_year,
        period__start_year__lte=period.start_year,
    )
    values = _values(observations)
    breaks = _breaks(indicators)
    window = [period.shifted(-n) for n in range(quarters)]
    result = []
    for indicator in indicators:
        own = values.get((indicator.pk, area.pk), {})
        shown_periods = [p for p in window if p == period or p in own]
        result.append(
            (
                indicator,
                [
                    _summary(
                        indicator,
                        area,
                        p,
                        values,
                        peers=peers,
                        exempt_output=exempt_output,
                        breaks=breaks,
                    )
                    for p in shown_periods
                ],
            )
        )
    return result


@dataclasses.dataclass(frozen=True)
class IndicatorHistory:
    indicator: Indicator
    area: Area
    quarters: list[IndicatorSummary]  # newest first
    breaks: tuple[SeriesBreak, ...]  # every break within the quarters shown


def indicator_history(
    *, user, indicator: Indicator, area: Area, exempt_output: bool | None = None
) -> IndicatorHistory:
    """Every quarter on record of one indicator for an area, each with its comparisons.
    Indicator.DoesNotExist if this user may not see the indicator's values."""
    if (
        not indicator_list(user=user, committee=indicator.committee)
        .filter(pk=indicator.pk)
        .exists()
    ):
        raise Indicator.DoesNotExist
    if exempt_output is None:
        exempt_output = exempt_output_for(user, indicator.committee)
    peers = _peer_ids(area) if indicator.unit == Unit.RATE_PER_1000 else {area.pk: area.name}
    local = [area.pk] + ([area.county_id] if area.county_id else [])
    values = _values(Observation.objects.filter(indicator=indicator, area_id__in={*local, *peers}))
    breaks = _breaks([indicator])
    periods = sorted(values.get((indicator.pk, area.pk), {}), reverse=True)
    quarters = [
        _summary(
            indicator, area, period, values, peers=peers, exempt_output=exempt_output, breaks=breaks
        )
        for period in periods
    ]
    shown_breaks = (
        tuple(b for b in breaks if b.applies_to(indicator) and b.splits(periods[-1], periods[0]))
        if periods
        else ()
    )
    return IndicatorHistory(indicator=indicator, area=area, quarters=quarters, breaks=shown_breaks)


# --- the upload format: export and template ------------------------------------------------


def observations_for_export(
    *, indicators: QuerySet[Indicator], area: Area | None = None
) -> QuerySet[Observation]:
    """Observations of these indicators (already filtered to what the reader may see)."""
    observations = Observation.objects.filter(indicator__in=indicators)
    if area is not None:
        observations = observations.filter(area=area)
    return observations.select_related("indicator", "area", "period").order_by(
        "indicator__code", "area__code", "period__start_year", "period__quarter"
    )


def export_value(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def export_rows(observations: Iterable[Observation]) -> Iterator[list[str]]:
    """Rows in the upload format, so that an export imports unchanged."""
    yield EXPORT_HEADER
    for observation in observations.iterator(chunk_size=2000):
        yield [
            observation.indicator.code,
            observation.area.code,
            observation.period.label,
            export_value(observation.value),
            observation.status,
            csv_cell(observation.note),
        ]


def write_csv(rows: Iterable[list[str]], out) -> None:
    csv.writer(out, lineterminator="\r\n").writerows(rows)


def template_csv(*, committee: Committee, today=None) -> str:
    """The upload template: one row for each figure the partnership reports next, with
    the value left empty. Every indicator has a row for the district, the partner
    district and the county; a rate also has one for each area of the most similar
    group, so every indicator code and area code appears with its name. The names are
    there to help and are not read; a row left without a value is an error, so rows for
    figures not yet available are deleted before upload."""
    latest = (
        Observation.objects.filter(indicator__committee=committee)
        .order_by("-period__start_year", "-period__quarter")
        .values_list("period__start_year", "period__quarter")
        .first()
    )
    today = today or timezone.localdate()
    period = PeriodKey(*latest).shifted(1) if latest else PeriodKey.containing(today).shifted(-1)
    local_kinds = [AreaKind.DISTRICT, AreaKind.PARTNER_DISTRICT, AreaKind.COUNTY]
    areas = list(Area.objects.order_by("name"))
    local = sorted(
        (area for area in areas if area.kind in local_kinds),
        key=lambda area: local_kinds.index(area.kind),
    )
    others = [area for area in areas if area.kind not in local_kinds]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    for indicator in Indicator.objects.filter(committee=committee):
        areas = local + (others if indicator.unit == Unit.RATE_PER_1000 else [])
        for area in areas:
            writer.writerow(
                [
                    indicator.code,
                    area.code,
                    period.label,
                    "",
                    "",
                    "",
                    csv_cell(indicator.name),
                    csv_cell(area.name),
                ]
            )
    return out.getvalue()


# --- for the pages ---------------------------------------------------------------------------

LOCAL_KINDS = (AreaKind.DISTRICT, AreaKind.PARTNER_DISTRICT, AreaKind.COUNTY)


def areas_reported() -> list[Area]:
    """The areas a summary is read for: the district, the partner district and the
    county, in that order (most-similar-group peers have only rates, for ranking)."""
    areas = Area.objects.filter(kind__in=LOCAL_KINDS).select_related("county")
    return sorted(areas, key=lambda area: (LOCAL_KINDS.index(area.kind), area.name))


def quarters_reported(*, user, committee: Committee) -> list[PeriodKey]:
    """Quarters with figures of the committee's indicators this user may see, newest first."""
    rows = (
        Observation.objects.filter(indicator__in=indicator_list(user=user, committee=committee))
        .values_list("period__start_year", "period__quarter")
        .distinct()
        .order_by("-period__start_year", "-period__quarter")
    )
    return [PeriodKey(*row) for row in rows]


def has_confidential_indicators(*, committee: Committee) -> bool:
    """Whether the committee receives any figures under an obligation of confidence (not
    which: their names are exempt too)."""
    return Indicator.objects.filter(committee=committee, is_confidential=True).exists()


def upload_get(*, user, committee: Committee, pk: int) -> Upload:
    """One upload of the committee, with its rows, for those who may see the uploads;
    Upload.DoesNotExist otherwise."""
    uploads = upload_list(user=user, committee=committee)
    return (
        uploads.defer(None).select_related("uploaded_by", "confirmed_by", "reverted_by").get(pk=pk)
    )


@dataclasses.dataclass(frozen=True)
class UploadRowShown:
    """A row of an upload's preview with its names and values as the officer reads them."""

    row: int
    indicator: Indicator
    area: Area
    period: PeriodKey
    change: str
    value: str
    old_value: str
    status: str
    old_status: str
    note: str
    old_note: str


def upload_rows_shown(
    *, upload: Upload, change: str, limit: int
) -> tuple[list[UploadRowShown], int]:
    """Up to `limit` rows of the preview that make this change, in file order, and how
    many there are in all. Two queries, whatever the size of the upload."""
    rows = [row for row in map(PreviewRow._make, upload.rows) if row.change == change]
    shown = rows[:limit]
    indicators = Indicator.objects.in_bulk({row.indicator_id for row in shown})
    areas = Area.objects.in_bulk({row.area_id for row in shown})

    def text(value: str | None, indicator: Indicator, note: str) -> str:
        if value is None:
            return f"Not available: {note}" if note else "Not available"
        return format_value(Decimal(value), indicator.unit)

    result = []
    for row in shown:
        indicator = indicators[row.indicator_id]
        result.append(
            UploadRowShown(
                row=row.row,
                indicator=indicator,
                area=areas[row.area_id],
                period=PeriodKey(row.start_year, row.quarter),
                change=row.change,
                value=text(row.value, indicator, row.note),
                old_value=text(row.old_value, indicator, row.old_note)
                if row.change == RowChange.CHANGED
                else "",
                status=ObservationStatus(row.status).label,
                old_status=ObservationStatus(row.old_status).label if row.old_status else "",
                note=row.note,
                old_note=row.old_note,
            )
        )
    return result, len(rows)


def data_officer_committees(*, user) -> list[Committee]:
    """The committees whose performance data this user uploads, for the menu."""
    roles = DataOfficer.objects.filter(user=user).values("committee")
    return list(Committee.objects.filter(pk__in=roles).order_by("name"))


def data_officer_list(*, committee: Committee) -> QuerySet[DataOfficer]:
    return DataOfficer.objects.filter(committee=committee).select_related("user", "assigned_by")


def data_officer_candidates(*, committee: Committee):
    """Active officers who are not yet the committee's data officers."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=access.Role.OFFICER)
        .exclude(data_officer_roles__committee=committee)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )
