"""load_demo builds the seed committee, idempotently, with logins only when allowed."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from meetings.models import AgendaSection, Meeting, MeetingStatus
from scrutiny import access
from scrutiny.demo import LOGINS
from scrutiny.models import Committee, Membership, MembershipRole, Person
from scrutiny.testing import struct_strings

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_builds_the_committee_from_the_seed_minutes():
    load_demo()
    committee = Committee.objects.get(slug="crime-and-disorder")
    assert committee.name == "Crime and Disorder (Overview and Scrutiny) Committee"
    chair = Membership.objects.get(committee=committee, role=MembershipRole.CHAIR)
    assert chair.person.display_name == "Councillor R J Wells"
    vice = Membership.objects.get(committee=committee, role=MembershipRole.VICE_CHAIR)
    assert vice.person.display_name == "Councillor A S Sandhu, MBE"
    members = Membership.objects.filter(committee=committee, role=MembershipRole.MEMBER)
    assert {m.person.surname for m in members} == {
        "Jarnell",
        "Kelly",
        "Lees",
        "Maddison",
        "McLean",
        "Mote",
    }
    invitee = Membership.objects.get(committee=committee, role=MembershipRole.INVITEE)
    assert invitee.person.display_name == "Councillor Mrs. A D Allen, MBE"
    woodward = Person.objects.get(surname="Woodward")
    assert woodward.display_name == "Insp. Gary Woodward"
    assert woodward.description == "CSU Inspector, Kent Police"
    dates = [m.starts_at.date().isoformat() for m in Meeting.objects.order_by("starts_at")]
    # The two held meetings, and the two the work programme plans for (draft agendas).
    assert dates == ["2017-07-26", "2018-02-21", "2018-07-25", "2019-02-13"]
    assert Meeting.objects.get(starts_at__year=2017).status == MeetingStatus.MINUTES_CONFIRMED


def test_load_demo_reproduces_the_front_sheet_of_21_february_2018():
    from meetings.selectors import number_agenda

    load_demo()
    meeting = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    items = number_agenda(list(meeting.items.order_by("section", "position")))
    numbered = [(item.number, item.title) for item in items]
    assert numbered[2] == ("3", "Confirmation of the Minutes of the meeting held on 26 July 2017")
    assert numbered[5] == ("6", "Regulation 9 Notice")
    assert numbered[11] == ("12", "Next Meeting")
    assert numbered[12] == ("", "Exclusion of the Press and Public")
    assert numbered[13] == ("A", "CSP Strategic Assessment 2017")
    assert len(numbered) == 14
    assert items[13].exempt_paragraph == 3
    assert meeting.published_at.date().isoformat() == "2018-02-13"
    # The resolution to exclude the press and public in the council's words (seed 004).
    assert items[12].purpose == (
        "That, under Section 100A(4) of the Local Government Act 1972 (as amended), the press "
        "and public be excluded from the meeting for the following item of business on the "
        "grounds that it involves the likely disclosure of information supplied to the "
        "Council in confidence."
    )


def test_load_demo_is_idempotent():
    load_demo("--with-logins")
    from meetings.models import AgendaItem
    from papers.models import Document, DocumentVersion, ReportRequest

    def counts():
        models = (Person, Membership, Meeting, AgendaItem, Document, DocumentVersion)
        return [model.objects.count() for model in (*models, ReportRequest)]

    before = counts()
    load_demo("--with-logins")
    assert counts() == before
    assert get_user_model().objects.count() == len(LOGINS)


def test_load_demo_creates_no_logins_when_debug_is_off(settings):
    settings.DEBUG = False
    output = load_demo()
    assert not get_user_model().objects.exists()
    assert "No demo logins created" in output


def test_demo_logins_have_the_entitlements_they_describe(settings):
    settings.DEBUG = True
    output = load_demo()
    assert "scrutiny-demo-2026" in output
    users = {user.username: user for user in get_user_model().objects.all()}
    committee = Committee.objects.get()
    assert access.can_edit_committee(users["coordinator"], committee)
    assert access.can_see_exempt(users["member"], committee)
    assert not access.can_see_exempt(users["councillor"], committee)
    assert not access.can_see_exempt(users["officer"], committee)
    assert users["member"].check_password("scrutiny-demo-2026")
    # The Chairman checks circulated minutes: of every demo meeting, he chaired.
    for meeting in Meeting.objects.all():
        assert access.is_chairman_of(users["chairman"], meeting)
        assert not access.is_chairman_of(users["member"], meeting)


def test_load_demo_reconstructs_the_agenda_of_26_july_2017():
    from meetings.selectors import number_agenda

    load_demo()
    meeting = Meeting.objects.get(starts_at__year=2017)
    items = number_agenda(list(meeting.items.order_by("section", "position")))
    numbered = [(item.number, item.title) for item in items]
    assert len(numbered) == 17
    assert numbered[2] == (
        "3",
        "Confirmation of the Minutes of the meeting held on 15 February 2017",
    )
    assert numbered[5] == ("6", "Regulation 9 Notice")
    assert numbered[9] == ("10", "Response to Unauthorised Encampments (Draw-Down)")
    assert numbered[10] == ("11", "Performance")
    assert numbered[11] == ("12", "CSP Performance Report")
    assert numbered[14] == ("15", "Crime and Disorder (O&S) Annual Report 2016-17")
    assert numbered[15] == ("", "Exclusion of the Press and Public")
    assert numbered[16] == ("A", "CSP Performance Report - June 2017")
    assert items[16].exempt_paragraph == 3
    assert items[16].full_title.endswith("(Appendix A to item 12)")
    # The agenda agrees with its minutes: minute 13 calls the covering report "agenda Item
    # 12" (as seed 000 does), and minute 13 is the minute of item 12.
    minute_13 = meeting.minutes.entries.get(number=13)
    assert "covering report from the Community Safety Manager (agenda Item 12)" in minute_13.text
    assert next(item.number for item in items if item.pk == minute_13.item_id) == "12"
    assert meeting.items.get(title="CSP Performance Report").documents.get().title == (
        "Community Safety Performance Report"
    )


def test_load_demo_writes_the_seed_covering_reports_and_exempt_appendices():
    from papers.models import Document

    load_demo()
    reports = {d.title: d for d in Document.objects.filter(is_report=True)}
    assert set(reports) == {
        "Community Safety Performance Report",
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
        "Update: Work Programme 2017-18 Municipal Year and Beyond",
    }
    assessment = reports[
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017"
    ].current_version.report
    assert len(assessment["recommendations"]) == 3
    assert assessment["background_papers"][0]["author"] == "Tony Henley, CSM Dartford CSU"
    appendices = {d.title: d for d in Document.objects.filter(is_report=False) if d.is_restricted}
    assert set(appendices) == {
        "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017",
        # Item A of 26 July 2017, generated from the demo's performance figures.
        "Community Safety Partnership Performance Report: Dartford, 2016-17 Q4",
    }
    for title, appendix in appendices.items():
        pages = appendix.current_version.page_count
        assert pages == 1 if "Strategic Assessment" in title else pages > 5
        # Dated with the agenda, not listed as a change after publication.
        assert appendix.current_version.created_at < appendix.item.meeting.published_at


def test_load_demo_uploads_the_police_and_crime_panel_minutes_to_item_7():
    load_demo()
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    item = february.items.get(title="Kent Police and Crime Panel (PCP) Update")
    papers = list(item.documents.all())
    assert [paper.title for paper in papers] == [
        "Kent and Medway Police and Crime Panel: Minutes of 20 July 2017",
        "Kent and Medway Police and Crime Panel: Minutes of 28 September 2017",
        "Kent and Medway Police and Crime Panel: Minutes of 15 November 2017",
    ]
    for paper, first_minute in zip(papers, ("224.", "237.", "247."), strict=True):
        assert not paper.is_report and not paper.is_restricted
        assert paper.current_version.created_at < february.published_at
        with paper.current_version.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        assert reader.metadata.title == paper.title
        first = reader.pages[0].extract_text()
        assert "KENT AND MEDWAY POLICE AND CRIME PANEL" in first
        assert first_minute in first
        assert paper.current_version.page_count == len(reader.pages) > 1


def test_load_demo_publishes_the_minutes_of_21_february_2018_with_seed_002():
    from minutes.models import MinutesStatus

    load_demo()
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    minutes = february.minutes
    assert minutes.status == MinutesStatus.PUBLISHED  # as draft, for July to confirm
    assessment = minutes.entries.get(
        item__title="Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017"
    )
    assert assessment.text.startswith(
        "<p>The covering report from the Community Safety Manager (CSM) asked Members"
    )
    assert "Victim Withdrawals" in assessment.text
    assert "·" not in assessment.text
    resolutions = [r.text for r in assessment.resolutions.all()]
    assert len(resolutions) == 3
    assert resolutions[0].startswith("That Members note the contents of the Dartford")
    assert resolutions[2].endswith("submitted to the next meeting of the Committee in July 2018.")
    # The other items' minutes are left for the co-ordinator to write.
    others = minutes.entries.exclude(pk=assessment.pk).exclude(
        item__kind__in=["declarations", "minutes"]
    )
    assert others.count() == 11
    assert not any(minute.text for minute in others)
    assert not any(minute.resolutions.exists() for minute in others)


def test_demo_officer_has_the_accepted_request_for_item_10(settings):
    from papers.models import ReportRequest, ReportRequestStatus

    settings.DEBUG = True
    load_demo()
    request = ReportRequest.objects.get()
    assert request.officer.username == "officer"
    assert request.status == ReportRequestStatus.ACCEPTED
    assert request.document.created_by == request.officer


def test_load_demo_reproduces_the_minutes_of_26_july_2017():
    from minutes.models import MinutesStatus
    from minutes.selectors import attendance_register

    load_demo()
    july = Meeting.objects.get(starts_at__year=2017)
    minutes = july.minutes
    entries = list(minutes.entries.order_by("order"))
    assert [m.number for m in entries] == list(range(1, 17))
    assert [m.title for m in entries][10:13] == [
        "PERFORMANCE",
        "EXCLUSION OF THE PRESS AND PUBLIC",
        "CSP PERFORMANCE REPORT",
    ]
    # Minute 13 is item 12, the covering report, taken in closed session with exempt item
    # A, which has no minute of its own; it was published in full.
    assert entries[12].item.title == "CSP Performance Report" and not entries[12].is_exempt
    assert not july.items.get(section=AgendaSection.EXEMPT).minutes.exists()
    assert [m.resolutions.count() for m in entries] == [
        0,
        0,
        1,
        0,
        0,
        1,
        2,
        0,
        3,
        1,
        0,
        0,
        2,
        1,
        1,
        1,
    ]
    assert "[Min. No. 13 refers]" in entries[10].text
    assert minutes.closing_time.isoformat() == "21:25:00"
    assert minutes.status == MinutesStatus.CONFIRMED
    assert minutes.signed_by.display_name == "Councillor R J Wells"
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    assert minutes.confirmed_by_meeting == february
    assert february.minutes.entries.get(item__kind="minutes").number == 19
    register = attendance_register(meeting=july)
    assert len(register["present"]) == 9
    assert [a.person.surname for a in register["absent"]] == ["Lees"]
    assert len(register["officers"]) == 6
    assert [a.person.surname for a in register["cabinet"]] == ["Allen"]
    assert [a.person.surname for a in register["guests"]] == ["Woodward", "Matthews"]


def test_load_demo_builds_the_packs_of_21_february_2018(django_capture_on_commit_callbacks):
    from packs.models import Pack, PackKind
    from packs.selectors import page_ranges

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    public = Pack.objects.get(meeting=february, kind=PackKind.PUBLIC)
    exempt = Pack.objects.get(meeting=february, kind=PackKind.EXEMPT)
    assert public.file and exempt.file
    assert exempt.first_page == public.page_count + 1
    ranges = page_ranges(meeting=february)
    minutes_item = february.items.get(kind="minutes")
    assert ranges[minutes_item.pk][0] == 1  # the minutes of 26 July 2017 open the pack
    assert february.items.get(section=3).pk in ranges
    # As seed 004's front sheet: items 3, 6, 7, 10, 11 and A have papers, in that order, and
    # each range on the front sheet is where those papers are.
    with public.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    front = "".join(
        page.extract_text(extraction_mode="layout") + "\n"
        for page in reader.pages[: len(reader.pages) - public.page_count]
    )
    listed = re.findall(r"^\s*(\d+|A)\.\s.*\(Pages? (\d+)(?: - (\d+))?\)\s*$", front, re.M)
    assert [number for number, *_ in listed] == ["3", "6", "7", "10", "11", "A"]
    body = [page.extract_text() for page in reader.pages[len(reader.pages) - public.page_count :]]
    opening = {
        "3": "MINUTES of the meeting of the Crime and Disorder",
        "6": "Regulation 9 Notice",
        "7": "Police and Crime Panel held in the",
        "10": "STRATEGIC ASSESSMENT 2017",
        "11": "WORK PROGRAMME 2017-18",
    }
    expected_first = 1
    for number, first, last in listed[:-1]:
        first, last = int(first), int(last or first)
        assert first == expected_first  # no gaps, no overlaps
        assert opening[number] in body[first - 1]
        assert re.findall(r"\bPage \d+", body[first - 1]) == [f"Page {first}"]
        assert re.findall(r"\bPage \d+", body[last - 1]) == [f"Page {last}"]
        expected_first = last + 1
    assert expected_first == public.page_count + 1
    assert listed[-1][1:] == (str(exempt.first_page), "")
    text = "\n".join(body)
    # The minutes as they stand for confirmation, not as since confirmed and signed.
    assert "Confirmed as a correct record" not in text
    assert "CHAIRMAN ....." in text
    assert text.count("KENT AND MEDWAY POLICE AND CRIME PANEL") == 3
    assert "Page 1 of" not in text
    # Tagged end to end: what a screen reader reaches through the structure holds each
    # paper's opening, and no page number.
    with public.file.open("rb") as handle:
        tagged = handle.read()
    reading = " ".join(struct_strings(tagged))
    for words in ("CRIME AND DISORDER", *opening.values()):
        assert " ".join(words.split()) in " ".join(reading.split()), words
    assert not [s for s in struct_strings(tagged) if re.fullmatch(r"Page \d+", s.strip())]
