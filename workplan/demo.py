"""The demo committee's work programme, from the seed papers: the business agreed on
26 July 2017 (seed 003, minute 15), the updated work plan for the remainder of 2017-18
and beyond (seed 004, Appendix A to item 11), and what the resolutions of 21 February
2018 (seed 002) added. It is built through the services a co-ordinator uses, each step
dated when it happened, so every item's history reads as it would have."""

import datetime

from meetings.demo import LONDON, VENUE
from meetings.models import Meeting
from meetings.services import meeting_create
from minutes.models import Minute
from papers.demo import date_as_published
from scrutiny.models import Committee

from .documents import notice_attach, work_plan_papers_attach
from .models import Category, ExecutiveMember, KeyDecision, Recurrence, RequestedHow, WorkPlanItem
from .services import (
    action_create,
    key_decision_save,
    work_plan_item_add,
    work_plan_item_from_resolution,
    work_plan_item_link,
    work_plan_item_move,
    work_plan_item_update,
    work_plan_roll_forward,
)

# Seed 004: "Subject to confirmation at Annual Council on 9 May, the next meeting of the
# Committee will take place on Wednesday 25 July 2018"; its work plan adds 13 February 2019.
FUTURE_MEETINGS = [
    datetime.datetime(2018, 7, 25, 19, tzinfo=LONDON),
    datetime.datetime(2019, 2, 13, 19, tzinfo=LONDON),
]
JULY_2017_AGREED = datetime.datetime(2017, 7, 26, 21, 25, tzinfo=LONDON)
FEBRUARY_2018_RESOLVED = datetime.datetime(2018, 2, 21, 21, 15, tzinfo=LONDON)
PLAN_UPDATED = datetime.datetime(2018, 1, 31, 10, tzinfo=LONDON)

# The recurring business of 26 July 2017's agenda: (its agenda title, the plan's topic,
# category, recurrence, lead).
JULY_2017_SERIES = [
    (
        "Kent Police and Crime Panel (PCP) - Update",
        "PCP Update",
        Category.STANDING,
        Recurrence.EVERY_MEETING,
        "",
    ),
    (
        "Dartford Town Against Crime (D-TAC) Progress Report",
        "D-TAC Annual Review",
        Category.STANDING,
        Recurrence.ANNUAL,
        "",
    ),
    (
        "Crime and Disorder (O&S) Annual Report 2016-17",
        "Committee's Annual Report",
        Category.STANDING,
        Recurrence.ANNUAL,
        "",
    ),
    (
        "Crime and Disorder (O&S) Committee Rolling Work Programme for 2017-18 and Beyond",
        "Committee's Rolling Work Programme",
        Category.STANDING,
        Recurrence.EVERY_MEETING,
        "",
    ),
]

# The topics rolled forward, as seed 004's plan words them for each meeting.
ROLLED_FORWARD_TOPICS = {
    ("Committee's Rolling Work Programme", datetime.date(2018, 2, 21)): (
        "Work Programme Update \u2013 Remainder of 2017-18 and Beyond"
    ),
    ("Committee's Annual Report", datetime.date(2018, 7, 25)): "Committee's Annual Report 2017-18",
    ("Committee's Rolling Work Programme", datetime.date(2018, 7, 25)): (
        "Committee's Rolling Work Programme for 2018-19 Municipal Year and Beyond"
    ),
    ("Committee's Rolling Work Programme", datetime.date(2019, 2, 13)): (
        "Review Committee's Rolling Work Programme"
    ),
    ("CSP Strategic Assessment 2017", datetime.date(2019, 2, 13)): (
        "Strategic Assessment 2018",
        "To consider the Dartford and Gravesham Community Safety Partnership Strategic "
        "Assessment 2018.",
    ),
}

# The agenda of 21 February 2018 (seed 004) and the plan item each agenda item is.
FEBRUARY_2018_AGENDA = {
    "PCP Update": "Kent Police and Crime Panel (PCP) Update",
    "Recording of Kent Crime Data and Statistics": "Recording of Kent Crime Data and Statistics",
    "Review of Dartford's Safer Streets Policy: Update from Kent Police": (
        "Review of Dartford's Safer Streets Policy: Update from Kent Police"
    ),
    "CSP Strategic Assessment 2017": (
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017"
    ),
    "Work Programme Update \u2013 Remainder of 2017-18 and Beyond": (
        "Update - Committee Work Programme 2017-18 and Beyond"
    ),
}


