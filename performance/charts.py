"""Charts of the figures as SVG markup written here, on the server.

No charting library: a few dozen lines of SVG need no dependency, and markup written
on the server works without JavaScript, in the browser and in WeasyPrint's PDFs alike,
needs no inline script or style (so the Content-Security-Policy stays strict), and
carries its own accessible name: `role="img"`, a `<title>` and a `<desc>` that states
the trend in words. The data table beside each chart stays its full alternative.

Each chart is drawn only from what the view already passes to its table (values as
`Shown`, suppressed and missing ones with no value), never from a query of its own:
what the table withholds cannot appear here, and a withheld quarter is a gap in the
line, never a zero. Nothing relies on colour alone: each series has its own marker
shape and line style and a text legend; the highlighted bar has a hatched pattern, a
heavy outline and its place in words; series breaks are dashed lines with a label.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import Shown, ordinal
from .models import PeriodKey, SeriesBreak, Unit

FONT = 'font-family="Arial, Helvetica, sans-serif"'
AREA_COLOUR = "#1d70b8"  # GOV.UK blue
COUNTY_COLOUR = "#505a5f"  # GOV.UK dark grey
INK = "#0b0c0c"


@dataclasses.dataclass(frozen=True)
class Series:
    """A line: a name, and the values by quarter as the table shows them."""

    name: str
    points: Sequence[tuple[PeriodKey, Shown]]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values spanning low to high."""
    if high == low:
        high, low = high + 1, max(low - 1, 0) if low >= 0 else low - 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _tick_text(value: float, step: float) -> str:
    # As many decimal places as the step has: 2.5 apart, 17.5 is not "18".
    places = next((p for p in range(3) if float(round(step * 10**p, 6)).is_integer()), 2)
    return f"{value:,.{places}f}"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return mark_safe(  # noqa: S308 every piece of text in it is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    return (
        f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="white" '
        f'stroke="{colour}" stroke-width="2"/>'
    )


def _trend(series: Series) -> str:
    """ "All crime in Dartford rose from 2,412 in 2016-17 Q4 to 2,526 in 2017-18 Q1"."""
    shown = [(period, value) for period, value in series.points if value.value is not None]
    if not shown:
        return f"no figures for {series.name} can be shown"
    (first, start), (last, end) = shown[0], shown[-1]
    if len(shown) == 1:
        return f"{series.name} was {start.text} in {first.label}, the only quarter shown"
    if end.value == start.value:
        verb = "was unchanged at"
        return f"{series.name} {verb} {start.text} from {first.label} to {last.label}"
    verb = "rose" if end.value > start.value else "fell"
    return f"{series.name} {verb} from {start.text} in {first.label} to {end.text} in {last.label}"


def _withheld(series: Series) -> str:
    hidden = [value for _period, value in series.points if value.value is None]
    if not hidden:
        return ""
    suppressed = sum(value.suppressed for value in hidden)
    count = len(hidden)
    quarters = f"{count} quarter{'s' if count != 1 else ''}"
    why = "fewer than the number shown publicly" if suppressed == count else "not available"
    return f"; {series.name} is not shown for {quarters} ({why})"


