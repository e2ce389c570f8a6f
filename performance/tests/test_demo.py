"""The demo's made-up figures say what the seed papers say, through the same analysis
members will read."""

import pytest
from django.contrib.auth import get_user_model

from performance.analysis import Direction
from performance.demo import ILLUSTRATIVE, QUARTERS, load_performance
from performance.models import Area, Indicator, Observation, SeriesBreak, Upload, UploadState
from performance.selectors import indicator_summaries
from scrutiny import access
from scrutiny.models import Committee

pytestmark = pytest.mark.django_db

REVIEWED = QUARTERS[4]  # 2016-17 Q4: the quarter the June 2017 report reviewed (seed 000)
JUNE_2017 = QUARTERS[5]  # 2017-18 Q1: April to June 2017
DECEMBER_2017 = QUARTERS[7]  # 2017-18 Q3: its year to date is the calendar year 2017


@pytest.fixture
def demo(demo_data):
    users = get_user_model().objects.in_bulk(
        ["coordinator", "dataofficer", "member"], field_name="username"
    )
    return Committee.objects.get(slug="crime-and-disorder"), users


def summaries(committee, user, area_code, period):
    area = Area.objects.select_related("county").get(code=area_code)
    return {
        s.indicator.code: s
        for s in indicator_summaries(user=user, committee=committee, area=area, period=period)
    }


def test_the_demo_loads_eight_quarters_through_the_upload_service(demo):
    committee, users = demo
    uploads = Upload.objects.filter(committee=committee).order_by("pk")
    assert [u.state for u in uploads] == [UploadState.CONFIRMED] * 8
    assert {u.note for u in uploads} == {ILLUSTRATIVE}
    assert [q.label for q in QUARTERS] == [
        "2015-16 Q4",
        "2016-17 Q1",
        "2016-17 Q2",
        "2016-17 Q3",
        "2016-17 Q4",
        "2017-18 Q1",
        "2017-18 Q2",
        "2017-18 Q3",
    ]
    assert Observation.objects.filter(period__start_year=2015).count() == 43
    # Each quarter was restated as audited by the next upload: the history shows it.
    revised = Observation.objects.get(
        indicator__code="all-crime",
        area__code="dartford",
        period__start_year=2017,
        period__quarter=2,
    )
    assert [(r.value, r.status) for r in revised.revisions.all()][-1][1] == "provisional"


def test_every_demo_indicator_says_its_figures_are_illustrative(demo):
    assert Indicator.objects.count() == 10
    assert set(Indicator.objects.values_list("note", flat=True)) == {ILLUSTRATIVE}


def test_fifteen_partnerships_in_dartfords_most_similar_group(demo):
    dartford = Area.objects.get(code="dartford")
    assert dartford.most_similar.count() == 14
    assert dartford.county.name == "Kent"
    assert Area.objects.count() == 17


@pytest.mark.parametrize("period", [REVIEWED, JUNE_2017])
def test_dartford_13th_of_15_on_crimes_per_thousand(demo, period):
    committee, users = demo
    rate = summaries(committee, users["member"], "dartford", period)["crime-rate"]
    assert (rate.rank.position, rate.rank.of) == (13, 15)
    assert rate.rank.text == "13th of 15, counting from the lowest"
    # "the highest for any Kent District"
    gravesham = summaries(committee, users["member"], "gravesham", period)["crime-rate"]
    assert rate.figures.value.value > gravesham.figures.value.value
    assert rate.figures.value.value > rate.county_figures.value.value


@pytest.mark.parametrize("period", [REVIEWED, JUNE_2017])
def test_a_slight_decrease_in_dartford_against_a_small_increase_in_kent(demo, period):
    committee, users = demo
    crime = summaries(committee, users["member"], "dartford", period)["all-crime"]
    assert crime.against_county == (
        "a slight decrease in Dartford against a small increase in Kent"
    )
    assert crime.figures.prior_quarter.change.direction == Direction.IMPROVEMENT
    assert crime.county_figures.prior_quarter.change.direction == Direction.DETERIORATION


@pytest.mark.parametrize("code", ["tfmv", "tpc", "substance-misuse", "asb"])
def test_improvements_in_dartford_in_2017(demo, code):
    committee, users = demo
    summary = summaries(committee, users["member"], "dartford", DECEMBER_2017)[code]
    assert summary.figures.twelve_months.change.direction == Direction.IMPROVEMENT
    assert summary.figures.year_before.change.direction == Direction.IMPROVEMENT


def test_anti_social_behaviour_improved_in_dartford_against_a_county_deterioration(demo):
    committee, users = demo
    asb = summaries(committee, users["member"], "dartford", DECEMBER_2017)["asb"]
    assert asb.figures.twelve_months.change.direction == Direction.IMPROVEMENT
    assert asb.county_figures.twelve_months.change.direction == Direction.DETERIORATION


def test_more_crime_in_both_boroughs_in_2017_dartfords_rise_below_kents(demo):
    committee, users = demo
    dartford = summaries(committee, users["member"], "dartford", DECEMBER_2017)["all-crime"]
    gravesham = summaries(committee, users["member"], "gravesham", DECEMBER_2017)["all-crime"]
    kent = dartford.county_figures.twelve_months.change.percent
    assert 0 < dartford.figures.twelve_months.change.percent < kent
    assert gravesham.figures.twelve_months.change.percent > kent


def test_the_hmic_break_is_shown_on_comparisons_across_2017(demo):
    committee, users = demo
    hmic = SeriesBreak.objects.get(title__startswith="Kent Police crime recording corrected")
    assert hmic.indicator is None  # all crime indicators
    crime = summaries(committee, users["member"], "dartford", DECEMBER_2017)["all-crime"]
    assert hmic in crime.breaks
    assert hmic in crime.figures.twelve_months.breaks
    asb = summaries(committee, users["member"], "dartford", DECEMBER_2017)["asb"]
    assert asb.breaks == ()  # anti-social behaviour is not recorded crime
    assert SeriesBreak.objects.filter(title__startswith="Home Office Counting Rules").exists()


def test_victim_withdrawals_are_confidential_small_numbers_suppressed_and_a_quarter_missing(demo):
    committee, users = demo
    withdrawals = Indicator.objects.get(code="da-withdrawals")
    assert withdrawals.is_confidential and withdrawals.suppress_below == 5
    member = summaries(committee, users["member"], "dartford", REVIEWED)["da-withdrawals"]
    assert member.figures.value.text == "4"
    area = Area.objects.get(code="dartford")
    public = {
        s.indicator.code: s
        for s in indicator_summaries(
            user=users["member"],
            committee=committee,
            area=area,
            period=REVIEWED,
            exempt_output=False,
        )
    }
    assert public["da-withdrawals"].figures.value.text == "fewer than 5"
    missing = summaries(committee, users["member"], "dartford", DECEMBER_2017)["da-withdrawals"]
    assert (
        missing.figures.value.text
        == "Not available: Not yet supplied by the Kent Witness Care Unit"
    )


def test_the_demo_data_officer_may_upload_and_the_officer_may_not(demo):
    committee, users = demo
    assert access.can_upload_observations(users["dataofficer"], committee)
    officer = get_user_model().objects.get(username="officer")
    assert not access.can_upload_observations(officer, committee)
    assert not access.can_upload_observations(users["coordinator"], committee)


def test_loading_again_changes_nothing(demo):
    committee, _ = demo
    before = (Upload.objects.count(), Observation.objects.count())
    assert load_performance(committee=committee) == 0
    assert (Upload.objects.count(), Observation.objects.count()) == before
