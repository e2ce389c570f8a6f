"""Minutes and resolutions in the papers' one markup, wherever they are printed: the
minutes page, the item page, the decisions list and the minutes PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.pdf import minutes_html
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from scrutiny.markup import INLINE_MARKUP_HINT, MARKUP_HINT

pytestmark = pytest.mark.django_db

RESOLUTION = "That Members approve the *draft* 2017-18 Work Programme, **as amended**."
RESOLVED = (
    "That Members approve the <em>draft</em> 2017-18 Work Programme, <strong>as amended</strong>."
)


@pytest.fixture
def minutes(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Work Programme")
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting, user=coordinator)
    minute = minutes.entries.get(title="Work Programme")
    minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title="Work Programme",
        text="The Chairman proposed the following amendments:\n- a presentation\n- a site visit",
        resolutions=[
            ResolutionInput(RESOLUTION),
            ResolutionInput("That <script>alert(1)</script>[it](javascript:alert(1)) be noted."),
        ],
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    return minutes


def assert_marked_up(page: str):
    assert RESOLVED in page
    assert "*draft*" not in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_resolutions_are_marked_up_on_the_minutes_page(anon_client, minutes):
    page = anon_client.get(reverse("minutes:minutes_detail", args=[minutes.meeting_id]))
    assert_marked_up(page.content.decode())


def test_resolutions_are_marked_up_on_the_item_page(anon_client, minutes):
    item = minutes.meeting.items.get(title="Work Programme")
    page = anon_client.get(reverse("meetings:item_detail", args=[minutes.meeting_id, item.pk]))
    assert_marked_up(page.content.decode())


def test_resolutions_are_marked_up_in_the_decisions_list(anon_client, minutes):
    committee = minutes.meeting.committee
    page = anon_client.get(reverse("decision_list", args=[committee.slug]))
    assert_marked_up(page.content.decode())


def test_resolutions_are_marked_up_in_the_minutes_pdf(minutes):
    assert_marked_up(minutes_html(minutes))


def test_bullets_straight_after_a_line_of_text_are_a_list_in_the_minutes(minutes):
    html = minutes_html(minutes)
    assert (
        "<p>The Chairman proposed the following amendments:</p>"
        "<ul><li>a presentation</li><li>a site visit</li></ul>"
    ) in html


def test_the_minute_form_shows_the_markup_hint_under_its_fields(committee, coordinator_client):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="Work Programme")
    agenda_publish(meeting=meeting, confirm_past=True)
    minute = minutes_prefill(meeting=meeting).entries.get(title="Work Programme")
    page = coordinator_client.get(
        reverse("minutes:minute_edit", args=[meeting.pk, minute.pk])
    ).content.decode()
    assert 'aria-describedby="id_text_helptext"' in page
    assert 'aria-describedby="id_resolutions_helptext"' in page
    text_hint = page.split('id="id_text_helptext"')[1].split("</div>")[0]
    resolutions_hint = page.split('id="id_resolutions_helptext"')[1].split("</div>")[0]
    assert MARKUP_HINT in text_hint
    assert INLINE_MARKUP_HINT in resolutions_hint
