"""Entitlements kept between requests: worked out once until the next change or the
next day, and never stale after a change that gives or takes access."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from scrutiny import access
from scrutiny.access import Role
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db(transaction=True)  # changes commit, as in life

FULL_TITLE = "Kestrel team tasking: named offenders"


@pytest.fixture(autouse=True)
def shared_cache_on(settings):
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 60
    cache.clear()


@pytest.fixture
def exempt_item(make_exempt_item):
    return make_exempt_item(title="Exempt item", full_title=FULL_TITLE)


def fresh(user):
    """The user as a new request loads it: no per-request caches."""
    return type(user).objects.get(pk=user.pk)


def test_a_second_request_asks_no_entitlement_queries(
    exempt_item, member, django_assert_num_queries
):
    meeting = exempt_item.meeting
    assert access.can_see_exempt_of_meeting(fresh(member), meeting)
    again = fresh(member)
    with django_assert_num_queries(0):
        assert access.can_see_exempt_of_meeting(again, meeting)
        assert access.can_see_item_in_full(again, exempt_item)


def test_a_membership_ending_takes_access_at_once(exempt_item, member):
    from scrutiny.models import Membership

    meeting = exempt_item.meeting
    assert access.can_see_exempt_of_meeting(fresh(member), meeting)
    Membership.objects.filter(person__user=member).update(
        end_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert not access.can_see_exempt_of_meeting(fresh(member), meeting)


def test_a_grant_revoked_takes_access_at_once_through_the_pages(
    exempt_item, councillor, coordinator
):
    from exempt.services import grant_create, grant_revoke

    grant = grant_create(
        user=councillor,
        item=exempt_item,
        granted_by=coordinator,
        reason="Ward councillor",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    reader = Client(HTTP_HOST="127.0.0.1")
    reader.force_login(councillor)
    url = exempt_item.meeting.get_absolute_url()
    assert FULL_TITLE in text_of(reader.get(url))
    grant_revoke(grant=grant, revoked_by=coordinator)
    assert FULL_TITLE not in text_of(reader.get(url))


def test_a_grant_that_ends_yesterday_is_not_kept_into_today(
    exempt_item, councillor, coordinator, monkeypatch
):
    from django.utils import timezone

    from exempt.services import grant_create

    today = timezone.localdate()
    grant_create(
        user=councillor,
        item=exempt_item,
        granted_by=coordinator,
        reason="Ward councillor",
        expires_on=today,
    )
    assert access.can_see_item_in_full(fresh(councillor), exempt_item)
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert not access.can_see_item_in_full(fresh(councillor), exempt_item)


def test_a_change_not_yet_committed_is_not_answered_from_the_cache(exempt_item, member):
    from django.db import transaction

    from scrutiny.models import Membership

    meeting = exempt_item.meeting
    assert access.can_see_exempt_of_meeting(fresh(member), meeting)
    with transaction.atomic():
        Membership.objects.filter(person__user=member).update(
            end_date=datetime.date.today() - datetime.timedelta(days=1)
        )
        assert not access.can_see_exempt_of_meeting(fresh(member), meeting)


def test_forget_asks_again_within_the_request(exempt_item, make_user, committee):
    coordinator = make_user(role=Role.COORDINATOR, username="new-coordinator")
    meeting = exempt_item.meeting
    assert not access.can_edit_committee(coordinator, committee)
    committee.coordinators.add(coordinator)
    access.forget(coordinator)
    assert access.can_edit_committee(coordinator, committee)
    assert access.can_see_exempt_of_meeting(coordinator, meeting)


def test_nothing_is_kept_without_a_shared_cache(exempt_item, member, settings):
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 0
    access.can_see_exempt_of_meeting(fresh(member), exempt_item.meeting)
    assert not any("entitlements" in key for key in cache._cache)


def test_no_transaction_reads_entitlements_from_the_cache(member, committee):
    """Not even one that has written nothing yet: it may decide what to write from
    them, and another's committed change may not have bumped the version yet."""
    from django.db import transaction

    assert access.can_see_exempt(fresh(member), committee)  # kept now
    assert access._shared_entitlements(fresh(member)) is not None
    with transaction.atomic():
        assert access._shared_entitlements(fresh(member)) is None