def series_chart(
    *,
    chart_id: str,
    indicator_name: str,
    series: Sequence[Series],
    breaks: Sequence[SeriesBreak] = (),
) -> SafeString:
    """A line per series (the area first, then the county), quarters oldest first."""
    periods = sorted({period for line in series for period, _value in line.points})
    if not periods:
        return SafeString("")
    width, height = 600, 320
    # Room on the right for the last quarter's label, centred on its point.
    left, right, top, bottom = 64, 40, 56, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    first_index = periods[0].index
    span = max(periods[-1].index - first_index, 1)

    def x_of(position: float) -> float:
        if len(periods) == 1:
            return left + plot_w / 2
        return left + (position - first_index) / span * plot_w

    values = [float(v.value) for line in series for _p, v in line.points if v.value is not None]
    ticks = _nice_ticks(min(values), max(values)) if values else [0.0, 1.0]
    low, high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    body = []
    # Axes and grid.
    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="13" '
            f'text-anchor="end" fill="{INK}">{_tick_text(tick, step)}</text>'
        )
    every = max(1, math.ceil(len(periods) / 8))
    for n, period in enumerate(periods):
        if n % every and n != len(periods) - 1:
            continue
        x = x_of(period.index)
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 20}" font-size="13" text-anchor="middle" '
            f'fill="{INK}">{period.start_year}-{(period.start_year + 1) % 100:02d}'
            f'<tspan x="{x:.1f}" dy="16">Q{period.quarter}</tspan></text>'
        )
    # Series breaks: a dashed line where counting changed, labelled in words.
    for series_break in breaks:
        position = _break_position(series_break.date)
        if not periods[0].index < position < periods[-1].index:
            continue
        x = x_of(position)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{top + plot_h}" stroke="{INK}" '
            f'stroke-width="1.5" stroke-dasharray="6 4" class="chart-break"/>'
            f'<text x="{x + 4:.1f}" y="{top + 10}" font-size="12" fill="{INK}">Series break, '
            f"{series_break.date:%B %Y}</text>"
        )
    # Lines, with a gap wherever a quarter is withheld or missing.
    styles = [("circle", AREA_COLOUR, ""), ("square", COUNTY_COLOUR, ' stroke-dasharray="8 4"')]
    legend = []
    for line, (shape, colour, dash) in zip(series, styles, strict=False):
        path, previous = [], None
        markers = []
        for period, value in sorted(line.points):
            if value.value is None:
                previous = None
                continue
            x, y = x_of(period.index), y_of(float(value.value))
            joined = previous is not None and period.index == previous + 1
            path.append(f"{'L' if joined else 'M'}{x:.1f} {y:.1f}")
            markers.append(_marker(shape, x, y, colour))
            previous = period.index
        if path:
            body.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{dash}/>"
            )
        body.extend(markers)
        legend.append((shape, colour, dash, line.name))
    # The legend, in words beside each marker.
    x = left
    for shape, colour, dash, name in legend:
        body.append(
            f'<line x1="{x}" x2="{x + 28}" y1="16" y2="16" stroke="{colour}" stroke-width="2.5"'
            f"{dash}/>" + _marker(shape, x + 14, 16, colour)
        )
        body.append(f'<text x="{x + 34}" y="21" font-size="14" fill="{INK}">{escape(name)}</text>')
        x += 46 + 8 * len(name)

    trends = [_trend(line) for line in series]
    desc = f"{indicator_name}: {'; '.join(trends)}"
    desc += "".join(_withheld(line) for line in series)
    shown_breaks = [
        b for b in breaks if periods[0].index < _break_position(b.date) < periods[-1].index
    ]
    if shown_breaks:
        dates = " and ".join(f"{b.date:%B %Y}" for b in shown_breaks)
        desc += f"; a series break in {dates}"
    desc = desc[0].upper() + desc[1:] + "."
    names = " and ".join(line.name for line in series)
    title = f"{indicator_name}, {names}: {periods[0].label} to {periods[-1].label}"
    return _svg(chart_id, title, desc, width, height, body)


def _break_position(date: datetime.date) -> float:
    """Where a break falls on the quarter axis (each quarter's point at its index):
    a break on the first day of a quarter falls midway from the quarter before."""
    quarter = PeriodKey.containing(date)
    days = (quarter.end_date - quarter.start_date).days + 1
    return quarter.index - 0.5 + (date - quarter.start_date).days / days


@dataclasses.dataclass(frozen=True)
class Bar:
    name: str
    value: Shown
    highlighted: bool = False


