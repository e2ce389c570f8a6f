"""Minutes: prefill, numbering, saving with optimistic locking, history, confirmation."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import ItemKind, MeetingStatus
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.models import AttendanceCapacity, MinuteOutcome, Minutes, MinutesStatus
from minutes.numbering import municipal_year_label, municipal_year_start
from minutes.services import (
    MinuteConflict,
    ResolutionInput,
    minute_move,
    minute_restore,
    minute_save,
    minutes_advance,
    minutes_confirm,
    minutes_prefill,
    minutes_update,
)
from scrutiny.models import MembershipRole, MinuteNumbering

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def held_meeting(committee, *when, business=()):
    meeting = meeting_create(
        committee=committee, starts_at=datetime.datetime(*when, tzinfo=LONDON), venue="Chamber"
    )
    for title in business:
        agenda_item_add(meeting=meeting, title=title)
    return agenda_publish(meeting=meeting, confirm_past=True, now=timezone.now())


def numbers(minutes):
    return [(m.number, m.title) for m in minutes.entries.order_by("order")]


def save(minute, user=None, **changes):
    fields = {
        "title": minute.title,
        "text": "",
        "resolutions": [],
        "based_on": minute.version,
    }
    fields.update(changes)
    return minute_save(minute=minute, user=user, **fields)


@pytest.mark.parametrize(
    ("day", "start", "label"),
    [
        (datetime.date(2017, 7, 26), datetime.date(2017, 5, 1), "2017-18"),
        (datetime.date(2018, 2, 21), datetime.date(2017, 5, 1), "2017-18"),
        (datetime.date(2018, 4, 30), datetime.date(2017, 5, 1), "2017-18"),
        (datetime.date(2018, 5, 1), datetime.date(2018, 5, 1), "2018-19"),
        (datetime.date(1999, 12, 31), datetime.date(1999, 5, 1), "1999-00"),
    ],
)
def test_municipal_year_runs_may_to_may(day, start, label):
    assert municipal_year_start(day) == start
    assert municipal_year_label(day) == label


def test_prefill_gives_one_minute_per_item_in_agenda_order(committee):
    meeting = held_meeting(committee, 2017, 7, 26, 19, business=["Regulation 9 Notice"])
    agenda_item_add(
        meeting=meeting, title="CSP Performance Report", exempt_paragraph=3, exempt_reason="x"
    )
    minutes = minutes_prefill(meeting=meeting)
    assert numbers(minutes) == [
        (1, "Apologies for Absence"),
        (2, "Declarations of Interest"),
        (3, "Confirmation of the Minutes"),
        (4, "Urgent Items"),
        (5, "To consider references from other Committees (if any)"),
        (6, "Regulation 9 Notice"),
        (7, "Exclusion of the Press and Public"),
        (8, "CSP Performance Report"),
    ]
    declarations = minutes.entries.get(item__kind=ItemKind.DECLARATIONS)
    assert declarations.text == "<p>There were no declarations of interest.</p>"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD  # "Minutes in draft" once published
    # Calling again changes nothing.
    assert numbers(minutes_prefill(meeting=meeting)) == numbers(minutes)


def test_prefill_needs_a_published_agenda(committee):
    draft = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    with pytest.raises(ValidationError):
        minutes_prefill(meeting=draft)


def test_minutes_item_suggests_the_confirmation_resolution(committee):
    july = held_meeting(committee, 2017, 7, 26, 19)
    february = held_meeting(committee, 2018, 2, 21, 19)
    minutes = minutes_prefill(meeting=february)
    confirmation = minutes.entries.get(item__kind=ItemKind.MINUTES)
    assert confirmation.item.previous_meeting == july
    assert [r.text for r in confirmation.resolutions.all()] == [
        "That the Minutes of the Committee's meeting held on 26 July 2017 be confirmed as an "
        "accurate record of those proceedings."
    ]


def test_numbers_continue_through_the_municipal_year_and_restart_in_may(committee):
    july = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    february = minutes_prefill(meeting=held_meeting(committee, 2018, 2, 21, 19))
    next_july = minutes_prefill(meeting=held_meeting(committee, 2018, 7, 25, 19))
    assert [n for n, _ in numbers(july)] == [1, 2, 3, 4, 5]
    assert [n for n, _ in numbers(february)] == [6, 7, 8, 9, 10]
    assert [n for n, _ in numbers(next_july)] == [1, 2, 3, 4, 5]


def test_minutes_started_out_of_order_are_numbered_in_date_order(committee):
    september = minutes_prefill(meeting=held_meeting(committee, 2017, 9, 20, 19))
    assert [n for n, _ in numbers(september)] == [1, 2, 3, 4, 5]
    july = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    assert [n for n, _ in numbers(july)] == [1, 2, 3, 4, 5]
    september.refresh_from_db()
    assert [n for n, _ in numbers(september)] == [6, 7, 8, 9, 10]


def test_confirmed_minutes_keep_their_numbers_when_earlier_ones_are_started(committee):
    september = minutes_prefill(meeting=held_meeting(committee, 2017, 9, 20, 19))
    Minutes.objects.filter(pk=september.pk).update(
        status=MinutesStatus.CONFIRMED,
        confirmed_at=september.meeting.starts_at,
        confirmed_by_meeting=september.meeting,
    )
    july = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    assert [n for n, _ in numbers(september)] == [1, 2, 3, 4, 5]  # signed: never changed
    assert [n for n, _ in numbers(july)] == [6, 7, 8, 9, 10]  # no number is used twice


def test_the_database_refuses_two_minutes_with_one_number(committee):
    from django.db import IntegrityError, transaction

    july = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    september = minutes_prefill(meeting=held_meeting(committee, 2017, 9, 20, 19))
    with pytest.raises(IntegrityError), transaction.atomic():
        september.entries.filter(number=6).update(number=1)
    assert july.entries.filter(number=1).exists()


def test_continuous_numbering_never_restarts(make_committee):
    committee = make_committee(minute_numbering=MinuteNumbering.CONTINUOUS)
    minutes_prefill(meeting=held_meeting(committee, 2018, 2, 21, 19))
    next_year = minutes_prefill(meeting=held_meeting(committee, 2018, 7, 25, 19))
    assert [n for n, _ in numbers(next_year)] == [6, 7, 8, 9, 10]


def test_minutes_are_numbered_in_the_order_taken(committee):
    meeting = held_meeting(committee, 2017, 7, 26, 19, business=["Performance", "Refresh"])
    agenda_item_add(
        meeting=meeting, title="CSP Performance Report", exempt_paragraph=3, exempt_reason="x"
    )
    minutes = minutes_prefill(meeting=meeting)
    exclusion = minutes.entries.get(item__kind=ItemKind.EXCLUSION)
    exempt = minutes.entries.get(title="CSP Performance Report")
    minute_move(minute=exclusion, offset=-1)  # taken before "Refresh"
    minute_move(minute=exempt, offset=-1)
    assert numbers(minutes)[5:] == [
        (6, "Performance"),
        (7, "Exclusion of the Press and Public"),
        (8, "CSP Performance Report"),
        (9, "Refresh"),
    ]


def test_saving_sanitises_and_records_resolutions(committee, coordinator):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["R9"]))
    minute = minutes.entries.get(title="R9")
    saved = save(
        minute,
        coordinator,
        title="Regulation 9 Notice",
        text="<p onclick='x()'>Noted.</p><script>alert(1)</script>",
        resolutions=[
            ResolutionInput(
                "That the contents of the Regulation 9 Notice for the period 15 June 2017 "
                "to 31 October 2017 be noted."
            )
        ],
    )
    assert saved.text == "<p>Noted.</p>"
    assert saved.version == 2
    assert [r.text for r in saved.resolutions.all()][0].startswith("That the contents")


def test_resolutions_begin_with_that_unless_confirmed_as_worded(committee):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["R9"]))
    minute = minutes.entries.get(title="R9")
    with pytest.raises(ValidationError) as refused:
        save(minute, resolutions=[ResolutionInput("That it be noted."), ResolutionInput("Noted.")])
    assert refused.value.message_dict == {
        "resolutions": ["Resolution 2 must begin with “That”, or be confirmed as worded"]
    }
    saved = save(minute, resolutions=[ResolutionInput("Noted.", is_free_text=True)])
    assert saved.resolutions.get().is_free_text


def test_second_editor_gets_a_conflict_with_both_texts(committee, coordinator):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["R9"]))
    minute = minutes.entries.get(title="R9")
    opened_at = minute.version
    save(minute, coordinator, text="First editor's account.", based_on=opened_at)
    with pytest.raises(MinuteConflict) as conflict:
        save(minute, None, text="Second editor's account.", based_on=opened_at)
    assert conflict.value.yours["text"] == "Second editor's account."
    current = conflict.value.minute
    assert current.text == "<p>First editor's account.</p>"
    assert "saved this minute while you were editing it" in conflict.value.messages[0]
    minute.refresh_from_db()
    assert minute.text == "<p>First editor's account.</p>"


def test_history_keeps_every_version_and_restore_adds_one(committee, coordinator):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["R9"]))
    minute = minutes.entries.get(title="R9")
    save(minute, coordinator, text="Original wording.")
    minute.refresh_from_db()
    save(minute, coordinator, text="Wrong wording.", resolutions=[ResolutionInput("That x.")])
    minute.refresh_from_db()
    original = minute.revisions.get(version=2)
    restored = minute_restore(minute=minute, revision=original, user=coordinator)
    assert restored.text == "<p>Original wording.</p>"
    assert not restored.resolutions.exists()
    assert list(minute.revisions.values_list("version", "note")) == [
        (4, "Restored version 2"),
        (3, ""),
        (2, ""),
        (1, "Prefilled from the agenda"),
    ]


def test_exempt_minute_needs_a_public_summary(committee):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["X"]))
    minute = minutes.entries.get(title="X")
    with pytest.raises(ValidationError) as refused:
        save(minute, is_exempt=True)
    assert "public_summary" in refused.value.message_dict
    saved = save(minute, is_exempt=True, public_summary="The Committee noted the report.")
    assert saved.is_exempt


def test_items_not_reached_are_recorded(committee):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19, business=["X"]))
    saved = save(minutes.entries.get(title="X"), outcome=MinuteOutcome.DEFERRED)
    assert saved.get_outcome_display() == "Deferred"


def test_attendance_is_prefilled_from_the_membership(committee, make_membership, make_person):
    chair = make_person(surname="Wells")
    make_membership(
        committee=committee,
        person=chair,
        role=MembershipRole.CHAIR,
        start_date=datetime.date(2017, 5, 1),
    )
    make_membership(
        committee=committee,
        person=make_person(surname="Allen"),
        role=MembershipRole.INVITEE,
        start_date=datetime.date(2017, 5, 1),
    )
    make_membership(
        committee=committee,
        person=make_person(surname="Lees"),
        start_date=datetime.date(2017, 5, 1),
    )
    make_membership(  # left before the meeting
        committee=committee,
        person=make_person(surname="Gone"),
        start_date=datetime.date(2016, 5, 1),
        end_date=datetime.date(2017, 5, 1),
    )
    meeting = held_meeting(committee, 2017, 7, 26, 19)
    minutes_prefill(meeting=meeting)
    register = [(a.person.surname, a.capacity, a.role_note) for a in meeting.attendances.all()]
    assert register == [
        ("Wells", AttendanceCapacity.MEMBER, "Chairman"),
        ("Lees", AttendanceCapacity.MEMBER, ""),
        ("Allen", AttendanceCapacity.INVITEE, "Invitee"),
    ]


def publish_minutes(minutes):
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    return minutes_advance(minutes=minutes)


def test_minutes_go_from_draft_to_circulated_to_published(committee):
    minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    circulated = minutes_advance(minutes=minutes)
    assert circulated.status == MinutesStatus.CIRCULATED
    with pytest.raises(ValidationError) as refused:
        minutes_advance(minutes=minutes)
    assert refused.value.message_dict == {"closing_time": ["Enter the time the meeting closed"]}
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    published = minutes_advance(minutes=minutes)
    assert published.status == MinutesStatus.PUBLISHED
    assert published.published_at is not None


def test_confirmation_at_the_next_meeting_marks_them_signed(
    committee, make_membership, make_person, coordinator
):
    wells = make_person(surname="Wells")
    make_membership(
        committee=committee,
        person=wells,
        role=MembershipRole.CHAIR,
        start_date=datetime.date(2017, 5, 1),
    )
    july = held_meeting(committee, 2017, 7, 26, 19)
    july_minutes = publish_minutes(minutes_prefill(meeting=july))
    february_minutes = minutes_prefill(meeting=held_meeting(committee, 2018, 2, 21, 19))
    confirmation = february_minutes.entries.get(item__kind=ItemKind.MINUTES)
    confirmed = minutes_confirm(minute=confirmation, by=coordinator)
    assert confirmed.pk == july_minutes.pk
    from exempt.models import AccessEvent, AccessLog

    logged = AccessLog.objects.get(event=AccessEvent.MINUTES_CONFIRMED)
    assert (logged.user, logged.committee, logged.meeting) == (coordinator, committee, july)
    assert logged.what == (
        "Minutes of Crime and Disorder Committee, 26 July 2017 confirmed at the meeting of "
        "21 February 2018, signed by Councillor A B Wells"
    ), logged.what
    assert confirmed.status == MinutesStatus.CONFIRMED
    assert confirmed.signed_by == wells
    assert confirmed.confirmed_by_meeting == february_minutes.meeting
    july.refresh_from_db()
    assert july.status == MeetingStatus.MINUTES_CONFIRMED
    # Confirmed minutes are not edited: corrections are recorded amendments.
    with pytest.raises(ValidationError) as refused:
        save(july_minutes.entries.first())
    assert "recorded amendment" in refused.value.messages[0]


def test_only_published_minutes_are_confirmed_and_only_by_the_confirmation_item(committee):
    july_minutes = minutes_prefill(meeting=held_meeting(committee, 2017, 7, 26, 19))
    february_minutes = minutes_prefill(meeting=held_meeting(committee, 2018, 2, 21, 19))
    confirmation = february_minutes.entries.get(item__kind=ItemKind.MINUTES)
    with pytest.raises(ValidationError) as draft:
        minutes_confirm(minute=confirmation)
    assert "published as a draft" in draft.value.messages[0]
    publish_minutes(july_minutes)
    with pytest.raises(ValidationError):
        minutes_confirm(minute=february_minutes.entries.get(item__kind=ItemKind.APOLOGIES))