def _meeting(committee: Committee, day: datetime.date) -> Meeting:
    return next(
        m
        for m in Meeting.objects.filter(committee=committee)
        if m.starts_at.astimezone(LONDON).date() == day
    )


def _minute(meeting: Meeting, item_title: str) -> Minute:
    return Minute.objects.get(minutes__meeting=meeting, item__title=item_title)


def load_work_plan(*, committee: Committee) -> int:
    """Build the demo's work programme once; returns how many items it holds."""
    if WorkPlanItem.objects.filter(committee=committee).exists():
        return WorkPlanItem.objects.filter(committee=committee).count()
    for starts_at in FUTURE_MEETINGS:
        if not Meeting.objects.filter(committee=committee, starts_at=starts_at).exists():
            meeting_create(committee=committee, starts_at=starts_at, venue=VENUE)
    july_2017 = _meeting(committee, datetime.date(2017, 7, 26))
    february_2018 = _meeting(committee, datetime.date(2018, 2, 21))
    july_2018 = _meeting(committee, datetime.date(2018, 7, 25))

    # 26 July 2017: the recurring business on that agenda, considered there.
    for title, topic, category, recurrence, lead in JULY_2017_SERIES:
        item = work_plan_item_add(
            committee=committee,
            user=None,
            topic=topic,
            category=category,
            recurrence=recurrence,
            lead=lead,
            target_meeting=july_2017,
            now=JULY_2017_AGREED - datetime.timedelta(days=30),
            confirm_past=True,
        )
        work_plan_item_link(
            item=item, agenda_item=july_2017.items.get(title=title), now=JULY_2017_AGREED
        )
    encampments = work_plan_item_add(
        committee=committee,
        user=None,
        topic="Response to Unauthorised Encampments",
        category=Category.DRAW_DOWN,
        requested_how=RequestedHow.MEMBER,
        requested_by="Lead Member for Enforcement & Community Safety",
        lead="Enforcement & Regulatory Services Manager",
        target_meeting=july_2017,
        now=JULY_2017_AGREED - datetime.timedelta(days=30),
        confirm_past=True,
    )
    work_plan_item_link(
        item=encampments,
        agenda_item=july_2017.items.get(title="Response to Unauthorised Encampments (Draw-Down)"),
        now=JULY_2017_AGREED,
    )

    # Minute 13: the crime data expert, by resolution; minute 15: the Chairman's
    # amendments to the draft plan.
    crime_data_resolution = _minute(july_2017, "CSP Performance Report").resolutions.get(position=2)
    work_plan_item_from_resolution(
        resolution=crime_data_resolution,
        user=None,
        topic="Recording of Kent Crime Data and Statistics",
        description="To receive a presentation from a Kent Police representative.",
        category=Category.DISCRETIONARY,
        lead="Kent Police",
        target_meeting=february_2018,
        now=JULY_2017_AGREED,
        confirm_past=True,
    )
    work_programme_minute = _minute(
        july_2017,
        "Crime and Disorder (O&S) Committee Rolling Work Programme for 2017-18 and Beyond",
    )
    work_plan_item_add(
        committee=committee,
        user=None,
        topic="Review of Dartford's Safer Streets Policy: Update from Kent Police",
        description="To receive an update from Kent Police representatives.",
        category=Category.DISCRETIONARY,
        requested_how=RequestedHow.CHAIRMAN,
        requested_by="The Chairman (verbal update from the CSU Kent Police Inspector)",
        target_meeting=february_2018,
        source_minute=work_programme_minute,
        now=JULY_2017_AGREED,
        confirm_past=True,
    )
    trading_standards = work_plan_item_add(
        committee=committee,
        user=None,
        topic="Presentation by Kent County Council (KCC) Trading Standards",
        description="To receive a presentation from Kent County Council Trading Standards "
        "Officers.",
        category=Category.DISCRETIONARY,
        requested_how=RequestedHow.RESOLUTION,
        requested_by="The Committee, 2016-17 [Min. No. 26 refers]",
        target_meeting=february_2018,
        now=JULY_2017_AGREED - datetime.timedelta(days=30),
        confirm_past=True,
    )
    work_plan_item_move(
        item=trading_standards,
        user=None,
        to_meeting=july_2018,
        postpone=True,
        reason="Postponed until July 2018 at the Chairman's request, as agreed by the "
        "Committee on 26 July 2017 [Min. No. 15 refers].",
        now=JULY_2017_AGREED,
        confirm_past=True,
    )
    work_plan_item_add(
        committee=committee,
        user=None,
        topic="CSP Strategic Assessment 2017",
        description="To consider the Dartford and Gravesham Community Safety Partnership "
        "Strategic Assessment 2017.",
        category=Category.STATUTORY,
        recurrence=Recurrence.ANNUAL,
        target_meeting=february_2018,
        now=JULY_2017_AGREED,
        confirm_past=True,
    )
    # The rest of 2017-18: the business that recurs at every meeting.
    _roll_forward(committee, datetime.date(2017, 5, 1), JULY_2017_AGREED)

    # 21 February 2018: the plan's items are items 7 to 11 of the agenda, and the
    # published minutes record them as considered.
    for topic, title in FEBRUARY_2018_AGENDA.items():
        item = WorkPlanItem.objects.get(target_meeting=february_2018, topic=topic)
        work_plan_item_link(
            item=item, agenda_item=february_2018.items.get(title=title), now=PLAN_UPDATED
        )

    # What the meeting of 21 February 2018 asked for July 2018 (seed 002).
    assessment = _minute(
        february_2018,
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
    )
    work_plan_item_from_resolution(
        resolution=assessment.resolutions.get(position=3),
        user=None,
        topic="Community Safety Strategy 2017-2020 (2018 Refresh)",
        description="To consider the refreshed Community Safety Plan addressing the "
        "priorities identified in the Strategic Assessment 2017.",
        category=Category.STATUTORY,
        recurrence=Recurrence.ANNUAL,
        target_meeting=july_2018,
        now=FEBRUARY_2018_RESOLVED,
        confirm_past=True,
    )
    work_plan_item_add(
        committee=committee,
        user=None,
        topic="Gangs operating in Dartford (Draw-Down)",
        description="To scrutinise gangs operating in Dartford in detail, including the "
        "cross-border and London aspects of the topic.",
        category=Category.DRAW_DOWN,
        requested_how=RequestedHow.CHAIRMAN,
        requested_by="The Chairman",
        target_meeting=july_2018,
        source_minute=assessment,
        now=FEBRUARY_2018_RESOLVED,
        confirm_past=True,
    )
    # 2018-19: the recurring business fills the year, worded as the plan words it.
    _roll_forward(committee, datetime.date(2018, 5, 1), FEBRUARY_2018_RESOLVED)

    # Two tracked actions: officers' undertaking at minute 10 of 26 July 2017, and the
    # refreshed Community Safety Plan that resolution 3 of 21 February 2018 asks for.
    encampments_minute = _minute(july_2017, "Response to Unauthorised Encampments (Draw-Down)")
    action_create(
        resolution=encampments_minute.resolutions.get(position=1),
        user=None,
        description="Officers undertook to respond to Members on both points raised on the "
        "joint Memorandum of Understanding for Unauthorised Encampments (paragraph 13 of the "
        "EARS Manager's report) and on recovering the costs of site clearances.",
        owner_name="Enforcement & Regulatory Services Manager",
        due_date=datetime.date(2017, 9, 29),
    )
    action_create(
        resolution=assessment.resolutions.get(position=3),
        user=None,
        description="Submit the refreshed Community Safety Plan, addressing the priorities of "
        "the Strategic Assessment 2017, to the Committee's meeting in July 2018.",
        owner_name="Dartford and Gravesham Community Safety Partnership",
        due_date=datetime.date(2018, 7, 25),
    )

    # Item 6 of 21 February 2018: the Regulation 9 Notice for 15 January to 31 May 2018.
    load_forward_plan()
    notice = notice_attach(
        committee=committee,
        item=february_2018.items.get(title="Regulation 9 Notice"),
        start=NOTICE_START,
        end=datetime.date(2018, 5, 31),
        confirm_past=True,
    )
    date_as_published(notice)

    # Appendix A to item 11 of 21 February 2018, generated from the plan, beside the
    # officer's covering report (papers.demo) that introduces it.
    _report, appendix = work_plan_papers_attach(
        committee=committee,
        item=february_2018.items.get(title="Update - Committee Work Programme 2017-18 and Beyond"),
        user=None,
        with_report=False,
        confirm_past=True,
        now=PLAN_UPDATED,
    )
    date_as_published(appendix)
    return WorkPlanItem.objects.filter(committee=committee).count()


