"""The Chairman's check of the minutes: circulating them (with what is missing listed
first), who reads them, the Chairman's answer, and the notices each step sends."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes import selectors
from minutes.models import (
    AttendanceStatus,
    ChairmanResponse,
    InterestKind,
    MinuteOutcome,
    Minutes,
    MinutesStatus,
)
from minutes.services import (
    MinutesChangedWhileReading,
    MinutesNotApproved,
    ResolutionInput,
    attendance_record,
    declaration_add,
    minute_move,
    minute_save,
    minutes_advance,
    minutes_chairman_approve,
    minutes_chairman_return,
    minutes_circulate,
    minutes_prefill,
    minutes_publish,
    minutes_update,
)
from scrutiny import access
from scrutiny.access import Role
from scrutiny.models import MembershipRole
from scrutiny.testing import SITE_URL, client_for, text_of

pytestmark = pytest.mark.django_db

SITE = SITE_URL


@pytest.fixture
def chairman(make_user, make_person, make_membership, committee):
    """Councillor Wells, Chairman of the committee since before the meeting."""
    user = make_user(role=Role.MEMBER, username="wells", email="wells@example.gov.uk")
    make_membership(
        committee=committee,
        person=make_person(user=user, surname="Wells", forenames="R J"),
        role=MembershipRole.CHAIR,
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    return user


@pytest.fixture
def chairman_client(chairman):
    return client_for(chairman)


@pytest.fixture
def other_coordinator_client(make_user, make_committee):
    user = make_user(role=Role.COORDINATOR, username="other-coordinator")
    make_committee().coordinators.add(user)
    return client_for(user)


def write(minutes, title, text="", resolutions=(), **fields):
    minute = minutes.entries.get(title=title)
    return minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=title,
        text=text,
        resolutions=[ResolutionInput(r) for r in resolutions],
        **fields,
    )


@pytest.fixture
def minutes(meeting, coordinator, chairman):
    minutes = minutes_prefill(meeting=meeting, user=coordinator)
    write(
        minutes,
        "Regulation 9 Notice",
        "The Committee considered the notice.",
        ["That the contents of the Regulation 9 Notice be noted."],
    )
    write(
        minutes,
        "CSP Performance Report",
        "Named suspects were discussed under Operation Nightjar.",
        ["That the Nightjar figures be noted."],
        is_exempt=True,
        public_summary="The Committee noted the performance report in closed session.",
    )
    return minutes


@pytest.fixture
def finished(minutes):
    """Every minute written and the closing time recorded."""
    for minute in minutes.entries.all():
        if not minute.text and not minute.resolutions.exists():
            write(minutes, minute.title, "There were none.")
    return minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))


@pytest.fixture
def circulated(finished):
    return minutes_circulate(minutes=finished)


def read(minutes) -> int:
    """The version of the minutes as the Chairman's page shows them now."""
    return Minutes.objects.get(pk=minutes.pk).version


def review_url(minutes) -> str:
    return reverse("minutes:minutes_review", args=[minutes.meeting_id])


def edit_url(minutes) -> str:
    return reverse("minutes:minutes_edit", args=[minutes.meeting_id])


# --- circulating, and the guard rail --------------------------------------------------


def test_what_is_missing_is_listed_before_circulating(coordinator_client, minutes):
    response = coordinator_client.post(edit_url(minutes), {"action": "circulate"})
    assert response.status_code == 200
    page = text_of(response)
    assert "The minutes are not finished" in page
    assert "Minute 1, Apologies for Absence: nothing written yet" in page
    assert "The time the meeting closed" in page
    # Written minutes, and the declarations minute prefilled with its sentence, are not.
    assert "Regulation 9 Notice: nothing written yet" not in page
    assert "Declarations of Interest: nothing written yet" not in page
    assert "Circulate anyway" in page
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    assert mail.outbox == []


def test_circulate_anyway_circulates(
    coordinator_client, minutes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            edit_url(minutes), {"action": "circulate", "confirm": "1"}, follow=True
        )
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED
    assert "The minutes are circulated to the Chairman, Councillor R J Wells." in text_of(response)
    assert len(mail.outbox) == 1


