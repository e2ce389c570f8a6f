"""What the figures say: changes and their direction, words for them, ranks among the
most similar group, small numbers suppressed. Pure functions over values already
read (performance/selectors.py reads them, with the access policy applied).

Direction of travel follows the indicator's polarity, as the partnership's reports
show it (seed 002): an improvement (green), a deterioration (red) or no change
(blue) when the change is within the indicator's band, plus or minus 2 per cent
unless set otherwise. An indicator whose polarity is "neither" only increases or
decreases: no judgement is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from .models import Indicator, PeriodKey, Polarity, SeriesBreak, Unit

HUNDRED = Decimal(100)
# Words for the size of a change, as reports put it: "a slight decrease".
MAGNITUDES = ((Decimal(5), "slight"), (Decimal(10), "small"), (Decimal(25), "marked"))
LARGEST_MAGNITUDE = "large"


class Direction(models.TextChoices):
    IMPROVEMENT = "improvement", "Improvement"
    DETERIORATION = "deterioration", "Deterioration"
    NO_CHANGE = "no_change", "No change"
    INCREASE = "increase", "Increase"
    DECREASE = "decrease", "Decrease"


# Colours as the Strategic Assessment uses them; always shown with an arrow and words.
DIRECTION_COLOURS = {
    Direction.IMPROVEMENT: "green",
    Direction.DETERIORATION: "red",
    Direction.NO_CHANGE: "blue",
    Direction.INCREASE: "grey",
    Direction.DECREASE: "grey",
}


# The same colours as codes (GOV.UK's palette, each with enough contrast on white), drawn
# into the arrows themselves so that they print the same in a PDF as on screen.
COLOUR_CODES = {"green": "#00703c", "red": "#d4351c", "blue": "#1d70b8", "grey": "#505a5f"}


def percent_change(earlier: Decimal, later: Decimal) -> Decimal | None:
    """The change as a per cent of the earlier value; None from zero to anything else."""
    if earlier == 0:
        return Decimal(0) if later == 0 else None
    return (later - earlier) / abs(earlier) * HUNDRED


def direction_of(*, earlier: Decimal, later: Decimal, polarity: str, band: Decimal) -> str:
    percent = percent_change(earlier, later)
    if percent is not None and abs(percent) <= band:
        return Direction.NO_CHANGE
    went_up = later > earlier
    if polarity == Polarity.HIGHER_IS_BETTER:
        return Direction.IMPROVEMENT if went_up else Direction.DETERIORATION
    if polarity == Polarity.LOWER_IS_BETTER:
        return Direction.DETERIORATION if went_up else Direction.IMPROVEMENT
    return Direction.INCREASE if went_up else Direction.DECREASE


@dataclasses.dataclass(frozen=True)
class Change:
    earlier: Decimal
    later: Decimal
    percent: Decimal | None
    direction: str

    @property
    def difference(self) -> Decimal:
        return self.later - self.earlier

    @property
    def movement(self) -> str:
        """ "increase", "decrease" or "no change", whatever the polarity."""
        if self.direction == Direction.NO_CHANGE:
            return "no change"
        return "increase" if self.later > self.earlier else "decrease"

    @property
    def words(self) -> str:
        """ "a slight decrease", "a small increase", "no change"."""
        if self.direction == Direction.NO_CHANGE:
            return "no change"
        if self.percent is None:
            return f"an {self.movement}"
        size = abs(self.percent)
        adjective = next((word for limit, word in MAGNITUDES if size <= limit), LARGEST_MAGNITUDE)
        return f"a {adjective} {self.movement}"

    @property
    def percent_text(self) -> str:
        if self.percent is None:
            return ""
        rounded = self.percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{rounded:+}%"

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label

    @property
    def colour(self) -> str:
        return DIRECTION_COLOURS[self.direction]

    @property
    def colour_code(self) -> str:
        return COLOUR_CODES[self.colour]


def change_between(
    earlier: Decimal | None, later: Decimal | None, indicator: Indicator
) -> Change | None:
    if earlier is None or later is None:
        return None
    return Change(
        earlier=earlier,
        later=later,
        percent=percent_change(earlier, later),
        direction=direction_of(
            earlier=earlier,
            later=later,
            polarity=indicator.polarity,
            band=indicator.no_change_band,
        ),
    )


# --- values as shown ---------------------------------------------------------------------


def format_value(value: Decimal, unit: str) -> str:
    if unit == Unit.RATE_PER_1000:
        return f"{value:,.2f}"
    text = f"{value.normalize():,f}" if value != value.to_integral() else f"{value:,.0f}"
    return f"{text}%" if unit == Unit.PERCENTAGE else text


@dataclasses.dataclass(frozen=True)
class Shown:
    """A value as a reader may see it: None when missing or suppressed, with the text."""

    value: Decimal | None
    text: str
    suppressed: bool = False
    missing: bool = False


def is_suppressed(value: Decimal | None, indicator: Indicator, *, exempt_output: bool) -> bool:
    """Small numbers are hidden in any output that is not exempt, so that no one can be
    identified from them."""
    return (
        not exempt_output
        and value is not None
        and indicator.suppress_below is not None
        and value < indicator.suppress_below
    )


def shown(
    value: Decimal | None, indicator: Indicator, *, exempt_output: bool, note: str = ""
) -> Shown:
    if value is None:
        return Shown(None, f"Not available: {note}" if note else "Not available", missing=True)
    if is_suppressed(value, indicator, exempt_output=exempt_output):
        return Shown(None, f"fewer than {indicator.suppress_below}", suppressed=True)
    return Shown(value, format_value(value, indicator.unit))


# --- ranking ---------------------------------------------------------------------------------


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclasses.dataclass(frozen=True)
class Rank:
    """Place among the most similar group, counted from the lowest value, as iQuanta
    counts: the seed's "13th out of the 15" has the third highest crime rate."""

    position: int
    of: int

    @property
    def text(self) -> str:
        return f"{ordinal(self.position)} of {self.of}, counting from the lowest"


