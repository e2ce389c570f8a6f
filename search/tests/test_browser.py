"""A reader searches from the box on every page, narrows by type, and the results page
passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_reader_searches_from_any_page(page, live_server, committee, axe_check):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting,
        title="Dartford and Gravesham Strategic Assessment 2017",
        purpose="The partnership's priorities: gangs, domestic abuse and burglary.",
    )
    agenda_publish(meeting=meeting)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    box = page.get_by_role("searchbox", name="Search agendas, papers and minutes")
    box.fill("domestic abuse")
    box.press("Enter")
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Type").select_option("minute")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", name="Nothing found")).to_be_visible()
    axe_check(page)
