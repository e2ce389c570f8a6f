"""The council's covering report template, as structured content.

A covering report is stored as typed text in named sections (never HTML), so
that the same content renders to an accessible web page and later to the PDF
pack, and every version can be compared with the last. The text is the markup that
minutes and resolutions use, turned into safe HTML only when it is shown.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe

from scrutiny.markup import markup_blocks, render_markup, render_markup_inline

IMPLICATIONS = [
    ("financial", "Financial Implications"),
    ("legal", "Legal Implications"),
    ("staffing", "Staffing Implications"),
    ("administrative", "Administrative Implications"),
    ("risk", "Risk Assessment"),
]
BACKGROUND_PAPER_COLUMNS = [
    ("document", "Documents consulted"),
    ("date", "Date"),
    ("file_ref", "File Ref"),
    ("author", "Report Author"),
    ("section", "Section and Directorate"),
    ("exempt_category", "Exempt Information Category"),
]
TEXT_SECTIONS = ["summary", "background", "corporate_plan", "confidence"]


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [line.strip() for line in value or [] if line and line.strip()]


def clean_report_content(content: dict) -> dict:
    """Normalise a report's sections; raise ValidationError naming what is missing."""
    cleaned = {name: (content.get(name) or "").strip() for name in TEXT_SECTIONS}
    cleaned["recommendations"] = _lines(content.get("recommendations"))
    cleaned["appendices"] = _lines(content.get("appendices"))
    given = content.get("implications") or {}
    cleaned["implications"] = {
        key: (given.get(key) or "").strip() or "None" for key, _label in IMPLICATIONS
    }
    papers = []
    for row in content.get("background_papers") or []:
        row = {key: (row.get(key) or "").strip() for key, _label in BACKGROUND_PAPER_COLUMNS}
        if any(row.values()):
            papers.append(row)
    cleaned["background_papers"] = papers
    errors = {}
    if not cleaned["summary"]:
        errors["summary"] = "Enter the summary of the report"
    if not cleaned["recommendations"]:
        errors["recommendations"] = "Enter at least one recommendation"
    for number, row in enumerate(papers, start=1):
        if not row["document"]:
            errors.setdefault(
                "background_papers",
                f"Enter the document consulted in row {number} of the background papers",
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


# A paragraph the officer numbered ("1.1 The report...", "2.3. Members...") keeps that
# number and is given none. A figure ("2.5 million people") is told apart by the small
# letter after it. Matched on the paragraph's HTML, whose first characters are the
# typed ones when it starts with a number.
OFFICER_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})+\.?)\s+(?![a-z])")


class _Numbering:
    """Paragraph numbers within one section: 3.1, 3.2 ..., following on from any the
    officer typed."""

    def __init__(self, section: int):
        self.section = section
        self.last = 0

    def number(self, html: SafeString) -> dict:
        """The paragraph's number and its HTML without the number the officer typed."""
        match = OFFICER_NUMBER.match(html)
        if match is None:
            self.last += 1
            return {"number": f"{self.section}.{self.last}", "html": html}
        parts = match["number"].rstrip(".").split(".")
        if len(parts) == 2 and int(parts[0]) == self.section:
            self.last = int(parts[1])
        else:
            self.last += 1
        # Cutting plain characters off the front leaves the HTML as safe as it was.
        return {"number": match["number"], "html": mark_safe(html[match.end() :])}  # noqa: S308


def _paragraphs(text: str, numbering: _Numbering) -> list[dict]:
    """A text section as numbered paragraphs and unnumbered lists, each as safe HTML."""
    return [
        {"kind": "list", "html": block.html}
        if block.kind == "list"
        else {"kind": "paragraph", **numbering.number(block.html)}
        for block in markup_blocks(text)
    ]


def numbered_sections(content: dict) -> list[dict]:
    """The report's sections in the template's order with their numbers, skipping the
    optional ones left empty: the one place that numbers a covering report.

    Text is the markup minutes and resolutions use (scrutiny/markup.py), returned as safe
    HTML: a text section as paragraphs numbered "3.1", "3.2" (except where the officer
    numbered them) and bullet lists, which are not numbered."""
    sections = [
        ("summary", "Summary", "text"),
        ("recommendations", "Recommendations", "list"),
        ("background", "Background and Discussion", "text"),
        ("corporate_plan", "Relationship to the Corporate Plan", "text"),
        (
            "implications",
            "Financial, legal, staffing and other administrative implications and risk assessments",
            "implications",
        ),
        ("confidence", "Obligation of Confidence", "text"),
        ("appendices", "Appendices", "list"),
    ]
    numbered = []
    for key, heading, shape in sections:
        value = content.get(key)
        if not value:
            continue
        number = len(numbered) + 1
        if shape == "implications":
            value = [
                (label, render_markup(value.get(name, "None"))) for name, label in IMPLICATIONS
            ]
        elif shape == "text":
            value = _paragraphs(value, _Numbering(number))
        elif key == "recommendations":
            numbering = _Numbering(number)
            value = [numbering.number(render_markup_inline(line)) for line in value]
        else:
            value = [{"html": render_markup_inline(line)} for line in value]
        numbered.append(
            {"key": key, "number": number, "heading": heading, "shape": shape, "value": value}
        )
    return numbered
