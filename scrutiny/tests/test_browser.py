"""Browser journeys on Debian's Chromium, each ending with an axe check."""

import pytest
from playwright.sync_api import expect

from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def demo(demo_data):
    return demo_data


def test_public_reads_home_then_committee_page(page, live_server, demo, axe_check):
    page.goto(live_server.url)
    expect(page).to_have_title("Committees - Dartford Borough Council")
    axe_check(page)
    page.get_by_role("link", name="Crime and Disorder (Overview and Scrutiny) Committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crime and Disorder (Overview and Scrutiny) Committee"
    )
    expect(page.get_by_role("row", name="Councillor R J Wells")).to_contain_text("Chairman")
    expect(page.get_by_role("link", name="Wednesday 21 February 2018")).to_be_visible()
    axe_check(page)


def test_member_signs_in_and_opens_a_meeting(page, live_server, demo, login_page, axe_check):
    login_page("member", DEMO_PASSWORD)
    expect(page.get_by_text("Signed in as D J Mote")).to_be_visible()
    page.goto(f"{live_server.url}/committees/crime-and-disorder/")
    expect(page.get_by_text("You may read this committee's exempt papers")).to_be_visible()
    page.get_by_role("link", name="Wednesday 26 July 2017").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wednesday 26 July 2017")
    expect(page.get_by_text("7.00 pm")).to_be_visible()
    axe_check(page)


def test_login_errors_are_summarised_and_focused(page, live_server, axe_check):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your username")).to_be_visible()
    expect(page).to_have_title("Error: Sign in - Dartford Borough Council")
    summary.get_by_role("link", name="Enter your username").click()
    expect(page.get_by_label("Username")).to_be_focused()
    axe_check(page)


def test_keyboard_user_can_skip_to_content(page, live_server):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    ["/accessibility/", "/accounts/password-reset/", "/committees/no-such-committee/"],
)
def test_other_pages_pass_axe(page, live_server, path, axe_check):
    page.goto(live_server.url + path)
    axe_check(page)


def test_password_reset_errors_pass_axe(page, live_server, axe_check):
    page.goto(f"{live_server.url}/accounts/password-reset/")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("correct format")
    axe_check(page)


def test_axe_check_fails_on_an_inaccessible_page(page, axe_check):
    """The harness itself must catch a serious violation, or every check above is hollow."""
    page.set_content(
        "<html><head><title>Bad</title></head><body><main>"
        '<input type="text"><img src="x.png"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label|image-alt"):
        axe_check(page)


def test_password_reset_journey(page, live_server, member, mailoutbox, axe_check):
    import re

    member.email = "member@example.gov.uk"
    member.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill("member@example.gov.uk")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe_check(page)
    link = re.search(r"http://\S+/accounts/reset/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("a-much-longer-new-password")
    page.get_by_label("New password confirmation").fill("a-much-longer-new-password")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    axe_check(page)
    member.refresh_from_db()
    assert member.check_password("a-much-longer-new-password")


def test_the_lock_out_and_admin_second_factor_pages(
    page, live_server, coordinator, login_page, axe_check
):
    coordinator.is_staff = True
    coordinator.save()
    login_page("coordinator")
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up a second factor to use the admin"
    )
    axe_check(page)
    page.get_by_role("button", name="Sign out", exact=True).click()
    for _ in range(5):
        login_page("coordinator", "not-the-password")
    expect(page.get_by_role("heading", level=1)).to_contain_text("You cannot sign in for")
    axe_check(page)
