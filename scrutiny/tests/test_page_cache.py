"""The anonymous page cache: public pages kept until the next change, revalidated with
ETags, and never anything a signed-in user, or an exempt item, gives."""

import pytest
from django.test import Client

from meetings.models import AgendaSection
from scrutiny.page_cache import content_version
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db(transaction=True)  # changes commit, as in life


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def published(committee, make_meeting, make_item):
    meeting = make_meeting(committee=committee)
    item = make_item(meeting=meeting, title="Anti-social behaviour in the town centre")
    return meeting, item


def reader():
    return Client(HTTP_HOST="127.0.0.1")


def test_a_public_page_is_kept_and_revalidated_cheaply(published, django_assert_num_queries):
    meeting, _ = published
    first = reader().get(meeting.get_absolute_url())
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache" and first["Last-Modified"]
    with django_assert_num_queries(0):  # kept whole: no query at all
        again = reader().get(meeting.get_absolute_url())
    assert again.content == first.content and again["ETag"] == etag
    with django_assert_num_queries(0):
        unchanged = reader().get(meeting.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_change_is_seen_by_the_next_request(published):
    meeting, item = published
    assert "Anti-social behaviour" in text_of(reader().get(meeting.get_absolute_url()))
    version = content_version()
    item.title = "Night-time economy"
    item.save()
    assert content_version() > version
    page = text_of(reader().get(meeting.get_absolute_url()))
    assert "Night-time economy" in page and "Anti-social behaviour" not in page


def test_an_item_made_exempt_after_publication_leaves_no_kept_copy(published):
    meeting, item = published

    urls = [meeting.get_absolute_url(), f"/meetings/{meeting.pk}/items/{item.pk}/"]
    for address in urls:
        assert "Anti-social behaviour in the town centre" in text_of(reader().get(address))
    # A direct UPDATE, as the admin or a data fix would make: no signal, no service.
    type(item).objects.filter(pk=item.pk).update(
        section=AgendaSection.EXEMPT,
        exempt_paragraph=3,
        exempt_reason="x",
        title="Exempt business",
        full_title="Anti-social behaviour in the town centre",
    )
    for address in urls:
        page = text_of(reader().get(address))
        assert "Exempt business" in page
        assert "Anti-social behaviour in the town centre" not in page


def test_signed_in_pages_and_reads_that_write_only_logs_are_not_kept(published, coordinator_client):
    meeting, _ = published
    before = content_version()
    signed_in = coordinator_client.get(meeting.get_absolute_url())
    assert "ETag" not in signed_in
    assert "private" in signed_in["Cache-Control"]
    assert content_version() == before  # reading wrote only logs and visits
    # A visitor with a session cookie (signed in or not) is never given a kept page.
    visitor = reader()
    visitor.cookies["sessionid"] = "whatever"
    assert "ETag" not in visitor.get(meeting.get_absolute_url())


def test_pages_that_set_a_cookie_or_fail_are_not_kept(published):
    sign_in = reader().get("/accounts/login/")
    assert "ETag" not in sign_in
    missing = reader().get("/meetings/999999/")
    assert missing.status_code == 404 and "ETag" not in missing


def test_a_rolled_back_change_still_lets_later_changes_retire_pages(published):
    from django.db import transaction

    meeting, item = published
    try:
        with transaction.atomic():
            item.title = "Never saved"
            item.save()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    reader().get(meeting.get_absolute_url())
    item.title = "Saved later"
    item.save()
    assert "Saved later" in text_of(reader().get(meeting.get_absolute_url()))


def test_a_change_made_while_the_cache_is_down_is_saved_and_retires_pages_later(
    published, monkeypatch
):
    from scrutiny import page_cache

    meeting, item = published
    reader().get(meeting.get_absolute_url())  # kept

    class Down:
        def __getattr__(self, name):
            def refuse(*args, **kwargs):
                raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

            return refuse

    monkeypatch.setattr(page_cache, "cache", Down())
    item.title = "Changed while the cache was down"
    item.save()  # no error: the change stands
    item.refresh_from_db()
    assert item.title == "Changed while the cache was down"
    assert page_cache._bump_owed
    monkeypatch.undo()  # the cache is back
    page = text_of(reader().get(meeting.get_absolute_url()))
    assert "Changed while the cache was down" in page
    assert not page_cache._bump_owed


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ('INSERT INTO "meetings_agendaitem" ("title") VALUES (%s)', True),
        ('/* admin */ UPDATE "meetings_agendaitem" SET "title" = %s', True),
        ('INSERT OR IGNORE INTO "scrutiny_committee_coordinators" VALUES (1, 2)', True),
        ("WITH x AS (SELECT 1) UPDATE meetings_agendaitem SET title = 'x'", True),
        ("TRUNCATE meetings_agendaitem", True),
        ('INSERT INTO "exempt_accesslog" ("what") VALUES (%s)', False),
        ('SELECT "meetings_meeting"."id" FROM "meetings_meeting"', False),
        ("(SELECT 1) UNION (SELECT 2)", False),
        ("SAVEPOINT s1", False),
        ("SET LOCAL enable_seqscan = off", False),
    ],
)
def test_every_statement_but_reads_and_log_writes_retires_pages(sql, watched):
    from scrutiny.page_cache import _is_watched_write

    assert _is_watched_write(sql) is watched


def test_a_lost_version_never_brings_old_pages_back(published):
    from django.core.cache import cache

    from scrutiny.page_cache import VERSION_KEY

    meeting, item = published
    reader().get(meeting.get_absolute_url())  # kept under the first version
    first = content_version()
    item.title = "Night-time economy"
    item.save()
    cache.delete(VERSION_KEY)  # evicted, or a replica behind
    assert content_version() != first
    assert "Night-time economy" in text_of(reader().get(meeting.get_absolute_url()))


def test_only_addresses_without_a_query_are_kept(published):
    meeting, _ = published
    url = meeting.get_absolute_url()
    assert "ETag" in reader().get(url)
    assert "ETag" in reader().get(f"{url}?page=2")
    assert "ETag" not in reader().get(f"{url}?junk=1")
    assert "ETag" not in reader().get(f"{url}?page=99999999")


def test_if_modified_since_alone_never_gets_a_304(published):
    meeting, _ = published
    first = reader().get(meeting.get_absolute_url())
    again = reader().get(meeting.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200


def test_downloads_are_never_kept_and_revalidate_by_their_own_etag(published, make_document):
    from django.urls import reverse

    _, item = published
    url = reverse("papers:document_download", args=[make_document(item=item).pk])
    first = reader().get(url)
    etag = first["ETag"]
    assert first.streaming  # a file, served by the view each time: never kept whole
    assert first["Cache-Control"] == "private, max-age=0, must-revalidate"
    again = reader().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert reader().get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
