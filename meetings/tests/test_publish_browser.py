"""The co-ordinator publishes an agenda with a report still to come: warned, published,
and told who was e-mailed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, meeting_create
from papers.services import report_request_create
from scrutiny.access import Role
from scrutiny.models import MembershipRole

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def meeting(committee, coordinator, make_user, make_person, make_membership):
    chairman = make_user(role=Role.MEMBER, username="wells", email="wells@example.gov.uk")
    make_membership(
        committee=committee,
        person=make_person(user=chairman, surname="Wells", forenames="R J"),
        role=MembershipRole.CHAIR,
    )
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=21),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="CSP Performance Report")
    officer = make_user(role=Role.OFFICER, username="henley", first_name="Tony", last_name="Henley")
    report_request_create(
        item=item,
        officer=officer,
        requested_by=coordinator,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    return meeting


def test_publishing_warns_of_a_report_to_come_and_says_who_was_emailed(
    page, live_server, meeting, login_page, axe_check
):
    login_page("coordinator")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda/publish/")
    warning = page.get_by_role("note").filter(has_text="1 report not on the agenda yet")
    expect(warning).to_contain_text("CSP Performance Report: Tony Henley, requested, due")
    axe_check(page)
    page.get_by_role("button", name="Publish the agenda").click()
    expect(
        page.get_by_text(
            "The agenda is published. An e-mail is on its way to Councillor R J Wells."
        )
    ).to_be_visible()
    axe_check(page)
