"""An officer corrects the report they submitted, in the browser, before it is accepted."""

import re

import pytest
from playwright.sync_api import expect

from papers.services import report_request_create, report_request_submit
from scrutiny.testing import pdf_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def submitted(committee, make_meeting, make_item, make_document, officer, coordinator):
    item = make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    document = make_document(item=item, title="D-TAC Progress Report", user=officer, is_draft=True)
    return report_request_submit(request=request, document=document)


def test_the_officer_uploads_a_corrected_version(
    page, live_server, submitted, login_page, axe_check, tmp_path
):
    login_page("officer")
    page.goto(live_server.url + submitted.get_absolute_url())
    expect(page.get_by_role("heading", name="Correct your report")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Upload a corrected version").click()
    corrected = tmp_path / "corrected.pdf"
    corrected.write_bytes(pdf_bytes(3))
    page.get_by_label("File").set_input_files(str(corrected))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what has changed in this version")
    axe_check(page)
    page.get_by_label("File").set_input_files(str(corrected))
    page.get_by_label("What has changed").fill("Page 3 added")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Your corrected report is saved.")).to_be_visible()
    expect(page.get_by_text("(version 2)")).to_be_visible()
    axe_check(page)


@pytest.fixture
def written(committee, make_meeting, make_item, submit_written_report):
    """A covering report the officer wrote in the browser and submitted."""
    item = make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")
    return submit_written_report(item)


def test_the_officer_corrects_the_text_only_and_the_coordinator_accepts_what_they_read(
    page, live_server, written, officer, login_page, axe_check
):
    from papers.services import report_request_correct

    login_page("officer")
    page.goto(live_server.url + written.get_absolute_url())
    page.get_by_role("link", name="Correct the covering report").click()
    # Neither title nor exemption is offered: a correction changes the text.
    expect(page.get_by_label("Report title")).to_have_count(0)
    expect(page.get_by_label(re.compile("contains exempt information"))).to_have_count(0)
    expect(page.locator("#report-exemption")).to_contain_text(
        "Only the committee's co-ordinator decides whether a report is exempt."
    )
    axe_check(page)
    page.get_by_label("1. Summary").fill("To note the D-TAC scheme's progress in 2016-17.")
    page.get_by_label("What has changed").fill("Summary corrected")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Your corrected report is saved.")).to_be_visible()

    page.get_by_role("button", name="Sign out", exact=True).click()
    login_page("coordinator")
    page.goto(live_server.url + written.get_absolute_url())
    expect(page.get_by_text("(version 2)")).to_be_visible()
    # The officer corrects it again while the co-ordinator reads version 2.
    written.refresh_from_db()
    content = dict(written.document.current_version.report, summary="A last-minute change.")
    report_request_correct(
        request=written, user=officer, content=content, change_note="Again", based_on=2
    )
    page.get_by_role("button", name="Accept version 2: put it on the agenda").click()
    expect(page.get_by_text("Nothing has been accepted: read version 3")).to_be_visible()
    expect(page.get_by_text("(version 3)")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Accept version 3: put it on the agenda").click()
    expect(page.get_by_text("Report accepted: it is now on the agenda.")).to_be_visible()


def test_the_coordinator_revising_is_pointed_to_the_exemption_page(
    page, live_server, written, login_page, axe_check
):
    from papers.services import report_request_accept

    report_request_accept(request=written, version=1)
    login_page("coordinator")
    page.goto(f"{live_server.url}/papers/{written.document_id}/edit/")
    expect(page.get_by_label("Report title")).to_have_count(0)
    expect(page.locator("#report-title")).to_contain_text("D-TAC Progress Report")
    axe_check(page)
    page.get_by_role("link", name="mark the report exempt").click()
    expect(page.get_by_role("heading", name=re.compile("Is this document exempt"))).to_be_visible()
