"""Changes and their direction, words, ranks, suppression and series breaks: the pure
functions, on unsaved indicators."""

import datetime
from decimal import Decimal as D

import pytest

from performance.analysis import (
    Direction,
    Rank,
    against_county,
    breaks_between,
    change_between,
    direction_of,
    format_value,
    ordinal,
    quarter_figures,
    rank_lowest_first,
    rate_per_thousand,
    shown,
)
from performance.models import Indicator, PeriodKey, Polarity, SeriesBreak, Unit

Q1 = PeriodKey(2017, 1)


def indicator(**fields) -> Indicator:
    fields.setdefault("unit", Unit.COUNT)
    fields.setdefault("polarity", Polarity.LOWER_IS_BETTER)
    fields.setdefault("no_change_band", D(2))
    fields.setdefault("name", "All crime")
    return Indicator(**fields)


@pytest.mark.parametrize(
    ("polarity", "earlier", "later", "direction"),
    [
        (Polarity.LOWER_IS_BETTER, "100", "90", Direction.IMPROVEMENT),
        (Polarity.LOWER_IS_BETTER, "100", "110", Direction.DETERIORATION),
        (Polarity.HIGHER_IS_BETTER, "100", "110", Direction.IMPROVEMENT),
        (Polarity.HIGHER_IS_BETTER, "100", "90", Direction.DETERIORATION),
        (Polarity.NEITHER, "100", "110", Direction.INCREASE),
        (Polarity.NEITHER, "100", "90", Direction.DECREASE),
        # The band: within plus or minus 2 per cent, edges included, is no change.
        (Polarity.LOWER_IS_BETTER, "100", "102", Direction.NO_CHANGE),
        (Polarity.LOWER_IS_BETTER, "100", "98", Direction.NO_CHANGE),
        (Polarity.LOWER_IS_BETTER, "100", "102.01", Direction.DETERIORATION),
        (Polarity.LOWER_IS_BETTER, "100", "97.99", Direction.IMPROVEMENT),
        (Polarity.HIGHER_IS_BETTER, "100", "101", Direction.NO_CHANGE),
        (Polarity.NEITHER, "100", "100", Direction.NO_CHANGE),
        (Polarity.NEITHER, "100", "101.5", Direction.NO_CHANGE),
        # From nothing: no per cent, but a change all the same.
        (Polarity.LOWER_IS_BETTER, "0", "3", Direction.DETERIORATION),
        (Polarity.HIGHER_IS_BETTER, "0", "0", Direction.NO_CHANGE),
    ],
)
def test_direction_follows_polarity_outside_the_no_change_band(polarity, earlier, later, direction):
    assert (
        direction_of(earlier=D(earlier), later=D(later), polarity=polarity, band=D(2)) == direction
    )


def test_the_band_is_the_indicators_own():
    wide = indicator(no_change_band=D(5))
    assert change_between(D(100), D(104), wide).direction == Direction.NO_CHANGE
    assert change_between(D(100), D(104), indicator()).direction == Direction.DETERIORATION
    exact = indicator(no_change_band=D(0))
    assert change_between(D(100), D("100.5"), exact).direction == Direction.DETERIORATION


@pytest.mark.parametrize(
    ("earlier", "later", "words", "percent"),
    [
        ("2684", "2603", "a slight decrease", "-3.0%"),
        ("30390", "32180", "a small increase", "+5.9%"),
        ("100", "120", "a marked increase", "+20.0%"),
        ("100", "40", "a large decrease", "-60.0%"),
        ("100", "101", "no change", "+1.0%"),
        ("0", "5", "an increase", ""),
    ],
)
def test_changes_are_put_in_words(earlier, later, words, percent):
    change = change_between(D(earlier), D(later), indicator())
    assert change.words == words
    assert change.percent_text == percent
    assert change.difference == D(later) - D(earlier)