def _roll_forward(committee: Committee, year_start: datetime.date, now) -> None:
    for item in work_plan_roll_forward(
        committee=committee, year_start=year_start, user=None, now=now
    ):
        day = item.target_meeting.starts_at.astimezone(LONDON).date()
        wording = ROLLED_FORWARD_TOPICS.get((item.topic, day))
        if isinstance(wording, str):
            wording = (wording, item.description)
        if wording:
            topic, description = wording
            work_plan_item_update(
                item=item, user=None, based_on=None, topic=topic, description=description, now=now
            )


# Seed 004, item 6: the notice for 15 January to 31 May 2018.
NOTICE_START = datetime.date(2018, 1, 15)
CABINET = [
    ("Councillor J A Kite, MBE", "Leader & Overall Strategy"),
    ("Councillor C J Shippam", "Deputy Leader, Strategic Service Provision & Town Centre"),
    ("Councillor Mrs A D Allen, MBE", "Community Development"),
    ("Councillor P F Coleman", "Front Line Services, Customer Champion & Housing"),
    ("Councillor K M Kelly", "Transport and Infrastructure"),
    ("Councillor A R Lloyd", "Strategic Council Finances & Major Capital Projects"),
    ("Councillor Mrs P A Thurlow", "Events, Leisure & Heritage"),
]
KEY_DECISIONS = [
    {
        "title": "Revenue and Capital Budgets 2018/19",
        "summary": "To set the levels of expenditure for Dartford Borough Council capital and "
        "revenue budgets for 2018/19, to approve the level of rents chargeable for Housing "
        "Revenue Account dwellings for 2018/19, to agree the level of Council Tax for "
        "Dartford Borough in its parished and unparished areas for 2018/19, to approve the "
        "Pay Policy Statement for 2018/19 and to determine sundry related matters.",
        "decision_taker": "General Assembly of the Council (Budget)",
        "decision_date": datetime.date(2018, 2, 26),
        "consultation": "Budget consultation with residents and businesses \u2013 December to "
        "January - mainly via website.",
        "author_name": "Tim Sams",
        "author_title": "Financial Services Manager",
        "author_phone": "01322 343148",
        "author_email": "tim.sams@dartford.gov.uk",
    },
    {
        "title": "Stone Lodge - Appropriation for Planning Purposes",
        "decision_date": datetime.date(2018, 3, 8),
        "consultation": "Appropriation for planning purposes to be advertised post in "
        "principle decision by Cabinet.",
        "author_name": "Marie Kelly-Stone",
        "author_title": "Head of Legal Services",
        "author_phone": "01322 343634",
        "author_email": "marie.kelly-stone@dartford.gov.uk",
    },
    {
        "title": "Homeless Strategy 2018",
        "summary": "To agree an updated version of the Council\u2019s Homeless Strategy.",
        "decision_date": datetime.date(2018, 3, 8),
        "further_decision": "General Assembly of the Council, 19 March 2018",
        "consultation": "Stakeholders and residents to be consulted through an on-line survey.",
        "author_name": "Jackie Pye",
        "author_title": "Housing Policy Manager",
        "author_phone": "01322 343683",
        "author_email": "jacqueline.pye@dartford.gov.uk",
    },
    {
        "title": "Write-off of National Non-Domestic Rates",
        "summary": "To consider writing-off Non-Domestic Rate debts where it has not been "
        "possible to obtain payment because of insolvency, because the ratepayer cannot be "
        "traced or where the debt is otherwise irrecoverable.",
        "decision_date": datetime.date(2018, 3, 8),
        "author_name": "Sue Cressall",
        "author_title": "Revenues Manager",
        "author_phone": "01732 227041",
        "author_email": "sue.cressall@sevenoaks.gov.uk",
        "is_closed": True,
        "exempt_paragraph": 3,
        "closed_reason": "If reference needs to be made to the Appendix to this report, which "
        "is exempt",
    },
]


def load_forward_plan() -> None:
    """The Cabinet and the key decisions of seed 004's notice, once."""
    if not ExecutiveMember.objects.exists():
        ExecutiveMember.objects.bulk_create(
            ExecutiveMember(name=name, portfolio=portfolio, position=position)
            for position, (name, portfolio) in enumerate(CABINET, start=1)
        )
    for fields in KEY_DECISIONS:
        if not KeyDecision.objects.filter(title=fields["title"]).exists():
            key_decision_save(decision=KeyDecision(first_notice_on=NOTICE_START, **fields))
