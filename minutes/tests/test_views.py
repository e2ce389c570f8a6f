"""Minutes through the web: who reads what, the editor, conflicts, history."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ItemKind
from meetings.services import agenda_item_add
from minutes.models import Minute, MinutesStatus
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from scrutiny.testing import ROLES, client_for, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(meeting, coordinator):
    minutes = minutes_prefill(meeting=meeting, user=coordinator)
    reg9 = minutes.entries.get(title="Regulation 9 Notice")
    minute_save(
        minute=reg9,
        user=coordinator,
        based_on=reg9.version,
        title="Regulation 9 Notice",
        text="The Committee considered the notice. See [Min. No. 1 refers].",
        resolutions=[ResolutionInput("That the contents of the Regulation 9 Notice be noted.")],
    )
    closed = minutes.entries.get(title="CSP Performance Report")
    minute_save(
        minute=closed,
        user=coordinator,
        based_on=closed.version,
        title="CSP Performance Report",
        text="Named suspects were discussed under Operation Nightjar.",
        resolutions=[ResolutionInput("That the Nightjar figures be noted.")],
        is_exempt=True,
        public_summary="The Committee noted the performance report in closed session.",
    )
    return minutes


def publish(minutes):
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)


@pytest.mark.parametrize("role", ROLES)
def test_draft_minutes_are_for_the_coordinator_only(request, role, minutes, meeting):
    response = request.getfixturevalue(role).get(
        reverse("minutes:minutes_detail", args=[meeting.pk])
    )
    assert response.status_code == (200 if role == "coordinator_client" else 404)


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
def test_published_minutes_withhold_an_exempt_minute(request, role, entitled, minutes, meeting):
    publish(minutes)
    page = text_of(
        request.getfixturevalue(role).get(reverse("minutes:minutes_detail", args=[meeting.pk]))
    )
    assert "6. REGULATION 9 NOTICE" in page
    assert "RESOLVED: That the contents of the Regulation 9 Notice be noted." in page
    assert "Draft: not yet confirmed" in page
    assert "The meeting closed at 9.25 pm." in page
    assert ("Nightjar" in page) is entitled
    assert ("The Committee noted the performance report in closed session." in page) is (
        not entitled
    )


@pytest.mark.parametrize(
    ("role", "exempt_title_shown"),
    [("anon_client", False), ("member_client", True), ("coordinator_client", True)],
)
def test_the_minutes_page_has_a_contents_list_of_every_minute(
    request, role, exempt_title_shown, minutes, meeting
):
    closed = minutes.entries.get(title="CSP Performance Report")
    Minute.objects.filter(pk=closed.pk).update(title="Operation Nightjar performance")
    publish(minutes)
    page = (
        request.getfixturevalue(role)
        .get(reverse("minutes:minutes_detail", args=[meeting.pk]))
        .content.decode()
    )
    contents = page[page.index('<nav aria-labelledby="minutes-contents-heading"') :]
    contents = contents[: contents.index("</nav>")]
    assert '<h2 id="minutes-contents-heading" class="h5">Contents</h2>' in contents
    links = re.findall(r'<li><a href="#(minute-\d+)">(\d+)\. ([^<]*)</a></li>', contents)
    assert [number for _anchor, number, _title in links] == [
        str(n) for n in range(1, minutes.entries.count() + 1)
    ]
    for anchor, _number, _title in links:
        assert f'id="{anchor}"' in page
    titles = [title for _anchor, _number, title in links]
    assert "Regulation 9 Notice" in titles
    # The exempt item's minute goes by the title the reader may see.
    assert ("Operation Nightjar performance" in titles) is exempt_title_shown
    assert ("CSP Performance Report" in titles) is not exempt_title_shown


def test_cross_references_link_to_the_minute(anon_client, minutes, meeting):
    publish(minutes)
    page = anon_client.get(reverse("minutes:minutes_detail", args=[meeting.pk])).content.decode()
    url = reverse("minutes:minutes_detail", args=[meeting.pk])
    assert f'<a href="{url}#minute-1">[Min. No. 1 refers]</a>' in page


def test_item_page_shows_its_minute_and_resolutions(anon_client, minutes, meeting):
    publish(minutes)
    item = meeting.items.get(title="Regulation 9 Notice")
    page = text_of(anon_client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk])))
    assert "Minute 6 of the minutes of this meeting" in page
    assert "RESOLVED: That the contents of the Regulation 9 Notice be noted." in page


@pytest.mark.parametrize("role", ROLES[:4])
def test_only_coordinators_take_minutes(request, role, minutes, meeting):
    client = request.getfixturevalue(role)
    minute = minutes.entries.first()
    expected = 302 if role == "anon_client" else 403
    for address in (
        reverse("minutes:minutes_edit", args=[meeting.pk]),
        reverse("minutes:attendance", args=[meeting.pk]),
        reverse("minutes:minute_edit", args=[meeting.pk, minute.pk]),
        reverse("minutes:minute_history", args=[meeting.pk, minute.pk]),
    ):
        assert client.get(address).status_code == expected
        assert client.post(address, {"action": "advance"}).status_code == expected
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT


def form_data(minute, **changes):
    data = {
        "title": minute.title,
        "outcome": "taken",
        "text": "",
        "resolutions": "",
        "based_on": str(minute.version),
    }
    data.update(changes)
    return data


def test_coordinator_writes_a_minute(coordinator_client, minutes, meeting):
    minute = minutes.entries.get(item__kind=ItemKind.URGENT)
    response = coordinator_client.post(
        reverse("minutes:minute_edit", args=[meeting.pk, minute.pk]),
        form_data(
            minute,
            text="The Chairman confirmed there were no urgent items.\n\n- one\n- two",
            resolutions="That the position be noted.\nNoted with thanks.",
            free_text="on",
        ),
    )
    assert response.status_code == 302
    minute.refresh_from_db()
    assert minute.text == (
        "<p>The Chairman confirmed there were no urgent items.</p><ul><li>one</li><li>two</li></ul>"
    )
    assert [(r.text, r.is_free_text) for r in minute.resolutions.all()] == [
        ("That the position be noted.", False),
        ("Noted with thanks.", True),
    ]


def test_a_resolution_without_that_is_refused_with_a_clear_message(coordinator_client, minutes):
    minute = minutes.entries.get(item__kind=ItemKind.URGENT)
    response = coordinator_client.post(
        reverse("minutes:minute_edit", args=[minutes.meeting_id, minute.pk]),
        form_data(minute, resolutions="Noted."),
    )
    page = text_of(response)
    assert "There is a problem" in page
    assert "Resolution 1 must begin with “That”, or be confirmed as worded" in page


def test_the_second_editor_sees_both_texts_and_loses_nothing(minutes, coordinator, make_user):
    from scrutiny.access import Role

    other = make_user(role=Role.COORDINATOR, first_name="Jane", last_name="Colleague")
    minutes.meeting.committee.coordinators.add(other)
    minute = minutes.entries.get(item__kind=ItemKind.URGENT)
    first, second = client_for(coordinator), client_for(other)
    address = reverse("minutes:minute_edit", args=[minutes.meeting_id, minute.pk])
    opened = form_data(minute)
    second.post(address, dict(opened, text="Jane's account of the urgent items."))
    response = first.post(address, dict(opened, text="My account of the urgent items."))
    page = text_of(response)
    assert response.status_code == 200
    assert "Jane Colleague" in page and "saved this minute while you were editing it" in page
    assert "Jane's account of the urgent items." in page
    assert "My account of the urgent items." in page
    minute.refresh_from_db()
    assert minute.text == "<p>Jane's account of the urgent items.</p>"
    # Saving again, now on top of Jane's version, works.
    resubmit = response.context["form"].data.copy()
    assert first.post(address, resubmit).status_code == 302
    minute.refresh_from_db()
    assert minute.text == "<p>My account of the urgent items.</p>"


def test_history_lists_versions_and_restores(coordinator_client, minutes):
    minute = minutes.entries.get(title="Regulation 9 Notice")
    address = reverse("minutes:minute_history", args=[minutes.meeting_id, minute.pk])
    page = text_of(coordinator_client.get(address))
    assert "Version 2 (current)" in page and "Version 1" in page
    first = minute.revisions.get(version=1)
    coordinator_client.post(address, {"revision": first.pk})
    minute.refresh_from_db()
    assert minute.version == 3
    assert minute.text == ""


def test_editor_moves_minutes_into_the_order_taken(coordinator_client, minutes):
    exclusion = minutes.entries.get(item__kind=ItemKind.EXCLUSION)
    before = exclusion.number
    coordinator_client.post(
        reverse("minutes:minutes_edit", args=[minutes.meeting_id]),
        {"action": "up", "minute": exclusion.pk},
    )
    exclusion.refresh_from_db()
    assert exclusion.number == before - 1


def test_publishing_needs_the_closing_time(coordinator_client, minutes):
    address = reverse("minutes:minutes_edit", args=[minutes.meeting_id])
    coordinator_client.post(address, {"action": "circulate", "confirm": "1"})
    response = coordinator_client.post(address, {"action": "advance"}, follow=True)
    assert "Enter the time the meeting closed" in text_of(response)
    response = coordinator_client.post(address, {"action": "closing_time", "closing_time": ""})
    assert "Enter the time the meeting closed" in text_of(response)
    coordinator_client.post(address, {"action": "closing_time", "closing_time": "21:25"})
    # Not approved by the Chairman: published once the co-ordinator confirms.
    response = coordinator_client.post(address, {"action": "advance"})
    assert "The Chairman has not approved these minutes" in text_of(response)
    minutes.refresh_from_db()
    coordinator_client.post(address, {"action": "advance", "confirm": str(minutes.version)})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED


def test_declarations_are_recorded_per_item(coordinator_client, minutes, make_person):
    person = make_person(surname="Kelly")
    item = minutes.meeting.items.get(title="Regulation 9 Notice")
    coordinator_client.post(
        reverse("minutes:minutes_edit", args=[minutes.meeting_id]),
        {
            "action": "declare",
            "person": person.pk,
            "item": item.pk,
            "kind": "other_significant",
            "nature": "Employed by Kent Police",
        },
    )
    declaration = minutes.meeting.declarations.get()
    assert (declaration.item, declaration.nature) == (item, "Employed by Kent Police")


def test_register_marks_apologies_and_adds_guests(coordinator_client, minutes, make_person):
    meeting = minutes.meeting
    address = reverse("minutes:attendance", args=[meeting.pk])
    guest = make_person(kind="officer", surname="Woodward", job_title="CSU Inspector")
    coordinator_client.post(address, {"person": guest.pk, "capacity": "guest", "status": "present"})
    row = meeting.attendances.get(person=guest)
    coordinator_client.post(address, {"action": "register", f"status-{row.pk}": "apologies"})
    row.refresh_from_db()
    assert row.status == "apologies"


def test_confirmed_minutes_cannot_be_edited(coordinator_client, minutes, meeting, committee):
    publish(minutes)
    minutes.status = MinutesStatus.CONFIRMED
    minutes.confirmed_at = timezone.now()
    minutes.confirmed_by_meeting = meeting
    minutes.save()
    minute = minutes.entries.first()
    response = coordinator_client.post(
        reverse("minutes:minute_edit", args=[meeting.pk, minute.pk]),
        form_data(minute, text="A quiet rewrite"),
    )
    assert "recorded amendment" in text_of(response)
    minute.refresh_from_db()
    assert "quiet rewrite" not in minute.text


def test_minutes_page_queries_do_not_grow(
    anon_client, minutes, meeting, coordinator, django_assert_max_num_queries
):
    publish(minutes)
    url = reverse("minutes:minutes_detail", args=[meeting.pk])
    with django_assert_max_num_queries(12) as few:
        anon_client.get(url)
    for n in range(15):
        item = agenda_item_add(meeting=meeting, title=f"Item {n}")
        minute = Minute.objects.create(minutes=minutes, item=item, order=100 + n, title=item.title)
        minute_save(
            minute=minute,
            user=coordinator,
            based_on=1,
            title=item.title,
            text=f"Text {n} [Min. No. {n + 1} refers]",
            resolutions=[ResolutionInput("That it be noted.")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = anon_client.get(url)
    assert "Text 14" in text_of(response)


def test_coordinator_starts_the_minutes_from_the_agenda(coordinator_client, meeting):
    address = reverse("minutes:minutes_edit", args=[meeting.pk])
    page = text_of(coordinator_client.get(address))
    assert "Start the minutes" in page
    coordinator_client.post(address, {"action": "start"})
    assert meeting.minutes.entries.count() == meeting.items.count()


def test_a_members_page_shows_their_attendance_without_cancelled_meetings(
    anon_client, committee, make_person, make_membership, make_meeting
):
    from meetings.models import MeetingStatus
    from minutes.models import Attendance

    mote = make_person(surname="Mote")
    make_membership(committee=committee, person=mote, start_date=datetime.date(2017, 5, 1))
    statuses = ["present", "present", "apologies", "absent", "present"]
    for n, status in enumerate(statuses):
        meeting = make_meeting(
            committee=committee,
            starts_at=timezone.now() - datetime.timedelta(days=30 * (n + 1)),
            status=MeetingStatus.CANCELLED if n == 4 else MeetingStatus.MINUTES_CONFIRMED,
        )
        minutes = meeting_minutes(meeting, published=n != 3)
        Attendance.objects.create(meeting=meeting, person=mote, capacity="member", status=status)
        assert minutes
    page = text_of(anon_client.get(mote.get_absolute_url()))
    # Five meetings: one cancelled, one whose minutes are not yet published.
    assert "Crime and Disorder Committee 3 2 1 0 67%" in page


def meeting_minutes(meeting, *, published):
    from minutes.models import Minutes

    status = MinutesStatus.PUBLISHED if published else MinutesStatus.DRAFT
    return Minutes.objects.create(meeting=meeting, status=status)


def test_history_says_what_changed(coordinator_client, minutes):
    minute = minutes.entries.get(title="Regulation 9 Notice")
    page = text_of(
        coordinator_client.get(
            reverse("minutes:minute_history", args=[minutes.meeting_id, minute.pk])
        )
    )
    assert "What changed from version 1" in page
    assert "added: The Committee considered the notice." in page


def test_confirmed_minutes_link_to_the_meeting_that_confirmed_them(demo_data, client):
    from meetings.models import Meeting

    july = Meeting.objects.get(starts_at__year=2017)
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    page = client.get(reverse("minutes:minutes_detail", args=[july.pk])).content.decode()
    assert f'href="{february.get_absolute_url()}"' in page
    # Not to February's own minutes, which are a draft that the public cannot open.
    assert f'href="{reverse("minutes:minutes_detail", args=[february.pk])}"' not in page