def test_direction_is_given_in_words_and_colour_never_colour_alone():
    improvement = change_between(D(100), D(90), indicator())
    assert (improvement.direction_label, improvement.colour) == ("Improvement", "green")
    worse = change_between(D(100), D(110), indicator())
    assert (worse.direction_label, worse.colour) == ("Deterioration", "red")
    level = change_between(D(100), D(100), indicator())
    assert (level.direction_label, level.colour) == ("No change", "blue")
    neither = change_between(D(100), D(110), indicator(polarity=Polarity.NEITHER))
    assert (neither.direction_label, neither.colour) == ("Increase", "grey")


def test_no_change_is_given_without_a_missing_value():
    assert change_between(None, D(1), indicator()) is None
    assert change_between(D(1), None, indicator()) is None


def test_area_against_county():
    dartford = change_between(D(2684), D(2603), indicator())
    kent = change_between(D(30390), D(32180), indicator())
    assert against_county("Dartford", dartford, "Kent", kent) == (
        "a slight decrease in Dartford against a small increase in Kent"
    )
    assert against_county("Dartford", kent, "Kent", kent) == (
        "a small increase in Dartford and a small increase in Kent"
    )
    assert against_county("Dartford", None, "Kent", kent) == ""


# --- values as shown, and suppression -----------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [
        (Unit.COUNT, "2526.0000", "2,526"),
        (Unit.COUNT, "12.5000", "12.5"),
        (Unit.RATE_PER_1000, "23.7900", "23.79"),
        (Unit.RATE_PER_1000, "5", "5.00"),
        (Unit.PERCENTAGE, "12.5000", "12.5%"),
        (Unit.PERCENTAGE, "40", "40%"),
    ],
)
def test_values_are_written_for_their_unit(unit, value, text):
    assert format_value(D(value), unit) == text


def test_small_numbers_are_suppressed_in_output_that_is_not_exempt():
    withdrawals = indicator(suppress_below=5, polarity=Polarity.NEITHER)
    public = shown(D(4), withdrawals, exempt_output=False)
    assert (public.value, public.text, public.suppressed) == (None, "fewer than 5", True)
    assert shown(D(0), withdrawals, exempt_output=False).text == "fewer than 5"
    assert shown(D(5), withdrawals, exempt_output=False).text == "5"
    exempt = shown(D(4), withdrawals, exempt_output=True)
    assert (exempt.value, exempt.text, exempt.suppressed) == (D(4), "4", False)
    assert shown(D(4), indicator(), exempt_output=False).text == "4"  # no threshold


def test_a_missing_value_shows_its_reason():
    missing = shown(None, indicator(), exempt_output=False, note="Not yet supplied")
    assert (missing.missing, missing.text) == (True, "Not available: Not yet supplied")


def test_a_suppressed_value_gives_no_change_that_would_reveal_it():
    withdrawals = indicator(suppress_below=5, polarity=Polarity.NEITHER)
    values = {Q1.shifted(-1): (D(12), ""), Q1: (D(4), "")}
    public = quarter_figures(withdrawals, Q1, values, exempt_output=False)
    assert public.value.text == "fewer than 5"
    assert public.prior_quarter.earlier.text == "12"
    assert public.prior_quarter.change is None
    exempt = quarter_figures(withdrawals, Q1, values, exempt_output=True)
    assert exempt.prior_quarter.change.direction == Direction.DECREASE


# --- one quarter's figures ---------------------------------------------------------------------


def series(*numbers, last=Q1):
    """Values for the quarters up to `last`, oldest first."""
    count = len(numbers)
    return {last.shifted(n - count + 1): (D(v), "") for n, v in enumerate(numbers)}


def test_a_quarter_against_the_quarter_before_and_the_same_quarter_last_year():
    figures = quarter_figures(
        indicator(),
        Q1,
        series(2412, 2538, 2611, 2684, 2603, 2526),
        exempt_output=False,
    )
    assert figures.value.value == D(2526)
    assert figures.prior_quarter.period == PeriodKey(2016, 4)
    assert figures.prior_quarter.change.words == "a slight decrease"
    assert figures.year_before.period == PeriodKey(2016, 1)
    assert figures.year_before.earlier.value == D(2538)
    assert figures.year_before.change.direction == Direction.NO_CHANGE  # -0.47%
    assert figures.twelve_months.change is None  # two quarters short of two years