def rank_lowest_first(values: Mapping[int, Decimal | None], area_id: int) -> Rank | None:
    """The area's place among the areas with a value; equal values share a place."""
    present = [value for value in values.values() if value is not None]
    own = values.get(area_id)
    if own is None or len(present) < 2:
        return None
    return Rank(position=1 + sum(value < own for value in present), of=len(present))


# --- series breaks ---------------------------------------------------------------------------


def breaks_between(
    breaks: Iterable[SeriesBreak], indicator: Indicator, first: PeriodKey, last: PeriodKey
) -> tuple[SeriesBreak, ...]:
    """Breaks in this indicator's series with figures on both sides between the quarters."""
    return tuple(b for b in breaks if b.applies_to(indicator) and b.splits(first, last))


# --- one indicator, one area, one quarter ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The quarter's value against an earlier one (or a year's total against the year
    before): None as the change when either is missing or suppressed."""

    period: PeriodKey
    earlier: Shown
    change: Change | None
    breaks: tuple[SeriesBreak, ...] = ()


@dataclasses.dataclass(frozen=True)
class QuarterFigures:
    period: PeriodKey
    value: Shown
    note: str
    prior_quarter: Comparison
    year_before: Comparison
    twelve_months: Comparison | None  # counts and rates: the year to this quarter


Values = Mapping[PeriodKey, tuple[Decimal | None, str]]  # value and note, by quarter


def quarter_figures(
    indicator: Indicator,
    period: PeriodKey,
    values: Values,
    *,
    exempt_output: bool,
    breaks: Sequence[SeriesBreak] = (),
) -> QuarterFigures:
    def value_at(key: PeriodKey) -> Decimal | None:
        return values.get(key, (None, ""))[0]

    def comparable(value: Decimal | None) -> Decimal | None:
        hidden = is_suppressed(value, indicator, exempt_output=exempt_output)
        return None if hidden else value

    def compare(key: PeriodKey) -> Comparison:
        earlier = value_at(key)
        note = values.get(key, (None, ""))[1]
        return Comparison(
            period=key,
            earlier=shown(earlier, indicator, exempt_output=exempt_output, note=note),
            change=change_between(comparable(earlier), comparable(value_at(period)), indicator),
            breaks=breaks_between(breaks, indicator, key, period),
        )

    value, note = values.get(period, (None, ""))
    return QuarterFigures(
        period=period,
        value=shown(value, indicator, exempt_output=exempt_output, note=note),
        note=note,
        prior_quarter=compare(period.shifted(-1)),
        year_before=compare(period.shifted(-4)),
        twelve_months=_twelve_months(
            indicator, period, value_at, exempt_output=exempt_output, breaks=breaks
        ),
    )


def _twelve_months(indicator, period, value_at, *, exempt_output, breaks) -> Comparison | None:
    """The four quarters to this one against the four before, as the annual Strategic
    Assessment compares a calendar year with the one before when run to December."""
    if indicator.unit == Unit.PERCENTAGE:
        return None  # percentages do not add up over quarters
    this_year = [value_at(period.shifted(-n)) for n in range(4)]
    year_before = [value_at(period.shifted(-n)) for n in range(4, 8)]
    first = period.shifted(-7)
    values = this_year + year_before
    if any(value is None for value in values):
        total_before = total_now = None
    elif any(is_suppressed(value, indicator, exempt_output=exempt_output) for value in values):
        # A year's total beside the quarters shown would give a hidden quarter away.
        return Comparison(
            period=period.shifted(-4),
            earlier=Shown(None, f"fewer than {indicator.suppress_below} in a quarter", True),
            change=None,
        )
    else:
        total_now, total_before = sum(this_year), sum(year_before)
    return Comparison(
        period=period.shifted(-4),
        earlier=shown(total_before, indicator, exempt_output=True),
        change=change_between(total_before, total_now, indicator),
        breaks=breaks_between(breaks, indicator, first, period),
    )


def against_county(
    area_name: str, area_change: Change | None, county_name: str, county_change: Change | None
) -> str:
    """ "a slight decrease in Dartford against a small increase in Kent"."""
    if area_change is None or county_change is None:
        return ""
    joined = "and" if area_change.movement == county_change.movement else "against"
    return f"{area_change.words} in {area_name} {joined} {county_change.words} in {county_name}"


def rate_per_thousand(count: Decimal, population: int) -> Decimal:
    """A count as a rate per 1,000 population, to two places, as iQuanta shows rates."""
    return (Decimal(count) * 1000 / population).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
