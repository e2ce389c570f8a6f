"""The demo's papers: the covering reports of seeds 001 and 004, in the council's
template, the Police and Crime Panel minutes that seed 004 carries, and the exempt
appendices."""

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from meetings.models import AgendaItem, Meeting
from scrutiny.pdf import render_pdf

from .models import Document, DocumentVersion
from .services import (
    document_upload,
    report_request_accept,
    report_request_create,
    report_request_submit,
    report_write,
)

NONE = {"financial": "None", "legal": "None", "staffing": "None", "administrative": "None"}

# Seed 001: the covering report for the CSP's quarterly performance report, 26 July 2017.
PERFORMANCE_REPORT = {
    "title": "Community Safety Performance Report",
    "summary": "To note the Quarterly Performance Report produced by the Dartford & "
    "Gravesham Community Safety Partnership.",
    "recommendations": [
        "That the Committee notes the Dartford & Gravesham Community Safety Partnership's "
        "Quarterly Performance Report (June 2017), detailing performance in relation to "
        "levels of crime, anti-social behaviour and other indicators as set out in Appendix "
        "A to this report [enclosed as item A in the EXEMPT agenda papers]."
    ],
    "background": "The Dartford & Gravesham Community Safety Partnership's (CSP) Performance "
    "Report - June 2017 [Item A in the EXEMPT agenda papers] details performance in relation "
    "to levels of crime and disorder and anti-social behaviour recorded in the boroughs of "
    "Dartford and Gravesham. The Performance Report was discussed by the CSP on 22 June 2017."
    "\n\n"
    "The format differs from previous performance reports by utilising a revised set of "
    "performance indicators, as set-out in the 2016-19 Dartford and Gravesham Community "
    "Safety Strategy and updated in the CSP's 2017 Refresh document. The new indicators are "
    "more reliant on data from partner agencies than in previous years, and difficulties "
    "have arisen from different reporting periods being used by agencies, and variations in "
    "the frequency with which data is collated and made available. Some of this data is "
    "taken directly from front-line recording systems rather than the audited figures which "
    "are released to the public."
    "\n\n"
    "CSPs across Kent have moved away from the traditional Police-led statistics of previous "
    "years and have now adopted a range of alternative measures which demonstrate progress "
    "in tackling risk and harm, and improving quality of life. There is however no standard "
    "dataset and Community Safety Unit (CSU) officers have to make individual enquiries with "
    "partner agencies to obtain the information each CSP requires. This has been identified "
    "as an area in which efficiency could be improved if a collaborative request was "
    "submitted by KCC or CSUs jointly, and this will be explored at county Community Safety "
    "Managers' meetings."
    "\n\n"
    "Work continues within the Dartford and Gravesham CSP at a County Level to both improve "
    "access to data sets and, more importantly, having insight into what risks they are "
    "identifying. This issue is all the more important given the recent concerns raised in "
    "the HMIC report Kent Police: Crime Data Integrity Inspection 2017. Police have yet to "
    "provide partners with a detailed explanation as to the reasons for the concerns, and "
    "their likely impact on recorded crime for Dartford and Gravesham. The HMIC report is "
    "currently embargoed."
    "\n\n"
    "Members are invited to note the Quarterly Performance Report enclosed as item A in the "
    "EXEMPT agenda papers. Representatives of the CSU and Kent Police will be available to "
    "respond to Members' questions.",
    "corporate_plan": "Safer Communities - To create a safer Borough in which to live, work "
    "and socialise. SC2 - Reduce anti-social behaviour.",
    "implications": {
        "financial": "None arising from this report",
        "legal": "None specifically",
        "staffing": "None arising from this report",
        "administrative": "None arising from this report",
        "risk": "Any reduction or withdrawal of service would have a negative impact on "
        "crime and disorder within the Borough.",
    },
    "confidence": "An obligation of confidence arises as the data contained in this report, "
    "while not restricted, is considered to be sensitive and the Council is required to "
    "treat the information as confidential.",
    "appendices": [
        "Dartford & Gravesham Community Safety Partnership's Quarterly Performance Report "
        "(June 2017) - agenda item A (EXEMPT)."
    ],
    "background_papers": [],
}

