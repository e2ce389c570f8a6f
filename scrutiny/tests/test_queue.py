"""Work the task queue could not take is kept, the person who asked is told, and it is
sent again when the queue is back."""

import datetime
import logging

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from packs.models import BuildState, Pack, PackKind
from scrutiny.models import UndeliveredTask
from scrutiny.queue import enqueue_on_commit, undelivered_tasks_send
from scrutiny.testing import queued_work, text_of

pytestmark = pytest.mark.django_db


class Unreachable:
    name = "packs.tasks.build_meeting_packs"

    def apply_async(self, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")


@pytest.fixture
def broker_configured(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_a_task_the_broker_refuses_is_kept_and_the_change_stands(
    broker_configured, caplog, django_user_model, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.ERROR, logger="scrutiny.queue"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        django_user_model.objects.create_user("kept", password="x" * 12)
        enqueue_on_commit(Unreachable(), 7, "token")
    assert len(queued_work(callbacks)) == 1  # it ran at commit, and raised nothing
    assert django_user_model.objects.filter(username="kept").exists()
    kept = UndeliveredTask.objects.get()
    assert (kept.task_name, kept.args) == ("packs.tasks.build_meeting_packs", [7, "token"])
    assert "Connection refused" in kept.last_error
    assert "kept to send again" in caplog.text


def test_a_task_that_fails_in_process_is_not_kept(caplog, django_capture_on_commit_callbacks):
    class FailsInProcess:
        name = "scrutiny.tasks.send_notice"

        def apply_async(self, **kwargs):
            raise ConnectionRefusedError("the mail server refused")

    with (
        caplog.at_level(logging.ERROR, logger="scrutiny.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit(FailsInProcess(), "subject")
    assert not UndeliveredTask.objects.exists()
    assert "failed in process" in caplog.text


def test_kept_tasks_are_sent_oldest_first_and_stay_while_the_queue_is_down(monkeypatch):
    from celery import current_app

    older = UndeliveredTask.objects.create(
        task_name="packs.tasks.build_meeting_packs",
        args=[1, "a"],
        created_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    newer = UndeliveredTask.objects.create(task_name="scrutiny.tasks.send_notice", args=["s"])

    def down(name, args):
        raise BrokerError("still down")

    monkeypatch.setattr(current_app, "send_task", down)
    assert undelivered_tasks_send() == 0
    older.refresh_from_db()
    assert (older.attempts, older.last_error) == (2, "still down")
    assert UndeliveredTask.objects.count() == 2

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args: sent.append((name, args)))
    assert undelivered_tasks_send() == 2
    assert sent == [("packs.tasks.build_meeting_packs", [1, "a"]), (newer.task_name, ["s"])]
    assert not UndeliveredTask.objects.exists()


def test_a_worker_that_starts_sends_what_waited(monkeypatch):
    from celery import current_app

    from scrutiny.celery import send_what_waited

    UndeliveredTask.objects.create(task_name="scrutiny.tasks.send_notice", args=["s"])
    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args: sent.append(name))
    send_what_waited()
    assert sent == ["scrutiny.tasks.send_notice"]


@pytest.fixture
def published_meeting(committee, coordinator):
    from meetings.services import agenda_item_add, agenda_publish, meeting_create

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Community Safety Partnership update")
    agenda_publish(meeting=meeting)
    return meeting


# Committed for real: the tasks are asked for when the request's changes commit.
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_asked_for_while_the_queue_is_down_says_so_and_is_not_called_lost(
    broker_configured, monkeypatch, published_meeting, coordinator_client, settings
):
    from packs import tasks

    monkeypatch.setattr(tasks.build_meeting_packs, "apply_async", Unreachable().apply_async)
    response = coordinator_client.post(
        reverse("packs:rebuild", args=[published_meeting.pk]), follow=True
    )
    page = text_of(response)
    assert "The task queue cannot be reached just now, so 1 background job" in page
    assert "(building the agenda packs) did not start" in page
    assert "The agenda packs are being rebuilt." not in page
    assert "The build is waiting" in page
    assert UndeliveredTask.objects.filter(args__0=published_meeting.pk).count() == 1

    # Long past the time a build takes, it is still waiting, not "lost".
    Pack.objects.filter(meeting=published_meeting).update(
        requested_at=timezone.now()
        - datetime.timedelta(seconds=settings.SCRUTINY_PACK_STALE_AFTER + 60)
    )
    page = text_of(coordinator_client.get(published_meeting.get_absolute_url()))
    assert "The build is waiting" in page
    assert (
        Pack.objects.get(meeting=published_meeting, kind=PackKind.PUBLIC).state == BuildState.QUEUED
    )
    # Readers are not told about the queue.
    from django.test import Client

    reader_page = text_of(Client().get(published_meeting.get_absolute_url()))
    assert "Agenda pack" in reader_page
    assert "task queue" not in reader_page


def test_a_rebuild_the_queue_takes_says_it_started(
    published_meeting, coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = coordinator_client.post(
            reverse("packs:rebuild", args=[published_meeting.pk]), follow=True
        )
    page = text_of(response)
    assert "The agenda packs are being rebuilt." in page
    assert "task queue" not in page


def test_a_notice_run_twice_is_sent_once(mailoutbox):
    from scrutiny.tasks import send_notice

    args = ("Report requested", "Please write it.", "officer@example.org", "", "", "k1")
    assert send_notice(*args) is True
    assert send_notice(*args) is False  # the worker was killed before acknowledging it
    assert len(mailoutbox) == 1
    assert send_notice(*args[:5], "k2") is True
    assert len(mailoutbox) == 2


def test_each_queued_notice_carries_its_own_key(django_capture_on_commit_callbacks, monkeypatch):
    from scrutiny import tasks
    from scrutiny.notices import notice_send

    queued = []
    monkeypatch.setattr(tasks.send_notice, "apply_async", lambda **kw: queued.append(kw["args"]))
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(subject="s", body="b", recipients=["a@example.org", "b@example.org"])
    keys = [args[-1] for args in queued]
    assert len(keys) == 2 and len(set(keys)) == 2 and all(len(key) == 32 for key in keys)


def test_the_command_sends_what_waited_and_says_what_is_left(monkeypatch):
    import io

    from celery import current_app
    from django.core.management import call_command

    UndeliveredTask.objects.create(task_name="scrutiny.tasks.send_notice", args=["s"])
    monkeypatch.setattr(current_app, "send_task", lambda name, args: None)
    out = io.StringIO()
    call_command("tasks_redeliver", stdout=out)
    assert out.getvalue().strip() == "Sent 1 job(s); 0 still waiting for the queue."
