"""An officer corrects the report they submitted, in the browser, before it is accepted."""

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
