"""The crawler's proof for the roles an attacker would borrow: a co-ordinator of another
committee, and a Monitoring Officer with no grant; and again after a published item is
made exempt while no worker runs to rebuild the packs."""

import re

import pytest
from django.test import Client

from exempt.tests.test_crawler import body, crawl, login, site  # noqa: F401 (fixture)
from meetings.models import AgendaItem, AgendaSection, ItemKind
from meetings.services import agenda_item_update
from scrutiny import access

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coordinator(make_user, make_committee):
    user = make_user(role=access.Role.COORDINATOR, username="licensing-coordinator")
    make_committee(name="Licensing Committee").coordinators.add(user)
    return user


@pytest.fixture
def monitoring_officer(site):  # noqa: F811
    """The demo's Monitoring Officer, who holds no grant."""
    from django.contrib.auth import get_user_model

    from exempt.models import Grant

    user = get_user_model().objects.get(username="monitoring")
    assert user.groups.filter(name=access.Role.MONITORING_OFFICER).exists()
    assert not Grant.objects.filter(user=user).exists()
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_nothing_exempt(client: Client, who: str, learned, secrets, exempt_urls) -> int:
    own = crawl(client, ["/", "/exempt/grants/", "/exempt/requests/", "/exempt/log/"])
    for url in sorted(set(learned) | set(own)):
        response = client.get(url)
        assert response.status_code < 500, url
        text = body(response)
        for secret in secrets:
            assert secret not in text, f"{who} read exempt text at {url}"
        if url in exempt_urls:
            assert response.status_code in (302, 403, 404), f"{who} got {url}"
    return len(own)


def test_a_coordinator_of_another_committee_reads_nothing_exempt(site, other_coordinator):  # noqa: F811
    learned, secrets, exempt_urls = site
    assert_nothing_exempt(
        signed_in(other_coordinator),
        "another committee's co-ordinator",
        learned,
        secrets,
        exempt_urls,
    )


def test_a_monitoring_officer_without_a_grant_reads_nothing_exempt(site, monitoring_officer):  # noqa: F811
    learned, secrets, exempt_urls = site
    client = signed_in(monitoring_officer)
    reached = assert_nothing_exempt(client, "the Monitoring Officer", learned, secrets, exempt_urls)
    assert reached > 20
    # They do reach the pages where they decide: with public titles only.
    grants = client.get("/exempt/grants/")
    assert grants.status_code == 200
    assert "Or one exempt item" in body(grants)


def test_an_item_made_exempt_after_publication_leaks_nowhere(site):  # noqa: F811
    learned, secrets, exempt_urls = site
    item = (
        AgendaItem.objects.filter(
            section=AgendaSection.PUBLIC, kind=ItemKind.BUSINESS, documents__isnull=False
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at", "position")
        .first()
    )
    documents = [document.pk for document in item.documents.all()]
    # No worker runs in this test: the rebuild stays queued.
    agenda_item_update(
        item=item,
        title="Item of business",
        full_title=item.title,
        exempt_paragraph=3,
        exempt_reason="Information about the financial affairs of a person",
    )
    newly_exempt = {
        url
        for url in learned
        if "/packs/public.pdf" in url
        and f"/{item.meeting_id}/" in url
        or any(re.match(rf"^/papers/{pk}/(download|pdf|versions)", url) for pk in documents)
    }
    assert newly_exempt, "the crawl had reached the item's papers and the public pack"
    for role in ("anonymous", "councillor", "officer"):
        client = login(role)
        for url in sorted(newly_exempt):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), f"{role} still got {url}"
        page_response = client.get(item.meeting.get_absolute_url())
        meeting_page = body(page_response)
        assert "Item of business" in meeting_page
        for secret in secrets:
            assert secret not in meeting_page