def test_finished_minutes_circulate_without_asking(coordinator_client, finished):
    assert selectors.minutes_gaps(minutes=finished, user=None) == []
    coordinator_client.post(edit_url(finished), {"action": "circulate"})
    finished.refresh_from_db()
    assert finished.status == MinutesStatus.CIRCULATED


def test_an_item_not_reached_needs_no_minute(minutes):
    apologies = minutes.entries.get(title="Apologies for Absence")
    write(minutes, apologies.title, outcome=MinuteOutcome.NOT_REACHED)
    gaps = selectors.minutes_gaps(minutes=minutes, user=None)
    assert not any("Apologies" in gap for gap in gaps)


def test_circulating_emails_the_chairman_once_on_commit_with_a_link(
    coordinator_client, finished, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(edit_url(finished), {"action": "circulate"}, follow=True)
    assert "An e-mail is on its way to Councillor R J Wells." in text_of(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wells@example.gov.uk"]
    link = f"{SITE}{review_url(finished)}"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    for text in (message.subject, message.body, html):
        assert "Nightjar" not in text  # the notice names the meeting, never a minute


def test_a_circulation_rolled_back_sends_nothing(finished, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        minutes_circulate(minutes=finished)
        raise RuntimeError("the change is undone")
    assert callbacks == []
    assert mail.outbox == []
    finished.refresh_from_db()
    assert finished.status == MinutesStatus.DRAFT


def test_minutes_advance_circulates_through_the_same_service(
    finished, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        circulated = minutes_advance(minutes=finished)
    assert circulated.status == MinutesStatus.CIRCULATED
    assert circulated.circulated_at is not None
    assert [m.to for m in mail.outbox] == [["wells@example.gov.uk"]]


def test_the_chairman_is_the_one_on_the_day_of_the_meeting(
    committee, finished, make_user, make_person, make_membership, chairman
):
    """A Chairman appointed after the meeting neither receives nor reads its minutes."""
    membership = chairman.person.memberships.get()
    membership.end_date = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    successor = make_user(role=Role.MEMBER, username="successor", email="new@example.gov.uk")
    make_membership(
        committee=committee,
        person=make_person(user=successor),
        role=MembershipRole.CHAIR,
        start_date=timezone.localdate(),
    )
    circulated = minutes_circulate(minutes=finished)
    assert circulated.chairman == chairman.person
    assert access.can_review_minutes(chairman, circulated)
    assert not access.can_review_minutes(successor, circulated)
    assert client_for(successor).get(review_url(circulated)).status_code == 404


def test_without_a_chairman_the_page_says_so(coordinator_client, finished, chairman):
    chairman.person.memberships.all().delete()
    response = coordinator_client.post(edit_url(finished), {"action": "circulate"}, follow=True)
    assert "the committee had no Chairman on the day of the meeting" in text_of(response)


# --- who reads the circulated minutes ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("councillor_client", 404),
        ("officer_client", 404),
        ("member_client", 404),
        ("other_coordinator_client", 404),
        ("coordinator_client", 200),
        ("chairman_client", 200),
    ],
)
def test_only_the_chairman_and_coordinators_read_circulated_minutes(
    request, role, status, circulated
):
    client = request.getfixturevalue(role)
    response = client.get(review_url(circulated))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 200:
        page = text_of(response)
        assert "Check the minutes" in page
        assert "RESOLVED: That the contents of the Regulation 9 Notice be noted." in page
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert b"Regulation 9 Notice" not in response.content
    # Nor may they answer.
    answer = client.post(
        review_url(circulated), {"action": "approve", "read_version": read(circulated)}
    )
    expected = {"coordinator_client": 403, "chairman_client": 302}.get(role, status)
    assert answer.status_code == expected
    circulated.refresh_from_db()
    assert circulated.chairman_response == ("approved" if role == "chairman_client" else "")


def test_anonymous_readers_learn_nothing_from_the_sign_in_redirect(anon_client, circulated):
    missing = reverse("minutes:minutes_review", args=[circulated.meeting_id + 1000])
    assert anon_client.get(missing)["Location"].startswith("/accounts/login/")
    assert anon_client.get(review_url(circulated))["Location"].startswith("/accounts/login/")


def test_the_chairman_reads_the_exempt_minute_by_the_policy(chairman_client, circulated):
    page = text_of(chairman_client.get(review_url(circulated)))
    assert "Named suspects were discussed under Operation Nightjar." in page


def test_draft_and_published_minutes_are_not_for_review(chairman_client, finished):
    assert chairman_client.get(review_url(finished)).status_code == 404
    minutes_circulate(minutes=finished)
    minutes_advance(minutes=finished)
    assert chairman_client.get(review_url(finished)).status_code == 404


def test_the_chairman_also_reads_them_on_the_minutes_page(
    chairman_client, member_client, circulated
):
    address = reverse("minutes:minutes_detail", args=[circulated.meeting_id])
    assert chairman_client.get(address).status_code == 200
    assert member_client.get(address).status_code == 404


def test_the_minutes_page_leads_the_chairman_to_answer_until_answered(
    chairman, chairman_client, coordinator_client, circulated
):
    address = reverse("minutes:minutes_detail", args=[circulated.meeting_id])
    review = reverse("minutes:minutes_review", args=[circulated.meeting_id])
    assert f'href="{review}"' in chairman_client.get(address).content.decode()
    assert f'href="{review}"' not in coordinator_client.get(address).content.decode()
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
    assert f'href="{review}"' not in chairman_client.get(address).content.decode()


# --- the Chairman's answer ------------------------------------------------------------------


def test_the_chairman_approves_and_the_coordinator_is_told(
    chairman_client, coordinator, circulated, django_capture_on_commit_callbacks
):
    coordinator.email = "hook@example.gov.uk"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = chairman_client.post(
            review_url(circulated),
            {"action": "approve", "read_version": read(circulated)},
            follow=True,
        )
    page = text_of(response)
    assert "You have approved the minutes. An e-mail is on its way to" in page
    assert "Approved on" in page
    circulated.refresh_from_db()
    assert circulated.chairman_response == ChairmanResponse.APPROVED
    assert circulated.chairman_responded_by.username == "wells"
    assert circulated.chairman_responded_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hook@example.gov.uk"]
    assert "approved" in message.subject
    assert f"{SITE}{edit_url(circulated)}" in message.body
    editor = text_of(client_for(coordinator).get(edit_url(circulated)))
    assert "Chairman's answer Approved on" in editor


def test_the_chairman_returns_comments_which_the_coordinator_reads(
    chairman_client, coordinator, circulated, django_capture_on_commit_callbacks
):
    coordinator.email = "hook@example.gov.uk"
    coordinator.save()
    response = chairman_client.post(
        review_url(circulated),
        {"action": "return", "comments": " ", "read_version": read(circulated)},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter your comments on the minutes" in page
    assert page.startswith("Error: ")
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""

    comments = "Minute 7 should say the Nightjar figures were noted, not approved."
    with django_capture_on_commit_callbacks(execute=True):
        chairman_client.post(
            review_url(circulated),
            {"action": "return", "comments": comments, "read_version": read(circulated)},
        )
    circulated.refresh_from_db()
    assert circulated.chairman_response == ChairmanResponse.COMMENTS
    assert circulated.chairman_comments == comments
    assert [m.to for m in mail.outbox] == [["hook@example.gov.uk"]]
    # The comments may discuss an exempt minute: they are read on the page, not e-mailed.
    assert "Nightjar" not in mail.outbox[0].body
    editor = text_of(client_for(coordinator).get(edit_url(circulated)))
    assert "Returned with comments" in editor
    assert comments in editor


def test_the_chairman_answers_once_per_circulation(chairman, circulated):
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
    with pytest.raises(ValidationError, match="answered these minutes already"):
        minutes_chairman_return(
            minutes=circulated,
            by=chairman,
            read_version=read(circulated),
            comments="Second thoughts",
        )


def test_only_the_chairman_answers(member, coordinator, circulated):
    for user in (member, coordinator):
        with pytest.raises(ValidationError, match="Only the Chairman"):
            minutes_chairman_approve(minutes=circulated, by=user, read_version=read(circulated))


def test_comments_must_be_written(chairman, circulated):
    with pytest.raises(ValidationError) as refused:
        minutes_chairman_return(
            minutes=circulated, by=chairman, read_version=read(circulated), comments="  "
        )
    assert refused.value.message_dict == {"comments": ["Enter your comments on the minutes"]}


def test_an_answer_rolled_back_sends_nothing(
    chairman, coordinator, circulated, django_capture_on_commit_callbacks
):
    coordinator.email = "hook@example.gov.uk"
    coordinator.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
        raise RuntimeError("the change is undone")
    assert mail.outbox == []
    assert Minutes.objects.get(pk=circulated.pk).chairman_response == ""


def test_circulating_again_clears_the_answer_and_asks_afresh(
    chairman, coordinator_client, circulated, django_capture_on_commit_callbacks
):
    minutes_chairman_return(
        minutes=circulated,
        by=chairman,
        read_version=read(circulated),
        comments="Minute 6 is too long.",
    )
    write(circulated, "Regulation 9 Notice", "The Committee noted the notice.")
    editor = text_of(coordinator_client.get(edit_url(circulated)))
    assert "Changed since minute 6." in editor
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(edit_url(circulated), {"action": "circulate"})
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.CIRCULATED
    assert circulated.chairman_response == ""
    assert circulated.chairman_comments == ""
    assert circulated.chairman_responded_at is None
    assert [m.to for m in mail.outbox] == [["wells@example.gov.uk"]]
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))


def test_published_minutes_take_no_answer(chairman, circulated):
    minutes_advance(minutes=circulated)
    with pytest.raises(ValidationError, match="not waiting for the Chairman"):
        minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))


