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
