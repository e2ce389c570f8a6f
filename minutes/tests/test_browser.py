"""The co-ordinator drafts a meeting's minutes in the browser, end to end."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import agenda_item_add, agenda_publish, meeting_create

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def held_meeting(committee, coordinator, member, make_person):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting,
        title="Regulation 9 Notice",
        purpose="To note the Regulation 9 Notice.",
    )
    make_person(
        kind="officer",
        forenames="Gary",
        surname="Woodward",
        honorific="Insp.",
        job_title="CSU Inspector",
        organisation="Kent Police",
    )
    return agenda_publish(meeting=meeting, confirm_past=True)


def test_coordinator_drafts_and_publishes_minutes(
    page, live_server, held_meeting, login_page, axe_check
):
    login_page("coordinator")
    page.goto(live_server.url + held_meeting.get_absolute_url())
    page.get_by_role("link", name="Take the minutes").click()
    page.get_by_role("button", name="Start the minutes").click()
    expect(page.get_by_text("The minutes are started from the agenda.")).to_be_visible()
    expect(page.get_by_role("heading", name="6. REGULATION 9 NOTICE")).to_be_visible()
    axe_check(page)

    # The register: the member sent apologies; a police guest attended.
    page.get_by_role("link", name="Change the register").click()
    page.get_by_label(re.compile(r": Apologies$")).first.check()
    page.get_by_role("button", name="Save the register").click()
    page.get_by_label("Name", exact=True).select_option(label="Insp. Gary Woodward")
    page.get_by_label("Attending as").select_option(label="Present to respond to issues")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_text("Insp. Gary Woodward added to the register.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to the minutes").click()

    # Minute 6: narrative and resolutions; a typed script is kept as text, never run.
    page.get_by_role("link", name="Write minute 6").click()
    page.get_by_label(re.compile(r"^\s*Minute \(optional\)")).fill(
        "Members noted the notice for the period to *31 October*.\n\n"
        "- Two key decisions were listed.\n- None concerned the Committee.<script>alert(1)</script>"
    )
    page.get_by_label(re.compile(r"^\s*Resolutions")).fill(
        "The contents of the Regulation 9 Notice be noted."
    )
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_role("alert")).to_contain_text("Resolution 1 must begin with “That”")
    axe_check(page)
    page.get_by_label(re.compile(r"^\s*Resolutions")).fill(
        "That the contents of the Regulation 9 Notice be noted."
    )
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("“Regulation 9 Notice” saved.")).to_be_visible()

    # Closing time, then circulate to the Chairman and publish.
    page.get_by_label("The meeting closed at").fill("21:25")
    page.get_by_role("button", name="Save the closing time").click()
    page.get_by_role("button", name="Circulate to the Chairman").click()
    # Minutes still unwritten are listed, and circulating them needs a second word.
    expect(
        page.get_by_role("heading", name=re.compile("The minutes are not finished$"))
    ).to_be_visible()
    expect(page.get_by_text("Minute 1, Apologies for Absence: nothing written yet")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Circulate anyway").click()
    expect(page.get_by_text("The minutes are circulated")).to_be_visible()
    page.get_by_role("button", name="Publish as draft minutes").click()
    # The Chairman has not answered: publishing needs a second word.
    expect(
        page.get_by_role("heading", name=re.compile("The Chairman has not approved these minutes$"))
    ).to_be_visible()
    expect(page.locator("#publication-warnings")).to_contain_text("no one has approved them")
    axe_check(page)
    page.get_by_role("button", name="Publish as draft minutes anyway").click()
    expect(page.get_by_text("Published as draft (unconfirmed)").first).to_be_visible()

    # History of the minute.
    page.get_by_role("link", name="History of minute 6").click()
    expect(page.get_by_role("heading", name="Version 2 (current)")).to_be_visible()
    axe_check(page)

    # The public read them.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(live_server.url + held_meeting.get_absolute_url())
    page.get_by_role("link", name="Minutes of this meeting").click()
    expect(page.get_by_text("Draft: not yet confirmed")).to_be_visible()
    expect(page.get_by_text("APOLOGIES:")).to_be_visible()
    expect(page.get_by_text("Insp. Gary Woodward – CSU Inspector, Kent Police")).to_be_visible()
    expect(page.locator("em", has_text="31 October")).to_be_visible()
    expect(
        page.get_by_text("That the contents of the Regulation 9 Notice be noted.")
    ).to_be_visible()
    expect(page.get_by_text("The meeting closed at 9.25 pm.")).to_be_visible()
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content()
    axe_check(page)


def test_demo_minutes_read_like_the_signed_record(page, live_server, demo_data, axe_check):
    from meetings.models import Meeting

    july = Meeting.objects.get(starts_at__year=2017)
    page.goto(live_server.url + f"/meetings/{july.pk}/minutes/")
    expect(page.get_by_text("Confirmed as a correct record at the meeting on")).to_be_visible()
    expect(page.get_by_role("heading", name="13. CSP PERFORMANCE REPORT")).to_be_visible()
    page.get_by_role("link", name="[Min. No. 13 refers]").click()
    expect(page).to_have_url(re.compile(r"#minute-13$"))
    axe_check(page)
    # The committee's decisions, searched.
    page.goto(live_server.url + f"/committees/{july.committee.slug}/decisions/")
    page.get_by_label("Words in the decision").fill("Work Programme")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("15. CRIME AND DISORDER"))).to_be_visible()
    axe_check(page)
    # A member's page with their attendance record.
    page.goto(live_server.url + july.committee.get_absolute_url())
    page.get_by_role("link", name="Councillor D J Mote").click()
    expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Crime and Disorder .* 100%"))).to_be_visible()
    axe_check(page)
    # While a PDF is being rebuilt, readers are told so.
    from minutes.models import Minutes

    Minutes.objects.filter(meeting=july).update(pdf="")
    page.goto(live_server.url + f"/meetings/{july.pk}/minutes.pdf")
    expect(
        page.get_by_role("heading", name="The PDF of these minutes is being prepared")
    ).to_be_visible()
    axe_check(page)


def test_the_long_minutes_open_on_a_contents_list(page, live_server, demo_data, axe_check):
    from meetings.models import Meeting

    july = Meeting.objects.get(starts_at__year=2017)
    page.goto(live_server.url + f"/meetings/{july.pk}/minutes/")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link")).to_have_count(16)
    contents.get_by_role("link", name="13. CSP PERFORMANCE REPORT").click()
    expect(page).to_have_url(re.compile(r"#minute-13$"))
    expect(page.get_by_role("heading", name="13. CSP PERFORMANCE REPORT")).to_be_in_viewport()
    axe_check(page)
