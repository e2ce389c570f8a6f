"""Need to know, in the browser: a councillor asks, the co-ordinator approves, the
councillor reads; every page checked with axe."""

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


def test_need_to_know_from_request_to_reading(page, live_server, demo_data, login_page, axe_check):
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    item_a = february.items.get(section=3)

    login_page("councillor", DEMO_PASSWORD)
    page.goto(live_server.url + f"/meetings/{february.pk}/items/{item_a.pk}/")
    page.get_by_role("link", name=re.compile("Ask to read this item")).click()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you need to read this item")
    axe_check(page)
    page.get_by_label(re.compile("Why you need to read this item")).fill(
        "The Strategic Assessment covers Bean & Darenth, my ward."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request has been sent")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    login_page("coordinator", DEMO_PASSWORD)
    page.get_by_role("link", name="Exempt access").click()
    expect(page.get_by_text("asks to read")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    page.get_by_role("link", name="Grants").click()
    expect(page.get_by_role("cell", name=re.compile("Bean & Darenth"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Access log").click()
    expect(page.get_by_role("cell", name="Access granted")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    login_page("councillor", DEMO_PASSWORD)
    page.goto(live_server.url + february.get_absolute_url())
    expect(page.get_by_role("heading", name=re.compile(re.escape(FULL_TITLE_A)))).to_be_visible()


def test_a_coordinator_turns_on_the_second_factor(
    page, live_server, coordinator, login_page, axe_check, settings
):
    import base64

    from django_otp.oath import TOTP

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code follows a wrong one at once
    login_page("coordinator")
    page.get_by_role("link", name=re.compile("Signed in as")).click()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    axe_check(page)
    typed = page.locator("code").inner_text().replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.get_by_label("Code from your authenticator app").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Turn the second factor on").click()
    expect(page.get_by_text("The second factor is on")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()
    login_page("coordinator")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the 6-digit code")
    axe_check(page)
    # Each code is good once: the app's next code (one step early is allowed) signs in.
    page.get_by_label("Code from your authenticator app").fill(f"{TOTP(key, drift=1).token():06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name=re.compile("Signed in as"))).to_be_visible()


def test_separation_of_duties_and_a_paper_made_exempt(
    page, live_server, demo_data, login_page, axe_check
):
    """The Monitoring Officer proposes a grant to themselves; it waits; the co-ordinator
    approves it. The co-ordinator then marks a paper exempt and public again, and
    releases its earlier version. Every page changed is checked with axe."""
    from papers.models import Document

    login_page("monitoring", DEMO_PASSWORD)
    page.goto(live_server.url + "/exempt/grants/")
    page.get_by_label("Who", exact=True).select_option(label="Marie Kelly-Stone")
    page.locator("#id_committee").select_option(index=1)
    page.get_by_label("Why they need to know").fill("Standards complaint about item 10")
    page.get_by_label("Until").fill("2030-12-31")
    page.get_by_role("button", name="Grant access").click()
    expect(page.get_by_text("not in force until a second person approves it")).to_be_visible()
    expect(page.get_by_text("Another person approves it")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    login_page("coordinator", DEMO_PASSWORD)
    page.goto(live_server.url + "/exempt/grants/")
    expect(page.get_by_text("Awaiting a second approval")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("Grant approved: it is in force now")).to_be_visible()
    axe_check(page)

    document = Document.objects.filter(item__section=1, is_exempt=False).first()
    page.goto(live_server.url + document.get_absolute_url())
    page.get_by_role("link", name=re.compile("Mark as exempt")).click()
    page.get_by_label(re.compile("This document contains exempt information")).check()
    page.get_by_role("button", name="Save the exemption").click()
    expect(page.get_by_role("alert")).to_contain_text("Select a Schedule 12A paragraph")
    axe_check(page)
    page.get_by_label(re.compile("This document contains exempt information")).check()
    page.get_by_label("Schedule 12A paragraph").select_option(value="3")
    page.get_by_role("button", name="Save the exemption").click()
    expect(page.get_by_text("The document is exempt now")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Change the exemption")).click()
    page.get_by_label(re.compile("This document contains exempt information")).uncheck()
    page.get_by_role("button", name="Save the exemption").click()
    expect(page.get_by_text("The document is public now")).to_be_visible()
    axe_check(page)
