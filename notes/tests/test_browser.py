"""A member on a phone-sized screen reads a meeting and writes a private note; the new
pages pass axe; the meeting page does not scroll sideways at 320 CSS pixels."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def meeting(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber, Civic Centre, Home Gardens, Dartford",
    )
    agenda_item_add(
        meeting=meeting,
        title="Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
    )
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title="Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    agenda_publish(meeting=meeting)
    return meeting


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_member_on_a_phone_reads_a_meeting_and_adds_a_note(
    page, live_server, member, meeting, login_page, axe_check
):
    page.set_viewport_size({"width": 390, "height": 844})
    login_page("member")
    page.goto(f"{live_server.url}/my-meetings/")
    expect(page.get_by_role("heading", name="My meetings")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"Crime and Disorder Committee, \w+day")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Crime and Disorder Committee")
    assert _no_sideways_scroll(page)
    page.get_by_role("link", name=re.compile("Strategic Assessment 2017")).first.click()
    expect(page.get_by_role("heading", name="Your private notes")).to_be_visible()
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the note")
    axe_check(page)
    page.get_by_label("Your note").fill("Ask how the 2017 priorities were chosen.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Your note is saved. Only you can read it.")).to_be_visible()
    expect(page.get_by_text("Ask how the 2017 priorities were chosen.")).to_be_visible()
    assert _no_sideways_scroll(page)
    axe_check(page)
    page.get_by_role("link", name="Change this note").click()
    axe_check(page)
    page.get_by_label("Your note").fill("Ask how the 2017 priorities were ranked.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("Ask how the 2017 priorities were ranked.")).to_be_visible()
    page.goto(f"{live_server.url}/notes/")
    expect(page.get_by_text("Ask how the 2017 priorities were ranked.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Strategic Assessment 2017")).first.click()
    page.get_by_role("link", name="Delete this note").click()
    expect(page.get_by_role("heading", name="Delete your note?")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Keep it").click()
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Your private notes on this meeting")).to_be_visible()
    axe_check(page)


def test_the_meeting_page_does_not_scroll_sideways_at_320_pixels(page, live_server, meeting):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _no_sideways_scroll(page)


def test_the_meeting_page_prints_the_record_without_the_site_around_it(page, live_server, meeting):
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Strategic Assessment 2017").first).to_be_visible()
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("contentinfo")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("list").first).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.get_by_role("contentinfo")).to_be_visible()
