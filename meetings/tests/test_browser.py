"""Reading the 21 February 2018 agenda online, as the public and as a member."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FULL_TITLE_A = (
    "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017 "
    "(Appendix A to item 10)"
)


@pytest.fixture
def february_2018(demo_data):
    return Meeting.objects.get(starts_at__year=2018, starts_at__month=2)


def test_public_reads_the_agenda_without_exempt_detail(page, live_server, february_2018, axe_check):
    page.goto(live_server.url + february_2018.get_absolute_url())
    expect(
        page.get_by_role(
            "heading", name="3. Confirmation of the Minutes of the meeting held on 26 July 2017"
        )
    ).to_be_visible()
    item_a = page.locator("#agenda-heading + ol > li").filter(
        has=page.get_by_role("heading", name="A. CSP Strategic Assessment 2017")
    )
    expect(item_a.get_by_text("Exempt: paragraph 3").first).to_be_visible()
    expect(page.get_by_text("Appendix A to item 10")).to_have_count(0)
    axe_check(page)

    # The covering report of item 10 reads as a web page.
    item_10 = FULL_TITLE_A.split(" (")[0]
    page.get_by_role("heading", name=f"10. {item_10}").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Supporting documents")).to_be_visible()
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name=item_10, exact=True).click()
    expect(page.get_by_role("heading", name="2. Recommendations")).to_be_visible()
    expect(page.get_by_text("2.3 That the Committee notes")).to_be_visible()
    axe_check(page)

    # Item A: the public learn why it is restricted, and nothing more.
    page.goto(live_server.url + february_2018.get_absolute_url())
    item_a.get_by_role("link", name=re.compile("Reasons restricted")).click()
    expect(page.get_by_role("heading", name=re.compile("Reasons restricted"))).to_be_visible()
    expect(page.get_by_text("financial or business affairs")).to_be_visible()
    axe_check(page)


def test_member_reads_exempt_item_a(page, live_server, february_2018, login_page, axe_check):
    login_page("member", DEMO_PASSWORD)
    page.goto(live_server.url + february_2018.get_absolute_url())
    expect(page.get_by_role("heading", name=f"A. {FULL_TITLE_A}")).to_be_visible()
    item_a = page.locator("#agenda-heading + ol > li").filter(
        has=page.get_by_role("heading", name=f"A. {FULL_TITLE_A}")
    )
    expect(item_a.get_by_text("Exempt - not for publication").first).to_be_visible()
    axe_check(page)
    item_a.get_by_role("link", name=f"{FULL_TITLE_A}").click()
    expect(page.get_by_role("heading", name=f"Agenda item A. {FULL_TITLE_A}")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Details of")).click()
    expect(page.get_by_text("Exempt - not for publication")).to_be_visible()
    axe_check(page)
    href = page.get_by_role("link", name=re.compile("^Download PDF")).get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok
    assert response.body().startswith(b"%PDF-")
    assert response.headers["cache-control"] == "private, no-store"
    # Every exempt reading in this journey is in the access log.
    from exempt.models import AccessLog

    events = set(AccessLog.objects.filter(username="member").values_list("event", flat=True))
    assert events == {"viewed", "downloaded"}
