"""Minute text kept on the device as it is typed (autosave.js) is the user's own, and
leaves the browser when they sign out: a shared computer keeps no exempt minute."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.services import minutes_prefill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

EXEMPT_TEXT = "Members discussed the informant's name, which is exempt."
KEPT = """() => Object.keys(localStorage).filter(
    (key) => key.startsWith("scrutiny-autosave-") || key.startsWith("scrutiny-minute-"))"""


@pytest.fixture
def minute(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting, title="Operation Nightjar", exempt_paragraph=7, exempt_reason="Crime"
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    return minutes.entries.get(item__title="Operation Nightjar")


def type_unsaved_text(page, live_server, login_page, minute):
    login_page("coordinator")
    meeting = minute.minutes.meeting
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/{minute.pk}/edit/")
    page.get_by_label(re.compile(r"^\s*Minute \(optional\)")).fill(EXEMPT_TEXT)
    expect(page.get_by_text("Draft kept on this device.")).to_be_visible()


@pytest.fixture
def browser_ignores_clear_site_data(monkeypatch):
    """As a browser that does not support Clear-Site-Data: only sign-out.js clears."""
    from scrutiny import views

    signed_out = views._signed_out

    def without_the_header(request, response, message):
        response = signed_out(request, response, message)
        del response["Clear-Site-Data"]
        return response

    monkeypatch.setattr(views, "_signed_out", without_the_header)


def test_the_draft_is_kept_under_the_user_and_cleared_on_sign_out(
    page, live_server, login_page, minute, coordinator, axe_check
):
    type_unsaved_text(page, live_server, login_page, minute)
    assert page.evaluate(KEPT) == [f"scrutiny-autosave-{coordinator.pk}-minute-{minute.pk}"]
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.wait_for_load_state("load")  # sign-out.js has run
    assert page.evaluate(KEPT) == []
    axe_check(page)


@pytest.mark.parametrize("button", ["Sign out", "Sign out everywhere"])
def test_sign_out_clears_the_draft_where_the_browser_would_keep_it(
    page, live_server, login_page, minute, browser_ignores_clear_site_data, button
):
    type_unsaved_text(page, live_server, login_page, minute)
    # A key from before drafts were kept under the user goes too.
    page.evaluate("() => localStorage.setItem('scrutiny-minute-1', '{}')")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(re.compile("You have (been )?signed out"))).to_be_visible()
    page.wait_for_load_state("load")  # sign-out.js has run
    assert page.evaluate(KEPT) == []


def test_the_signed_out_page_clears_the_draft_if_the_form_could_not(
    page, live_server, login_page, minute, browser_ignores_clear_site_data
):
    type_unsaved_text(page, live_server, login_page, minute)
    # form.submit() sends the form without its submit event: as if sign-out.js had not
    # run before the browser left the page.
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('form[action$=\"/logout/\"]').submit()")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.wait_for_load_state("load")  # sign-out.js has run
    assert page.evaluate(KEPT) == []
