"""The co-ordinator records, in the browser, that an item was taken with another."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.services import minutes_prefill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def started_minutes(committee, coordinator):
    """Minutes just started: minute 6 the report, 7 the exclusion, 8 exempt item A."""
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="CSP Performance Report")
    agenda_item_add(
        meeting=meeting,
        title="Performance figures",
        full_title="Kent Police performance figures by ward",
        exempt_paragraph=7,
        exempt_reason="Information relating to crime prevention",
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    return minutes_prefill(meeting=meeting, user=coordinator)


def test_coordinator_takes_item_a_with_the_report(
    page, live_server, started_minutes, login_page, axe_check
):
    login_page("coordinator")
    page.goto(f"{live_server.url}/meetings/{started_minutes.meeting_id}/minutes/edit/")
    page.get_by_role("link", name="Write minute 8").click()
    expect(page.get_by_role("heading", name="Taken together with another item")).to_be_visible()
    choice = page.get_by_label("Taken with")
    expect(choice).to_contain_text("Minute 6: CSP Performance Report (agenda item 6)")
    axe_check(page)

    page.get_by_role("button", name="Take together").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the minute this item was taken with")
    axe_check(page)

    page.get_by_label("Taken with").select_option(
        label="Minute 6: CSP Performance Report (agenda item 6)"
    )
    page.get_by_role("button", name="Take together").click()
    expect(page.get_by_text("Item A is now minuted with minute 6.")).to_be_visible()
    expect(page.get_by_role("heading", name="6. CSP PERFORMANCE REPORT")).to_be_visible()
    expect(page.get_by_role("heading", name="8. PERFORMANCE FIGURES")).to_have_count(0)
    axe_check(page)
