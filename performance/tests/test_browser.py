"""The data officer uploads a quarter's figures (a file with mistakes first, then the
corrected one), checks the preview and confirms it; a member of the committee reads
the trends. Every page is checked with axe, and none scrolls sideways on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
HEADER = "indicator,area,period,value,status,note"
# 2017-18 Q4, the quarter after the demo's last; the second row has two mistakes.
WITH_ERRORS = "\r\n".join(
    [
        HEADER,
        "all-crime,dartford,2017-18 Q4,2750,provisional,",
        "all-crime,dartfrod,2017-18 Q4,2,710,provisional,",
        "all-crime,kent,Q4 2017/18,33510,provisional,",
        "asb,dartford,2017-18 Q4,twelve,,",
    ]
)
CORRECTED = "\r\n".join(
    [
        HEADER,
        "all-crime,dartford,2017-18 Q4,2750,provisional,",
        "all-crime,gravesham,2017-18 Q4,2495,provisional,",
        "all-crime,kent,Q4 2017/18,33510,provisional,",
        "asb,dartford,2017-18 Q4,1412,provisional,",
        "all-crime,dartford,2017-18 Q3,2790,provisional,",
    ]
)


def csv_file(text: str, name: str = "csp-2017-18-q4.csv") -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def sign_out(page):
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_load_state()


def test_officer_uploads_fixes_and_confirms_then_a_member_reads_the_trends(
    page, live_server, demo_data, login_page, axe_check
):
    login_page("dataofficer", DEMO_PASSWORD)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Crime and Disorder")).first.click()
    page.get_by_role("link", name="Performance indicators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Performance indicators: Dartford, 2017-18 Q3"
    )
    axe_check(page)

    # The menu takes the data officer there from any page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload figures").click()
    expect(page.get_by_role("heading", name="Upload performance figures")).to_be_visible()
    axe_check(page)

    # A file with mistakes: every problem listed by row and column; nothing saved.
    page.get_by_label("File of figures").set_input_files(files=[csv_file(WITH_ERRORS)])
    page.get_by_label("What the file holds").fill("Q4 return")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    problems = page.get_by_role("table", name=re.compile("problems in csp-2017-18-q4.csv"))
    expect(problems.get_by_role("row", name=re.compile("Row 3 .*dartfrod"))).to_be_visible()
    expect(problems.get_by_role("row", name=re.compile("Row 5 .*twelve"))).to_be_visible()
    expect(problems.get_by_text("Enter an area code from the template")).to_be_visible()
    axe_check(page)
    # The summary leads to the file input, ready for the corrected file.
    summary_link = page.get_by_role("link", name=re.compile("csp-2017-18-q4.csv has 3 problems"))
    expect(summary_link).to_have_attribute("href", "#id_file")

    page.get_by_label("File of figures").set_input_files(files=[csv_file(CORRECTED)])
    page.get_by_role("button", name="Upload and preview").click()
    expect(
        page.get_by_role("heading", name="Check the figures before you import them")
    ).to_be_visible()
    expect(page.get_by_text("4 new figures", exact=True)).to_be_visible()
    expect(page.get_by_text("1 figure the same as recorded")).to_be_visible()
    # Anti-social behaviour from 781 to 1,412: a jump to check before confirming.
    expect(page.get_by_text(re.compile("1412 is 81% higher than 781"))).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("status")).to_contain_text(
        "csp-2017-18-q4.csv is imported: 4 figures added and 0 figures changed."
    )
    expect(page.get_by_role("heading", name="Uploads of performance figures")).to_be_visible()
    axe_check(page)

    # What the upload did, and the step before reverting it (not taken).
    page.get_by_role("link", name="csp-2017-18-q4.csv", exact=True).click()
    expect(page.get_by_role("heading", name="Upload of csp-2017-18-q4.csv")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Revert this upload").click()
    expect(
        page.get_by_role("heading", name="Revert the upload of csp-2017-18-q4.csv?")
    ).to_be_visible()
    axe_check(page)
    sign_out(page)

    # A member reads the new quarter, then the trend of all crime.
    login_page("member", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("performance:summary", args=["crime-and-disorder"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Performance indicators: Dartford, 2017-18 Q4"
    )
    summary = page.get_by_role("table", name=re.compile("Dartford, 2017-18 Q4"))
    crime = summary.get_by_role("row", name=re.compile("^All crime"))
    expect(crime).to_contain_text("2,750")
    # Within 2 per cent of the quarter before; more crime than a year before.
    expect(crime).to_contain_text("No change")
    expect(crime).to_contain_text("Deterioration")
    expect(summary.get_by_role("row", name=re.compile("^Domestic abuse"))).to_be_visible()
    axe_check(page)
    page.get_by_label("Quarter").select_option("2017-18 Q1")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Performance indicators: Dartford, 2017-18 Q1"
    )
    expect(
        page.get_by_text("A slight decrease in Dartford against a small increase in Kent").first
    ).to_be_visible()
    page.get_by_role("link", name="All crime", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All crime: Dartford")
    series = page.get_by_role("table", name=re.compile("All crime, Dartford and Kent"))
    expect(series.get_by_role("row", name=re.compile("^2017-18 Q4"))).to_contain_text("2,750")
    expect(series.get_by_text(re.compile("^Series break, 1 April 2017:"))).to_be_visible()
    expect(page.get_by_text(re.compile("Illustrative figures")).first).to_be_visible()
    axe_check(page)


def test_the_performance_pages_fit_a_phone(page, live_server, demo_data, login_page, axe_check):
    """Each new page at 390 pixels, as the reader who works with it, checked with axe."""
    from performance.models import Upload

    slug = "crime-and-disorder"
    upload = Upload.objects.order_by("-pk").first()
    readers = {
        "anonymous": [
            reverse("performance:summary", args=[slug]),
            reverse("performance:indicator", args=[slug, "crime-rate"]),
            reverse("performance:report", args=[slug]),
        ],
        "dataofficer": [
            reverse("performance:summary", args=[slug]),
            reverse("performance:indicator", args=[slug, "da-withdrawals"]),
            reverse("performance:upload", args=[slug]),
            reverse("performance:upload_list", args=[slug]),
            reverse("performance:upload_detail", args=[slug, upload.pk]),
            reverse("performance:upload_revert", args=[slug, upload.pk]),
        ],
        "coordinator": [
            reverse("performance:data_officers", args=[slug]),
            reverse("performance:report", args=[slug]) + "?area=dartford&quarter=2016-17+Q4",
        ],
    }
    page.set_viewport_size(PHONE)
    wide = []
    for role, addresses in readers.items():
        if role != "anonymous":
            login_page(role, DEMO_PASSWORD)
        for address in addresses:
            assert page.goto(live_server.url + address).status == 200, address
            if (extra := overflow(page)) > 0:
                wide.append(f"{address} as {role} ({extra}px too wide)")
            axe_check(page)
        page.context.clear_cookies()  # signed out (the menu is folded away on a phone)
    # A tablet: the wide tables stack there too.
    page.set_viewport_size({"width": 768, "height": 1024})
    for address in readers["anonymous"]:
        page.goto(live_server.url + address)
        if (extra := overflow(page)) > 0:
            wide.append(f"{address} at 768px ({extra}px too wide)")
    assert not wide, "\n".join(wide)


def test_the_coordinator_puts_the_quarterly_report_on_an_agenda(
    page, live_server, demo_data, login_page, axe_check
):
    """The report for the June 2017 quarter, read, then put on an item of the next
    meeting: a first try without the paragraph is refused and says why, the second
    succeeds."""
    import datetime

    from django.utils import timezone

    from meetings.services import agenda_item_add, meeting_create
    from scrutiny.models import Committee

    meeting = meeting_create(
        committee=Committee.objects.get(slug="crime-and-disorder"),
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="CSP Performance Report")
    login_page("coordinator", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("performance:summary", args=["crime-and-disorder"]))
    page.get_by_role("navigation", name="Performance data").get_by_role(
        "link", name="Quarterly report"
    ).click()
    page.get_by_label("Quarter", exact=True).select_option("2017-18 Q1")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community Safety Partnership Performance Report: Dartford, 2017-18 Q1"
    )
    summary = page.get_by_role("table", name=re.compile("Dartford, 2017-18 Q1: each indicator"))
    expect(summary.get_by_role("row", name=re.compile("^Domestic abuse"))).to_contain_text(
        "Confidential"
    )
    expect(page.get_by_text(re.compile("^Exempt information\\.")).first).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("^Crimes per 1,000 population: the most"))
    ).to_be_visible()
    axe_check(page)

    page.get_by_text("Put this report on an agenda").click()
    page.get_by_label("Agenda item").select_option(value=str(item.pk))
    page.get_by_role("button", name="Put the report on the agenda").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Select paragraph 3 or 7: the report is exempt information")
    ).to_be_visible()
    # The choice is kept.
    expect(page.get_by_label("Agenda item").locator("option:checked")).to_have_text(
        re.compile(r"^Item \d+: CSP Performance Report$")
    )
    axe_check(page)

    page.get_by_label(re.compile("7\\. Information relating to any action")).check()
    page.get_by_role("button", name="Put the report on the agenda").click()
    expect(
        page.get_by_text(
            re.compile(
                "CSP Performance Report.* of the meeting of .*, "
                "and the item is now exempt under paragraph 7"
            )
        )
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Community Safety Partnership Performance Report: Dartford, 2017-18 Q1"
    )
    axe_check(page)
