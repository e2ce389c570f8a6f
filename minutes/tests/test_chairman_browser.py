"""The Chairman checks circulated minutes in the browser; the co-ordinator reads the
answer and circulates them again."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_circulate,
    minutes_prefill,
    minutes_update,
)
from scrutiny.access import Role
from scrutiny.models import MembershipRole

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def circulated(committee, coordinator, make_user, make_person, make_membership):
    chairman = make_user(role=Role.MEMBER, username="wells", email="wells@example.gov.uk")
    make_membership(
        committee=committee,
        person=make_person(user=chairman, surname="Wells", forenames="R J"),
        role=MembershipRole.CHAIR,
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting, user=coordinator)
    minute = minutes.entries.get(title="Regulation 9 Notice")
    minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title=minute.title,
        text="The Committee considered the notice.",
        resolutions=[ResolutionInput("That the contents of the Regulation 9 Notice be noted.")],
    )
    return minutes_circulate(minutes=minutes)


def test_the_chairman_returns_comments_and_the_coordinator_circulates_again(
    page, live_server, circulated, login_page, axe_check
):
    review = f"{live_server.url}/meetings/{circulated.meeting_id}/minutes/review/"
    # The link in the Chairman's e-mail: sign in first, then the minutes.
    page.goto(review)
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Username").fill("wells")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Check the minutes$"))).to_be_visible()
    expect(
        page.get_by_text("That the contents of the Regulation 9 Notice be noted.")
    ).to_be_visible()
    axe_check(page)

    # Sending no comments is an error the summary names.
    page.get_by_role("button", name="Send my comments").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your comments on the minutes")
    expect(page).to_have_title(re.compile("^Error: "))
    axe_check(page)
    page.get_by_label("What needs changing in the minutes?").fill(
        "Minute 6 should name the period the notice covers."
    )
    page.get_by_role("button", name="Send my comments").click()
    expect(page.get_by_text("Your comments are sent to the co-ordinator.")).to_be_visible()
    expect(page.get_by_text("Returned with comments")).to_be_visible()
    axe_check(page)

    # The co-ordinator reads the answer on the minutes page and circulates them again.
    page.get_by_role("button", name="Sign out", exact=True).click()
    login_page("coordinator")
    page.goto(f"{live_server.url}/meetings/{circulated.meeting_id}/minutes/edit/")
    answer = page.locator("#chairman-answer")
    expect(answer).to_contain_text("Returned with comments")
    expect(answer).to_contain_text("Minute 6 should name the period the notice covers.")
    axe_check(page)
    page.get_by_role("button", name="Circulate again to the Chairman").click()
    expect(
        page.get_by_role("heading", name=re.compile("The minutes are not finished$"))
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Circulate anyway").click()
    expect(page.get_by_text("An e-mail is on its way to Councillor R J Wells.")).to_be_visible()
    expect(page.locator("#chairman-answer")).to_have_text("Not answered yet")
    page.get_by_role("link", name="See the minutes as the Chairman does").click()
    expect(page.get_by_text("The Chairman has not answered yet.")).to_be_visible()
    axe_check(page)


def test_an_answer_on_minutes_changed_meanwhile_is_refused_and_loses_nothing(
    page, live_server, circulated, login_page, axe_check
):
    login_page("wells")
    page.goto(f"{live_server.url}/meetings/{circulated.meeting_id}/minutes/review/")
    comments = "Minute 6 should name the period the notice covers."
    page.get_by_label("What needs changing in the minutes?").fill(comments)
    # The co-ordinator changes the minute while the Chairman writes.
    minute = circulated.entries.get(title="Regulation 9 Notice")
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text="The Committee noted the notice for the period to 31 October.",
        resolutions=[ResolutionInput("That the contents of the Regulation 9 Notice be noted.")],
    )
    page.get_by_role("button", name="Send my comments").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The minutes changed while you were reading them: read them again."
    )
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("What needs changing in the minutes?")).to_have_value(comments)
    expect(page.get_by_text("for the period to 31 October")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Send my comments").click()
    expect(page.get_by_text("Your comments are sent to the co-ordinator.")).to_be_visible()


def test_minutes_published_while_the_chairman_writes_show_his_comments_back(
    page, live_server, circulated, login_page, axe_check
):
    from minutes.services import minutes_advance

    login_page("wells")
    page.goto(f"{live_server.url}/meetings/{circulated.meeting_id}/minutes/review/")
    comments = "Minute 6 should name the period the notice covers."
    page.get_by_label("What needs changing in the minutes?").fill(comments)
    minutes_update(minutes=circulated, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=circulated)  # the co-ordinator publishes them meanwhile
    page.get_by_role("button", name="Send my comments").click()
    expect(
        page.get_by_role(
            "heading", name=re.compile("The minutes were published while you were reading them$")
        )
    ).to_be_visible()
    expect(page.locator("#your-comments")).to_have_text(comments)
    axe_check(page)
    page.get_by_role("link", name="Read the minutes as published").click()
    expect(page.get_by_text("Draft: not yet confirmed")).to_be_visible()
