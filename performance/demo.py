"""The demo's performance data: indicators like those of the Dartford & Gravesham
Community Safety Partnership's reports (seeds 000 to 002), its areas, and eight
quarters of made-up figures, 2015-16 Q4 to 2017-18 Q3 (calendar 2016 and 2017).

The figures are illustrative, and say so wherever they are shown. They are written
out below (nothing random) and shaped so that the analysis finds what the seeds say:
- Dartford 13th of the 15 partnerships of its most similar group on crimes per 1,000
  population (counted from the lowest, as iQuanta counts), and the highest rate of any
  Kent district shown;
- a slight decrease in all crime in Dartford against a small increase in Kent in the
  quarter the June 2017 report reviewed (2016-17 Q4, against 2016-17 Q3) and in the
  June 2017 quarter itself (2017-18 Q1);
- in 2017 against 2016, improvements in Dartford in theft from motor vehicle, theft of
  pedal cycle and substance misuse, and in anti-social behaviour against a
  deterioration in Kent; more crime in both boroughs, Dartford's rise below Kent's and
  Gravesham's above it.
They are loaded through the same upload service officers use, one file per quarter,
each restating the quarter before as audited.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile

from meetings.models import AgendaSection, ItemKind, Meeting
from papers.demo import date_as_published
from scrutiny.models import Committee

from .analysis import rate_per_thousand
from .models import (
    Area,
    AreaKind,
    AreaPopulation,
    DataQuality,
    Indicator,
    PeriodKey,
    Polarity,
    SeriesBreak,
    Unit,
    Upload,
    UploadSource,
    UploadState,
)
from .reports import quarterly_report, report_document_title
from .services import (
    data_officer_assign,
    performance_report_attach,
    upload_confirm,
    upload_preview,
)

ILLUSTRATIVE = (
    "Illustrative figures, made up for this demonstration to match what the committee's "
    "papers say: not real data."
)
FIRST_QUARTER = PeriodKey(2015, 4)
QUARTERS = [FIRST_QUARTER.shifted(n) for n in range(8)]  # 2015-16 Q4 to 2017-18 Q3

KENT_POLICE = "Kent Police"

# code, name, unit, polarity, source, quality, confidential, crime, definition
INDICATORS = [
    (
        "all-crime",
        "All crime",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "Crimes recorded by Kent Police in the quarter.",
    ),
    (
        "crime-rate",
        "Crimes per 1,000 population",
        Unit.RATE_PER_1000,
        Polarity.LOWER_IS_BETTER,
        "iQuanta (Home Office)",
        DataQuality.AUDITED,
        False,
        True,
        "Recorded crimes in the quarter per 1,000 residents (iQuanta, three months).",
    ),
    (
        "asb",
        "Anti-social behaviour incidents",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        False,
        "Incidents of anti-social behaviour reported to Kent Police.",
    ),
    (
        "tfmv",
        "Theft from motor vehicle",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "",
    ),
    (
        "tpc",
        "Theft of pedal cycle",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "",
    ),
    (
        "substance-misuse",
        "Substance misuse offences",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "Drug offences recorded in the quarter.",
    ),
    (
        "burglary",
        "Burglary",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "",
    ),
    (
        "vap",
        "Violence against the person",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "",
    ),
    (
        "shoplifting",
        "Shoplifting",
        Unit.COUNT,
        Polarity.LOWER_IS_BETTER,
        KENT_POLICE,
        DataQuality.AUDITED,
        False,
        True,
        "",
    ),
    (
        "da-withdrawals",
        "Domestic abuse: victim withdrawals",
        Unit.COUNT,
        # Seed 002: the figures "looked high but were good in a Kent and national
        # context": neither more nor fewer is better in itself.
        Polarity.NEITHER,
        "Kent Witness Care Unit",
        DataQuality.FRONT_LINE,
        True,
        False,
        "Domestic abuse cases in which the victim withdrew support for a prosecution.",
    ),
]
# Victims could be identified from a handful of cases.
SUPPRESS_BELOW = {"da-withdrawals": 5}
ALLOWS_MISSING_REASON = {"da-withdrawals"}

# code, name, kind
LOCAL_AREAS = [
    ("dartford", "Dartford", AreaKind.DISTRICT),
    ("gravesham", "Gravesham", AreaKind.PARTNER_DISTRICT),
    ("kent", "Kent", AreaKind.COUNTY),
]
# Dartford's most similar group: fourteen partnerships like it, and their made-up
# quarterly crime rates in 2015-16 Q4. Twelve are below Dartford in every quarter and two
# above, so Dartford is 13th of 15 counting from the lowest.
PEER_RATES = {
    "basildon": ("Basildon", "21.40"),
    "crawley": ("Crawley", "27.90"),
    "harlow": ("Harlow", "20.60"),
    "stevenage": ("Stevenage", "19.90"),
    "watford": ("Watford", "19.20"),
    "thurrock": ("Thurrock", "25.20"),
    "slough": ("Slough", "18.50"),
    "ipswich": ("Ipswich", "17.80"),
    "gloucester": ("Gloucester", "17.10"),
    "swindon": ("Swindon", "16.40"),
    "reading": ("Reading", "15.60"),
    "northampton": ("Northampton", "14.90"),
    "bedford": ("Bedford", "14.00"),
    "peterborough": ("Peterborough", "13.10"),
}
# The peers' rates rise 1.5% of their first value each quarter.
PEER_GROWTH = Decimal("0.015")

POPULATIONS = {  # mid-year estimates, rounded and illustrative
    "dartford": {2015: 102_800, 2016: 104_600, 2017: 106_200},
    "gravesham": {2015: 106_400, 2016: 106_900, 2017: 107_400},
    "kent": {2015: 1_524_700, 2016: 1_541_900, 2017: 1_554_600},
}

# Quarterly counts, 2015-16 Q4 to 2017-18 Q3, for Dartford, Gravesham and Kent.
COUNTS = {
    "all-crime": {
        "dartford": [2412, 2538, 2611, 2684, 2603, 2526, 2742, 2790],
        "gravesham": [2050, 2140, 2230, 2260, 2390, 2480, 2530, 2510],
        "kent": [28150, 29420, 30110, 30390, 32180, 33950, 33600, 33020],
    },
    "asb": {
        "dartford": [812, 905, 968, 840, 765, 850, 902, 781],
        "gravesham": [760, 842, 901, 790, 748, 830, 880, 770],
        "kent": [11200, 12650, 13400, 11900, 11650, 13100, 14100, 12480],
    },
    "tfmv": {
        "dartford": [118, 126, 131, 122, 104, 99, 108, 95],
        "gravesham": [102, 110, 115, 108, 112, 118, 121, 114],
        "kent": [1710, 1805, 1850, 1760, 1790, 1830, 1890, 1800],
    },
    "tpc": {
        "dartford": [24, 31, 36, 27, 19, 26, 29, 18],
        "gravesham": [21, 28, 33, 24, 22, 30, 34, 25],
        "kent": [390, 470, 520, 410, 380, 455, 505, 400],
    },
    "substance-misuse": {
        "dartford": [64, 71, 69, 66, 58, 60, 57, 55],
        "gravesham": [58, 62, 65, 60, 63, 66, 70, 64],
        "kent": [1120, 1180, 1150, 1140, 1160, 1210, 1190, 1175],
    },
    "burglary": {
        "dartford": [148, 139, 152, 171, 160, 149, 163, 185],
        "gravesham": [131, 125, 140, 158, 150, 141, 149, 170],
        "kent": [2520, 2380, 2460, 2790, 2650, 2470, 2580, 2900],
    },
    "vap": {
        "dartford": [590, 642, 668, 655, 720, 781, 812, 798],
        "gravesham": [560, 610, 640, 630, 705, 770, 805, 790],
        "kent": [8300, 8900, 9250, 9180, 10300, 11200, 11650, 11400],
    },
    "shoplifting": {
        "dartford": [205, 198, 214, 236, 221, 210, 219, 240],
        "gravesham": [150, 146, 158, 172, 160, 152, 163, 176],
        "kent": [3150, 3080, 3210, 3470, 3320, 3190, 3260, 3510],
    },
    # None: not supplied in time, with the reason as its note. No county figure.
    "da-withdrawals": {
        "dartford": [9, 11, 7, 12, 4, 10, 8, None],
        "gravesham": [8, 10, 9, 11, 6, 3, 9, 12],
    },
}
MISSING_REASON = "Not yet supplied by the Kent Witness Care Unit"
# A figure revised when the quarter was audited: 2017-18 Q2 all crime in Dartford.
REVISED = {("all-crime", "dartford", PeriodKey(2017, 2)): Decimal("2748")}

SERIES_BREAKS = [
    (
        datetime.date(2014, 4, 1),
        "Home Office Counting Rules revised",
        "Changes to the Home Office rules for recording crime since 2013/14 affect some "
        "crime types more than others, especially violence against the person: an "
        "incident is recorded once for each person present, and a recorded crime cannot "
        "be cancelled without additional verifiable information (seed 000). The date is "
        "illustrative.",
    ),
    (
        datetime.date(2017, 4, 1),
        "Kent Police crime recording corrected after HMIC's Crime Data Integrity inspection",
        "HMIC's Crime Data Integrity inspection of Kent Police (2017) rated its crime "
        "recording inadequate, estimating that more than 24,000 offences (16%) went "
        "unrecorded between June and November 2016. The corrective action that followed "
        "raised recorded crime, so figures before and after are not directly comparable "
        "(seeds 000 and 002).",
    ),
]


def _rates() -> dict[str, list[Decimal]]:
    rates = {}
    for code, quarters in COUNTS["all-crime"].items():
        rates[code] = [
            rate_per_thousand(Decimal(count), POPULATIONS[code][period.start_date.year])
            for count, period in zip(quarters, QUARTERS, strict=True)
        ]
    for code, (_, first) in PEER_RATES.items():
        base = Decimal(first)
        rates[code] = [
            (base * (1 + PEER_GROWTH * n)).quantize(Decimal("0.01")) for n in range(len(QUARTERS))
        ]
    return rates


def figures() -> dict[tuple[str, str, PeriodKey], Decimal | None]:
    """Every demo figure, by (indicator code, area code, quarter), as first reported."""
    values = {}
    for indicator, areas in COUNTS.items():
        for area, quarters in areas.items():
            for count, period in zip(quarters, QUARTERS, strict=True):
                values[indicator, area, period] = None if count is None else Decimal(count)
    for area, quarters in _rates().items():
        for rate, period in zip(quarters, QUARTERS, strict=True):
            values["crime-rate", area, period] = rate
    return values


def _quarter_file(values, period: PeriodKey) -> bytes:
    """The file sent for a quarter: its figures, provisional, and the quarter before
    restated as audited."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "area", "period", "value", "status", "note"])
    earlier = period.shifted(-1)
    for (indicator, area, key), value in values.items():
        if key == earlier:
            value = REVISED.get((indicator, area, key), value)
            status = "audited"
        elif key == period:
            status = "provisional"
        else:
            continue
        note = MISSING_REASON if value is None else ""
        text = "n/a" if value is None else f"{value:f}"
        writer.writerow([indicator, area, key.label, text, status, note])
    return out.getvalue().encode("utf-8")


