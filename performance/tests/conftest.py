"""Factories for performance data, and the roles it adds: the data officer, and a
co-ordinator of another committee."""

import itertools

import pytest

from performance.models import Area, AreaKind, Indicator, Polarity, Unit
from scrutiny.access import Role

_sequence = itertools.count(1)


@pytest.fixture
def data_officer(make_user, make_person, committee, coordinator):
    """An officer the committee's co-ordinator named to upload its performance data."""
    from performance.services import data_officer_assign
    from scrutiny.models import PersonKind

    user = make_user(role=Role.OFFICER, username="dataofficer")
    make_person(user=user, kind=PersonKind.OFFICER, job_title="Community Safety Officer")
    data_officer_assign(committee=committee, user=user, by=coordinator)
    return user


@pytest.fixture
def other_coordinator(make_user, make_committee):
    """A co-ordinator who serves another committee only."""
    user = make_user(role=Role.COORDINATOR, username="othercoordinator", is_staff=True)
    make_committee(name="Licensing Committee", slug="licensing").coordinators.add(user)
    return user


@pytest.fixture
def make_indicator(committee):
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("committee", committee)
        fields.setdefault("code", f"ind-{number}")
        fields.setdefault("name", f"Indicator {number}")
        fields.setdefault("unit", Unit.COUNT)
        fields.setdefault("polarity", Polarity.LOWER_IS_BETTER)
        return Indicator.objects.create(**fields)

    return make


@pytest.fixture
def make_area():
    def make(**fields):
        number = next(_sequence)
        fields.setdefault("code", f"area-{number}")
        fields.setdefault("name", f"Area {number}")
        fields.setdefault("kind", AreaKind.PEER)
        return Area.objects.create(**fields)

    return make


@pytest.fixture
def county(make_area):
    return make_area(code="kent", name="Kent", kind=AreaKind.COUNTY)


@pytest.fixture
def district(make_area, county):
    return make_area(code="dartford", name="Dartford", kind=AreaKind.DISTRICT, county=county)


@pytest.fixture
def crime(make_indicator):
    return make_indicator(code="all-crime", name="All crime", is_crime=True)


@pytest.fixture
def upload_rows(committee, data_officer):
    """upload_rows("all-crime,dartford,2017-18 Q1,100", ...) -> the confirmed upload."""
    from performance.services import upload_confirm, upload_preview

    from .helpers import csv_text, csv_upload

    def upload(*rows: str, user=None, name="observations.csv"):
        user = user or data_officer
        preview = upload_preview(
            file=csv_upload(csv_text(*rows)), name=name, user=user, committee=committee
        )
        return upload_confirm(upload=preview, user=user)

    return upload


@pytest.fixture
def peers(make_area, district):
    areas = [make_area(code=f"peer-{n}", name=f"Peer {n}") for n in range(4)]
    district.most_similar.set(areas)
    return areas


@pytest.fixture
def figures(upload_rows, make_indicator, crime, district, county, peers):
    """Six quarters of all crime for Dartford and Kent, a confidential indicator, a public
    one with small numbers suppressed, and a rate ranked among four peers."""
    from .helpers import Q1, SECRET_NAME, SECRET_NOTE, rows_for

    make_indicator(code="da-withdrawals", name=SECRET_NAME, is_confidential=True, note=SECRET_NOTE)
    make_indicator(code="hate-crime", name="Hate crime", suppress_below=5)
    make_indicator(code="crime-rate", name="Crimes per 1,000", unit=Unit.RATE_PER_1000)
    return upload_rows(
        *rows_for("all-crime", "dartford", [2412, 2538, 2611, 2684, 2603, 2526]),
        *rows_for("all-crime", "kent", [28150, 29420, 30110, 30390, 32180, 33950]),
        *rows_for("da-withdrawals", "dartford", [9173, 9281]),
        *rows_for("hate-crime", "dartford", [8, 3]),
        *rows_for("crime-rate", "dartford", ["23.79"]),
        *[
            f"crime-rate,{peer.code},{Q1.label},{value},,"
            for peer, value in zip(peers, [10, 20, 30, "23.79"], strict=True)
        ],
        name="figures.csv",
    )
