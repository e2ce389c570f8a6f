"""The admin obeys the one access policy: a co-ordinator of another committee can neither
read this committee's records nor give themselves a way into its exempt papers."""

import datetime

import pytest
from django.urls import reverse

from exempt.models import AccessEvent, AccessLog
from scrutiny import access
from scrutiny.models import Membership, MembershipRole, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coordinator(make_user, make_committee, make_person):
    """Serves the Licensing Committee only, and has a councillor's record of their own."""
    user = make_user(role=access.Role.COORDINATOR, is_staff=True, username="licensing")
    make_committee(name="Licensing Committee").coordinators.add(user)
    make_person(user=user, surname="Intruder")
    return user


@pytest.fixture
def admin_client(verified_client_for, other_coordinator):
    return verified_client_for(other_coordinator)


@pytest.fixture
def sitting_member(member):
    return Person.objects.get(user=member)


def change_url(model: str, pk: int) -> str:
    return reverse(f"admin:scrutiny_{model}_change", args=[pk])


def test_another_committees_records_are_not_found(admin_client, committee, member, sitting_member):
    membership = Membership.objects.get(person=sitting_member)
    for url in (
        change_url("committee", committee.pk),
        change_url("membership", membership.pk),
        change_url("person", sitting_member.pk),
    ):
        response = admin_client.get(url)
        # The admin answers a row outside the queryset by redirecting to its index.
        assert response.status_code == 302, url
        assert committee.name not in admin_client.get(response.url).content.decode()
    listing = admin_client.get(reverse("admin:scrutiny_committee_changelist")).content.decode()
    assert "Licensing Committee" in listing and committee.name not in listing


def test_no_one_adds_themselves_as_coordinator(admin_client, other_coordinator, make_committee):
    licensing = other_coordinator.coordinated_committees.get()
    page = admin_client.get(change_url("committee", licensing.pk)).content.decode()
    assert 'name="coordinators"' not in page  # read only for anyone but a superuser
    response = admin_client.post(
        change_url("committee", licensing.pk),
        {
            "name": licensing.name,
            "slug": licensing.slug,
            "minute_numbering": licensing.minute_numbering,
            "coordinators": [other_coordinator.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert list(licensing.coordinators.all()) == [other_coordinator]


def test_no_one_makes_themselves_a_member_through_the_admin(
    admin_client, other_coordinator, committee
):
    own = Person.objects.get(user=other_coordinator)
    response = admin_client.post(
        reverse("admin:scrutiny_membership_add"),
        {
            "committee": committee.pk,
            "person": own.pk,
            "role": MembershipRole.MEMBER,
            "start_date": "2017-05-01",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert not Membership.objects.filter(person=own).exists()
    assert not access.can_see_exempt(other_coordinator, committee)


def test_no_one_ties_a_login_to_a_sitting_members_record(
    verified_client_for, coordinator, committee, sitting_member, make_user
):
    coordinator.is_staff = True
    coordinator.save()
    client = verified_client_for(coordinator)
    page = client.get(change_url("person", sitting_member.pk)).content.decode()
    assert 'name="user"' not in page
    client.post(
        change_url("person", sitting_member.pk),
        {
            "kind": sitting_member.kind,
            "surname": sitting_member.surname,
            "forenames": sitting_member.forenames,
            "user": coordinator.pk,
        },
    )
    sitting_member.refresh_from_db()
    assert sitting_member.user_id != coordinator.pk


def test_membership_changes_in_the_admin_are_in_the_access_log(
    verified_client_for, coordinator, committee, make_person
):
    coordinator.is_staff = True
    coordinator.save()
    newcomer = make_person(surname="Newcomer")
    response = verified_client_for(coordinator).post(
        reverse("admin:scrutiny_membership_add"),
        {
            "committee": committee.pk,
            "person": newcomer.pk,
            "role": MembershipRole.MEMBER,
            "start_date": datetime.date(2017, 5, 1).isoformat(),
        },
    )
    assert response.status_code == 302
    entry = AccessLog.objects.get(event=AccessEvent.ENTITLEMENT)
    assert entry.committee == committee
    assert "Newcomer" in entry.what and coordinator.username in entry.what


def test_the_meeting_admin_reads_but_never_changes_for_a_coordinator(
    verified_client_for, coordinator, committee, make_meeting
):
    coordinator.is_staff = True
    coordinator.save()
    meeting = make_meeting(committee=committee)
    client = verified_client_for(coordinator)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"committee": committee.pk, "status": "draft", "venue": "Elsewhere"})
    meeting.refresh_from_db()
    assert meeting.venue != "Elsewhere"


def test_a_superuser_changes_coordinators_and_it_is_logged(
    verified_client_for, django_user_model, committee, other_coordinator
):
    root = django_user_model.objects.create_superuser("root", "root@example.gov.uk", "x" * 16)
    response = verified_client_for(root).post(
        change_url("committee", committee.pk),
        {
            "name": committee.name,
            "slug": committee.slug,
            "minute_numbering": committee.minute_numbering,
            "coordinators": [other_coordinator.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert list(committee.coordinators.all()) == [other_coordinator]
    assert AccessLog.objects.filter(
        event=AccessEvent.ENTITLEMENT, what__contains="licensing made a co-ordinator"
    ).exists()


def test_people_with_a_login_on_no_committee_of_theirs_are_not_theirs_to_rename(
    admin_client, coordinator
):
    record = Person.objects.create(kind="officer", surname="Hook", user=coordinator)
    response = admin_client.post(
        change_url("person", record.pk), {"kind": "officer", "surname": "Mote"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.surname == "Hook"


def test_the_admin_keeps_one_chairman_at_a_time(
    verified_client_for, coordinator, committee, make_person, make_membership
):
    coordinator.is_staff = True
    coordinator.save()
    make_membership(committee=committee, role=MembershipRole.CHAIR)
    response = verified_client_for(coordinator).post(
        reverse("admin:scrutiny_membership_add"),
        {
            "committee": committee.pk,
            "person": make_person(surname="Rival").pk,
            "role": MembershipRole.CHAIR,
            "start_date": datetime.date(2017, 5, 1).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "is already Chairman" in response.content.decode()
    assert Membership.objects.filter(committee=committee, role=MembershipRole.CHAIR).count() == 1


def test_nobody_but_a_superuser_renames_someone_who_signs_in(
    admin_client, other_coordinator, member, sitting_member
):
    # Even after making them a member of a committee of theirs.
    licensing = other_coordinator.coordinated_committees.get()
    Membership.objects.create(
        committee=licensing,
        person=sitting_member,
        role=MembershipRole.MEMBER,
        start_date=datetime.date(2017, 5, 1),
    )
    admin_client.post(
        change_url("person", sitting_member.pk),
        {"kind": sitting_member.kind, "surname": "Kite", "forenames": "J A"},
    )
    sitting_member.refresh_from_db()
    assert sitting_member.surname != "Kite"
