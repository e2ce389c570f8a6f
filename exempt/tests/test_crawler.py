"""The proof: crawl the demo site as a co-ordinator, then try every URL learned there
as each other role, and look for exempt text where it must not be."""

import html
import io
import re
from collections import deque

import pytest
from django.http import HttpRequest
from django.test import Client
from pypdf import PdfReader

from performance.demo import MISSING_REASON
from performance.models import Indicator
from scrutiny.demo import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.django_db

SKIP = ("/static/", "/admin/", "/accounts/logout/", "mailto:")
LINK = re.compile(r'(?:href|action)="([^"#]*)')
HREF = re.compile(r'href="([^"#]*)')


def crawl(client: Client, start: list[str], limit: int = 700, link=LINK) -> dict[str, object]:
    """GET every same-site link reachable from the start pages (never a form POST); by
    default form actions are tried as links too, as an attacker would."""
    seen: dict[str, object] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        response.crawled_url = url
        seen[url] = response
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in link.findall(response.content.decode()):
            href = html.unescape(href)
            if not href.startswith("/") or href.startswith(SKIP):
                continue
            # Month after month of empty calendars teaches nothing new.
            if re.match(r"^/meetings/calendar/\d+/\d+/$", href) and not re.search(
                r"/(2017|2018)/", href
            ):
                continue
            queue.append(href)
    return seen


def body(response) -> str:
    """What a response says: its bytes, and for text its words with entities decoded,
    so that a secret holding "&" or "’" is found however it was escaped."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        return _readable(content, response.get("Content-Type", ""))
    if response.get("Content-Type") == "application/pdf" and "/performance/" in getattr(
        response, "crawled_url", ""
    ):
        # The quarterly report is built for its reader: its words are read, not its bytes.
        pages = PdfReader(io.BytesIO(response.content)).pages
        return " ".join(" ".join(page.extract_text().split()) for page in pages)
    return _readable(response.content, response.get("Content-Type", ""))


def _readable(content: bytes, content_type: str) -> str:
    raw = content.decode("latin-1")
    if content_type.startswith(("text/", "application/json", "application/xml")) or (
        "+xml" in content_type or "+json" in content_type
    ):
        return raw + "\n" + html.unescape(content.decode("utf-8", errors="replace"))
    return raw


@pytest.fixture
def site(demo_data):
    from meetings.models import AgendaItem, Meeting
    from packs.services import packs_build
    from papers.models import Document

    for meeting in Meeting.objects.all():  # so that pack links are there to follow
        packs_build(meeting_id=meeting.pk)
    coordinator = Client()
    # django-axes checks every authenticate() call, which needs the request.
    assert coordinator.login(request=HttpRequest(), username="coordinator", password=DEMO_PASSWORD)
    learned = crawl(coordinator, ["/"])
    assert any("/packs/exempt.pdf" in url for url in learned)
    secrets = [
        item.full_title for item in AgendaItem.objects.filter(section=3).exclude(full_title="")
    ]
    assert secrets, "the demo has exempt items"
    # Pages that are exempt in themselves: restricted papers in every form, the exempt
    # pack. (Mixed pages, such as a meeting's agenda, are checked for the text instead.)
    restricted = {
        document.pk
        for document in Document.objects.select_related("item")
        if document.is_restricted
    }
    paper = re.compile(r"^/papers/(\d+)/")
    exempt_urls = {
        url
        for url in learned
        if "/packs/exempt.pdf" in url
        or ((match := paper.match(url)) and int(match[1]) in restricted)
    }
    # Performance figures received under an obligation of confidence are exempt too:
    # their indicators are left out of every page and CSV for those not entitled (names
    # and all), and their own pages (the series and its CSV) refuse them.
    confidential = list(Indicator.objects.filter(is_confidential=True))
    assert confidential, "the demo has a confidential indicator"
    performance_secrets = [indicator.name for indicator in confidential]
    # The reason a confidential figure is missing, shown in its place.
    performance_secrets.append(MISSING_REASON)
    performance_pages = {url: r for url, r in learned.items() if "/performance/" in url}
    assert any(url.endswith(".csv") or ".csv?" in url for url in performance_pages)
    assert any("/performance/report.pdf?" in url for url in performance_pages)
    for secret in performance_secrets:  # the co-ordinator reads them: the check can fail
        assert any(secret in body(r) for r in performance_pages.values()), secret
    secrets += performance_secrets
    codes = [indicator.code for indicator in confidential]
    exempt_urls |= {url for url in learned if any(f"/indicators/{code}/" in url for code in codes)}
    assert any("/indicators/" in url for url in exempt_urls)
    return learned, secrets, exempt_urls


def login(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        assert client.login(request=HttpRequest(), username=role, password=DEMO_PASSWORD)
    return client


@pytest.mark.parametrize("role", ["anonymous", "councillor", "officer"])
def test_no_exempt_text_reaches_anyone_not_entitled(role, site):
    learned, secrets, exempt_urls = site
    assert len(learned) > 60, "the crawl should reach the whole demo site"
    assert len(exempt_urls) > 5
    client = login(role)
    own = crawl(client, ["/"])
    for url in sorted(set(learned) | set(own)):
        response = client.get(url)
        response.crawled_url = url
        assert response.status_code < 500, url
        text = body(response)
        for secret in secrets:
            assert secret not in text, f"{role} read exempt text at {url}"
        if url in exempt_urls:
            assert response.status_code in (302, 403, 404), f"{role} got {url}"
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), url


def test_a_member_reads_exempt_papers_but_no_drafts_or_admin_pages(site):
    learned, secrets, exempt_urls = site
    client = login("member")
    coordinator_only = re.compile(
        r"/(agenda|edit|remove|replace|publish|attendance|history|request|rebuild)/|"
        r"/exempt/(grants|requests|log)/|/meetings/new/"
    )
    read_exempt = False
    for url in sorted(learned):
        response = client.get(url)
        assert response.status_code < 500, url
        if coordinator_only.search(url) and "/exempt/items/" not in url:
            assert response.status_code in (403, 404), f"member got {url}"
        elif response.status_code == 200 and any(s in body(response) for s in secrets):
            read_exempt = True
    assert read_exempt, "a member of the committee reads its exempt papers"


@pytest.mark.parametrize("role", ["anonymous", *(login.username for login in LOGINS)])
def test_no_link_shown_to_anyone_is_broken(role, site):
    """Every link a reader is shown leads somewhere they may go: nothing 404s, and a
    signed-in reader is never shown a link that refuses them."""
    client = login(role)
    pages = crawl(client, ["/"], link=HREF)
    broken = sorted(url for url, response in pages.items() if response.status_code == 404)
    assert not broken, f"{role} was shown links to missing pages: {broken}"
    if role != "anonymous":
        refused = sorted(url for url, response in pages.items() if response.status_code == 403)
        assert not refused, f"{role} was shown links that refuse them: {refused}"


def test_private_notes_reach_no_one_but_their_author(site):
    """A member's notes, on a public item and on an exempt one, are found by no one
    else: not on any page, feed or download anyone else can reach, nor at the addresses
    the member's own crawl learns."""
    from django.contrib.auth.models import User

    from meetings.models import AgendaItem
    from notes.services import note_add

    learned, _secrets, _exempt_urls = site
    member = User.objects.get(username="member")
    public_item = AgendaItem.objects.filter(section=1, kind="business").first()
    exempt_item = AgendaItem.objects.filter(section=3).first()
    note_add(user=member, item=public_item, text="PRIVATE-NOTE-ON-PUBLIC-ITEM")
    note_add(user=member, item=exempt_item, text="PRIVATE-NOTE-ON-EXEMPT-ITEM")
    words = ("PRIVATE-NOTE-ON-PUBLIC-ITEM", "PRIVATE-NOTE-ON-EXEMPT-ITEM")
    own = crawl(login("member"), ["/", "/my-meetings/", "/notes/"])
    for word in words:
        assert any(word in body(response) for response in own.values()), word
    assert login("member").get("/notes/export.csv").status_code == 200
    note_urls = {url for url in own if url.startswith("/notes/")}
    assert any("/edit/" in url for url in note_urls)
    for role in ("anonymous", "coordinator", "chairman", "councillor", "officer"):
        client = login(role)
        for url in sorted(set(learned) | set(own) | {"/notes/export.csv"}):
            response = client.get(url)
            assert response.status_code < 500, url
            text = body(response)
            for word in words:
                assert word not in text, f"{role} read a member's note at {url}"
            if "/notes/" in url and ("/edit/" in url or "/delete/" in url):
                assert response.status_code in (302, 404), f"{role} got {url}"