# --- the answer is about what the Chairman read -------------------------------------------


def change_minute(minutes):
    write(minutes, "Regulation 9 Notice", "The Committee noted the notice, not approved it.")


def change_order(minutes):
    minute_move(minute=minutes.entries.get(title="Regulation 9 Notice"), offset=-1)


def change_register(minutes):
    attendance = minutes.meeting.attendances.first()
    attendance_record(
        meeting=minutes.meeting,
        person=attendance.person,
        capacity=attendance.capacity,
        status=AttendanceStatus.APOLOGIES,
        role_note=attendance.role_note,
    )


def change_declarations(minutes):
    declaration_add(
        meeting=minutes.meeting,
        person=minutes.meeting.attendances.first().person,
        kind=InterestKind.OTHER_SIGNIFICANT,
        nature="A trustee of the youth centre.",
    )


def change_closing_time(minutes):
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 40))


CHANGES = {
    "minute 6": change_minute,
    "the order of the minutes": change_order,
    "the attendance register": change_register,
    "the declarations of interest": change_declarations,
    "the closing time": change_closing_time,
}


@pytest.mark.parametrize("what", CHANGES)
def test_comments_on_an_earlier_reading_are_refused_and_kept(
    what, chairman_client, circulated, django_capture_on_commit_callbacks
):
    page = chairman_client.get(review_url(circulated)).content.decode()
    seen = re.search(r'name="read_version" value="(\d+)"', page)[1]
    CHANGES[what](circulated)  # the co-ordinator changes the minutes meanwhile
    comments = "Minute 7 should say the Nightjar figures were noted."
    with django_capture_on_commit_callbacks(execute=True):
        response = chairman_client.post(
            review_url(circulated),
            {"action": "return", "comments": comments, "read_version": seen},
        )
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error: ")
    assert "There is a problem" in page
    assert "The minutes changed while you were reading them: read them again." in page
    assert comments in response.content.decode()  # still in the box, nothing lost
    assert f'name="read_version" value="{read(circulated)}"' in response.content.decode()
    assert int(seen) != read(circulated)
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""
    assert mail.outbox == []
    # Having read them again, he answers.
    chairman_client.post(
        review_url(circulated),
        {"action": "return", "comments": comments, "read_version": read(circulated)},
    )
    circulated.refresh_from_db()
    assert circulated.chairman_response == ChairmanResponse.COMMENTS