# Seed 004, pages 53-54: item 10 of 21 February 2018.
STRATEGIC_ASSESSMENT_REPORT = {
    "title": "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
    "summary": "To consider the Dartford and Gravesham Community Safety Partnership Strategic "
    "Assessment 2017 as presented to the CSP on 25 January 2018.",
    "recommendations": [
        "That the Committee notes the contents of the Dartford and Gravesham Community Safety "
        "Partnership Strategic Assessment 2017 (Appendix A to this report) enclosed as item A "
        "in the confidential part of the agenda.",
        "That the Committee notes the priorities identified by the Dartford and Gravesham "
        "Community Safety Partnership in the Strategic Assessment 2017.",
        "That the Committee notes the Dartford and Gravesham Community Safety Partnership's "
        "intention to refresh the Community Safety Plan to address the priorities identified "
        "in its Strategic Assessment 2017 and that the Plan be submitted to the next meeting "
        "of the Committee, in July 2018.",
    ],
    "background": "Under the Committee's Terms of Reference, and as an Overview function, the "
    "Committee is required to consider the annual Strategic Assessment in connection with "
    "the discharge by the Community Safety Partnership, of its crime and disorder functions.",
    "corporate_plan": "Member review of the annual Strategic Assessment contributes to the "
    "Safer Communities Objective and Strategic Aim to create a safer Borough in which to "
    "work and live.",
    "implications": {
        **NONE,
        "risk": "Member comment on the proposals as set out in the annual Strategic "
        "Assessment should help to focus the CSP's efforts on ensuring a safer community for "
        "Dartford residents.",
    },
    "confidence": "An obligation of confidence arises in relation to the Strategic Assessment "
    "2017 document (Appendix A to this report) in that the data contained in the document "
    "was provided to the Council in confidence.",
    "appendices": [
        "Appendix A: Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017"
    ],
    "background_papers": [
        {
            "document": "Dartford and Gravesham CSP Strategic Assessment 2017",
            "date": "January 2018",
            "file_ref": "",
            "author": "Tony Henley, CSM Dartford CSU",
            "section": "Community Safety/ EARS (ES)",
            "exempt_category": "Obligation of Confidence",
        }
    ],
}

# Seed 004, pages 55-58: item 11 of 21 February 2018.
WORK_PROGRAMME_REPORT = {
    "title": "Update: Work Programme 2017-18 Municipal Year and Beyond",
    "summary": "To agree the contents and timeframe for an updated Committee Work Plan for "
    "the remainder of the 2017-18 municipal year and beyond.",
    "recommendations": [
        "That the updated Work Plan for the Committee for the remainder of the 2017-18 "
        "municipal cycle and beyond (Appendix A to this report) be approved, subject to any "
        "amendments/additions Members may wish to make in Committee, with the guidance of "
        "the Strategic Director (External Services)."
    ],
    "background": "In accordance with its Protocol, at its meeting on 26 July 2017, the "
    "Committee agreed a rolling Work Programme for the 2017-18 municipal year and beyond "
    "[Min. No. 15 refers]."
    "\n\n"
    "An updated Work Plan for the remainder of the 2017-18 municipal cycle and beyond is "
    "attached at Appendix A for approval. Members may have further topics they wish to "
    "suggest for possible inclusion and consideration by the Committee.",
    "corporate_plan": "Scrutiny of the responsible local authorities [in the discharge of "
    "their crime and disorder functions] through the provision of an agreed Work Programme, "
    "should lead to an increase in public confidence, a reduction in anti-social behaviour "
    "(ASB) and help to meet the Safer Community Corporate Objectives (SC1 and SC2).",
    "implications": {
        **NONE,
        "risk": "Reduction in the incidents of crime and disorder and ASB in Dartford Town "
        "Centre and environs.",
    },
    "confidence": "",
    "appendices": [
        "Appendix A: Updated rolling Work Plan for the remainder of 2017-18 cycle and beyond"
    ],
    "background_papers": [
        {
            "document": "Crime and Disorder (O&S) Agenda and Minutes of 26 July 2017; "
            "Committee's ToRs and Protocol",
            "date": "January 2018",
            "file_ref": "",
            "author": "David Hook 01322 343276",
            "section": "Member Services SD(ES)",
            "exempt_category": "N/A",
        }
    ],
}

# (meeting date, item title as on the agenda, report)
REPORTS = [
    (datetime.date(2017, 7, 26), "CSP Performance Report", PERFORMANCE_REPORT),
    (
        datetime.date(2018, 2, 21),
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
        STRATEGIC_ASSESSMENT_REPORT,
    ),
    (
        datetime.date(2018, 2, 21),
        "Update - Committee Work Programme 2017-18 and Beyond",
        WORK_PROGRAMME_REPORT,
    ),
]

