"""The co-ordinator archives the demo's February 2018 papers from the retention page,
from the keyboard; the public then read that they were archived."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_archives_and_holds_papers(page, live_server, demo_data, login_page, axe_check):
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    committee = february.committee
    login_page("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/committees/{committee.slug}/retention/")
    expect(page.get_by_role("heading", name="Period ended")).to_be_visible()
    axe_check(page)

    # A hold form with its error, then a hold on another meeting.
    page.get_by_role("link", name="Place a legal hold on 26 July 2017").click()
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the papers are held")
    axe_check(page)
    page.get_by_label("Why are the papers held?").fill("Subject access request 2026/114")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("Subject access request 2026/114")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Period ended").click()
    checkbox = page.get_by_label("Archive the papers of 21 February 2018")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.get_by_role("button", name="Archive the papers of the selected meetings").click()
    expect(page.get_by_text("The papers of 1 meeting were archived")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(live_server.url + february.get_absolute_url())
    expect(page.get_by_role("heading", name="Papers archived")).to_be_visible()
    expect(page.get_by_role("link", name="agenda pack")).to_have_count(0)
    axe_check(page)
    from papers.models import Document

    paper = Document.objects.filter(item__meeting=february, is_exempt=False, item__section=1)
    page.goto(live_server.url + paper.first().get_absolute_url())
    expect(page.get_by_role("heading", name="These papers have been archived")).to_be_visible()
    axe_check(page)