def test_an_approval_of_an_earlier_reading_is_refused(chairman_client, circulated):
    seen = read(circulated)
    change_minute(circulated)
    response = chairman_client.post(
        review_url(circulated), {"action": "approve", "read_version": seen}
    )
    assert response.status_code == 200
    assert "The minutes changed while you were reading them: read them again." in text_of(response)
    assert "The Committee noted the notice, not approved it." in text_of(response)
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""


@pytest.mark.parametrize("read_version", [None, "", "0", "x"])
def test_an_answer_that_names_no_reading_is_refused(chairman_client, circulated, read_version):
    data = {"action": "approve"}
    if read_version is not None:
        data["read_version"] = read_version
    response = chairman_client.post(review_url(circulated), data)
    assert "read them again" in text_of(response)
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""


def test_the_service_refuses_an_answer_on_an_earlier_reading(chairman, circulated):
    seen = read(circulated)
    change_closing_time(circulated)
    with pytest.raises(MinutesChangedWhileReading):
        minutes_chairman_approve(minutes=circulated, by=chairman, read_version=seen)
    with pytest.raises(MinutesChangedWhileReading):
        minutes_chairman_return(
            minutes=circulated, by=chairman, read_version=seen, comments="Too late."
        )
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))


@pytest.mark.parametrize("what", CHANGES)
def test_every_change_since_the_answer_is_shown_to_the_coordinator(
    what, chairman, coordinator_client, circulated
):
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
    editor = text_of(coordinator_client.get(edit_url(circulated)))
    assert "Changed since" not in editor
    CHANGES[what](circulated)
    editor = text_of(coordinator_client.get(edit_url(circulated)))
    assert f"Changed since {what}. Circulate the minutes again" in editor


