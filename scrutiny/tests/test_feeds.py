"""RSS and Atom feeds of what is published and decided, per committee and site-wide:
valid XML, the public's view whoever asks, advertised on the pages they cover."""

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "Operation Nightjar"
PUBLIC_RESOLUTIONS = [
    "That the report be noted.",
    "That a presentation by a crime data expert be added to the Work Plan.",
]


@pytest.fixture
def minuted(committee, held_meeting):
    """The meeting held a week ago with its published minutes (a public resolution and
    an exempt minute's one); an exempt and a public item added to a later meeting's
    published agenda; and a draft meeting."""
    coming = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=coming, title="Budget")
    agenda_publish(meeting=coming)
    agenda_item_add(meeting=coming, title="Street lighting update")
    agenda_item_add(
        meeting=coming,
        title="Contract award",
        full_title="Contract award to Acme Security Ltd",
        exempt_paragraph=3,
        exempt_reason="Commercial terms",
    )
    draft = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=60),
        venue="Civic Centre",
    )
    return held_meeting, coming, draft


def _entries(response) -> list[dict]:
    """Parse the feed (RSS 2.0 or Atom) and return its entries' titles, links and text."""
    root = ET.fromstring(response.content)
    if root.tag == f"{ATOM}feed":
        return [
            {
                "title": entry.findtext(f"{ATOM}title"),
                "link": entry.find(f"{ATOM}link").get("href"),
                "text": entry.findtext(f"{ATOM}summary") or "",
                "id": entry.findtext(f"{ATOM}id"),
            }
            for entry in root.iter(f"{ATOM}entry")
        ]
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "text": item.findtext("description") or "",
            "id": item.findtext("guid"),
        }
        for item in root.iter("item")
    ]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_updates_feed_lists_what_was_published_and_nothing_exempt_or_draft(
    client, committee, minuted, coordinator, fmt
):
    meeting, coming, draft = minuted
    for url in (
        reverse(f"updates_{fmt}"),
        reverse(f"committee_updates_{fmt}", kwargs={"slug": committee.slug}),
    ):
        # A co-ordinator's feed reader gets the public's feed too.
        client.force_login(coordinator)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(f"application/{fmt}+xml")
        entries = _entries(response)
        titles = [entry["title"] for entry in entries]
        assert any(t.startswith("Minutes published:") for t in titles)
        assert sum(t.startswith("Agenda published:") for t in titles) == 2
        assert any("Supplementary item: Street lighting update" in t for t in titles)
        assert not any("Contract award" in t for t in titles)
        assert not any(draft.get_absolute_url() in entry["link"] for entry in entries)
        assert len({entry["id"] for entry in entries}) == len(entries)
        assert SECRET.encode() not in response.content
        assert b"Acme" not in response.content


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_decisions_feed_carries_public_resolutions_only(
    client, committee, minuted, coordinator, fmt
):
    client.force_login(coordinator)
    response = client.get(reverse(f"committee_decisions_{fmt}", kwargs={"slug": committee.slug}))
    entries = _entries(response)
    assert [entry["text"] for entry in entries] == PUBLIC_RESOLUTIONS
    assert "#minute-" in entries[0]["link"]
    assert b"informant" not in response.content and SECRET.encode() not in response.content
    site_wide = _entries(client.get(reverse(f"decisions_{fmt}")))
    assert [entry["text"] for entry in site_wide] == PUBLIC_RESOLUTIONS


def test_a_feed_of_no_committee_is_not_found(client):
    assert client.get("/committees/nope/updates.atom").status_code == 404


def test_feeds_are_advertised_on_the_pages_they_cover(client, committee, minuted):
    pages = {
        reverse("home"): reverse("updates_atom"),
        committee.get_absolute_url(): reverse(
            "committee_updates_atom", kwargs={"slug": committee.slug}
        ),
        reverse("decision_list", kwargs={"slug": committee.slug}): reverse(
            "committee_decisions_atom", kwargs={"slug": committee.slug}
        ),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html
        assert client.get(feed).status_code == 200


def test_a_feed_takes_a_fixed_number_of_queries(
    client, committee, minuted, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("updates_atom"))
    with django_assert_max_num_queries(6):
        client.get(reverse("committee_decisions_atom", kwargs={"slug": committee.slug}))


def test_pasted_control_characters_and_cancellations_keep_the_feed_valid(
    client, committee, minuted
):
    from meetings.models import MeetingStatus

    _held, coming, _draft = minuted
    agenda_item_add(meeting=coming, title="Budget\x0bupdate <b>&</b> more")
    coming.refresh_from_db()
    coming.status = MeetingStatus.CANCELLED
    coming.save()
    response = client.get(reverse("committee_updates_atom", kwargs={"slug": committee.slug}))
    entries = _entries(response)
    titles = [entry["title"] for entry in entries]
    assert any(t.startswith("Meeting cancelled:") for t in titles)
    assert any("Budget update <b>&</b> more" in t for t in titles)
    assert all(entry["id"].startswith("tag:") for entry in entries)
    feeds = {
        ET.fromstring(client.get(reverse(name)).content).findtext(f"{ATOM}id")
        for name in ("updates_atom", "decisions_atom")
    }
    assert len(feeds) == 2 and all(feed.startswith("tag:") for feed in feeds)
