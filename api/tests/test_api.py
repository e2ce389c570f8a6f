"""The open data API: the public's view whoever asks, in the shapes its OpenAPI schema
describes, filtered, paginated, with ETags, rate limited for anonymous clients."""

import datetime

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from jsonschema import Draft202012Validator
from rest_framework.throttling import AnonRateThrottle

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from workplan.models import KeyDecision

pytestmark = pytest.mark.django_db

SECRETS = (
    "Operation Nightjar",  # an exempt item's full title, and its exempt minute's words
    "informant",
    "Nightjar briefing",  # a restricted paper
    "Civic Centre Annexe",  # a draft meeting's venue
    "Unpublished key decision",
)
LISTS = (
    "organizations",
    "people",
    "memberships",
    "events",
    "agenda-items",
    "minutes",
    "decisions",
    "key-decisions",
)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(committee, held_meeting, member, make_document, make_exempt_item):
    public_item = held_meeting.items.get(title="Performance")
    make_document(item=public_item, title="Performance report Q2")
    exempt = held_meeting.items.get(title="Closed business")
    make_document(item=exempt, title="Nightjar briefing")
    meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=50),
        venue="Civic Centre Annexe",
    )
    coming = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=coming, title="Budget")
    agenda_publish(meeting=coming)
    today = timezone.localdate()
    for title, notice in (("Town centre strategy", -40), ("Unpublished key decision", 5)):
        KeyDecision.objects.create(
            title=title,
            decision_date=today + datetime.timedelta(days=60),
            author_name="A Officer",
            first_notice_on=today + datetime.timedelta(days=notice),
        )
    return held_meeting, coming


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    import tempfile

    with django_db_blocker.unblock(), tempfile.NamedTemporaryFile(suffix=".yml") as handle:
        # --validate checks the schema itself against the OpenAPI 3 specification.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", handle.name)
        return yaml.safe_load(open(handle.name, encoding="utf-8"))


def _json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type, throughout."""
    if isinstance(node, dict):
        node = {key: _json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_json_schema(value) for value in node]
    return node


def check_against_schema(openapi, path: str, body) -> None:
    """The response body fits the schema of that path's 200 response."""
    operation = openapi["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    document = {**_json_schema(schema), "components": _json_schema(openapi["components"])}
    errors = sorted(Draft202012Validator(document).iter_errors(body), key=str)
    assert not errors, f"{path}: {errors[0].message} at {list(errors[0].path)}"


def test_every_endpoint_answers_as_its_schema_says_and_keeps_secrets(client, data, openapi):
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, name
        body = response.json()
        check_against_schema(openapi, f"/api/v1/{name}/", body)
        assert body["results"], f"{name} is empty: the check would prove nothing"
        first = body["results"][0]["id"]
        detail = client.get(f"/api/v1/{name}/{first}/")
        assert detail.status_code == 200
        check_against_schema(openapi, f"/api/v1/{name}/{{id}}/", detail.json())
        for text in (response.content.decode(), detail.content.decode()):
            for secret in SECRETS:
                assert secret not in text, f"{secret} in {name}"


def test_a_signed_in_coordinator_gets_the_publics_view(client, data, coordinator):
    client.force_login(coordinator)
    for name in LISTS:
        text = client.get(f"/api/v1/{name}/?page_size=200").content.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret} in {name}"
    held, coming = data
    events = client.get("/api/v1/events/").json()["results"]
    venues = {event["location"]["name"] for event in events}
    assert venues == {held.venue, coming.venue}


def test_exempt_items_are_listed_by_public_title_and_paragraph_without_their_papers(client, data):
    held, _coming = data
    agenda = client.get(f"/api/v1/events/{held.pk}/").json()["agenda"]
    exempt = next(item for item in agenda if item["section"] == "exempt")
    assert exempt["description"] == "Closed business"
    assert exempt["exempt_paragraph"] == 7 and exempt["media"] == []
    assert exempt["number"] == "A"
    public = next(item for item in agenda if item["description"] == "Performance")
    assert [paper["title"] for paper in public["media"]] == ["Performance report Q2"]
    assert public["media"][0]["media_type"] == "application/pdf"


def test_decisions_leave_out_exempt_minutes(client, data):
    texts = [row["text"] for row in client.get("/api/v1/decisions/").json()["results"]]
    assert "That the report be noted." in texts
    assert not any("Nightjar" in text for text in texts)


