"""The co-ordinator builds and publishes the agenda of 21 February 2018 in the browser,
and a member reads its exempt item A."""

import re

import pytest
from playwright.sync_api import expect

from meetings.demo import FEBRUARY_2018_ITEMS
from scrutiny.testing import pdf_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FULL_TITLE_A = (
    "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017 "
    "(Appendix A to item 10)"
)


def builder_titles(page) -> list[str]:
    return [
        " ".join(text.split())
        for text in page.locator(".builder-list .builder-item h3").all_inner_texts()
    ]


def test_coordinator_builds_and_publishes_the_agenda(
    page, live_server, committee, coordinator, member, login_page, axe_check
):
    login_page("coordinator")
    page.goto(live_server.url + committee.get_absolute_url())
    page.get_by_role("link", name="Add a meeting").click()

    # A mistake first: the error summary names it and the page stays accessible.
    page.get_by_label("Date").fill("2018-02-21")
    page.get_by_label("Start time").fill("19:00")
    page.get_by_role("button", name="Add the meeting").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the venue")
    expect(page).to_have_title(re.compile("^Error: "))
    axe_check(page)
    page.get_by_label("Venue").fill("Council Chamber, Civic Centre, Home Gardens, Dartford")
    page.get_by_role("button", name="Add the meeting").click()

    expect(page.get_by_role("heading", name="Agenda builder")).to_be_visible()
    expect(page.get_by_text("Publish by")).to_be_visible()
    assert builder_titles(page)[0] == "1. Apologies for Absence"
    axe_check(page)

    # The seed's apologies wording replaces the standard one.
    page.get_by_role("link", name="Edit item 1").click()
    page.get_by_label(re.compile(r"^\s*Purpose")).fill(
        "To note any apologies of absence in addition to those received from the Kent & "
        "Medway Police & Crime Commissioner, Mr Matthew Scott."
    )
    axe_check(page)
    page.get_by_role("button", name="Save the item").click()

    # Items 6 to 12, the last two entered in the wrong order and then put right.
    items = [*FEBRUARY_2018_ITEMS[:5], FEBRUARY_2018_ITEMS[6], FEBRUARY_2018_ITEMS[5]]
    for title, purpose in items:
        page.get_by_role("link", name="Add an item").click()
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label(re.compile(r"^\s*Purpose")).fill(purpose)
        page.get_by_role("button", name="Add the item").click()
        expect(page.get_by_role("status").first).to_contain_text("added")
    page.get_by_role("button", name="Move up item 12").click()
    titles = builder_titles(page)
    assert titles[10] == "11. Update - Committee Work Programme 2017-18 and Beyond"
    assert titles[11] == "12. Next Meeting"

    # The exempt item: every missing answer is named, then it is entered in full.
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Title", exact=True).fill("CSP Strategic Assessment 2017")
    page.get_by_label("This item contains exempt information").check()
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("alert")).to_contain_text("Select a Schedule 12A paragraph")
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason the item is exempt")
    axe_check(page)
    page.get_by_label(re.compile(r"3\. Information relating to the financial")).check()
    page.get_by_label("Full title (seen only by those entitled)").fill(FULL_TITLE_A)
    page.get_by_label("Reason the item is exempt").fill(
        "Obligation of confidence: the data was provided to the Council in confidence."
    )
    page.get_by_label("Public interest test").fill(
        "Disclosure would breach the confidence in which partners supplied the data."
    )
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("heading", name="Exclusion of the Press and Public")).to_be_visible()
    expect(page.get_by_text("paragraph 3 of Part 1 of Schedule 12A")).to_be_visible()
    assert builder_titles(page)[-1] == f"A. {FULL_TITLE_A}"

    # Its exempt appendix, uploaded; then the covering report of item 10, written here.
    page.get_by_text("More actions for item A").click()
    page.get_by_role("link", name="Upload a document for item A").click()
    page.get_by_label("Title", exact=True).fill("Strategic Assessment 2017")
    page.get_by_label("File").set_input_files(
        files=[{"name": "assessment.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(3)}]
    )
    axe_check(page)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("3 pages")).to_be_visible()

    page.get_by_text("More actions for item 10").click()
    page.get_by_role("link", name="Write a covering report for item 10").click()
    page.get_by_label("Report title").fill(
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017"
    )
    page.get_by_label("1. Summary").fill(
        "To consider the Dartford and Gravesham Community Safety Partnership Strategic "
        "Assessment 2017 as presented to the CSP on 25 January 2018."
    )
    page.get_by_label("2. Recommendations").fill(
        "That the Committee notes the contents of the Strategic Assessment 2017."
    )
    axe_check(page)
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("(covering report, web page)")).to_be_visible()

    # Drag and drop: item 9 dragged above item 8, then put back with the buttons.
    handles = page.locator(".builder-list[data-section='1'] .drag-handle")
    handles.nth(8).drag_to(handles.nth(7))
    expect(page.get_by_role("status").last).to_have_text("Agenda reordered and renumbered.")
    assert builder_titles(page)[7].startswith("8. Review of Dartford's Safer Streets Policy")
    page.get_by_role("button", name="Move up item 9").click()
    assert builder_titles(page)[7] == "8. Recording of Kent Crime Data and Statistics"

    # Publishing a meeting that has taken place needs confirmation.
    page.get_by_role("link", name="Publish the agenda").click()
    axe_check(page)
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_role("alert")).to_contain_text("This meeting has already taken place")
    page.get_by_label(re.compile("I confirm that this meeting has already taken place")).check()
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("The agenda is published.")).to_be_visible()

    # The published agenda matches the front sheet of seed 004.
    headings = page.locator(".agenda > li h3").all_inner_texts()
    assert [" ".join(h.split()) for h in headings] == [
        "1. Apologies for Absence",
        "2. Declarations of Interest",
        "3. Confirmation of the Minutes",
        "4. Urgent Items",
        "5. To consider references from other Committees (if any)",
        "6. Regulation 9 Notice",
        "7. Kent Police and Crime Panel (PCP) Update",
        "8. Recording of Kent Crime Data and Statistics",
        "9. Review of Dartford's Safer Streets Policy: Update from Kent Police",
        "10. Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017 "
        "(Page 1)",
        "11. Update - Committee Work Programme 2017-18 and Beyond",
        "12. Next Meeting",
        "EXCLUSION OF THE PRESS AND PUBLIC",
        f"A. {FULL_TITLE_A} (Pages 2 - 4)",
    ]
    # The packs were built on publication, in the background.
    expect(page.get_by_role("link", name="Download the public agenda pack")).to_be_visible()
    meeting_url = page.url
    axe_check(page)

    # A member of the committee reads exempt item A and its appendix.
    page.get_by_role("button", name="Sign out", exact=True).click()
    login_page("member")
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name=f"A. {FULL_TITLE_A} (Pages 2 - 4)")).to_be_visible()
    expect(page.get_by_role("link", name="Download the exempt agenda pack")).to_be_visible()
    page.get_by_role("link", name=FULL_TITLE_A).click()
    expect(page.get_by_role("link", name=re.compile("^Strategic Assessment 2017"))).to_be_visible()
    expect(page.get_by_text("Exempt - not for publication").first).to_be_visible()
    axe_check(page)

    # The public see only the public title.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(meeting_url)
    expect(
        page.get_by_role("heading", name="A. CSP Strategic Assessment 2017 (Pages 2 - 4)")
    ).to_be_visible()
    expect(page.get_by_text("Appendix A to item 10")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the exempt agenda pack")).to_have_count(0)
    expect(page.get_by_text("Strategic Assessment 2017 (download)")).to_have_count(0)


def test_every_new_page_type_passes_axe(page, live_server, demo_data, login_page, axe_check):
    """Pages the journeys above do not reach, each checked once, as the user who uses it."""
    from django.urls import reverse

    from meetings.models import Meeting
    from papers.models import Document, ReportRequest
    from scrutiny.demo import DEMO_PASSWORD

    meeting = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    item = meeting.items.get(title="Next Meeting")
    report = Document.objects.filter(is_report=True, item__meeting=meeting).first()
    request = ReportRequest.objects.get()

    public_pages = [
        reverse("meetings:meeting_list"),
        reverse("meetings:calendar_month", args=[2018, 2]),
    ]
    for address in public_pages:
        page.goto(live_server.url + address)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)

    login_page("officer", DEMO_PASSWORD)
    for address in [reverse("papers:request_list"), request.get_absolute_url()]:
        page.goto(live_server.url + address)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    login_page("coordinator", DEMO_PASSWORD)
    coordinator_pages = [
        reverse("meetings:item_remove", args=[meeting.pk, item.pk]),
        reverse("papers:request_create", args=[item.pk]),
        reverse("papers:report_edit", args=[report.pk]),
        reverse(
            "papers:document_replace", args=[Document.objects.filter(is_report=False).first().pk]
        ),
        reverse("papers:document_remove", args=[report.pk]),
    ]
    for address in coordinator_pages:
        page.goto(live_server.url + address)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    # A form's error state, with the background papers formset.
    page.goto(live_server.url + reverse("papers:report_edit", args=[report.pk]))
    page.get_by_label("1. Summary").fill("")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the summary of the report")
    axe_check(page)