# The exempt appendices: their text is exempt and so not among the public seed papers.
# The demo stands a one-page PDF in for each, saying so, so that downloads, page counts
# and access checks can be seen working.
EXEMPT_APPENDICES = [
    (
        datetime.date(2018, 2, 21),
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
        "The Strategic Assessment as presented to the CSP on 25 January 2018 (agenda pages "
        "59 to 130 of the published pack).",
    ),
]
# Item A of 26 July 2017, the Quarterly Performance Report, is generated from the demo's
# performance figures (performance/demo.py, load_report).


# Seed 004, pages 25-52: the Kent and Medway Police and Crime Panel's own minutes, which
# item 7 of 21 February 2018 asks the committee to note. The co-ordinator uploads them as
# the Panel published them; the demo prints the seed's text once, at load time.
PCP_MINUTES_FILE = Path(__file__).parent / "demo_data" / "pcp_minutes.json"
PCP_ITEM = (datetime.date(2018, 2, 21), "Kent Police and Crime Panel (PCP) Update")


def _pcp_minutes() -> list[tuple[str, ContentFile]]:
    """(title, PDF) of each set of Panel minutes, in the order the pack prints them."""
    papers = []
    for record in json.loads(PCP_MINUTES_FILE.read_text(encoding="utf-8"))["minutes"]:
        day = datetime.date.fromisoformat(record["date"])
        title = f"Kent and Medway Police and Crime Panel: Minutes of {day:%-d %B %Y}"
        header = [text for kind, text in record["blocks"] if kind == "council"]
        blocks = []
        for kind, text in record["blocks"]:
            if kind == "council":
                continue
            if kind == "bullet":
                if not blocks or blocks[-1][0] != "bullets":
                    blocks.append(("bullets", []))
                blocks[-1][1].append(text)
            else:
                blocks.append((kind, text))
        html = render_to_string(
            "papers/pdf/seed_minutes.html",
            {"title": title, "author": "Kent County Council", "header": header, "blocks": blocks},
        )
        papers.append((title, ContentFile(render_pdf(html), name=f"pcp-minutes-{day}.pdf")))
    return papers


def _meeting_item(meetings, day: datetime.date, title: str) -> AgendaItem:
    meeting = next(m for m in meetings if m.starts_at.date() == day)
    return meeting.items.get(title=title)


def _stand_in_pdf(title: str, description: str) -> ContentFile:
    html = render_to_string(
        "papers/pdf/exempt_stand_in.html", {"title": title, "description": description}
    )
    return ContentFile(render_pdf(html), name="appendix.pdf")


def date_as_published(document) -> None:
    # The papers went out with the agenda: date them the day before publication, so
    # that they are not listed as changes made after it.
    when = document.item.meeting.published_at - datetime.timedelta(days=1)
    Document.objects.filter(pk=document.pk).update(created_at=when)
    DocumentVersion.objects.filter(document=document).update(created_at=when)


def load_papers(*, meetings: list[Meeting]) -> None:
    """The demo meetings' covering reports, uploaded papers and exempt appendices, once."""
    for day, title, report in REPORTS:
        item = _meeting_item(meetings, day, title)
        if item.documents.filter(title=report["title"]).exists():
            continue
        content = {key: value for key, value in report.items() if key != "title"}
        document = report_write(item=item, title=report["title"], content=content, user=None)
        date_as_published(document)
    pcp_item = _meeting_item(meetings, *PCP_ITEM)
    if not pcp_item.documents.exists():
        for title, pdf in _pcp_minutes():
            document = document_upload(item=pcp_item, title=title, uploaded_file=pdf, user=None)
            date_as_published(document)
    for day, title, description in EXEMPT_APPENDICES:
        meeting = next(m for m in meetings if m.starts_at.date() == day)
        item = meeting.items.get(full_title__startswith=title[:40])
        if item.documents.exists():
            continue
        document = document_upload(
            item=item, title=title, uploaded_file=_stand_in_pdf(title, description), user=None
        )
        date_as_published(document)


def load_requests(*, meetings: list[Meeting], officer, coordinator) -> None:
    """The officer's accepted request for the Strategic Assessment report (item 10)."""
    item = _meeting_item(
        meetings,
        datetime.date(2018, 2, 21),
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
    )
    document = item.documents.filter(is_report=True).first()
    if document is None or item.report_requests.exists():
        return
    document.created_by = officer
    document.save(update_fields=["created_by"])
    request = report_request_create(
        item=item,
        officer=officer,
        requested_by=coordinator,
        instructions="Covering report for the CSP Strategic Assessment 2017, with the "
        "assessment as an exempt appendix.",
    )
    report_request_submit(request=request, document=document)
    report_request_accept(request=request, version=document.current_version.number)
