"""The law on access to meetings, in one place.

- Five clear days' notice (Local Government Act 1972 s.100B): clear days
  exclude the day of publication, the day of the meeting, weekends and bank
  holidays (England and Wales, from the maintained `holidays` library).
- Notice of a key decision (Local Authorities (Executive Arrangements) (Meetings and
  Access to Information) (England) Regulations 2012, reg. 9): 28 clear days, counted
  by the same rule as agendas.
- Exempt information: the seven paragraphs of Part 1 of Schedule 12A, and the
  s.100A(4) resolution to exclude the press and public.
- Inspection after the meeting (s.100C and s.100D): the minutes, the agenda and the
  reports for six years beginning with the day of the meeting; the list of background
  papers, and the papers themselves, for four.
"""

import datetime
from functools import lru_cache

import holidays
from django.db import models

NOTICE_CLEAR_DAYS = 5
KEY_DECISION_NOTICE_CLEAR_DAYS = 28
INSPECTION_YEARS = 6
BACKGROUND_PAPERS_INSPECTION_YEARS = 4


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share their bank holidays; "ENG" is England's subdivision.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def clear_days_between(published: datetime.date, meeting: datetime.date) -> int:
    """Working days strictly between the day of publication and the day of the meeting."""
    count = 0
    day = published + datetime.timedelta(days=1)
    while day < meeting:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def latest_publication_date(
    meeting: datetime.date, clear_days: int = NOTICE_CLEAR_DAYS
) -> datetime.date:
    """The last day an agenda (or, with 28 clear days, a key decision's notice) can be
    published and still give the clear days' notice the law asks."""
    day = meeting - datetime.timedelta(days=1)
    found = 0
    while found < clear_days:
        found += is_working_day(day)
        day -= datetime.timedelta(days=1)
    # `day` is now the day before the fifth clear day: publication may be on any
    # day up to it, working or not.
    return day


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days before `day` (for report deadlines)."""
    while count:
        day -= datetime.timedelta(days=1)
        count -= is_working_day(day)
    return day


def inspection_ends(meeting: datetime.date, *, background_papers: bool = False) -> datetime.date:
    """The last day of the period a meeting's papers must stay open to inspection: six
    years beginning with the day of the meeting (four for background papers). A meeting
    on 29 February counts its years to 1 March, so the period is never cut short."""
    years = BACKGROUND_PAPERS_INSPECTION_YEARS if background_papers else INSPECTION_YEARS
    try:
        anniversary = meeting.replace(year=meeting.year + years)
    except ValueError:  # 29 February, and no 29 February in that year
        anniversary = datetime.date(meeting.year + years, 3, 1)
    return anniversary - datetime.timedelta(days=1)


class ExemptParagraph(models.IntegerChoices):
    """Schedule 12A, Part 1, Local Government Act 1972 (as amended)."""

    INDIVIDUAL = 1, "1. Information relating to any individual."
    IDENTITY = 2, "2. Information which is likely to reveal the identity of an individual."
    FINANCIAL = (
        3,
        "3. Information relating to the financial or business affairs of any particular "
        "person (including the authority holding that information).",
    )
    LABOUR_RELATIONS = (
        4,
        "4. Information relating to any consultations or negotiations, or contemplated "
        "consultations or negotiations, in connection with any labour relations matter "
        "arising between the authority or a Minister of the Crown and employees of, or "
        "office holders under, the authority.",
    )
    LEGAL_PRIVILEGE = (
        5,
        "5. Information in respect of which a claim to legal professional privilege could "
        "be maintained in legal proceedings.",
    )
    NOTICES_AND_ORDERS = (
        6,
        "6. Information which reveals that the authority proposes (a) to give under any "
        "enactment a notice under or by virtue of which requirements are imposed on a "
        "person; or (b) to make an order or direction under any enactment.",
    )
    CRIME = (
        7,
        "7. Information relating to any action taken or to be taken in connection with the "
        "prevention, investigation or prosecution of crime.",
    )


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def exclusion_resolution(
    paragraphs: list[int], item_count: int, wording: dict[int, str] | None = None
) -> str:
    """The s.100A(4) resolution put before the exempt part of an agenda.

    s.100A(5) asks the resolution to identify the business and state the description of
    the exempt information; councils word that description their own way (Dartford:
    "information supplied to the Council in confidence"). `wording` gives the council's
    words by paragraph; a paragraph without them is cited as Schedule 12A defines it."""
    paragraphs = sorted(set(paragraphs))
    wording = wording or {}
    statutory = [p for p in paragraphs if not wording.get(p)]
    grounds = []
    if statutory:
        named = ("paragraph " if len(statutory) == 1 else "paragraphs ") + _and(
            list(map(str, statutory))
        )
        grounds.append(
            f"exempt information as defined in {named} of Part 1 of Schedule 12A of the Act"
        )
    # Two paragraphs worded alike are one ground.
    grounds.extend(dict.fromkeys(wording[p] for p in paragraphs if wording.get(p)))
    business = "item" if item_count == 1 else "items"
    involves = "it involves" if item_count == 1 else "they involve"
    return (
        "That, under Section 100A(4) of the Local Government Act 1972 (as amended), the "
        f"press and public be excluded from the meeting for the following {business} of "
        f"business on the grounds that {involves} the likely disclosure of {_and(grounds)}."
    )