def load_reference_data(*, committee: Committee) -> None:
    for position, row in enumerate(INDICATORS):
        code, name, unit, polarity, source, quality, confidential, crime, definition = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "committee": committee,
                "name": name,
                "definition": definition,
                "unit": unit,
                "polarity": polarity,
                "source_agency": source,
                "data_quality": quality,
                "is_confidential": confidential,
                "is_crime": crime,
                "suppress_below": SUPPRESS_BELOW.get(code),
                "allows_missing_reason": code in ALLOWS_MISSING_REASON,
                "note": ILLUSTRATIVE,
                "position": position,
            },
        )
    areas = {}
    for code, name, kind in LOCAL_AREAS:
        areas[code], _ = Area.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
    for code, (name, _) in PEER_RATES.items():
        areas[code], _ = Area.objects.update_or_create(
            code=code, defaults={"name": name, "kind": AreaKind.PEER}
        )
    for code in ("dartford", "gravesham"):
        areas[code].county = areas["kent"]
        areas[code].save(update_fields=["county"])
    areas["dartford"].most_similar.set([areas[code] for code in PEER_RATES])
    for code, years in POPULATIONS.items():
        for year, population in years.items():
            AreaPopulation.objects.update_or_create(
                area=areas[code], year=year, defaults={"population": population}
            )
    for date, title, note in SERIES_BREAKS:
        SeriesBreak.objects.update_or_create(
            title=title, indicator=None, defaults={"date": date, "note": note}
        )


