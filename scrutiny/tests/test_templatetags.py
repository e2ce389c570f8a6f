import datetime
import zoneinfo

from scrutiny.templatetags.council import council_date, council_time

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_council_date():
    assert council_date(datetime.date(2018, 2, 21)) == "21 February 2018"
    assert council_date(datetime.date(2018, 2, 1), "weekday") == "Thursday 1 February 2018"
    assert council_date(None) == ""


def test_council_time_uses_local_time_and_the_papers_style():
    assert council_time(datetime.datetime(2017, 7, 26, 21, 25, tzinfo=LONDON)) == "9.25 pm"
    assert council_time(datetime.datetime(2017, 7, 26, 0, 5, tzinfo=LONDON)) == "12.05 am"
    assert council_time(datetime.datetime(2017, 7, 26, 12, 0, tzinfo=LONDON)) == "12.00 pm"
    # 18:00 UTC in British Summer Time is 7.00 pm in London.
    utc = datetime.datetime(2017, 7, 26, 18, 0, tzinfo=datetime.UTC)
    assert council_time(utc) == "7.00 pm"