def test_filters_by_committee_date_and_event(client, data, make_committee):
    held, coming = data
    other = make_committee(name="Licensing Committee")
    meeting = meeting_create(
        committee=other, starts_at=timezone.now() + datetime.timedelta(days=30), venue="Hall"
    )
    agenda_publish(meeting=meeting)

    def ids(url):
        return [row["id"] for row in client.get(url).json()["results"]]

    assert ids(f"/api/v1/events/?committee={other.slug}") == [meeting.pk]
    assert set(ids("/api/v1/events/?committee=crime-and-disorder")) == {held.pk, coming.pk}
    day = timezone.localdate(held.starts_at).isoformat()
    assert ids(f"/api/v1/events/?date_after={day}&date_before={day}") == [held.pk]
    items = client.get(f"/api/v1/agenda-items/?event={coming.pk}").json()["results"]
    assert {item["event_id"] for item in items} == {coming.pk}
    assert ids(f"/api/v1/decisions/?committee={other.slug}") == []
    assert client.get("/api/v1/events/?date_after=not-a-date").status_code == 400


def test_pages_link_to_the_next(client, data):
    body = client.get("/api/v1/agenda-items/?page_size=2").json()
    assert len(body["results"]) == 2 and body["count"] > 2
    assert "page=2" in body["next"]
    assert client.get("/api/v1/agenda-items/?page=999").status_code == 404


def test_an_unchanged_response_is_not_sent_again(client, data):
    first = client.get("/api/v1/events/")
    etag = first["ETag"]
    again = client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    agenda_item_add(meeting=data[1], title="Late item")
    meeting_create(
        committee=data[1].committee,
        starts_at=timezone.now() + datetime.timedelta(days=90),
        venue="Somewhere",
    )
    changed = client.get("/api/v1/agenda-items/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_anonymous_clients_are_rate_limited(client, data, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [client.get("/api/v1/organizations/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/organizations/")
    assert int(limited["Retry-After"]) > 0


def test_a_page_of_events_takes_a_fixed_number_of_queries(
    client, data, committee, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as captured:
        client.get("/api/v1/agenda-items/")
        client.get("/api/v1/events/")
        client.get(f"/api/v1/events/{data[0].pk}/")
    few = len(captured.captured_queries)
    for number in range(5):
        meeting = meeting_create(
            committee=committee,
            starts_at=timezone.now() + datetime.timedelta(days=30 + number),
            venue="Council Chamber",
        )
        for title in ("One", "Two"):
            agenda_item_add(meeting=meeting, title=title)
        agenda_publish(meeting=meeting)
        agenda_item_add(meeting=data[0], title=f"Extra {number}")
    with django_assert_max_num_queries(few):
        client.get("/api/v1/agenda-items/")
        client.get("/api/v1/events/")
        client.get(f"/api/v1/events/{data[0].pk}/")


def test_performance_data_is_public_only_with_small_numbers_suppressed(client, demo_data, openapi):
    from performance.models import Indicator

    for name in ("indicators", "observations"):
        body = client.get(f"/api/v1/{name}/").json()
        check_against_schema(openapi, f"/api/v1/{name}/", body)
        detail = client.get(f"/api/v1/{name}/{body['results'][0]['id']}/").json()
        check_against_schema(openapi, f"/api/v1/{name}/{{id}}/", detail)

    confidential = list(Indicator.objects.filter(is_confidential=True))
    assert confidential, "the demo has a confidential indicator"
    codes = [row["code"] for row in client.get("/api/v1/indicators/").json()["results"]]
    assert codes and not {i.code for i in confidential} & set(codes)
    hidden = client.get(f"/api/v1/observations/?indicator={confidential[0].code}").json()
    assert hidden["count"] == 0
    # Small numbers: below the threshold, no value but the words.
    burglary = Indicator.objects.get(code="burglary")
    burglary.suppress_below = 100_000
    burglary.save()
    rows = client.get("/api/v1/observations/?indicator=burglary&page_size=200").json()["results"]
    assert rows and all(row["suppressed"] and row["value"] is None for row in rows)
    assert rows[0]["text"] == "fewer than 100000"


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999", "1.5", "-1"])
def test_out_of_range_ids_in_filters_are_a_clear_400(client, data, value):
    for url in ("/api/v1/agenda-items/", "/api/v1/decisions/", "/api/v1/memberships/"):
        name = "person" if "memberships" in url else "event"
        assert client.get(url, {name: value}).status_code == 400


def test_a_forged_forwarded_address_does_not_escape_the_limit(client, data, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [
        client.get("/api/v1/organizations/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
