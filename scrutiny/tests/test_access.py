"""The access policy, for every role including anonymous."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from scrutiny import access
from scrutiny.access import Role
from scrutiny.models import MembershipRole
from scrutiny.services import membership_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_committee(make_committee):
    return make_committee(name="Audit Committee", slug="audit")


def test_anonymous_sees_no_drafts_or_exempt_material(committee):
    anonymous = AnonymousUser()
    assert not access.can_see_exempt(anonymous, committee)
    assert not access.can_see_drafts(anonymous, committee)
    assert not access.can_edit_committee(anonymous, committee)
    assert not access.committees_with_exempt_access(anonymous).exists()
    assert not access.coordinated_committees(anonymous).exists()


def test_councillor_not_on_the_committee_sees_no_exempt_material(councillor, committee):
    assert not access.can_see_exempt(councillor, committee)
    assert not access.can_see_drafts(councillor, committee)
    assert not access.can_edit_committee(councillor, committee)


def test_committee_member_sees_exempt_material_but_not_drafts(member, committee):
    assert access.can_see_exempt(member, committee)
    assert not access.can_see_drafts(member, committee)
    assert not access.can_edit_committee(member, committee)
    assert list(access.committees_with_exempt_access(member)) == [committee]


def test_committee_member_sees_nothing_exempt_of_another_committee(member, other_committee):
    assert not access.can_see_exempt(member, other_committee)


def test_officer_sees_no_exempt_material_without_a_grant(officer, committee):
    assert not access.can_see_exempt(officer, committee)
    assert not access.can_see_drafts(officer, committee)
    assert not access.can_edit_committee(officer, committee)


def test_coordinator_sees_and_edits_everything_of_the_committee_they_serve(coordinator, committee):
    assert access.can_see_exempt(coordinator, committee)
    assert access.can_see_drafts(coordinator, committee)
    assert access.can_edit_committee(coordinator, committee)


def test_coordinator_has_no_rights_over_a_committee_they_do_not_serve(coordinator, other_committee):
    assert not access.can_see_exempt(coordinator, other_committee)
    assert not access.can_see_drafts(coordinator, other_committee)
    assert not access.can_edit_committee(coordinator, other_committee)


def test_assignment_without_the_coordinator_role_gives_nothing(make_user, committee):
    """Listing someone as co-ordinator is not enough: they must hold the role."""
    user = make_user(role=Role.OFFICER)
    committee.coordinators.add(user)
    assert not access.can_edit_committee(user, committee)
    assert not access.can_see_exempt(user, committee)


def test_superuser_sees_everything(make_user, committee):
    admin = make_user(is_superuser=True)
    assert access.can_see_exempt(admin, committee)
    assert access.can_edit_committee(admin, committee)


def test_inactive_user_loses_everything(coordinator, committee):
    coordinator.is_active = False
    coordinator.save()
    access.forget(coordinator)
    assert not access.can_see_exempt(coordinator, committee)
    assert not access.can_edit_committee(coordinator, committee)


@pytest.mark.parametrize(
    ("role", "entitled"),
    [
        (MembershipRole.CHAIR, True),
        (MembershipRole.VICE_CHAIR, True),
        (MembershipRole.MEMBER, True),
        (MembershipRole.CO_OPTED, True),
        # Substitutes are entitled only for the meetings they attend; invitees never.
        (MembershipRole.SUBSTITUTE, False),
        (MembershipRole.INVITEE, False),
    ],
)
def test_exempt_entitlement_by_membership_role(
    role, entitled, make_user, make_person, make_membership, committee
):
    user = make_user(role=Role.MEMBER)
    make_membership(committee=committee, person=make_person(user=user), role=role)
    assert access.can_see_exempt(user, committee) is entitled


def test_ended_membership_ends_access_at_once(member, committee):
    membership = member.person.memberships.get()
    assert access.can_see_exempt(member, committee)
    membership_end(membership=membership, end_date=timezone.localdate() - datetime.timedelta(1))
    access.forget(member)
    assert not access.can_see_exempt(member, committee)


def test_membership_not_yet_started_gives_no_access(
    make_user, make_person, make_membership, committee
):
    user = make_user(role=Role.MEMBER)
    make_membership(
        committee=committee,
        person=make_person(user=user),
        start_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert not access.can_see_exempt(user, committee)


def test_entitlement_is_decided_once_per_request(member, committee, django_assert_num_queries):
    access.can_see_exempt(member, committee)
    with django_assert_num_queries(0):
        for _ in range(10):
            access.can_see_exempt(member, committee)
