"""Quarters, and the rules the database keeps."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from performance.models import Observation, Period, PeriodKey, parse_period

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["2017-18 Q1", "2017/18 Q1", "Q1 2017-18", "q1 2017/18", " 2017 - 18   q1 ", "2017-2018 Q1"],
)
def test_the_ways_a_quarter_is_written(text):
    assert parse_period(text) == PeriodKey(2017, 1)


@pytest.mark.parametrize(
    "text", ["", "2017 Q1", "2017-19 Q1", "2017-18 Q0", "2017-18 Q5", "Q1", "April 2017", "2017-18"]
)
def test_what_is_not_a_quarter(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_the_financial_year_turns_of_the_century():
    assert parse_period("1999-00 Q4") == PeriodKey(1999, 4)
    assert PeriodKey(1999, 4).label == "1999-00 Q4"


@pytest.mark.parametrize(
    ("key", "start", "end", "months"),
    [
        (
            PeriodKey(2017, 1),
            datetime.date(2017, 4, 1),
            datetime.date(2017, 6, 30),
            "April to June 2017",
        ),
        (
            PeriodKey(2017, 3),
            datetime.date(2017, 10, 1),
            datetime.date(2017, 12, 31),
            "October to December 2017",
        ),
        (
            PeriodKey(2016, 4),
            datetime.date(2017, 1, 1),
            datetime.date(2017, 3, 31),
            "January to March 2017",
        ),
    ],
)
def test_a_quarters_dates_and_labels(key, start, end, months):
    assert (key.start_date, key.end_date, key.months_label) == (start, end, months)
    period = Period(start_year=key.start_year, quarter=key.quarter)
    assert (period.start_date, period.end_date, period.label) == (start, end, key.label)


def test_quarters_shift_across_years():
    q1 = PeriodKey(2017, 1)
    assert q1.shifted(-1) == PeriodKey(2016, 4)
    assert q1.shifted(-4) == PeriodKey(2016, 1)
    assert q1.shifted(7) == PeriodKey(2018, 4)
    assert q1.shifted(-1).shifted(1) == q1


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (datetime.date(2017, 4, 1), PeriodKey(2017, 1)),
        (datetime.date(2017, 6, 30), PeriodKey(2017, 1)),
        (datetime.date(2017, 12, 31), PeriodKey(2017, 3)),
        (datetime.date(2018, 3, 31), PeriodKey(2017, 4)),
    ],
)
def test_the_quarter_a_day_falls_in(day, key):
    assert PeriodKey.containing(day) == key


def test_a_quarter_is_stored_once():
    Period.objects.create(start_year=2017, quarter=1)
    with pytest.raises(IntegrityError):
        Period.objects.create(start_year=2017, quarter=1)


def test_a_missing_value_needs_its_reason(crime, district):
    observation = Observation(indicator=crime, area=district, value=None, note="")
    with pytest.raises(ValidationError, match="reason the value is missing"):
        observation.clean()
