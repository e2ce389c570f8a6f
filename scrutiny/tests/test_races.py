"""Rules that two requests at the same moment must not break, tried on PostgreSQL with
two connections at once: the database, not the first request's check, keeps them."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from conftest import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("races are tried on PostgreSQL (set DATABASE_URL)")


def at_once(*calls, pause=None):
    """Run each call in its own thread and connection, started together. Returns what
    each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the outcome is the result)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def slowed(monkeypatch, module, name, seconds=0.3, *, before=False):
    """Widen the window between a rule's check and its write, as a busy server would."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        if before:
            time.sleep(seconds)
        result = original(*args, **kwargs)
        if not before:
            time.sleep(seconds)
        return result

    monkeypatch.setattr(module, name, slow)


def test_one_chairman_at_a_time(committee, make_person, monkeypatch):
    from scrutiny import services
    from scrutiny.models import Membership, MembershipRole

    slowed(monkeypatch, services, "_overlapping")
    first, second = make_person(surname="Wells"), make_person(surname="Sandhu")

    def appoint(person):
        return lambda: services.membership_create(
            committee=committee,
            person=person,
            role=MembershipRole.CHAIR,
            start_date=datetime.date(2017, 5, 1),
        )

    results = at_once(appoint(first), appoint(second))
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Membership.objects.filter(committee=committee, role=MembershipRole.CHAIR).count() == 1


@pytest.fixture
def exempt_item(make_exempt_item):
    return make_exempt_item(title="Strategic Assessment", full_title="Operation Nightjar")


def test_one_pending_request_per_person_and_item(councillor, exempt_item):
    from exempt.models import AccessRequest
    from exempt.services import access_request_create

    def ask():
        return access_request_create(user=councillor, item=exempt_item, reason="Ward matter")

    results = at_once(ask, ask)
    assert sum(isinstance(r, AccessRequest) for r in results) == 1
    assert AccessRequest.objects.filter(user=councillor, item=exempt_item).count() == 1
    # The database itself refuses a second pending request, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.create(user=councillor, item=exempt_item, reason="Again")


def test_one_open_report_request_per_item_and_officer(coordinator, officer, committee):
    from meetings.services import agenda_item_add, meeting_create
    from papers.models import ReportRequest
    from papers.services import report_request_create

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="CSP Performance Report")

    def ask():
        return report_request_create(item=item, officer=officer, requested_by=coordinator)

    results = at_once(ask, ask)
    assert sum(isinstance(r, ReportRequest) for r in results) == 1
    assert ReportRequest.objects.filter(item=item).count() == 1


def test_two_moves_at_once_keep_the_agenda_in_order(committee, monkeypatch):
    from meetings import services
    from meetings.models import AgendaItem
    from meetings.services import agenda_item_add, agenda_item_move, meeting_create

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        venue="Council Chamber",
    )
    first = agenda_item_add(meeting=meeting, title="Performance")
    agenda_item_add(meeting=meeting, title="Refresh")
    last = agenda_item_add(meeting=meeting, title="Work Plan")
    slowed(monkeypatch, services, "_write_positions", before=True)
    results = at_once(
        lambda: agenda_item_move(item=first, offset=1),
        lambda: agenda_item_move(item=last, offset=-1),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    positions = list(AgendaItem.objects.filter(meeting=meeting).values_list("section", "position"))
    assert len(positions) == len(set(positions))
    for section in {s for s, _ in positions}:
        numbers = sorted(p for s, p in positions if s == section)
        assert numbers == list(range(1, len(numbers) + 1))
