"""Fragments kept for signed-in readers: shared only by readers the access policy
treats the same, retired by any change, and never rendered from a stale version."""

import datetime

import pytest
from django.core.cache import cache

from meetings.models import AgendaSection
from scrutiny.access import Role
from scrutiny.testing import client_for as signed_in
from scrutiny.testing import text_of
from scrutiny.tests.titles import FULL_TITLE

# Changes commit, as in life; the shared cache is on.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_cache_on")]


def _kept_fragments() -> int:
    return sum(1 for key in cache._cache if "scrutiny:fragment:agenda" in key)


def test_the_entitled_and_the_unentitled_never_share_an_agenda(agenda, member, councillor):
    meeting, _, _ = agenda
    url = meeting.get_absolute_url()
    # (Signing in writes the user's last login, a change: sign both in first.)
    entitled, not_entitled = signed_in(member), signed_in(councillor)
    # The entitled member renders first: the councillor, who sits on no committee, must
    # not be given that agenda.
    assert FULL_TITLE in text_of(entitled.get(url))
    assert FULL_TITLE in text_of(entitled.get(url))  # served from the fragment
    page = text_of(not_entitled.get(url))
    assert FULL_TITLE not in page and "Tasking plan" not in page
    assert "Exempt item" in page
    assert _kept_fragments() == 2


def test_readers_with_the_same_view_share_one_fragment(
    agenda, member, make_user, make_person, make_membership, committee
):
    meeting, _, _ = agenda
    url = meeting.get_absolute_url()
    other = make_user(role=Role.MEMBER, username="another-member")
    make_membership(committee=committee, person=make_person(user=other))
    one, two = signed_in(member), signed_in(other)
    first = one.get(url)
    second = two.get(url)
    assert _kept_fragments() == 1
    assert FULL_TITLE in text_of(second)
    assert text_of(first).split("Agenda", 1)[1] == text_of(second).split("Agenda", 1)[1]


def test_a_change_is_seen_by_the_next_signed_in_request(agenda, member):
    meeting, public, _ = agenda
    url = meeting.get_absolute_url()
    assert "Anti-social behaviour" in text_of(signed_in(member).get(url))
    type(public).objects.filter(pk=public.pk).update(title="Night-time economy")
    page = text_of(signed_in(member).get(url))
    assert "Night-time economy" in page and "Anti-social behaviour" not in page


def test_an_item_made_exempt_is_withheld_at_once(agenda, councillor):
    meeting, public, _ = agenda
    url = meeting.get_absolute_url()
    assert "ASB appendix" in text_of(signed_in(councillor).get(url))
    type(public).objects.filter(pk=public.pk).update(
        section=AgendaSection.EXEMPT,
        position=99,
        exempt_paragraph=3,
        exempt_reason="x",
        title="Exempt business",
        full_title="Anti-social behaviour in the town centre",
    )
    page = text_of(signed_in(councillor).get(url))
    assert "Anti-social behaviour" not in page and "ASB appendix" not in page


def test_a_grant_ending_changes_the_view(agenda, councillor, coordinator):
    from exempt.services import grant_create, grant_revoke

    meeting, _, exempt = agenda
    url = meeting.get_absolute_url()
    grant = grant_create(
        user=councillor,
        item=exempt,
        granted_by=coordinator,
        reason="Ward councillor",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    assert FULL_TITLE in text_of(signed_in(councillor).get(url))
    grant_revoke(grant=grant, revoked_by=coordinator)
    assert FULL_TITLE not in text_of(signed_in(councillor).get(url))


def test_no_fragment_is_kept_while_a_change_is_owed(agenda, member, monkeypatch):
    from scrutiny import page_cache

    meeting, _, _ = agenda
    monkeypatch.setattr(page_cache, "_bump_owed", True)
    monkeypatch.setattr(page_cache, "content_version_bump", lambda: None)
    signed_in(member).get(meeting.get_absolute_url())
    assert _kept_fragments() == 0


def test_without_a_shared_cache_nothing_is_kept(agenda, member, settings):
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 0
    meeting, _, _ = agenda
    assert FULL_TITLE in text_of(signed_in(member).get(meeting.get_absolute_url()))
    assert _kept_fragments() == 0


def test_exempt_minutes_are_never_shared_with_the_unentitled(held_meeting, member, councillor):
    from minutes.models import Minutes

    url = Minutes.objects.get(meeting=held_meeting).get_absolute_url()
    entitled, not_entitled = signed_in(member), signed_in(councillor)
    assert "informant be invited back" in text_of(entitled.get(url))
    page = text_of(not_entitled.get(url))
    assert "informant be invited back" not in page and "Nightjar" not in page
    assert "A confidential matter was discussed." in page
    assert sum(1 for key in cache._cache if "scrutiny:fragment:minutes" in key) == 2
    # And the other way round, from a cache the unentitled filled first.
    cache.clear()
    assert "Nightjar" not in text_of(not_entitled.get(url))
    assert "informant be invited back" in text_of(entitled.get(url))


def test_reading_exempt_minutes_from_a_kept_fragment_is_still_logged(held_meeting, member):
    from exempt.models import AccessEvent, AccessLog
    from minutes.models import Minutes

    url = Minutes.objects.get(meeting=held_meeting).get_absolute_url()
    reader = signed_in(member)
    reader.get(url)
    reader.get(url)
    viewed = AccessLog.objects.filter(user=member, event=AccessEvent.VIEWED)
    assert viewed.count() == 2


def test_reading_an_exempt_item_from_a_kept_agenda_is_still_logged(agenda, member):
    from exempt.models import AccessEvent, AccessLog

    meeting, _, exempt = agenda
    reader = signed_in(member)
    first, second = reader.get(meeting.get_absolute_url()), reader.get(meeting.get_absolute_url())
    assert AccessLog.objects.filter(user=member, event=AccessEvent.VIEWED, item=exempt).count() == 2
    assert "private" in second["Cache-Control"] and "private" in first["Cache-Control"]
