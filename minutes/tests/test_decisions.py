"""The decisions list: every published resolution, searchable, never an exempt one
to those not entitled."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from scrutiny.testing import text_of

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def minuted_meeting(committee, when, decisions, *, exempt_decision=None, publish=True):
    meeting = meeting_create(
        committee=committee, starts_at=datetime.datetime(*when, tzinfo=LONDON), venue="Chamber"
    )
    agenda_item_add(meeting=meeting, title="Business")
    agenda_item_add(meeting=meeting, title="Closed", exempt_paragraph=3, exempt_reason="x")
    agenda_publish(meeting=meeting, confirm_past=True, now=timezone.now())
    minutes = minutes_prefill(meeting=meeting)
    business = minutes.entries.get(title="Business")
    minute_save(
        minute=business,
        user=None,
        based_on=1,
        title="Business",
        text="",
        resolutions=[ResolutionInput(text) for text in decisions],
    )
    if exempt_decision:
        closed = minutes.entries.get(title="Closed")
        minute_save(
            minute=closed,
            user=None,
            based_on=1,
            title="Closed",
            text="",
            resolutions=[ResolutionInput(exempt_decision)],
            is_exempt=True,
            public_summary="A confidential matter was noted.",
        )
    if publish:
        minutes_update(minutes=minutes, closing_time=datetime.time(21))
        minutes_advance(minutes=minutes)
        minutes_advance(minutes=minutes)
    return meeting


@pytest.fixture
def decisions(committee):
    return {
        "july": minuted_meeting(
            committee,
            (2017, 7, 26, 19),
            ["That the D-TAC progress report be noted.", "That the Work Programme be approved."],
            exempt_decision="That the Nightjar targets be pursued.",
        ),
        "february": minuted_meeting(
            committee, (2018, 2, 21, 19), ["That the Strategic Assessment be noted."]
        ),
        "next_year": minuted_meeting(
            committee, (2018, 7, 25, 19), ["That the Annual Report be approved."]
        ),
        "draft": minuted_meeting(
            committee, (2018, 9, 1, 19), ["That the draft decision be noted."], publish=False
        ),
    }


def decisions_page(client, committee, **params):
    return text_of(client.get(reverse("decision_list", args=[committee.slug]), params))


@pytest.mark.parametrize(
    ("role", "entitled"),
    [
        ("anon_client", False),
        ("councillor_client", False),
        ("officer_client", False),
        ("member_client", True),
        ("coordinator_client", True),
    ],
)
def test_every_published_decision_is_listed(request, role, entitled, committee, decisions):
    page = decisions_page(request.getfixturevalue(role), committee)
    for decision in (
        "That the D-TAC progress report be noted.",
        "That the Strategic Assessment be noted.",
        "That the Annual Report be approved.",
    ):
        assert decision in page
    assert "draft decision" not in page
    assert ("Nightjar" in page) is entitled


def test_decisions_are_searchable_and_filtered(anon_client, committee, decisions):
    page = decisions_page(anon_client, committee, q="approved")
    assert "1 decision" not in page and "2 decisions containing “approved”" in page
    page = decisions_page(anon_client, committee, year="2017-18")
    assert "Strategic Assessment" in page and "Annual Report" not in page
    page = decisions_page(anon_client, committee, meeting=decisions["next_year"].pk)
    assert "Annual Report" in page and "D-TAC" not in page
    # Nonsense filters are ignored, not errors.
    assert "D-TAC" in decisions_page(anon_client, committee, meeting="x'; drop", year="1066")


def test_each_decision_links_to_its_minute(anon_client, committee, decisions):
    response = anon_client.get(reverse("decision_list", args=[committee.slug]))
    url = reverse("minutes:minutes_detail", args=[decisions["july"].pk])
    assert f'href="{url}#minute-6"' in response.content.decode()


def test_decision_list_queries_do_not_grow(
    anon_client, committee, decisions, django_assert_max_num_queries
):
    url = reverse("decision_list", args=[committee.slug])
    with django_assert_max_num_queries(8) as few:
        anon_client.get(url)
    for year in range(2019, 2023):
        minuted_meeting(committee, (year, 7, 1, 19), [f"That the {year} report be noted."] * 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        anon_client.get(url)
