import pytest

from meetings.models import MeetingStatus

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
