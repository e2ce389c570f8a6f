"""load_demo builds the seed committee, idempotently, with logins only when allowed."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from meetings.models import Meeting, MeetingStatus
from scrutiny import access
from scrutiny.models import Committee, Membership, MembershipRole, Person

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
    assert dates == ["2017-07-26", "2018-02-21"]
    assert Meeting.objects.get(starts_at__year=2017).status == MeetingStatus.MINUTES_CONFIRMED


def test_load_demo_reproduces_the_front_sheet_of_21_february_2018():
    from meetings.selectors import number_agenda

    load_demo()
    meeting = Meeting.objects.get(starts_at__year=2018)
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
    assert get_user_model().objects.count() == 5


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


def test_load_demo_reconstructs_the_agenda_of_26_july_2017():
    from meetings.selectors import number_agenda

    load_demo()
    meeting = Meeting.objects.get(starts_at__year=2017)
    items = number_agenda(list(meeting.items.order_by("section", "position")))
    numbered = [(item.number, item.title) for item in items]
    assert len(numbered) == 16
    assert numbered[2] == (
        "3",
        "Confirmation of the Minutes of the meeting held on 15 February 2017",
    )
    assert numbered[5] == ("6", "Regulation 9 Notice")
    assert numbered[9] == ("10", "Response to Unauthorised Encampments (Draw-Down)")
    assert numbered[10] == ("11", "CSP Performance Report")
    assert numbered[13] == ("14", "Crime and Disorder (O&S) Annual Report 2016-17")
    assert numbered[14] == ("", "Exclusion of the Press and Public")
    assert numbered[15] == ("A", "CSP Performance Report - June 2017")
    assert items[15].exempt_paragraph == 3


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
    appendices = Document.objects.filter(is_report=False)
    assert appendices.count() == 2
    for appendix in appendices:
        assert appendix.is_restricted
        assert appendix.current_version.page_count == 1
        # Dated with the agenda, not listed as a change after publication.
        assert appendix.current_version.created_at < appendix.item.meeting.published_at


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
    assert entries[12].item.is_exempt and not entries[12].is_exempt  # published in full
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
    february = Meeting.objects.get(starts_at__year=2018)
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
    february = Meeting.objects.get(starts_at__year=2018)
    public = Pack.objects.get(meeting=february, kind=PackKind.PUBLIC)
    exempt = Pack.objects.get(meeting=february, kind=PackKind.EXEMPT)
    assert public.file and exempt.file
    assert exempt.first_page == public.page_count + 1
    ranges = page_ranges(meeting=february)
    minutes_item = february.items.get(kind="minutes")
    assert ranges[minutes_item.pk][0] == 1  # the minutes of 26 July 2017 open the pack
    assert february.items.get(section=3).pk in ranges
