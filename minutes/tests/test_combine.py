"""Items taken together, minuted once (seed 003: item 12 with exempt item A)."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import AgendaSection
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.models import MinutesPart, MinutesStatus
from minutes.services import (
    ResolutionInput,
    minute_combine,
    minute_move,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from scrutiny.access import Role
from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def minutes(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2017, 7, 26, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    agenda_item_add(meeting=meeting, title="CSP Performance Report")
    agenda_item_add(meeting=meeting, title="Annual Report")
    agenda_item_add(
        meeting=meeting,
        title="Performance figures",
        full_title="Kent Police performance figures by ward",
        exempt_paragraph=3,
        exempt_reason="x",
    )
    agenda_publish(meeting=meeting, confirm_past=True, now=timezone.now())
    return minutes_prefill(meeting=meeting)


def numbers(minutes):
    return [(m.order, m.number, m.title) for m in minutes.entries.order_by("order")]


def test_an_item_taken_with_another_has_no_minute_of_its_own(minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    annual = minutes.entries.get(title="Annual Report")
    minute_combine(minute=report, into=minutes.entries.get(title="Performance figures"))
    assert not minutes.entries.filter(pk=report.pk).exists()
    assert numbers(minutes)[5:] == [
        (6, 6, "Annual Report"),
        (7, 7, "Exclusion of the Press and Public"),
        (8, 8, "Performance figures"),
    ]
    annual.refresh_from_db()
    assert annual.item.title == "Annual Report"
    exempt = minutes.meeting.items.get(section=AgendaSection.EXEMPT)
    assert exempt.minutes.get().number == 8


def test_a_written_minute_is_not_thrown_away(minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    minute_save(
        minute=report,
        user=None,
        based_on=report.version,
        title=report.title,
        text="",
        resolutions=[ResolutionInput("That the report be noted.")],
    )
    with pytest.raises(ValidationError, match="has been written"):
        minute_combine(minute=report, into=minutes.entries.get(title="Annual Report"))
    assert minutes.entries.filter(pk=report.pk).exists()


def test_a_minute_is_combined_only_into_another_of_the_same_meeting(minutes, committee):
    report = minutes.entries.get(title="CSP Performance Report")
    with pytest.raises(ValidationError):
        minute_combine(minute=report, into=report)
    other = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2018, 2, 21, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    agenda_publish(meeting=other, confirm_past=True, now=timezone.now())
    elsewhere = minutes_prefill(meeting=other).entries.first()
    with pytest.raises(ValidationError):
        minute_combine(minute=report, into=elsewhere)


# --- through the minute's page in the co-ordinator's editor ----------------------------


def taken_with(client, minute, into):
    return client.post(
        reverse("minutes:minute_edit", args=[minute.minutes.meeting_id, minute.pk]),
        {"action": "take_with", "taken_with": into.pk if into else ""},
    )


def write(minute, text):
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text=text,
        resolutions=[ResolutionInput("That the report be noted.")],
    )


def test_the_coordinator_minutes_item_a_with_the_report(coordinator_client, minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    # Item A was taken straight after the report, before the Annual Report.
    minute_move(minute=item_a, offset=-2)
    minutes.refresh_from_db()
    version = minutes.version
    page = text_of(
        coordinator_client.get(reverse("minutes:minute_edit", args=[minutes.meeting_id, report.pk]))
    )
    # The co-ordinator reads the exempt item's full title.
    assert (
        "Minute 7: Performance figures (agenda item A: Kent Police performance figures by ward)"
        in page
    )

    response = taken_with(coordinator_client, item_a, report)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#minute-{report.pk}")
    page = text_of(coordinator_client.get(response["Location"]))
    assert "Item A is now minuted with minute 6; the minutes after it are renumbered." in page
    assert not minutes.entries.filter(pk=item_a.pk).exists()
    assert numbers(minutes)[5:] == [
        (6, 6, "CSP Performance Report"),
        (7, 7, "Annual Report"),
        (8, 8, "Exclusion of the Press and Public"),
    ]
    # The Chairman's answer is about the minutes he read: a removed minute changes them.
    minutes.refresh_from_db()
    assert minutes.version > version
    assert MinutesPart.ORDER in minutes.changed_parts


def test_the_message_says_nothing_was_renumbered_when_nothing_followed(coordinator_client, minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    response = taken_with(coordinator_client, item_a, report)
    page = text_of(coordinator_client.get(response["Location"]))
    assert "Item A is now minuted with minute 6." in page
    assert "renumbered" not in page


def test_the_control_is_offered_for_an_unwritten_minute_only(coordinator_client, minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    address = reverse("minutes:minute_edit", args=[minutes.meeting_id, report.pk])
    page = text_of(coordinator_client.get(address))
    assert "Taken with" in page and "Take together" in page
    assert "is removed, and the minutes after it are renumbered" in page
    write(report, "The Committee considered the report.")
    page = text_of(coordinator_client.get(address))
    assert "Take together" not in page


def test_a_minute_must_be_selected(coordinator_client, minutes):
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    response = taken_with(coordinator_client, item_a, None)
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the minute this item was taken with" in page
    assert 'href="#id_taken_with"' in response.content.decode()
    assert minutes.entries.filter(pk=item_a.pk).exists()


def test_the_services_refusal_is_shown_as_an_error(coordinator_client, minutes):
    report = minutes.entries.get(title="CSP Performance Report")
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    write(report, "The Committee considered the report.")  # since the page was opened
    response = taken_with(coordinator_client, report, item_a)
    page = text_of(response)
    assert response.status_code == 200
    assert "Error: Minute 6" in page  # the page's title
    assert "There is a problem" in page
    assert "Minute 6 has been written: move what it says into minute 9 and clear it first." in page
    assert minutes.entries.filter(pk=report.pk).exists()


def test_confirmed_minutes_are_not_changed(coordinator_client, minutes):
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    report = minutes.entries.get(title="CSP Performance Report")
    minutes.status = MinutesStatus.CONFIRMED
    minutes.confirmed_at = timezone.now()
    minutes.confirmed_by_meeting = minutes.meeting
    minutes.save()
    address = reverse("minutes:minute_edit", args=[minutes.meeting_id, item_a.pk])
    assert "Take together" not in text_of(coordinator_client.get(address))
    page = text_of(taken_with(coordinator_client, item_a, report))
    assert "There is a problem" in page and "recorded amendment" in page
    assert minutes.entries.filter(pk=item_a.pk).exists()


@pytest.fixture
def other_coordinator_client(make_user, make_committee):
    user = make_user(role=Role.COORDINATOR)
    make_committee().coordinators.add(user)
    return client_for(user)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anon_client", 302),
        ("councillor_client", 403),
        ("officer_client", 403),
        ("member_client", 403),
        ("other_coordinator_client", 403),
    ],
)
def test_only_the_committees_coordinators_take_items_together(request, role, expected, minutes):
    client = request.getfixturevalue(role)
    report = minutes.entries.get(title="CSP Performance Report")
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    response = taken_with(client, item_a, report)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))
    assert minutes.entries.filter(pk=item_a.pk).exists()


def test_the_public_minutes_and_pdf_show_the_combined_minute(
    coordinator_client, anon_client, minutes, django_capture_on_commit_callbacks
):
    report = minutes.entries.get(title="CSP Performance Report")
    item_a = minutes.entries.get(item__section=AgendaSection.EXEMPT)
    taken_with(coordinator_client, item_a, report)
    report.refresh_from_db()
    write(report, "The Committee considered the report together with exempt item A.")
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    with django_capture_on_commit_callbacks(execute=True):
        minutes_advance(minutes=minutes)
        minutes_advance(minutes=minutes)

    page = text_of(anon_client.get(reverse("minutes:minutes_detail", args=[minutes.meeting_id])))
    assert "6. CSP PERFORMANCE REPORT" in page
    assert "together with exempt item A" in page
    assert "8. EXCLUSION OF THE PRESS AND PUBLIC" in page
    assert "PERFORMANCE FIGURES" not in page  # no empty minute of item A
    assert not re.search(r"\b9\. [A-Z]", page)  # eight minutes, numbered without a gap

    minutes.refresh_from_db()
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.pdf.read())).pages)
    assert "6. CSP PERFORMANCE REPORT" in pdf
    assert "together with exempt item A" in " ".join(pdf.split())
    assert "8. EXCLUSION OF THE PRESS AND PUBLIC" in pdf
    assert "PERFORMANCE FIGURES" not in pdf
