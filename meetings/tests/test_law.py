import datetime

import pytest

from meetings.law import (
    clear_days_between,
    exclusion_resolution,
    is_working_day,
    latest_publication_date,
    working_days_before,
)

D = datetime.date


def test_clear_days_exclude_publication_day_meeting_day_and_weekends():
    # Published Tuesday 13 February 2018 for Wednesday 21 February: 14, 15, 16, 19, 20.
    assert clear_days_between(D(2018, 2, 13), D(2018, 2, 21)) == 5
    assert clear_days_between(D(2018, 2, 14), D(2018, 2, 21)) == 4


def test_publication_on_a_friday_counts_from_the_monday():
    # Friday 9 February 2018: clear days Mon 12 to Fri 16, so the earliest meeting is Mon 19.
    assert clear_days_between(D(2018, 2, 9), D(2018, 2, 19)) == 5
    assert clear_days_between(D(2018, 2, 9), D(2018, 2, 16)) == 4
    # The legal limit may fall on a weekend: publishing by Sunday 11 still gives 12 to 16.
    assert latest_publication_date(D(2018, 2, 19)) == D(2018, 2, 11)


def test_bank_holidays_are_not_clear_days():
    # Easter 2018: Good Friday 30 March and Easter Monday 2 April are bank holidays.
    assert not is_working_day(D(2018, 3, 30))
    assert not is_working_day(D(2018, 4, 2))
    assert clear_days_between(D(2018, 3, 28), D(2018, 4, 6)) == 4  # 29 Mar, 3, 4, 5 Apr
    assert latest_publication_date(D(2018, 4, 6)) == D(2018, 3, 27)


def test_christmas_and_the_substitute_boxing_day_are_not_clear_days():
    # 26 December 2020 was a Saturday: the bank holiday moved to Monday 28 December.
    assert not is_working_day(D(2020, 12, 25))
    assert not is_working_day(D(2020, 12, 28))
    # Wed 6 Jan 2021: clear days 29, 30, 31 Dec, 4, 5 Jan (1 January is a bank holiday).
    assert latest_publication_date(D(2021, 1, 6)) == D(2020, 12, 28)


@pytest.mark.parametrize("meeting", [D(2017, 7, 26), D(2018, 2, 21), D(2026, 12, 2), D(2027, 1, 4)])
def test_latest_publication_date_gives_exactly_five_clear_days(meeting):
    latest = latest_publication_date(meeting)
    assert clear_days_between(latest, meeting) == 5
    assert clear_days_between(latest + datetime.timedelta(days=1), meeting) < 5


def test_working_days_before_skips_weekends_and_holidays():
    assert working_days_before(D(2018, 2, 21), 10) == D(2018, 2, 7)
    assert working_days_before(D(2018, 4, 4), 2) == D(2018, 3, 29)


def test_exclusion_resolution_names_the_paragraphs():
    one = exclusion_resolution([3], 1)
    assert one.startswith("That, under Section 100A(4) of the Local Government Act 1972")
    assert "the following item of business" in one
    assert "paragraph 3 of Part 1 of Schedule 12A" in one
    many = exclusion_resolution([7, 3, 3, 1], 3)
    assert "paragraphs 1, 3 and 7 of Part 1" in many
    assert "the following items of business on the grounds that they involve" in many


def test_exclusion_resolution_uses_the_councils_wording_for_a_paragraph():
    wording = {3: "information supplied to the Council in confidence"}
    assert exclusion_resolution([3], 1, wording).endswith(
        "for the following item of business on the grounds that it involves the likely "
        "disclosure of information supplied to the Council in confidence."
    )
    # Paragraphs the council has not worded keep the words of the Act.
    mixed = exclusion_resolution([7, 3], 2, wording)
    assert mixed.endswith(
        "the likely disclosure of exempt information as defined in paragraph 7 of Part 1 of "
        "Schedule 12A of the Act and information supplied to the Council in confidence."
    )
    assert exclusion_resolution([3], 1, {}) == exclusion_resolution([3], 1)
