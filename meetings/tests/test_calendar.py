"""The meetings list, the month calendar, the iCalendar feeds, the item and
reasons-restricted pages."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from meetings.models import MeetingStatus
from meetings.services import agenda_item_add
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def meetings(committee, make_committee, make_meeting):
    other = make_committee(name="Licensing Committee", slug="licensing")
    return {
        "july": make_meeting(committee=committee, starts_at=at(2030, 7, 24, 19)),
        "cancelled": make_meeting(
            committee=committee, starts_at=at(2030, 7, 10, 18), status=MeetingStatus.CANCELLED
        ),
        "draft": make_meeting(
            committee=committee, starts_at=at(2030, 7, 3, 19), status=MeetingStatus.DRAFT
        ),
        "licensing": make_meeting(committee=other, starts_at=at(2030, 7, 15, 10)),
    }


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_feed_of_all_meetings_is_valid_icalendar_without_drafts(anon_client, meetings):
    calendar = parse(anon_client.get(reverse("meetings:feed_all")))
    assert calendar["VERSION"] == "2.0"
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Crime and Disorder Committee",
        "Licensing Committee",
        "Crime and Disorder Committee",
    ]
    july = events[-1]
    assert july.decoded("DTSTART") == at(2030, 7, 24, 19)
    assert july["DTSTART"].params["TZID"] == "Europe/London"
    assert july.decoded("DTEND") - july.decoded("DTSTART") == datetime.timedelta(hours=2)
    assert str(july["URL"]).endswith(meetings["july"].get_absolute_url())
    assert str(events[0]["STATUS"]) == "CANCELLED"
    assert calendar.walk("VTIMEZONE"), "the feed carries its time zone"
    assert len({str(e["UID"]) for e in events}) == 3


def test_committee_feed_has_only_that_committees_meetings(anon_client, meetings, committee):
    response = anon_client.get(reverse("committee_feed", args=[committee.slug]))
    events = parse(response).walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {"Crime and Disorder Committee"}
    assert len(events) == 2


def test_feed_is_the_publics_view_even_for_a_coordinator(coordinator_client, meetings):
    events = parse(coordinator_client.get(reverse("meetings:feed_all"))).walk("VEVENT")
    assert len(events) == 3  # the draft stays out of every feed


def test_unknown_committee_feed_is_404(anon_client):
    assert anon_client.get(reverse("committee_feed", args=["nope"])).status_code == 404


def test_month_calendar_shows_the_months_meetings(anon_client, meetings):
    response = anon_client.get(reverse("meetings:calendar_month", args=[2030, 7]))
    page = text_of(response)
    assert "Meetings in July 2030" in page
    assert "July 2030: 3 meetings" in page
    assert "7.00 pm Crime and Disorder Committee" in page
    assert "10.00 am Licensing Committee" in page
    assert "Previous month : June 2030" in page


def test_coordinator_sees_their_draft_in_the_calendar(coordinator_client, meetings):
    page = text_of(coordinator_client.get(reverse("meetings:calendar_month", args=[2030, 7])))
    assert "July 2030: 4 meetings" in page


def test_calendar_rejects_an_impossible_month(anon_client):
    assert anon_client.get("/meetings/calendar/2030/13/").status_code == 404


def test_meeting_list_filters_by_committee(anon_client, meetings):
    page = text_of(anon_client.get(reverse("meetings:meeting_list")))
    assert "Licensing Committee" in page
    page = text_of(anon_client.get(reverse("meetings:meeting_list"), {"committee": "licensing"}))
    assert "Meetings: Licensing Committee" in page
    assert "Crime and Disorder Committee" not in page.split("Upcoming meetings")[1]


@pytest.fixture
def exempt_item(meetings):
    return agenda_item_add(
        meeting=meetings["july"],
        title="CSP Strategic Assessment 2017",
        full_title="Operation Nightjar targets",
        purpose="Named suspects and addresses.",
        exempt_paragraph=7,
        exempt_reason="Information about the prevention of crime.",
        public_interest_reasoning="Disclosure would prejudice an investigation.",
    )


@pytest.mark.parametrize(
    ("role", "entitled"),
    [
        ("anon_client", False),
        ("councillor_client", False),
        ("officer_client", False),
        ("member_client", True),
        ("coordinator_client", True),
    ],
)
def test_item_page_shows_exempt_detail_only_to_the_entitled(request, role, entitled, exempt_item):
    client = request.getfixturevalue(role)
    address = reverse("meetings:item_detail", args=[exempt_item.meeting_id, exempt_item.pk])
    page = text_of(client.get(address))
    assert "Agenda item A." in page
    assert ("Operation Nightjar" in page) is entitled
    assert ("Named suspects" in page) is entitled
    assert ("Reasons restricted" in page) is not entitled


def test_reasons_restricted_page_gives_the_paragraph_and_the_public_interest(
    anon_client, exempt_item
):
    address = reverse("meetings:reasons_restricted", args=[exempt_item.meeting_id, exempt_item.pk])
    page = text_of(anon_client.get(address))
    assert "Agenda item A. CSP Strategic Assessment 2017 Reasons restricted" in page
    assert "Paragraph 7 of Part 1 of Schedule 12A" in page
    assert "prevention, investigation or prosecution of crime" in page
    assert "Disclosure would prejudice an investigation." in page
    assert "Nightjar" not in page
    assert "Named suspects" not in page


def test_reasons_restricted_is_only_for_exempt_items(anon_client, meetings):
    item = meetings["july"].items.first() or agenda_item_add(
        meeting=meetings["july"], title="Public"
    )
    address = reverse("meetings:reasons_restricted", args=[item.meeting_id, item.pk])
    assert anon_client.get(address).status_code == 404


def test_items_of_a_draft_meeting_are_hidden(anon_client, member_client, meetings):
    item = agenda_item_add(meeting=meetings["draft"], title="Draft business")
    address = reverse("meetings:item_detail", args=[item.meeting_id, item.pk])
    assert anon_client.get(address).status_code == 404
    assert member_client.get(address).status_code == 404


def test_item_of_another_meeting_is_404(anon_client, meetings):
    item = agenda_item_add(meeting=meetings["july"], title="Business")
    address = reverse("meetings:item_detail", args=[meetings["licensing"].pk, item.pk])
    assert anon_client.get(address).status_code == 404


def test_feed_carries_every_upcoming_and_the_most_recent_past_meetings(
    anon_client, committee, make_meeting, monkeypatch
):
    from meetings.views import CalendarFeedView

    monkeypatch.setattr(CalendarFeedView, "past_meetings", 2)
    for year in (2015, 2016, 2017):
        make_meeting(committee=committee, starts_at=at(year, 7, 26, 19))
    make_meeting(committee=committee, starts_at=at(2031, 7, 26, 19))
    events = parse(anon_client.get(reverse("meetings:feed_all"))).walk("VEVENT")
    assert [e.decoded("DTSTART").year for e in events] == [2016, 2017, 2031]
