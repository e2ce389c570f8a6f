"""The co-ordinator updates the work programme after a meeting, in the browser: a
resolution becomes a work plan item, an item is postponed with its reason, and the next
agenda pulls in its items. Every page is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from workplan.models import Status, WorkPlanItem

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_updates_the_plan_after_a_meeting(
    page,
    live_server,
    committee,
    coordinator,
    held_meeting,
    next_meeting,
    later_meeting,
    make_plan_item,
    login_page,
    axe_check,
):
    make_plan_item(target_meeting=next_meeting, topic="PCP Update", recurrence="every_meeting")
    trading_standards = make_plan_item(
        target_meeting=next_meeting, topic="Presentation by KCC Trading Standards"
    )
    login_page("coordinator")

    # The minutes of the meeting just held: resolution 2 of the Performance minute asks
    # for a crime data expert.
    page.goto(f"{live_server.url}/meetings/{held_meeting.pk}/minutes/")
    expect(page.get_by_role("heading", name="Resolutions and the work programme")).to_be_visible()
    axe_check(page)
    page.get_by_role(
        "link", name=re.compile(r"Add to the work programme\W+minute \d+, resolution 2")
    ).click()
    expect(page.get_by_role("heading", name="Add the item a resolution asks for")).to_be_visible()
    expect(page.locator("blockquote")).to_contain_text("crime data expert")
    # A mistake first: the topic cleared.
    topic = page.get_by_label("Topic", exact=True)
    expect(topic).to_have_value(re.compile("crime data expert"))
    topic.fill("")
    page.get_by_label("Lead officer or presenter (optional)").fill("Kent Police")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the topic")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Lead officer or presenter (optional)")).to_have_value("Kent Police")
    axe_check(page)
    page.get_by_label("Topic", exact=True).fill("Recording of Crime Data and Statistics")
    expect(page.get_by_label("Discretionary topic")).to_be_checked()
    page.get_by_label(re.compile(r"^\s*Meeting")).select_option(str(next_meeting.pk))
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_text("added to the work programme for the meeting of")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Recording of Crime Data and Statistics")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Minute \d+ of "))).to_be_visible()
    axe_check(page)

    # The Trading Standards presentation is postponed, with the Chairman's reason.
    page.get_by_role("link", name="Back to the work programme").click()
    expect(page.get_by_role("heading", name=re.compile("Work programme for"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Presentation by KCC Trading Standards").click()
    page.get_by_role("link", name="Move or postpone").click()
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason")
    axe_check(page)
    page.get_by_label(re.compile(r"^\s*To\b")).select_option(str(later_meeting.pk))
    reason = "Postponed until the summer meeting at the Chairman's request"
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("postponed to the meeting of")).to_be_visible()
    history = page.get_by_role("table")
    expect(history).to_contain_text(reason)
    expect(history).to_contain_text("Postponed from")
    trading_standards.refresh_from_db()
    assert (trading_standards.status, trading_standards.target_meeting) == (
        Status.POSTPONED,
        later_meeting,
    )

    # The next meeting's agenda pulls in what the plan holds for it.
    page.goto(f"{live_server.url}/meetings/{next_meeting.pk}/agenda/")
    panel = page.get_by_role("region", name="From the work programme")
    expect(panel).to_contain_text("PCP Update")
    expect(panel).to_contain_text("Recording of Crime Data and Statistics")
    expect(panel).not_to_contain_text("Trading Standards")
    axe_check(page)
    panel.get_by_role("button", name="Add the selected items to the agenda").click()
    expect(page.get_by_text("2 work plan items added to the agenda")).to_be_visible()
    titles = page.locator(".builder-list .builder-item h3").all_inner_texts()
    assert any("Recording of Crime Data and Statistics" in t for t in titles)
    crime_data = WorkPlanItem.objects.get(topic="Recording of Crime Data and Statistics")
    assert crime_data.status == Status.ON_AGENDA
    assert crime_data.agenda_item.meeting == next_meeting


def test_the_other_work_programme_pages_pass_axe(
    page, live_server, committee, coordinator, next_meeting, make_plan_item, login_page, axe_check
):
    item = make_plan_item(
        target_meeting=next_meeting, topic="D-TAC Annual Review", recurrence="annual"
    )
    login_page("coordinator")
    base = f"{live_server.url}/committees/{committee.slug}/work-programme"
    for path in (
        "new/",
        "roll-forward/",
        "appendix/",
        f"{item.pk}/edit/",
        f"{item.pk}/move/",
        f"{item.pk}/withdraw/",
    ):
        page.goto(f"{base}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
    page.goto(f"{live_server.url}/meetings/{next_meeting.pk}/agenda/work-plan/")
    axe_check(page)
    page.goto(f"{live_server.url}/forward-plan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Regulation 9 Notice")
    axe_check(page)
    page.goto(f"{live_server.url}/committees/{committee.slug}/actions/")
    axe_check(page)


def test_the_tracker_pages_pass_axe(
    page, live_server, committee, coordinator, held_meeting, login_page, axe_check
):
    import datetime

    from django.utils import timezone

    from minutes.models import Resolution
    from workplan.models import TrackedAction
    from workplan.services import action_create

    resolution = Resolution.objects.get(text__contains="crime data expert")
    action = action_create(
        resolution=resolution,
        user=coordinator,
        description="Officers to respond to Members on both points",
        owner_name="Community Safety Manager",
        due_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    TrackedAction.objects.filter(pk=action.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    page.goto(f"{live_server.url}/committees/{committee.slug}/actions/")
    expect(page.get_by_role("table")).to_contain_text("Overdue")
    axe_check(page)
    login_page("coordinator")
    base = f"{live_server.url}/committees/{committee.slug}/actions"
    page.goto(f"{base}/{action.pk}/")
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the response")
    axe_check(page)
    page.get_by_role("textbox", name=re.compile("^Response \\(optional")).fill(
        "Accepted by Cabinet"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action saved: accepted.")).to_be_visible()
    page.goto(f"{base}/new/?resolution={resolution.pk}")
    axe_check(page)


def test_coordinator_drafts_the_annual_report_and_puts_the_tracker_on_an_agenda(
    page, live_server, committee, coordinator, held_meeting, next_meeting, login_page, axe_check
):
    from meetings.services import agenda_item_add

    item = agenda_item_add(meeting=next_meeting, title="Actions tracker")
    login_page("coordinator")
    page.goto(f"{live_server.url}/committees/{committee.slug}/work-programme/")
    page.get_by_role("link", name="Draft the annual report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual Report of the")
    expect(page.get_by_text("No narrative is written yet")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Edit the narrative").click()
    axe_check(page)
    page.get_by_label("Chairman's foreword").fill("A year of close partnership working.")
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.get_by_text("The annual report's narrative is saved.")).to_be_visible()
    expect(page.get_by_text("A year of close partnership working.")).to_be_visible()
    # The tracker for the next meeting, onto its agenda.
    page.goto(f"{live_server.url}/committees/{committee.slug}/actions/")
    page.get_by_role("link", name="The tracker for a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendations and Actions Tracker")
    axe_check(page)
    page.get_by_role("button", name="Put the tracker on the agenda").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the agenda item")
    axe_check(page)
    page.get_by_label("Agenda item").select_option(str(item.pk))
    page.get_by_role("button", name="Put the tracker on the agenda").click()
    expect(page.get_by_text("The actions tracker for")).to_be_visible()
    assert item.documents.count() == 1
