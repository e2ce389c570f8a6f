"""The access policy for performance data, role by role: who uploads, and who sees the
values of confidential indicators (the committee's exempt material)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from exempt.services import grant_approve, grant_create
from performance.models import Indicator
from scrutiny import access
from scrutiny.access import Role

from .helpers import ROLES

pytestmark = pytest.mark.django_db


def user_for(request, role):
    return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("anonymous", False),
        ("councillor", False),
        ("member", False),
        ("officer", False),
        ("data_officer", True),
        # Co-ordinators name the data officers; the figures come from the officers.
        ("coordinator", False),
        ("other_coordinator", False),
    ],
)
def test_only_data_officers_upload(request, committee, role, may):
    assert access.can_upload_observations(user_for(request, role), committee) is may


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("anonymous", False),
        ("councillor", False),
        ("member", True),
        ("officer", False),
        ("data_officer", True),
        ("coordinator", True),
        ("other_coordinator", False),
    ],
)
def test_confidential_values_follow_the_committees_exempt_entitlement(
    request, committee, role, may
):
    user = user_for(request, role)
    assert access.can_see_confidential_indicators(user, committee) is may


@pytest.mark.parametrize("role", ROLES)
def test_the_queryset_filter_agrees_with_the_rule(request, committee, make_indicator, role):
    public = make_indicator(code="asb")
    confidential = make_indicator(code="da-withdrawals", is_confidential=True)
    user = user_for(request, role)
    visible = set(access.visible_indicators(Indicator.objects.all(), user))
    expected = (
        {public, confidential}
        if access.can_see_confidential_indicators(user, committee)
        else {public}
    )
    assert visible == expected


def test_a_data_officer_who_stops_being_an_officer_may_no_longer_upload(committee, data_officer):
    from django.contrib.auth.models import Group

    data_officer.groups.remove(Group.objects.get(name=Role.OFFICER))
    access.forget(data_officer)
    assert not access.can_upload_observations(data_officer, committee)
    assert not access.can_see_confidential_indicators(data_officer, committee)


def test_an_inactive_data_officer_may_not_upload(committee, data_officer):
    data_officer.is_active = False
    assert not access.can_upload_observations(data_officer, committee)


def test_a_need_to_know_grant_to_the_committee_opens_confidential_values(
    committee, councillor, coordinator, make_user
):
    second = make_user(role=Role.COORDINATOR)
    committee.coordinators.add(second)
    grant = grant_create(
        user=councillor,
        granted_by=coordinator,
        reason="Ward member for the area",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        committee=committee,
    )
    if grant.approved_at is None:
        grant_approve(grant=grant, approved_by=second)
    access.forget(councillor)
    assert access.can_see_confidential_indicators(councillor, committee)
    assert not access.can_upload_observations(councillor, committee)


def test_only_the_committees_coordinators_manage_its_data_officers(
    committee, coordinator, other_coordinator, data_officer, member
):
    assert access.can_manage_data_officers(coordinator, committee)
    for user in (other_coordinator, data_officer, member, AnonymousUser()):
        assert not access.can_manage_data_officers(user, committee)