def api_crawl(client: Client, limit: int = 400) -> dict[str, object]:
    """Every API address reachable from its root: each list, its pages, and each object
    the lists name."""
    import json

    seen: dict[str, object] = {}
    queue = deque(["/api/v1/"])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        assert response.status_code < 500, url
        if response.status_code != 200:
            continue
        body = json.loads(response.content)
        if isinstance(body, dict) and "results" not in body and url == "/api/v1/":
            queue.extend(link.split("testserver", 1)[-1] for link in body.values())
        if isinstance(body, dict) and "results" in body:
            base = url.split("?")[0]
            queue.extend(f"{base}{row['id']}/" for row in body["results"])
            if body.get("next"):
                queue.append(body["next"].split("testserver", 1)[-1])
    return seen


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "member"])
def test_the_api_gives_no_one_exempt_text(role, site, monkeypatch):
    """The API is the public's view whoever asks: no secret in any of its answers, even
    to those entitled to read them on the site."""
    from rest_framework.throttling import AnonRateThrottle

    # The crawl is one client asking fast: the anonymous rate limit is not what is tried.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    _learned, secrets, _exempt_urls = site
    answers = api_crawl(login(role))
    assert len(answers) > 30, "the crawl should reach every endpoint and object"
    assert any("/events/" in url for url in answers)
    for url, response in answers.items():
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, f"{role} read exempt text at {url}"


@pytest.mark.parametrize("role", ["anonymous", "councillor", "officer"])
def test_search_never_finds_exempt_words_for_anyone_not_entitled(role, site):
    """Searching for the exempt words themselves: no result, no snippet, no count."""
    _learned, secrets, _exempt_urls = site
    client = login(role)
    for secret in secrets:
        response = client.get("/search/", {"q": secret})
        assert response.status_code == 200
        # What the search found (the box above shows the words the reader typed).
        page = html.unescape(response.content.decode())
        found = page.split('id="results-heading"', 1)[-1]
        assert secret not in found, f"{role} found {secret!r}"


def test_search_finds_exempt_words_for_the_entitled(site):
    """The check above can fail: a member of the committee finds them."""
    from meetings.models import AgendaItem

    client = login("member")
    title = AgendaItem.objects.filter(section=3).exclude(full_title="").first().full_title
    page = html.unescape(client.get("/search/", {"q": title}).content.decode())
    assert title in page.split('id="results-heading"', 1)[-1]
