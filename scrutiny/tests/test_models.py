import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from scrutiny.models import Membership, MembershipRole, Person, PersonKind

pytestmark = pytest.mark.django_db


def test_councillor_display_name_follows_the_minutes():
    person = Person(kind=PersonKind.COUNCILLOR, forenames="A S", surname="Sandhu")
    person.post_nominals = "MBE"
    assert person.display_name == "Councillor A S Sandhu, MBE"
    person = Person(kind=PersonKind.COUNCILLOR, honorific="Mrs.", forenames="A D", surname="Allen")
    assert person.display_name == "Councillor Mrs. A D Allen"


def test_officer_display_name_and_description():
    person = Person(
        kind=PersonKind.OFFICER,
        honorific="Insp.",
        forenames="Gary",
        surname="Woodward",
        job_title="CSU Inspector",
        organisation="Kent Police",
    )
    assert person.display_name == "Insp. Gary Woodward"
    assert person.description == "CSU Inspector, Kent Police"


def test_officer_cannot_have_a_ward():
    person = Person(kind=PersonKind.OFFICER, surname="Green", ward="Town")
    with pytest.raises(ValidationError):
        person.full_clean()
    with pytest.raises(IntegrityError):
        person.save()


def test_membership_cannot_end_before_it_starts(committee, make_person):
    membership = Membership(
        committee=committee,
        person=make_person(),
        role=MembershipRole.MEMBER,
        start_date=datetime.date(2018, 5, 9),
        end_date=datetime.date(2018, 5, 1),
    )
    with pytest.raises(ValidationError, match="on or after the start date"):
        membership.full_clean()
    with pytest.raises(IntegrityError):
        membership.save()


def test_officer_cannot_be_chair(committee, make_person):
    membership = Membership(
        committee=committee,
        person=make_person(kind=PersonKind.OFFICER),
        role=MembershipRole.CHAIR,
        start_date=datetime.date(2018, 5, 9),
    )
    with pytest.raises(ValidationError, match="Only councillors"):
        membership.full_clean()