def test_item_menu_and_moves_work_from_the_keyboard(
    page, live_server, committee, coordinator, draft_meeting, login_page, axe_check
):
    from meetings.services import agenda_item_add

    for title in ("Recording of Kent Crime Data and Statistics", "Next Meeting"):
        agenda_item_add(meeting=draft_meeting, title=title)
    login_page("coordinator")
    page.goto(live_server.url + draft_meeting.get_absolute_url() + "agenda/")

    # Each item shows Edit and its moves; the rest wait in its menu, closed.
    item_7 = page.locator(".builder-item").nth(6)
    expect(item_7.get_by_role("link", name="Edit item 7")).to_be_visible()
    expect(item_7.get_by_role("link", name="Upload a document for item 7")).to_be_hidden()
    expect(item_7.get_by_role("link", name="Remove item 7")).to_be_hidden()

    # Moving without a mouse (the alternative to dragging, WCAG 2.5.7).
    page.get_by_role("link", name="Edit item 7").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move up item 7")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("moved up")
    assert builder_titles(page)[5:7] == [
        "6. Next Meeting",
        "7. Recording of Kent Crime Data and Statistics",
    ]

    # The menu opens and closes from the keyboard; Escape returns to its button.
    page.get_by_role("button", name="Move down item 6").focus()
    page.keyboard.press("Tab")
    menu = page.get_by_text("More actions for item 6", exact=True)
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    upload = page.get_by_role("link", name="Upload a document for item 6")
    expect(upload).to_be_visible()
    axe_check(page)
    page.keyboard.press("Tab")
    expect(upload).to_be_focused()
    page.keyboard.press("Escape")
    expect(upload).to_be_hidden()
    expect(menu).to_be_focused()

    # One menu open at a time.
    page.get_by_text("More actions for item 6", exact=True).click()
    page.get_by_text("More actions for item 7", exact=True).click()
    expect(page.get_by_role("link", name="Remove item 6")).to_be_hidden()
    page.get_by_role("link", name="Request a report for item 7").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request")