def load_performance(*, committee: Committee, officer=None) -> int:
    """Indicators, areas and eight quarterly uploads (skipped when already imported).
    Returns how many uploads were imported now."""
    load_reference_data(committee=committee)
    values = figures()
    imported = 0
    for period in QUARTERS:
        data = _quarter_file(values, period)
        name = f"csp-performance-{period.label.replace(' ', '-').lower()}.csv"
        already = Upload.objects.filter(
            committee=committee,
            file_name=name,
            source=UploadSource.DEMO,
            state=UploadState.CONFIRMED,
        ).exists()
        if already:
            continue
        upload = upload_preview(
            file=ContentFile(data, name=name),
            name=name,
            user=officer,
            committee=committee,
            source=UploadSource.DEMO,
            note=ILLUSTRATIVE,
        )
        upload_confirm(upload=upload, user=officer)
        imported += 1
    return imported


def load_data_officer(*, committee: Committee, officer, coordinator) -> None:
    """The demo's data officer, named by the committee's co-ordinator."""
    data_officer_assign(committee=committee, user=officer, by=coordinator)


# The June 2017 report (seed 000) reviewed the last quarter of 2016-17 for Dartford and
# went to the meeting of 26 July 2017 as exempt item A, beside the covering report.
REPORT_AREA = "dartford"
REPORT_QUARTER = PeriodKey(2016, 4)
REPORT_MEETING = datetime.date(2017, 7, 26)


def load_report(*, committee: Committee) -> bool:
    """The quarterly report on exempt item A of 26 July 2017, once. Returns whether it
    was attached now."""
    meeting = Meeting.objects.filter(committee=committee, starts_at__date=REPORT_MEETING).first()
    if meeting is None:
        return False
    item = meeting.items.filter(section=AgendaSection.EXEMPT, kind=ItemKind.BUSINESS).first()
    if item is None:
        return False
    report = quarterly_report(
        user=None,
        committee=committee,
        area=Area.objects.get(code__iexact=REPORT_AREA),
        period=REPORT_QUARTER,
    )
    if item.documents.filter(title=report_document_title(report)).exists():
        return False
    document = performance_report_attach(
        report=report,
        item=item,
        user=None,
        exempt_paragraph=item.exempt_paragraph,
        confirm_past=True,  # the demo rebuilds the committee's history
    )
    date_as_published(document)  # it went out with the agenda in 2017
    return True
