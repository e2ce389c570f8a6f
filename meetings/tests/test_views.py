import datetime

import pytest
from django.utils import timezone

from meetings.models import MeetingStatus
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("client_fixture", "status_code"),
    [
        ("anon_client", 404),
        ("councillor_client", 404),
        ("member_client", 404),
        ("officer_client", 404),
        ("coordinator_client", 200),
    ],
)
def test_draft_meeting_is_visible_only_to_its_coordinator(
    request, client_fixture, status_code, committee, make_meeting
):
    client = request.getfixturevalue(client_fixture)
    draft = make_meeting(committee=committee, status=MeetingStatus.DRAFT, venue="Room 7")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == status_code
    assert (b"Room 7" in response.content) is (status_code == 200)


@pytest.mark.parametrize(
    "client_fixture",
    ["anon_client", "councillor_client", "member_client", "officer_client", "coordinator_client"],
)
def test_published_meeting_is_public(request, client_fixture, committee, make_meeting):
    client = request.getfixturevalue(client_fixture)
    meeting = make_meeting(committee=committee, venue="Council Chamber")
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Council Chamber" in page
    assert committee.name in page


def test_meeting_page_writes_dates_and_times_as_the_papers_do(anon_client, committee, make_meeting):
    import datetime
    import zoneinfo

    starts = datetime.datetime(2018, 2, 21, 19, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    meeting = make_meeting(committee=committee, starts_at=starts)
    page = anon_client.get(meeting.get_absolute_url()).content.decode()
    assert "Wednesday 21 February 2018" in page
    assert "7.00 pm" in page


def test_coordinator_of_another_committee_cannot_see_a_draft(
    client, make_user, make_committee, committee, make_meeting
):
    from scrutiny.access import Role

    other = make_user(role=Role.COORDINATOR)
    make_committee().coordinators.add(other)
    client.force_login(other)
    draft = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.fixture
def agenda_with_exempt_item(committee):
    from meetings.services import agenda_item_add, agenda_publish, meeting_create

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Regulation 9 Notice", purpose="To note the notice.")
    agenda_item_add(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        full_title="Strategic Assessment: Operation Nightjar targets",
        purpose="Named suspects in the Nightjar operation.",
        exempt_paragraph=3,
        exempt_reason="Supplied in confidence.",
    )
    return agenda_publish(meeting=meeting)


@pytest.mark.parametrize(
    ("client_fixture", "entitled"),
    [
        ("anon_client", False),
        ("councillor_client", False),
        ("officer_client", False),
        ("member_client", True),
        ("coordinator_client", True),
    ],
)
def test_exempt_item_is_shown_in_full_only_to_those_entitled(
    request, client_fixture, entitled, agenda_with_exempt_item
):
    client = request.getfixturevalue(client_fixture)
    response = client.get(agenda_with_exempt_item.get_absolute_url())
    page = text_of(response)
    assert response.status_code == 200
    if not entitled:
        assert "A. CSP Strategic Assessment 2017" in page
    else:
        assert "A. Strategic Assessment: Operation Nightjar targets" in page
    assert "Exempt: paragraph 3" in page
    assert "That, under Section 100A(4)" in page
    assert ("Operation Nightjar" in page) is entitled
    assert ("Named suspects" in page) is entitled
    assert ("Exempt - not for publication" in page) is entitled
    assert "6. Regulation 9 Notice" in page


def test_meeting_page_query_count_does_not_grow_with_items(
    member_client, agenda_with_exempt_item, django_assert_max_num_queries
):
    from meetings.services import agenda_item_add

    url = agenda_with_exempt_item.get_absolute_url()
    with django_assert_max_num_queries(12) as few:
        member_client.get(url)
    for n in range(25):
        agenda_item_add(meeting=agenda_with_exempt_item, title=f"Item {n}")
        agenda_item_add(
            meeting=agenda_with_exempt_item,
            title=f"Exempt {n}",
            exempt_paragraph=1 + n % 7,
            exempt_reason="Reason",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(url)
    assert "Z. Exempt 24" in text_of(response)


def test_draft_meeting_shows_its_publication_deadline_to_the_coordinator(
    coordinator_client, committee
):
    import zoneinfo

    from meetings.services import meeting_create

    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Chamber",
    )
    page = coordinator_client.get(meeting.get_absolute_url()).content.decode()
    assert "Publish by" in page
    assert "Tuesday 12 February 2030" in page
