"""Data kept for every reader alike (scrutiny.fragments.kept): a meeting, its agenda,
papers, packs and minutes read once until the next change, with the access policy
asked afresh of each reader, and the content version read once a request."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, MeetingStatus
from meetings.selectors import meeting_get
from scrutiny import fragments, page_cache
from scrutiny.testing import client_for as signed_in
from scrutiny.testing import text_of
from scrutiny.tests.titles import FULL_TITLE

# Changes commit, as in life; the shared cache is on.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_cache_on")]

# The tables the meeting page reads for every reader alike.
KEPT_TABLES = (
    '"meetings_meeting"',
    '"meetings_agendaitem"',
    '"papers_document"',
    '"papers_documentversion"',
    '"packs_pack"',
    '"packs_packentry"',
    '"minutes_minutes"',
)


def _tables_read(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return {table for q in queries for table in KEPT_TABLES if f"FROM {table}" in q["sql"]}


def test_a_second_request_reads_the_meeting_from_the_cache(agenda, member):
    meeting, _, _ = agenda
    reader = signed_in(member)
    assert _tables_read(reader, meeting.get_absolute_url()) >= {
        '"meetings_meeting"',
        '"meetings_agendaitem"',
        '"papers_document"',
    }
    assert _tables_read(reader, meeting.get_absolute_url()) == set()
    assert FULL_TITLE in text_of(reader.get(meeting.get_absolute_url()))


@pytest.mark.parametrize("first", ["member", "councillor"])
def test_kept_data_is_shown_to_each_reader_as_the_policy_decides(agenda, member, councillor, first):
    meeting, _, exempt = agenda
    readers = {"member": signed_in(member), "councillor": signed_in(councillor)}
    readers[first].get(meeting.get_absolute_url())  # fills the cache
    item_url = f"{meeting.get_absolute_url()}items/{exempt.pk}/"
    assert FULL_TITLE in text_of(readers["member"].get(meeting.get_absolute_url()))
    page = text_of(readers["councillor"].get(meeting.get_absolute_url()))
    assert FULL_TITLE not in page and "Tasking plan" not in page
    assert FULL_TITLE not in text_of(readers["councillor"].get(item_url))
    assert FULL_TITLE in text_of(readers["member"].get(item_url))


def test_a_meeting_withdrawn_behind_the_apps_back_is_gone_at_once(agenda, member, coordinator):
    meeting, _, _ = agenda
    url = meeting.get_absolute_url()
    reader, anonymous = signed_in(member), Client(HTTP_HOST="127.0.0.1")
    assert reader.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DRAFT)
    assert reader.get(url).status_code == 404
    assert anonymous.get(url).status_code == 404
    assert signed_in(coordinator).get(url).status_code == 200  # drafts: their own committee


def test_a_paper_added_is_listed_at_once(agenda, member, make_document):
    meeting, public, _ = agenda
    reader = signed_in(member)
    assert "Equality impact" not in text_of(reader.get(meeting.get_absolute_url()))
    make_document(item=public, title="Equality impact assessment")
    assert "Equality impact assessment" in text_of(reader.get(meeting.get_absolute_url()))


def test_a_transaction_with_writes_reads_its_own_changes(agenda, member):
    meeting, _, _ = agenda
    meeting_get(user=member, pk=meeting.pk)  # kept as published
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DRAFT)
        with pytest.raises(Meeting.DoesNotExist):
            meeting_get(user=member, pk=meeting.pk)
        transaction.set_rollback(True)
    assert meeting_get(user=member, pk=meeting.pk).pk == meeting.pk


def test_nothing_is_kept_without_a_shared_cache(agenda, member, settings):
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 0
    cache.clear()
    meeting, _, _ = agenda
    signed_in(member).get(meeting.get_absolute_url())
    assert not [key for key in cache._cache if "scrutiny:kept:" in key]


def test_a_request_reads_the_version_once_and_forgets_it_when_it_changes(monkeypatch):
    reads = []
    real = page_cache.content_version
    monkeypatch.setattr(page_cache, "content_version", lambda: reads.append(1) or real())
    request_started.send(sender=None)
    try:
        first = fragments.fragment_version()
        assert fragments.fragment_version() == first
        assert len(reads) == 1
        page_cache.content_version_bump()
        assert fragments.fragment_version() != first
        assert len(reads) == 2
    finally:
        request_finished.send(sender=None)
    # Outside a request (a worker) the version is read every time.
    fragments.fragment_version()
    fragments.fragment_version()
    assert len(reads) == 4


def test_the_redis_cache_shares_one_client_per_pool():
    from scrutiny.cache import SharedRedisCache

    shared = SharedRedisCache("redis://127.0.0.1:6379/9", {})
    client = shared._cache.get_client()
    assert shared._cache.get_client(write=True) is client
    assert shared._cache.get_client("any key") is client


# --- feeds: the public's, whoever reads them ---------------------------------------


@pytest.mark.parametrize(
    "address",
    ["/meetings/meetings.ics", "/feeds/updates.rss", "/committees/{slug}/decisions.atom"],
)
def test_a_feed_is_kept_for_signed_in_readers_too(agenda, member, committee, address):
    url = address.format(slug=committee.slug)
    reader = signed_in(member)
    first = reader.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = reader.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert not [q for q in queries if '"meetings_meeting"' in q["sql"]]
    # The same as the public reads it.
    assert Client().get(url).content == first.content


def test_a_kept_feed_shows_a_change_at_once(agenda, member, committee, make_meeting):
    import datetime

    from django.utils import timezone

    reader = signed_in(member)
    before = reader.get("/meetings/meetings.ics").content.decode()
    later = make_meeting(
        committee=committee, starts_at=timezone.now() + datetime.timedelta(days=40)
    )
    after = reader.get("/meetings/meetings.ics").content.decode()
    assert f"meeting-{later.pk}@" not in before and f"meeting-{later.pk}@" in after


def test_a_feed_asked_with_a_query_string_is_not_kept(agenda, member):
    signed_in(member).get("/feeds/updates.rss?anything=1")
    assert not [key for key in cache._cache if "scrutiny:kept-response:" in key]


def test_a_bump_owed_is_made_before_anything_kept_is_read_again(monkeypatch):
    before = page_cache.content_version()
    monkeypatch.setattr(page_cache, "_bump_owed", True)
    version = fragments.fragment_version()
    assert version is not None and version != before
    assert not page_cache.bump_owed()


def test_the_search_pages_lists_of_committees_and_years_are_kept(agenda, member):
    reader = signed_in(member)
    reader.get("/search/?q=behaviour")
    with CaptureQueriesContext(connection) as queries:
        assert reader.get("/search/?q=town").status_code == 200
    assert not [q for q in queries if 'DISTINCT "search_searchentry"."year"' in q["sql"]]
    assert not [q for q in queries if q["sql"].startswith('SELECT "scrutiny_committee"."id"')]


# --- transactions that read to decide what to write ----------------------------------


def _published_minutes(committee, coordinator):
    import datetime

    from django.utils import timezone

    from meetings.services import agenda_item_add, agenda_publish, meeting_create
    from minutes.models import Minutes
    from minutes.services import minute_save, minutes_advance, minutes_prefill, minutes_update

    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Strategic Assessment")
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    minute = minutes.entries.get(title="Strategic Assessment")
    minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title="Strategic Assessment",
        text="Operation Nightjar targets were named.",
        resolutions=[],
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    Minutes.objects.filter(pk=minutes.pk).update(pdf="", pdf_source_hash="")  # not built yet
    return minutes, minute


def test_a_minutes_pdf_rendered_as_a_minute_is_made_exempt_gives_way(
    committee, coordinator, monkeypatch
):
    """The build checks, with the minutes locked, that they still say what it rendered.
    A change that committed while it rendered is read there even before its bump of the
    content version reaches the cache: a transaction reads afresh, never kept data."""
    from minutes import pdf, services
    from minutes.models import Minute, Minutes

    minutes, minute = _published_minutes(committee, coordinator)
    render = pdf.render_pdf

    def render_while_the_minute_is_made_exempt(html):
        with monkeypatch.context() as later:
            later.setattr(page_cache, "content_version_bump", lambda: None)  # not yet
            Minute.objects.filter(pk=minute.pk).update(
                is_exempt=True, public_summary="The Committee noted the assessment."
            )
        return render(html)

    monkeypatch.setattr(pdf, "render_pdf", render_while_the_minute_is_made_exempt)
    assert services.minutes_pdf_build(minutes_id=minutes.pk) is False
    assert not Minutes.objects.get(pk=minutes.pk).pdf


def test_addresses_of_meetings_that_do_not_exist_keep_nothing(agenda):
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for missing in range(900_000, 900_020):
        assert anonymous.get(f"/meetings/{missing}/").status_code == 404
    assert not [key for key in cache._cache if "scrutiny:kept:meeting:" in key]


def test_a_draft_kept_for_its_coordinator_is_no_one_elses(
    committee, coordinator, make_meeting, make_user, make_committee
):
    from scrutiny.access import Role

    other = make_user(role=Role.COORDINATOR, username="other-coordinator")
    make_committee(name="Licensing Committee", slug="licensing").coordinators.add(other)
    draft = make_meeting(committee=committee)
    Meeting.objects.filter(pk=draft.pk).update(status=MeetingStatus.DRAFT)
    url = draft.get_absolute_url()
    assert signed_in(coordinator).get(url).status_code == 200  # kept now
    assert signed_in(other).get(url).status_code == 404
    assert Client(HTTP_HOST="127.0.0.1").get(url).status_code == 404
