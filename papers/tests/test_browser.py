"""The covering-report form in the browser, on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.mark.parametrize("width", [390, 1280])
def test_background_papers_sit_inside_their_box_at_full_width(
    page, live_server, coordinator, draft_meeting, make_item, login_page, axe_check, width
):
    item = make_item(meeting=draft_meeting)
    page.set_viewport_size({"width": width, "height": 900})
    login_page("coordinator")
    page.goto(f"{live_server.url}/papers/items/{item.pk}/report/")

    papers = page.get_by_role("group", name="Background papers")
    outer = papers.bounding_box()
    paper_1 = papers.get_by_role("group", name="Background paper 1")
    expect(paper_1).to_be_visible()
    documents = paper_1.get_by_label("Documents consulted")
    box = documents.bounding_box()
    # Inside the box, and wide enough to type in (it was 26 pixels wide, beside the box).
    assert outer["x"] <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"]
    assert box["width"] >= (300 if width == 390 else 200)
    # On a phone the fields stack, one under another.
    author = paper_1.get_by_label("Report Author").bounding_box()
    if width == 390:
        assert author["x"] == box["x"] and author["y"] > box["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Each section's hint is read out with its field.
    expect(page.get_by_label("1. Summary")).to_have_accessible_description(
        re.compile("^What the report is about")
    )
    expect(page.get_by_label("Risk Assessment")).to_have_accessible_description(
        re.compile("^What could go wrong")
    )
    expect(papers).to_have_accessible_description(re.compile("section 100D"))
    axe_check(page)
