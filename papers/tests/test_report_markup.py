"""A covering report's text in the papers' one markup: bold, italic, bullets and links
on the web page and in the PDF, paragraph numbers only where the officer gave none."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from papers.reports import BACKGROUND_PAPER_COLUMNS, numbered_sections
from papers.services import report_write
from scrutiny.markup import INLINE_MARKUP_HINT, MARKUP_HINT

pytestmark = pytest.mark.django_db

CONTENT = {
    "summary": "1.1 To note the **Quarterly Performance Report**.\n\n"
    "1.2. The report covers:\n- anti-social behaviour\n- *criminal damage*",
    "recommendations": "2.1 That the Committee notes the report.\nThat officers report back.",
    "background": "First paragraph.\n\n- one\n- two\n\n2.5 million calls were taken.\n\n"
    "<script>alert(1)</script><img src=x onerror=alert(2)>[here](javascript:alert(3))",
    "corporate_plan": "",
    "implications": {"risk": "Any **reduction** in service would harm the Borough."},
    "appendices": "Appendix A: *Performance figures*",
}


@pytest.fixture
def report(make_meeting, make_item, committee, coordinator):
    item = make_item(meeting=make_meeting(committee=committee), title="CSP Performance Report")
    return report_write(item=item, title="Performance Report", content=CONTENT, user=coordinator)


def pdf_html(report) -> str:
    """The HTML the report's PDF in the agenda pack is rendered from."""
    version = report.current_version
    meeting = report.item.meeting
    return render_to_string(
        "papers/pdf/report.html",
        {
            "document": report,
            "meeting": meeting,
            "committee": meeting.committee,
            "sections": numbered_sections(version.report),
            "background_papers": version.report.get("background_papers", []),
            "paper_columns": BACKGROUND_PAPER_COLUMNS,
            "council_name": settings.COUNCIL_NAME,
        },
    )


@pytest.fixture(params=["web", "pdf"])
def rendered(request, report, anon_client):
    if request.param == "web":
        page = anon_client.get(report.get_absolute_url()).content.decode()
    else:
        page = pdf_html(report)
    return page.split('<article class="covering-report"')[1].split("</article>")[0]


NUMBER = '<span class="report-paragraph-number">{}</span>'


def test_bold_italic_and_bullets_render_as_html(rendered):
    assert "To note the <strong>Quarterly Performance Report</strong>." in rendered
    assert "<ul><li>anti-social behaviour</li><li><em>criminal damage</em></li></ul>" in rendered
    assert "Any <strong>reduction</strong> in service" in rendered
    assert "Appendix A: <em>Performance figures</em>" in rendered
    assert "**" not in rendered


def test_a_paragraph_the_officer_numbered_is_not_numbered_again(rendered):
    assert f"{NUMBER.format('1.1')} To note the" in rendered
    assert f"{NUMBER.format('1.2.')} The report covers:" in rendered
    assert "1.1 1.1" not in rendered and "1.1</span> 1.1" not in rendered
    assert f"{NUMBER.format('2.1')} That the Committee notes the report." in rendered
    assert f"{NUMBER.format('2.2')} That officers report back." in rendered
    # A figure at the start of a paragraph is not mistaken for a number.
    assert f"{NUMBER.format('3.1')} First paragraph." in rendered
    assert f"{NUMBER.format('3.2')} 2.5 million calls were taken." in rendered


def test_bullets_are_a_list_not_numbered_paragraphs(rendered):
    assert "The report covers:</p><ul><li>anti-social behaviour</li>" in rendered
    assert "First paragraph.</p><ul><li>one</li><li>two</li></ul>" in rendered
    numbers = re.findall(r'<span class="report-paragraph-number">([^<]*)</span>', rendered)
    assert numbers == ["1.1", "1.2.", "2.1", "2.2", "3.1", "3.2", "3.3"]


def test_nothing_typed_into_a_report_can_run(rendered):
    lowered = rendered.lower()
    assert "<script>alert" not in lowered
    assert "<img" not in lowered
    assert 'href="javascript' not in lowered
    # Typed tags show as the text they are (nothing typed is dropped), never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in lowered


def test_the_report_form_shows_the_markup_hint_under_each_text_section(
    coordinator_client, make_meeting, make_item, committee
):
    item = make_item(meeting=make_meeting(committee=committee))
    page = coordinator_client.get(reverse("papers:report_write", args=[item.pk])).content.decode()
    for field in ("summary", "background", "corporate_plan", "confidence"):
        assert f'aria-describedby="id_{field}_helptext"' in page
        hint = page.split(f'id="id_{field}_helptext"')[1].split("</div>")[0]
        assert MARKUP_HINT in hint, field
    for field in ("recommendations", "appendices"):
        hint = page.split(f'id="id_{field}_helptext"')[1].split("</div>")[0]
        assert INLINE_MARKUP_HINT in hint, field
    # The implications share one hint, under the legend of their fieldset.
    legend = page.split('aria-describedby="implications-hint"')[1].split("</legend>")[0]
    assert "5. Financial, legal, staffing" in legend
    assert f'id="implications-hint">{MARKUP_HINT}</p>' in page
