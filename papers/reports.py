"""The council's covering report template, as structured content.

A covering report is stored as plain text in named sections (never HTML), so
that the same content renders to an accessible web page and later to the PDF
pack, and every version can be compared with the last.
"""

from django.core.exceptions import ValidationError

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


def numbered_sections(content: dict) -> list[dict]:
    """The report's sections in the template's order with their numbers, skipping the
    optional ones left empty: the one place that numbers a covering report."""
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
            value = [(label, value.get(name, "None")) for name, label in IMPLICATIONS]
        elif shape == "text":
            value = [p.strip() for p in value.replace("\r\n", "\n").split("\n\n") if p.strip()]
        numbered.append(
            {"key": key, "number": number, "heading": heading, "shape": shape, "value": value}
        )
    return numbered