def test_saving_the_same_closing_time_is_no_change(chairman, coordinator_client, circulated):
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
    coordinator_client.post(
        edit_url(circulated), {"action": "closing_time", "closing_time": "21:25"}
    )
    assert "Changed since" not in text_of(coordinator_client.get(edit_url(circulated)))


def test_renumbering_a_later_meetings_minutes_changes_them(
    committee, coordinator, chairman, circulated
):
    """Minutes of an earlier meeting written after these renumber them: the Chairman
    read other numbers."""
    earlier = meeting_create(
        committee=committee,
        starts_at=circulated.meeting.starts_at - datetime.timedelta(days=14),
        venue="Council Chamber",
    )
    agenda_publish(meeting=earlier, confirm_past=True)
    agenda_item_add(meeting=earlier, title="Budget")
    seen = read(circulated)
    minutes_prefill(meeting=earlier, user=coordinator)
    assert read(circulated) != seen
    with pytest.raises(MinutesChangedWhileReading):
        minutes_chairman_approve(minutes=circulated, by=chairman, read_version=seen)


# --- publishing without the Chairman's approval asks first ----------------------------


def publish(client, minutes, **data):
    return client.post(edit_url(minutes), {"action": "advance", **data})


def test_the_chairman_is_told_who_publishes_them_and_when(chairman_client, circulated):
    page = text_of(chairman_client.get(review_url(circulated)))
    assert "The co-ordinator publishes them as draft minutes after reading your answer." in page
    assert "once the co-ordinator has your answer" not in page


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("none", "The Chairman has not answered yet: he has not approved them."),
        ("comments", "The Chairman returned comments on them."),
        ("changed", "They have changed since the Chairman approved them: minute 6."),
    ],
)
def test_publishing_unapproved_minutes_asks_first(
    answer, reason, chairman, coordinator_client, circulated
):
    if answer == "comments":
        minutes_chairman_return(
            minutes=circulated, by=chairman, read_version=read(circulated), comments="Shorter."
        )
    if answer == "changed":
        minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
        change_minute(circulated)
    response = publish(coordinator_client, circulated)
    assert response.status_code == 200
    page = text_of(response)
    assert "The Chairman has not approved these minutes" in page
    assert reason in page
    assert "Publish as draft minutes anyway" in page
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.CIRCULATED
    response = publish(coordinator_client, circulated, confirm=str(read(circulated)))
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.PUBLISHED


def test_minutes_approved_as_they_stand_publish_without_asking(
    chairman, coordinator_client, circulated
):
    minutes_chairman_approve(minutes=circulated, by=chairman, read_version=read(circulated))
    response = publish(coordinator_client, circulated)
    assert response.status_code == 302
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.PUBLISHED


