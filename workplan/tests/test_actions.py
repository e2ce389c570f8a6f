"""The recommendations and actions tracker: what a resolution asks of someone, its due
date, response and outcome, overdue actions, reminders and the weekly digest (each sent
once), and who may read an action asked in exempt minutes."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from scrutiny.testing import text_of
from workplan.models import ActionStatus, TrackedAction
from workplan.services import action_create, action_update, actions_digest, actions_remind

pytestmark = pytest.mark.django_db


def test_a_due_date_before_the_resolution_is_refused(resolution, held_meeting):
    meeting_day = timezone.localdate(held_meeting.starts_at)
    with pytest.raises(ValidationError) as error:
        action_create(
            resolution=resolution,
            user=None,
            description="Respond",
            owner_name="Cabinet",
            due_date=meeting_day - datetime.timedelta(days=1),
        )
    assert "on or after the meeting" in error.value.message_dict["due_date"][0]
    action = action_create(
        resolution=resolution,
        user=None,
        description="Respond",
        owner_name="Cabinet",
        due_date=meeting_day,
    )
    assert action.minute == resolution.minute and action.status == ActionStatus.AWAITING


def test_another_committees_resolution_is_refused(resolution, make_committee):
    with pytest.raises(ValidationError, match="another committee"):
        action_create(
            resolution=resolution,
            user=None,
            committee=make_committee(),
            description="x",
            owner_name="y",
            due_date=timezone.localdate(),
        )


def test_an_outcome_needs_the_response_and_is_dated(resolution, make_action):
    action = make_action(resolution)
    fields = {
        "description": action.description,
        "owner_name": action.owner_name,
        "due_date": action.due_date,
    }
    with pytest.raises(ValidationError) as error:
        action_update(
            action=action, user=None, based_on=action.version, status="accepted", **fields
        )
    assert "Enter the response" in error.value.message_dict["response"][0]
    today = timezone.localdate()
    action = action_update(
        action=action,
        user=None,
        based_on=action.version,
        status=ActionStatus.ACCEPTED,
        response="Cabinet accepted the recommendation on 12 March.",
        today=today,
        **fields,
    )
    assert (action.status, action.responded_on) == (ActionStatus.ACCEPTED, today)
    # A stale form does not overwrite it.
    with pytest.raises(ValidationError, match="Someone else changed this action"):
        action_update(action=action, user=None, based_on=1, status="awaiting", **fields)


def test_overdue_is_awaiting_after_the_due_date(resolution, make_action):
    action = make_action(resolution, due_in_days=3)
    today = timezone.localdate()
    assert not action.is_overdue(today)
    assert action.is_overdue(today + datetime.timedelta(days=4))
    action_update(
        action=action,
        user=None,
        based_on=action.version,
        description=action.description,
        owner_name=action.owner_name,
        due_date=action.due_date,
        status=ActionStatus.RESPONDED,
        response="Done",
    )
    action.refresh_from_db()
    assert not action.is_overdue(today + datetime.timedelta(days=4))


def test_the_reminder_goes_a_week_before_and_once(
    resolution, make_action, django_capture_on_commit_callbacks
):
    soon = make_action(resolution, due_in_days=6)
    make_action(resolution, due_in_days=20, owner_email="later@example.org")
    make_action(resolution, due_in_days=5, owner_email="")  # nobody to remind
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_remind() == 1
    assert [m.to for m in mail.outbox] == [["csm@dartford.gov.uk"]]
    assert "crime data expert" not in mail.outbox[0].body  # the description, not the text
    assert "Officers to respond to Members" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_remind() == 0
    assert len(mail.outbox) == 1
    # A new due date is reminded again.
    action_update(
        action=soon,
        user=None,
        based_on=soon.version,
        description=soon.description,
        owner_name=soon.owner_name,
        owner_email=soon.owner_email,
        due_date=soon.due_date + datetime.timedelta(days=1),
        status=ActionStatus.AWAITING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_remind() == 1


def test_a_reminder_never_carries_an_exempt_action(
    exempt_resolution, make_action, django_capture_on_commit_callbacks
):
    make_action(exempt_resolution, due_in_days=2, description="Invite Nightjar's informant")
    with django_capture_on_commit_callbacks(execute=True):
        actions_remind()
    (message,) = mail.outbox
    assert "Nightjar" not in message.body and "informant" not in message.body
    assert "exempt part of the minutes" in message.body
    assert all("Nightjar" not in str(alt[0]) for alt in getattr(message, "alternatives", []))


def test_the_weekly_digest_goes_to_the_coordinators_once_a_week(
    resolution, make_action, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "coordinator@dartford.gov.uk"
    coordinator.save()
    action = make_action(resolution, due_in_days=1)
    later = timezone.localdate() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_digest(today=later) == 1
        assert actions_digest(today=later) == 0
    (digest,) = mail.outbox
    assert digest.to == ["coordinator@dartford.gov.uk"]
    assert "1 overdue action" in digest.subject
    assert action.description in digest.body
    next_week = later + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_digest(today=next_week) == 1


def test_the_command_runs_both(resolution, make_action, django_capture_on_commit_callbacks):
    make_action(resolution, due_in_days=2)
    out = __import__("io").StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_action_reminders", stdout=out)
    assert "Reminders queued: 1" in out.getvalue()


# --- the pages -----------------------------------------------------------------------


def test_the_tracker_highlights_overdue_actions_in_words(
    client, committee, resolution, make_action
):
    action = make_action(resolution, due_in_days=1)
    TrackedAction.objects.filter(pk=action.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("workplan:actions", kwargs={"slug": committee.slug})
    page = text_of(client.get(url))
    assert "Overdue" in page and "Community Safety Manager" in page
    assert "Record the response" not in page
    assert "Officers to respond" in text_of(client.get(url, {"status": "overdue"}))
    assert "No actions with that status" in text_of(client.get(url, {"status": "implemented"}))
    assert client.get(url, {"status": "<script>"}).status_code == 200


def test_an_exempt_action_is_listed_only_for_those_entitled(
    client, committee, exempt_resolution, make_action, member, councillor, officer, coordinator
):
    make_action(exempt_resolution, description="Invite Nightjar's informant back")
    url = reverse("workplan:actions", kwargs={"slug": committee.slug})
    for reader in (None, councillor, officer):
        client.logout()
        if reader:
            client.force_login(reader)
        html = client.get(url).content.decode()
        assert "Nightjar" not in html and "No actions" in text_of(client.get(url))
    for reader in (member, coordinator):
        client.force_login(reader)
        assert "Nightjar" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["member", "councillor", "officer"])
def test_only_coordinators_track_and_answer_actions(
    request, client, role, committee, resolution, make_action
):
    action = make_action(resolution)
    client.force_login(request.getfixturevalue(role))
    add = reverse("workplan:action_add", kwargs={"slug": committee.slug})
    assert client.get(add, {"resolution": resolution.pk}).status_code == 403
    edit = reverse("workplan:action_edit", kwargs={"slug": committee.slug, "pk": action.pk})
    assert client.post(edit, {"status": "implemented", "response": "x"}).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.AWAITING


def test_the_coordinator_tracks_an_action_from_the_minutes(
    client, coordinator, committee, resolution, held_meeting
):
    client.force_login(coordinator)
    minutes = reverse("minutes:minutes_detail", kwargs={"meeting_pk": held_meeting.pk})
    add = reverse("workplan:action_add", kwargs={"slug": committee.slug})
    assert f"{add}?resolution={resolution.pk}" in client.get(minutes).content.decode()
    early = timezone.localdate(held_meeting.starts_at) - datetime.timedelta(days=2)
    response = client.post(
        f"{add}?resolution={resolution.pk}",
        {"description": "Invite an expert", "owner_name": "", "due_date": early.isoformat()},
    )
    html = response.content.decode()
    assert "There is a problem" in html and "Enter who must respond" in html
    assert "Invite an expert" in html
    response = client.post(
        f"{add}?resolution={resolution.pk}",
        {"description": "Invite an expert", "owner_name": "CSM", "due_date": early.isoformat()},
    )
    assert "on or after the meeting" in response.content.decode()
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        f"{add}?resolution={resolution.pk}",
        {"description": "Invite an expert", "owner_name": "CSM", "due_date": due.isoformat()},
        follow=True,
    )
    assert "Action tracked: due from CSM" in text_of(response)
    assert TrackedAction.objects.get().resolution == resolution


def test_the_tracker_asks_a_fixed_number_of_queries(
    client,
    member,
    committee,
    resolution,
    exempt_resolution,
    make_action,
    django_assert_max_num_queries,
):
    client.force_login(member)
    url = reverse("workplan:actions", kwargs={"slug": committee.slug})
    make_action(resolution)
    make_action(exempt_resolution)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for days in range(20, 40):
        make_action(resolution if days % 2 else exempt_resolution, due_in_days=days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_actions_list_pages_by_fifty_in_a_fixed_number_of_queries(
    client, committee, resolution, make_action, django_assert_max_num_queries
):
    url = reverse("workplan:actions", kwargs={"slug": committee.slug})
    for number in range(3):
        make_action(resolution, description=f"Action {number:02d}", due_in_days=number)
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    for number in range(3, 55):
        make_action(resolution, description=f"Action {number:02d}", due_in_days=number)
    with django_assert_max_num_queries(few):
        first = text_of(client.get(url))
    assert "Page 1 of 2" in first and "Action 49" in first and "Action 50" not in first
    response = client.get(url, {"page": 2, "status": "awaiting"})
    second = text_of(response)
    assert "Action 54" in second and "Page 2 of 2" in second
    assert 'href="?status=awaiting&amp;page=1"' in response.content.decode()