def test_exempt_fields_show_only_when_the_item_is_exempt(
    page, browser, live_server, committee, coordinator, draft_meeting, login_page, axe_check
):
    address = live_server.url + draft_meeting.get_absolute_url() + "items/new/"
    exempt_fields = [
        re.compile(r"3\. Information relating to the financial"),
        "Full title (seen only by those entitled)",
        "Reason the item is exempt",
        "Public interest test",
    ]
    login_page("coordinator")
    page.goto(address)
    box = page.get_by_label("This item contains exempt information")
    assert box.get_attribute("aria-controls") == "exempt-details"
    for label in exempt_fields:
        expect(page.get_by_label(label)).to_be_hidden()
    axe_check(page)
    box.focus()
    page.keyboard.press("Space")
    for label in exempt_fields:
        expect(page.get_by_label(label)).to_be_visible()
    axe_check(page)
    box.uncheck()
    expect(page.get_by_label("Reason the item is exempt")).to_be_hidden()

    # Without JavaScript every field shows, and an exempt item can still be added.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{live_server.url}/accounts/login/")
    plain.get_by_label("Username").fill("coordinator")
    plain.get_by_label("Password").fill("correct-horse-battery")
    plain.get_by_role("button", name="Sign in").click()
    plain.goto(address)
    for label in exempt_fields:
        expect(plain.get_by_label(label)).to_be_visible()
    plain.get_by_label("Title", exact=True).fill("CSP Strategic Assessment 2017")
    plain.get_by_label("This item contains exempt information").check()
    plain.get_by_label(exempt_fields[0]).check()
    plain.get_by_label("Reason the item is exempt").fill("Supplied in confidence.")
    plain.get_by_label("Public interest test").fill("Partners supplied the data in confidence.")
    plain.get_by_role("button", name="Add the item").click()
    expect(plain.get_by_role("heading", name="A. CSP Strategic Assessment 2017")).to_be_visible()
    # The item's menu is a disclosure the browser opens by itself.
    plain.get_by_text("More actions for item A", exact=True).click()
    expect(plain.get_by_role("link", name="Upload a document for item A")).to_be_visible()
    context.close()