def test_a_change_after_the_warning_is_warned_about_again(coordinator_client, circulated):
    publish(coordinator_client, circulated)
    warned = read(circulated)
    change_minute(circulated)
    response = publish(coordinator_client, circulated, confirm=str(warned))
    assert "The Chairman has not approved these minutes" in text_of(response)
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.CIRCULATED


def test_without_a_chairman_publishing_asks_first(chairman, coordinator_client, circulated):
    chairman.person.memberships.all().delete()
    page = text_of(publish(coordinator_client, circulated))
    assert "The committee had no Chairman on the day of the meeting" in page


def test_the_service_refuses_unapproved_minutes_unless_confirmed(chairman, circulated):
    with pytest.raises(MinutesNotApproved) as refused:
        minutes_publish(minutes=circulated)
    assert refused.value.version == read(circulated)
    published = minutes_publish(minutes=circulated, confirmed_version=refused.value.version)
    assert published.status == MinutesStatus.PUBLISHED


@pytest.mark.parametrize(
    "role", ["anon_client", "member_client", "officer_client", "chairman_client"]
)
def test_only_coordinators_publish(request, role, circulated):
    response = publish(request.getfixturevalue(role), circulated, confirm=str(read(circulated)))
    assert response.status_code == (302 if role == "anon_client" else 403)
    circulated.refresh_from_db()
    assert circulated.status == MinutesStatus.CIRCULATED


# --- published while the Chairman was reading ---------------------------------------------


def test_comments_typed_while_the_minutes_were_published_are_shown_back(
    chairman_client, circulated, django_capture_on_commit_callbacks
):
    seen = read(circulated)
    minutes_publish(minutes=circulated, confirmed_version=seen)
    comments = "Minute 7 should say the Nightjar figures were noted,\nnot approved."
    with django_capture_on_commit_callbacks(execute=True):
        response = chairman_client.post(
            review_url(circulated),
            {"action": "return", "comments": comments, "read_version": seen},
        )
    assert response.status_code == 409
    assert response["Cache-Control"] == "private, no-store"
    page = text_of(response)
    assert "The minutes were published while you were reading them" in page
    assert "your comments were not recorded and nothing was sent" in page
    assert "Minute 7 should say the Nightjar figures were noted,<br>not approved." in (
        response.content.decode()
    )
    minutes_page = reverse("minutes:minutes_detail", args=[circulated.meeting_id])
    assert f'href="{minutes_page}">Read the minutes as published</a>' in (response.content.decode())
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""
    assert mail.outbox == []


def test_an_approval_after_publication_says_it_was_not_recorded(chairman_client, circulated):
    minutes_publish(minutes=circulated, confirmed_version=read(circulated))
    response = chairman_client.post(
        review_url(circulated), {"action": "approve", "read_version": read(circulated)}
    )
    assert response.status_code == 409
    assert "your approval was not recorded" in text_of(response)
    assert chairman_client.get(review_url(circulated)).status_code == 404


def test_published_between_opening_and_answering_shows_the_comments_back(
    chairman_client, circulated, monkeypatch
):
    """Published after the page began to answer, before the answer was written."""
    from minutes import services

    answer = services.minutes_chairman_return

    def published_meanwhile(**kwargs):
        minutes_publish(minutes=kwargs["minutes"], confirmed_version=read(circulated))
        return answer(**kwargs)

    monkeypatch.setattr(services, "minutes_chairman_return", published_meanwhile)
    response = chairman_client.post(
        review_url(circulated),
        {"action": "return", "comments": "Shorter, please.", "read_version": read(circulated)},
    )
    assert response.status_code == 409
    assert "Shorter, please." in text_of(response)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("councillor_client", 404),
        ("officer_client", 404),
        ("member_client", 404),
        ("other_coordinator_client", 404),
        ("coordinator_client", 404),
    ],
)
def test_no_one_else_learns_anything_from_answering_published_minutes(
    request, role, status, circulated
):
    minutes_publish(minutes=circulated, confirmed_version=read(circulated))
    response = request.getfixturevalue(role).post(
        review_url(circulated),
        {"action": "return", "comments": "ZZ typed", "read_version": read(circulated)},
    )
    assert response.status_code == status
    assert b"ZZ typed" not in response.content
    assert b"published while you were reading" not in response.content