def group_chart(
    *,
    chart_id: str,
    indicator_name: str,
    period: PeriodKey,
    bars: Sequence[Bar],
) -> SafeString:
    """The most similar group for a quarter: a bar per area, lowest first (the order
    ranks count in), the area itself hatched, outlined and named with its place."""
    shown = [bar for bar in bars if bar.value.value is not None]
    shown.sort(key=lambda bar: bar.value.value)
    hidden = [bar for bar in bars if bar.value.value is None]
    if len(shown) < 2:
        return SafeString("")
    width, left, right, row = 400, 8, 64, 40
    top = 8
    height = top + row * (len(shown) + len(hidden)) + 8
    largest = max(float(bar.value.value) for bar in shown) or 1.0
    bar_w = width - left - right
    hatch = f"{chart_id}-hatch"
    body = [
        f'<defs><pattern id="{hatch}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{INK}" stroke-width="4"/></pattern></defs>'
    ]
    place = None
    for n, bar in enumerate(shown):
        y = top + n * row
        if bar.highlighted:
            position = 1 + sum(other.value.value < bar.value.value for other in shown)
            place = (bar.name, position)
            label = f"{bar.name}, {ordinal(position)} of {len(shown)}"
            fill = f'fill="url(#{hatch})" stroke="{INK}" stroke-width="2.5"'
            weight = ' font-weight="bold"'
        else:
            label, fill, weight = bar.name, f'fill="{AREA_COLOUR}"', ""
        length = max(float(bar.value.value) / largest * bar_w, 1)
        body.append(
            f'<text x="{left}" y="{y + 13}" font-size="14" fill="{INK}"{weight}>'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y + 18}" width="{length:.1f}" height="16" {fill}/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 31}" font-size="13" fill="{INK}">'
            f"{escape(bar.value.text)}</text>"
        )
    for n, bar in enumerate(hidden, start=len(shown)):
        body.append(
            f'<text x="{left}" y="{top + n * row + 13}" font-size="14" fill="{INK}">'
            f"{escape(bar.name)}: {escape(bar.value.text)}</text>"
        )
    lowest, highest = shown[0], shown[-1]
    desc = (
        f"{indicator_name} in {period.label} across the {len(shown)} areas of the most similar "
        f"group with figures, from {lowest.value.text} in {lowest.name} to "
        f"{highest.value.text} in {highest.name}"
    )
    if place:
        desc += f"; {place[0]} is {ordinal(place[1])} of {len(shown)}, counting from the lowest"
    if hidden:
        desc += f"; {len(hidden)} area{'s' if len(hidden) != 1 else ''} with no figure shown"
    title = f"{indicator_name}: the most similar group, {period.label}"
    return _svg(chart_id, title, desc + ".", width, height, body)


def history_charts(*, indicator, area, rows, county=None, prefix="chart") -> dict:
    """The charts for an indicator's page or report section, from the rows its table
    shows (newest first, each with the breaks since the quarter before)."""
    quarters = [row.summary for row in reversed(rows)]
    lines = [Series(area.name, [(q.period, q.figures.value) for q in quarters])]
    county_points = [
        (q.period, q.county_figures.value)
        for q in quarters
        if q.county_figures and q.county_figures.value.value is not None
    ]
    # The county shares the area's scale only where the two compare: a county's count is
    # many times a district's, and would flatten the district's line (its counts are in
    # the table). Rates and percentages are drawn together.
    county_drawn = county is not None and indicator.unit != Unit.COUNT and bool(county_points)
    if county_drawn:
        lines.append(
            Series(
                county.name,
                [(q.period, q.county_figures.value) for q in quarters if q.county_figures],
            )
        )
    breaks = [b for row in rows for b in row.breaks_before]
    charts = {
        "series_chart": series_chart(
            chart_id=f"{prefix}-series-{indicator.pk}",
            indicator_name=indicator.name,
            series=lines,
            breaks=sorted(breaks, key=lambda b: (b.date, b.pk)),
        ),
        "group_chart": SafeString(""),
        "county_drawn": county_drawn,
    }
    latest = next((q for q in reversed(quarters) if q.group and q.rank), None)
    if latest is not None:
        charts["group_chart"] = group_chart(
            chart_id=f"{prefix}-group-{indicator.pk}",
            indicator_name=indicator.name,
            period=latest.period,
            bars=[Bar(g.name, g.value, g.area_id == area.pk) for g in latest.group],
        )
        charts["group_period"] = latest.period
    return charts
