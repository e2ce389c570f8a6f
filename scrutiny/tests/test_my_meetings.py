"""A signed-in reader's own page: their committees' next meetings, papers published since
they last looked, the exempt items they may read, the actions they own, their requests
and their notes, each as the access policy lets them see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exempt.models import AccessRequest
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from scrutiny.access import Role
from scrutiny.models import ReaderVisit
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db

SECRET = "Operation Nightjar"
URL = "/my-meetings/"


@pytest.fixture
def next_meeting(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        venue="Civic Centre",
    )
    agenda_item_add(meeting=meeting, title="Community Safety Plan")
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title=SECRET,
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    agenda_publish(meeting=meeting)
    return meeting


@pytest.fixture
def elsewhere(make_committee):
    """Another committee's meeting and a draft of ours: neither is the member's to see."""
    other = make_committee(name="Licensing Committee")
    meeting = meeting_create(
        committee=other, starts_at=timezone.now() + datetime.timedelta(days=21), venue="Hall"
    )
    agenda_publish(meeting=meeting)
    return meeting


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_member_sees_their_committees_meetings_and_exempt_items(
    client, committee, member, next_meeting, elsewhere
):
    draft = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        venue="Somewhere else",
    )
    client.force_login(member)
    page = text_of(client.get(URL))
    assert "Your committees: Crime and Disorder Committee" in page
    assert "Civic Centre" in page
    assert "Licensing Committee" not in page and "Hall" not in page
    assert draft.venue not in page
    assert "Exempt items you may read" in page and SECRET in page


def test_a_councillor_on_no_committee_sees_nothing_exempt(
    client, councillor, next_meeting, elsewhere
):
    client.force_login(councillor)
    page = text_of(client.get(URL))
    assert "You do not sit on or serve any committee" in page
    assert SECRET not in page and "Exempt items" not in page


def test_papers_published_since_the_last_visit_are_listed_once(
    client, member, next_meeting, make_document, make_exempt_item
):
    client.force_login(member)
    assert "This is your first visit" in text_of(client.get(URL))
    item = next_meeting.items.get(title="Community Safety Plan")
    make_document(item=item, title="Community Safety Plan 2018 refresh")
    page = text_of(client.get(URL))
    assert "Community Safety Plan 2018 refresh" in page
    assert "Nothing new." in text_of(client.get(URL))
    assert ReaderVisit.objects.filter(user=member).count() == 1


def test_new_restricted_papers_reach_only_the_entitled(
    client, member, make_user, make_committee, next_meeting, make_document
):
    other_coordinator = make_user(role=Role.COORDINATOR, username="licensing-coordinator")
    make_committee(name="Licensing Committee").coordinators.add(other_coordinator)
    for user in (member, other_coordinator):
        client.force_login(user)
        client.get(URL)  # a visit before the paper goes up
    exempt = next_meeting.items.get(title="Closed business")
    make_document(item=exempt, title="Nightjar briefing")
    client.force_login(member)
    assert "Nightjar briefing" in text_of(client.get(URL))
    client.force_login(other_coordinator)
    page = text_of(client.get(URL))
    assert "Nightjar briefing" not in page and SECRET not in page


def test_actions_owned_and_requests_made_are_listed(
    client, member, committee, next_meeting, make_exempt_item
):
    from minutes.models import Minute, Minutes
    from workplan.models import TrackedAction

    closed = make_exempt_item(title="Other closed business", full_title="Operation Kestrel")
    AccessRequest.objects.create(user=member, item=closed, reason="Ward matter")
    minutes = Minutes.objects.create(
        meeting=next_meeting, status="published", published_at=timezone.now()
    )
    public_minute = Minute.objects.create(minutes=minutes, order=1, title="Plan")
    exempt_minute = Minute.objects.create(
        minutes=minutes,
        order=2,
        title="Closed",
        is_exempt=True,
        public_summary="A confidential matter.",
    )
    person = member.person
    for minute, words in ((public_minute, "Report on CCTV"), (exempt_minute, "Meet the informant")):
        TrackedAction.objects.create(
            committee=committee,
            minute=minute,
            description=words,
            owner_name="Cllr Member",
            owner=person,
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    # One asked in minutes still in draft: not the member's to read yet.
    draft_meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Council Chamber",
    )
    agenda_publish(meeting=draft_meeting, confirm_past=True)
    draft_minutes = Minutes.objects.create(meeting=draft_meeting)
    TrackedAction.objects.create(
        committee=committee,
        minute=Minute.objects.create(minutes=draft_minutes, order=1, title="Draft"),
        description="DRAFT_RESOLUTION to be followed",
        owner_name="Cllr Member",
        owner=person,
        due_date=timezone.localdate() + datetime.timedelta(days=9),
    )
    client.force_login(member)
    page = text_of(client.get(URL))
    assert "DRAFT_RESOLUTION" not in page
    assert "Your requests to read exempt items" in page
    assert "Waiting for a decision" in page
    assert "Actions you own" in page and "Report on CCTV" in page and "overdue" in page
    # Never quoted from exempt minutes, even to its owner, on a page that lists.
    assert "Meet the informant" not in page
    assert "An action recorded in the exempt part of the minutes" in page


def test_the_page_takes_a_fixed_number_of_queries(
    client, committee, member, next_meeting, make_document, django_assert_max_num_queries
):
    client.force_login(member)
    client.get(URL)
    item = next_meeting.items.get(title="Community Safety Plan")
    make_document(item=item, title="Paper 1")
    with django_assert_max_num_queries(40) as captured:
        client.get(URL)
    few = len(captured.captured_queries)
    for number in range(4):
        meeting = meeting_create(
            committee=committee,
            starts_at=timezone.now() + datetime.timedelta(days=20 + number),
            venue="Civic Centre",
        )
        new_item = agenda_item_add(meeting=meeting, title=f"Topic {number}")
        agenda_item_add(
            meeting=meeting,
            title=f"Closed {number}",
            full_title=f"Secret {number}",
            exempt_paragraph=7,
            exempt_reason="Crime prevention",
        )
        agenda_publish(meeting=meeting)
        make_document(item=new_item, title=f"Paper for {number}")
    with django_assert_max_num_queries(few):
        page = text_of(client.get(URL))
    assert "Paper for 3" in page and "Secret 3" in page


def test_the_home_page_points_members_to_their_page(client, member, councillor):
    assert "My meetings" not in text_of(client.get(reverse("home")))
    client.force_login(member)
    assert "the next meetings of Crime and Disorder Committee, the papers" in text_of(
        client.get(reverse("home"))
    )
    client.force_login(councillor)
    assert "the next meetings of" not in text_of(client.get(reverse("home")))


def test_papers_of_an_agenda_published_since_the_last_visit_are_new(
    client, committee, member, make_document
):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        venue="Civic Centre",
    )
    item = agenda_item_add(meeting=meeting, title="Budget")
    make_document(item=item, title="Budget report")  # while the agenda is a draft
    client.force_login(member)
    client.get(URL)
    page = text_of(client.get(URL))
    assert "Budget report" not in page
    agenda_publish(meeting=meeting)
    page = text_of(client.get(URL))
    assert "Budget report" in page