def test_the_year_to_a_quarter_against_the_year_before():
    last = PeriodKey(2017, 3)  # October to December 2017: the calendar year 2017
    figures = quarter_figures(
        indicator(),
        last,
        series(812, 905, 968, 840, 765, 850, 902, 781, last=last),
        exempt_output=False,
    )
    change = figures.twelve_months.change
    assert (change.earlier, change.later) == (D(3525), D(3298))
    assert change.direction == Direction.IMPROVEMENT
    percentage = indicator(unit=Unit.PERCENTAGE)
    assert quarter_figures(percentage, last, {}, exempt_output=False).twelve_months is None


def test_a_year_with_a_suppressed_quarter_gives_no_total():
    withdrawals = indicator(suppress_below=5)
    last = PeriodKey(2017, 3)
    values = series(9, 11, 7, 12, 4, 10, 8, 9, last=last)
    public = quarter_figures(withdrawals, last, values, exempt_output=False)
    assert public.twelve_months.change is None
    assert public.twelve_months.earlier.suppressed
    exempt = quarter_figures(withdrawals, last, values, exempt_output=True)
    assert exempt.twelve_months.change.later == D(31)


# --- ranking ------------------------------------------------------------------------------------


def test_rank_counts_from_the_lowest_and_ties_share_a_place():
    values = {1: D("23.79"), 2: D("10"), 3: D("30"), 4: D("10"), 5: None}
    assert rank_lowest_first(values, 1) == Rank(position=3, of=4)
    assert rank_lowest_first(values, 2) == Rank(position=1, of=4)
    assert rank_lowest_first(values, 4) == Rank(position=1, of=4)
    assert rank_lowest_first(values, 5) is None
    assert rank_lowest_first({1: D(1)}, 1) is None
    assert Rank(13, 15).text == "13th of 15, counting from the lowest"


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (112, "112th"),
    ],
)
def test_ordinals(number, text):
    assert ordinal(number) == text


def test_rates_per_thousand():
    assert rate_per_thousand(D(2526), 106_200) == D("23.79")


# --- series breaks -------------------------------------------------------------------------------


def test_a_break_is_shown_only_where_figures_lie_on_both_sides():
    crime = indicator(pk=1, is_crime=True)
    hmic = SeriesBreak(date=datetime.date(2017, 4, 1), title="HMIC")
    assert breaks_between([hmic], crime, PeriodKey(2016, 4), PeriodKey(2017, 1)) == (hmic,)
    assert breaks_between([hmic], crime, PeriodKey(2016, 1), PeriodKey(2016, 4)) == ()
    assert breaks_between([hmic], crime, PeriodKey(2017, 1), PeriodKey(2017, 3)) == ()
    # A break within a quarter splits it from the quarters before.
    mid = SeriesBreak(date=datetime.date(2017, 5, 15), title="Mid-quarter")
    assert breaks_between([mid], crime, PeriodKey(2017, 1), PeriodKey(2017, 1)) == (mid,)


def test_a_break_for_all_crime_indicators_skips_the_others_and_an_indicators_own_applies():
    crime = indicator(pk=1, is_crime=True)
    asb = indicator(pk=2, is_crime=False)
    all_crime = SeriesBreak(date=datetime.date(2017, 4, 1), title="HMIC")
    own = SeriesBreak(date=datetime.date(2017, 4, 1), title="New ASB system", indicator=asb)
    span = (PeriodKey(2016, 4), PeriodKey(2017, 1))
    assert breaks_between([all_crime, own], crime, *span) == (all_crime,)
    assert breaks_between([all_crime, own], asb, *span) == (own,)


def test_comparisons_carry_the_breaks_they_span():
    crime = indicator(pk=1, is_crime=True)
    hmic = SeriesBreak(date=datetime.date(2017, 4, 1), title="HMIC")
    figures = quarter_figures(crime, PeriodKey(2017, 2), {}, exempt_output=False, breaks=[hmic])
    assert figures.prior_quarter.breaks == ()  # 2017-18 Q1 against Q2: both after
    assert figures.year_before.breaks == (hmic,)
