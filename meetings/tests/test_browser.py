"""Reading the 21 February 2018 agenda online, as the public and as a member."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def february_2018(demo_data):
    return Meeting.objects.get(starts_at__year=2018)


def test_public_reads_the_agenda_without_exempt_detail(page, live_server, february_2018, axe_check):
    page.goto(live_server.url + february_2018.get_absolute_url())
    expect(
        page.get_by_role(
            "heading", name="3. Confirmation of the Minutes of the meeting held on 26 July 2017"
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", name="A. CSP Strategic Assessment 2017")).to_be_visible()
    expect(page.get_by_text("Exempt: paragraph 3")).to_be_visible()
    expect(page.get_by_text("Appendix A to item 10")).to_have_count(0)
    axe_check(page)


def test_member_reads_exempt_item_a(page, live_server, february_2018, login_page, axe_check):
    login_page("member", DEMO_PASSWORD)
    page.goto(live_server.url + february_2018.get_absolute_url())
    expect(
        page.get_by_role(
            "heading",
            name="A. Dartford and Gravesham Community Safety Partnership Strategic "
            "Assessment 2017 (Appendix A to item 10)",
        )
    ).to_be_visible()
    expect(page.get_by_text("Exempt - not for publication")).to_be_visible()
    axe_check(page)
