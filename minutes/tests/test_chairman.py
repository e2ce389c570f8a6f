"""The Chairman's check of the minutes: circulating them (with what is missing listed
first), who reads them, the Chairman's answer, and the notices each step sends."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from minutes import selectors
from minutes.models import ChairmanResponse, MinuteOutcome, Minutes, MinutesStatus
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_chairman_approve,
    minutes_chairman_return,
    minutes_circulate,
    minutes_prefill,
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
    answer = client.post(review_url(circulated), {"action": "approve"})
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
    minutes_chairman_approve(minutes=circulated, by=chairman)
    assert f'href="{review}"' not in chairman_client.get(address).content.decode()


# --- the Chairman's answer ------------------------------------------------------------------


def test_the_chairman_approves_and_the_coordinator_is_told(
    chairman_client, coordinator, circulated, django_capture_on_commit_callbacks
):
    coordinator.email = "hook@example.gov.uk"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = chairman_client.post(review_url(circulated), {"action": "approve"}, follow=True)
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
    response = chairman_client.post(review_url(circulated), {"action": "return", "comments": " "})
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter your comments on the minutes" in page
    assert page.startswith("Error: ")
    circulated.refresh_from_db()
    assert circulated.chairman_response == ""

    comments = "Minute 7 should say the Nightjar figures were noted, not approved."
    with django_capture_on_commit_callbacks(execute=True):
        chairman_client.post(review_url(circulated), {"action": "return", "comments": comments})
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
    minutes_chairman_approve(minutes=circulated, by=chairman)
    with pytest.raises(ValidationError, match="answered these minutes already"):
        minutes_chairman_return(minutes=circulated, by=chairman, comments="Second thoughts")


def test_only_the_chairman_answers(member, coordinator, circulated):
    for user in (member, coordinator):
        with pytest.raises(ValidationError, match="Only the Chairman"):
            minutes_chairman_approve(minutes=circulated, by=user)


def test_comments_must_be_written(chairman, circulated):
    with pytest.raises(ValidationError) as refused:
        minutes_chairman_return(minutes=circulated, by=chairman, comments="  ")
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
        minutes_chairman_approve(minutes=circulated, by=chairman)
        raise RuntimeError("the change is undone")
    assert mail.outbox == []
    assert Minutes.objects.get(pk=circulated.pk).chairman_response == ""


def test_circulating_again_clears_the_answer_and_asks_afresh(
    chairman, coordinator_client, circulated, django_capture_on_commit_callbacks
):
    minutes_chairman_return(minutes=circulated, by=chairman, comments="Minute 6 is too long.")
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
    minutes_chairman_approve(minutes=circulated, by=chairman)


def test_published_minutes_take_no_answer(chairman, circulated):
    minutes_advance(minutes=circulated)
    with pytest.raises(ValidationError, match="not waiting for the Chairman"):
        minutes_chairman_approve(minutes=circulated, by=chairman)
