"""The demo meetings from the seed papers."""

import datetime
import zoneinfo

from scrutiny.models import Committee

from .law import ExemptParagraph
from .models import ItemKind, Meeting, MeetingStatus
from .selectors import exemption_wordings
from .services import (
    agenda_item_add,
    agenda_item_update,
    agenda_publish,
    exemption_wording_set,
    meeting_create,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")

# The seeds name the Council Chamber (minute 12 of 26 July 2017) but not the
# start time; 7.00 pm fits a meeting that closed at 9.25 pm after 16 items.
VENUE = "Council Chamber, Civic Centre, Home Gardens, Dartford"


def _at(year, month, day, hour=19, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# (start, status, publication): publication is the latest date that gave five
# clear days' notice, as the council's practice is to publish on that day.
MEETINGS = [
    (_at(2017, 7, 26), MeetingStatus.MINUTES_CONFIRMED, _at(2017, 7, 18, 9)),
    (_at(2018, 2, 21), MeetingStatus.HELD, _at(2018, 2, 13, 9)),
]


# The agenda of 21 February 2018, as its front sheet (seed 004) prints it.
# Standard items keep their generated titles; the seed's purpose text replaces
# the default where it differs.
FEBRUARY_2018_STANDARD_PURPOSES = {
    ItemKind.APOLOGIES: "To note any apologies of absence in addition to those received from "
    "the Kent & Medway Police & Crime Commissioner, Mr Matthew Scott.",
}
FEBRUARY_2018_ITEMS = [
    (
        "Regulation 9 Notice",
        "To note the contents of the Regulation 9 Notice for the period 15 January 2018 to "
        "31 May 2018.",
    ),
    (
        "Kent Police and Crime Panel (PCP) Update",
        "To receive an update from Councillor Wells, Dartford representative on the PCP "
        "regarding the Panel meeting due to be held on 15 February 2018, and to note the "
        "published Minutes for the PCP meetings held on 20 July, 28 September and "
        "15 November 2017.",
    ),
    (
        "Recording of Kent Crime Data and Statistics",
        "To receive a presentation from a Kent Police representative.",
    ),
    (
        "Review of Dartford's Safer Streets Policy: Update from Kent Police",
        "To receive an update from Kent Police representatives.",
    ),
    (
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
        "To consider the Dartford and Gravesham Community Safety Partnership Strategic "
        "Assessment 2017 as presented to the CSP on 25 January 2018.",
    ),
    (
        "Update - Committee Work Programme 2017-18 and Beyond",
        "To note the updated Committee Work Plan for the remainder of the 2017-18 municipal "
        "cycle and beyond.",
    ),
    (
        "Next Meeting",
        "Subject to confirmation at Annual Council on 9 May, the next meeting of the "
        "Committee will take place on Wednesday 25 July 2018.",
    ),
]
FEBRUARY_2018_EXEMPT = {
    "title": "CSP Strategic Assessment 2017",
    "full_title": "Dartford and Gravesham Community Safety Partnership Strategic Assessment "
    "2017 (Appendix A to item 10)",
    "purpose": "The Strategic Assessment 2017 as presented to the Community Safety "
    "Partnership on 25 January 2018, considered with the covering report at item 10.",
    "exempt_paragraph": ExemptParagraph.FINANCIAL,
    "exempt_reason": "Obligation of confidence: the data contained in the document was "
    "provided to the Council in confidence.",
    "public_interest_reasoning": "The data comes from partner agencies' front-line systems "
    "rather than audited public figures; disclosure would breach the confidence in which "
    "it was supplied and harm the Partnership's access to data. The public interest is met "
    "by the public covering report and the minutes.",
}


def _build_february_2018_agenda(meeting: Meeting) -> None:
    for item in meeting.items.all():
        if item.kind in FEBRUARY_2018_STANDARD_PURPOSES:
            agenda_item_update(item=item, purpose=FEBRUARY_2018_STANDARD_PURPOSES[item.kind])
    # The work programme (workplan.demo) links the items that came from it.
    for title, purpose in FEBRUARY_2018_ITEMS:
        agenda_item_add(meeting=meeting, title=title, purpose=purpose)
    agenda_item_add(meeting=meeting, **FEBRUARY_2018_EXEMPT)


# The agenda of 26 July 2017, reconstructed from its minutes (seed 003). Minutes 1 to 11
# follow items 1 to 11; the last, "Performance", notes that the covering report was
# taken in closed session. Minute 13 calls that report "agenda Item 12" and minutes it
# together with "Item A in the EXEMPT papers", after the exclusion (minute 12): item A
# has no minute of its own. The public items after it, 13 to 15, are minutes 14 to 16.
# Like that of 21 February 2018, the agenda puts the exempt item last and letters it.
JULY_2017_ITEMS = [
    (
        "Regulation 9 Notice",
        "To note the contents of the Regulation 9 Notice for the period 15 June 2017 to "
        "31 October 2017.",
    ),
    (
        "Kent Police and Crime Panel (PCP) - Update",
        "To receive the Chairman's verbal update on the Panel meeting held on 20 July 2017, "
        "and to note the Minutes of the Kent & Medway Police and Crime Panel for 2 February "
        "and 28 March 2017.",
    ),
    (
        "Review of Kent's Domestic Abuse (DA) Framework",
        "To receive a presentation from the Commissioning Officer, Kent County Council, on "
        "Kent Integrated Domestic Abuse Services.",
    ),
    (
        "Dartford Town Against Crime (D-TAC) Progress Report",
        "To note the progress made by the D-TAC scheme during the previous 12 months against "
        "the objectives in its 2016-18 Business Plan.",
    ),
    (
        "Response to Unauthorised Encampments (Draw-Down)",
        "To note the Council's and Kent Police's operational procedures for responding to "
        "Unauthorised (Traveller) Encampments in the Borough, within the context of the "
        "joint Memorandum of Understanding.",
    ),
    # Minute 11's heading; the seeds give the item no purpose of its own.
    ("Performance", ""),
    (
        "CSP Performance Report",
        "To note the Quarterly Performance Report produced by the Dartford & Gravesham "
        "Community Safety Partnership. The covering report will be considered together with "
        "exempt item A.",
    ),
    (
        "2017 Refresh to the CSP Community Safety Strategy 2016-19",
        "To note the Dartford and Gravesham Community Safety Partnership's Community Safety "
        "Strategy 2016-19 (2017 Refresh).",
    ),
    (
        "Crime and Disorder (O&S) Committee Rolling Work Programme for 2017-18 and Beyond",
        "To agree the contents and timeframe for a rolling Work Programme for the 2017-18 "
        "municipal year and beyond, as required by the Committee's Protocol.",
    ),
    (
        "Crime and Disorder (O&S) Annual Report 2016-17",
        "To consider the draft report recording the work of the Committee during the 2016-17 "
        "municipal year and agree its presentation to the General Assembly of the Council.",
    ),
]
JULY_2017_EXEMPT = {
    "title": "CSP Performance Report - June 2017",
    "full_title": "Dartford & Gravesham Community Safety Partnership Quarterly Performance "
    "Report (June 2017) (Appendix A to item 12)",
    "purpose": "The Partnership's Quarterly Performance Report, discussed by the CSP on "
    "22 June 2017, considered with the covering report at item 12.",
    "exempt_paragraph": ExemptParagraph.FINANCIAL,
    "exempt_reason": "Obligation of confidence: the data, while not restricted, is sensitive "
    "and the Council is required to treat it as confidential.",
    "public_interest_reasoning": "Much of the data is taken from partner agencies' front-line "
    "recording systems rather than audited public figures. The public interest is met by the "
    "public covering report and the minutes.",
}


def _build_july_2017_agenda(meeting: Meeting) -> None:
    # The previous meeting (15 February 2017) predates the demo: name it as the seed does.
    minutes = meeting.items.get(kind=ItemKind.MINUTES)
    agenda_item_update(
        item=minutes, title="Confirmation of the Minutes of the meeting held on 15 February 2017"
    )
    for title, purpose in JULY_2017_ITEMS:
        agenda_item_add(meeting=meeting, title=title, purpose=purpose)
    agenda_item_add(meeting=meeting, **JULY_2017_EXEMPT)


AGENDA_BUILDERS = {
    datetime.date(2017, 7, 26): _build_july_2017_agenda,
    datetime.date(2018, 2, 21): _build_february_2018_agenda,
}


# How the council words the grounds for excluding the press and public (seed 004's front
# sheet), in place of the description in Schedule 12A.
EXEMPTION_WORDINGS = {
    ExemptParagraph.FINANCIAL: "information supplied to the Council in confidence",
}


def load_meetings(*, committee: Committee) -> list[Meeting]:
    """Create each seed meeting through the services a co-ordinator uses, once."""
    for paragraph, wording in EXEMPTION_WORDINGS.items():
        if exemption_wordings().get(paragraph) != wording:
            exemption_wording_set(paragraph=paragraph, wording=wording)
    meetings = []
    for starts_at, status, published_at in MEETINGS:
        meeting = Meeting.objects.filter(committee=committee, starts_at=starts_at).first()
        if meeting is None:
            meeting = meeting_create(committee=committee, starts_at=starts_at, venue=VENUE)
            builder = AGENDA_BUILDERS.get(starts_at.date())
            if builder:
                builder(meeting)
            meeting = agenda_publish(meeting=meeting, now=published_at, confirm_past=True)
            # Held, minuted and confirmed states arrive with the minutes work.
            meeting.status = status
            meeting.save(update_fields=["status"])
        meetings.append(meeting)
    return meetings
