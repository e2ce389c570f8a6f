"""What the work programme must not give away (draft agendas, exempt items, exempt
resolutions), and the edges of its rules: corrected minutes, reworded resolutions,
proposals, reinstated items, stale forms, past meetings and hostile ids."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from meetings.models import ItemOrigin
from meetings.services import agenda_item_remove, agenda_item_update, agenda_publish
from minutes.models import MinuteOutcome, Minutes, Resolution
from minutes.services import ResolutionInput, minute_save
from scrutiny.testing import text_of
from workplan.models import Status, WorkPlanItem
from workplan.services import (
    work_plan_item_from_resolution,
    work_plan_item_link,
    work_plan_item_move,
    work_plan_item_reinstate,
    work_plan_items_place,
    work_plan_roll_forward,
)

pytestmark = pytest.mark.django_db


def test_an_item_on_a_draft_agenda_reads_as_scheduled_to_the_public(
    client, coordinator, make_plan_item, next_meeting
):
    item = make_plan_item(target_meeting=next_meeting, topic="Gangs in Dartford")
    work_plan_items_place(meeting=next_meeting, items=[item], user=coordinator)
    for url in (item.get_absolute_url(), reverse("workplan:programme", args=[item.committee.slug])):
        page = text_of(client.get(url))
        assert "On an agenda" not in page and "Scheduled" in page
        assert "Placed on the agenda" not in page
    client.force_login(coordinator)
    page = text_of(client.get(item.get_absolute_url()))
    assert "On an agenda" in page and "Placed on the agenda" in page


def test_an_item_made_exempt_on_the_agenda_is_not_tied_to_its_topic_for_the_public(
    client, coordinator, member, make_plan_item, next_meeting
):
    item = make_plan_item(target_meeting=next_meeting, topic="Gangs in Dartford")
    (agenda_item,) = work_plan_items_place(meeting=next_meeting, items=[item], user=coordinator)
    agenda_item = agenda_item_update(
        item=agenda_item,
        title="Closed business",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
        public_interest_reasoning="Operations",
    )
    agenda_publish(meeting=next_meeting)
    item_page = reverse(
        "meetings:item_detail", kwargs={"meeting_pk": next_meeting.pk, "pk": agenda_item.pk}
    )
    html = client.get(item_page).content.decode()
    assert "Gangs in Dartford" not in html and item.get_absolute_url() not in html
    plan_html = client.get(item.get_absolute_url()).content.decode()
    assert item_page not in plan_html and "On an agenda" not in plan_html
    # Those entitled see the link both ways.
    client.force_login(member)
    assert item.get_absolute_url() in client.get(item_page).content.decode()
    assert item_page in client.get(item.get_absolute_url()).content.decode()


def test_a_resolution_in_exempt_minutes_is_not_put_in_the_topic(
    client, coordinator, committee, held_meeting
):
    client.force_login(coordinator)
    resolution = Resolution.objects.get(text__contains="Nightjar")
    add = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    html = client.get(add, {"resolution": resolution.pk}).content.decode()
    assert 'name="topic"' in html
    topic_input = html.split('name="topic"')[1].split(">")[0]
    assert "Nightjar" not in topic_input


def test_a_reinstated_item_can_go_on_another_agenda(
    make_plan_item, held_meeting, next_meeting, coordinator
):
    item = make_plan_item(topic="Performance")
    work_plan_item_link(item=item, agenda_item=held_meeting.items.get(title="Performance"))
    minute = held_meeting.minutes.entries.get(title="Performance")
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title="Performance",
        text="",
        resolutions=[],
        outcome=MinuteOutcome.WITHDRAWN,
    )
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN  # the corrected minute reaches the plan
    item = work_plan_item_reinstate(item=item, user=None, reason="Asked for again")
    assert item.agenda_item is None
    work_plan_item_move(item=item, user=None, to_meeting=next_meeting, reason="Next meeting")
    (placed,) = work_plan_items_place(meeting=next_meeting, items=[item], user=coordinator)
    assert placed.work_plan_item == item


def test_a_corrected_outcome_reaches_a_considered_item(make_plan_item, held_meeting):
    item = make_plan_item(topic="Performance")
    work_plan_item_link(item=item, agenda_item=held_meeting.items.get(title="Performance"))
    item.refresh_from_db()
    assert item.status == Status.CONSIDERED
    minute = held_meeting.minutes.entries.get(title="Performance")
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title="Performance",
        text="",
        resolutions=[],
        outcome=MinuteOutcome.DEFERRED,
    )
    item.refresh_from_db()
    assert (item.status, item.agenda_item, item.target_meeting) == (Status.POSTPONED, None, None)


def test_a_deleted_resolution_does_not_hand_its_link_to_another(held_meeting):
    noted = Resolution.objects.get(text="That the report be noted.")
    expert = Resolution.objects.get(text__contains="crime data expert")
    from_noted = work_plan_item_from_resolution(
        resolution=noted, user=None, topic="Noted", category="discretionary"
    )
    from_expert = work_plan_item_from_resolution(
        resolution=expert, user=None, topic="Expert", category="discretionary"
    )
    minute = noted.minute
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text="",
        resolutions=[
            ResolutionInput(
                "That a presentation by a crime data expert be added to the Work Plan for 2018."
            )
        ],
    )
    from_noted.refresh_from_db()
    from_expert.refresh_from_db()
    assert from_noted.source_resolution is None
    assert from_expert.source_resolution.text.endswith("for 2018.")


def test_a_proposal_taken_off_the_agenda_is_still_a_proposal(
    make_plan_item, next_meeting, later_meeting, coordinator
):
    item = make_plan_item(target_meeting=next_meeting, proposed=True)
    (agenda_item,) = work_plan_items_place(meeting=next_meeting, items=[item], user=coordinator)
    agenda_item_remove(item=agenda_item)
    item.refresh_from_db()
    assert item.status == Status.PROPOSED
    item = work_plan_item_move(
        item=item, user=None, to_meeting=later_meeting, reason="Later", postpone=True
    )
    assert item.status == Status.PROPOSED


def test_a_stale_form_can_be_saved_again_once_compared(client, coordinator, make_plan_item):
    item = make_plan_item(topic="PCP Update")
    client.force_login(coordinator)
    edit = reverse("workplan:item_edit", kwargs={"slug": item.committee.slug, "pk": item.pk})
    fields = {"topic": "PCP Update", "category": "standing", "requested_how": "work_programme"}
    client.post(edit, {**fields, "lead": "Cllr Wells", "version": item.version})
    response = client.post(edit, {**fields, "lead": "Cllr Shippam", "version": item.version})
    html = response.content.decode()
    assert "Someone else changed this item" in html
    assert "The item as it is now" in html and "Cllr Wells" in html
    version = html.split('name="version" value="')[1].split('"')[0]
    client.post(edit, {**fields, "lead": "Cllr Shippam", "version": version})
    item.refresh_from_db()
    assert item.lead == "Cllr Shippam"


def test_recurring_business_does_not_go_to_a_meeting_already_held(committee, make_plan_item):
    from meetings.services import meeting_create

    make_plan_item(topic="PCP Update", recurrence="every_meeting")
    held = meeting_create(
        committee=committee, starts_at=timezone.now() - datetime.timedelta(days=2), venue="Hall"
    )
    coming = meeting_create(
        committee=committee, starts_at=timezone.now() + datetime.timedelta(days=2), venue="Hall"
    )
    from minutes.numbering import municipal_year_start

    # Both in one municipal year unless today is at its very edge.
    if municipal_year_start(timezone.localdate(held.starts_at)) != municipal_year_start(
        timezone.localdate(coming.starts_at)
    ):
        pytest.skip("today is at the turn of the municipal year")
    added = work_plan_roll_forward(committee=committee, year_start=timezone.localdate(), user=None)
    assert [item.target_meeting for item in added] == [coming]


def test_a_hostile_id_is_a_wrong_choice_not_an_error(
    client, coordinator, next_meeting, make_plan_item
):
    make_plan_item(target_meeting=next_meeting)
    client.force_login(coordinator)
    place = reverse("workplan:place", kwargs={"meeting_pk": next_meeting.pk})
    for value in ("9" * 30, "-1", "abc"):
        response = client.post(place, {"items": [value]})
        assert response.status_code == 200
        assert "no longer planned for this meeting" in response.content.decode()
    add = reverse("workplan:item_add", kwargs={"slug": next_meeting.committee.slug})
    response = client.post(
        add, {"topic": "x", "category": "discretionary", "target_meeting": "9" * 30}
    )
    assert "Select a meeting from the list" in response.content.decode()


def test_the_migration_leaves_exempt_items_and_records_outcomes(
    make_item, held_meeting, next_meeting
):
    migration = import_module("workplan.migrations.0002_agenda_item_origins")
    exempt = make_item(
        meeting=next_meeting,
        title="Closed",
        purpose="SECRET PURPOSE",
        exempt_paragraph=3,
        exempt_reason="Contracts",
        origin=ItemOrigin.DRAW_DOWN,
        origin_detail="SECRET ORIGIN",
    )
    deferred = held_meeting.items.get(title="Performance")
    agenda_item_update(item=deferred, origin=ItemOrigin.WORK_PROGRAMME, origin_detail="Plan")
    minute = Minutes.objects.get(meeting=held_meeting).entries.get(title="Performance")
    minute.outcome = MinuteOutcome.DEFERRED
    minute.save()
    migration.forwards(apps, None)
    assert not WorkPlanItem.objects.filter(topic="Closed").exists()
    exempt.refresh_from_db()
    assert exempt.origin_detail == "SECRET ORIGIN"  # kept, and still exempt with its item
    item = WorkPlanItem.objects.get(topic="Performance")
    assert (item.status, item.agenda_item, item.target_meeting) == (Status.POSTPONED, None, None)


def test_considered_items_add_no_queries(
    client, member, make_plan_item, held_meeting, django_assert_max_num_queries
):
    from minutes.numbering import municipal_year_start

    # The exempt one first: whether the reader may see exempt items is asked once.
    first = make_plan_item(topic="Closed business")
    work_plan_item_link(item=first, agenda_item=held_meeting.items.get(title="Closed business"))
    url = reverse("workplan:programme", args=[held_meeting.committee.slug])
    year = municipal_year_start(timezone.localdate(held_meeting.starts_at)).year
    client.force_login(member)
    client.get(url, {"from": year})
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"from": year})
    second = make_plan_item(topic="Performance")
    work_plan_item_link(item=second, agenda_item=held_meeting.items.get(title="Performance"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text_of(client.get(url, {"from": year}))
    assert "Minute" in page and "Performance" in page


def test_what_became_of_an_exempt_agenda_item_is_not_in_the_public_history(
    client, coordinator, member, make_plan_item, committee
):
    from meetings.services import meeting_create
    from minutes.services import minutes_advance, minutes_prefill, minutes_update

    meeting = meeting_create(
        committee=committee, starts_at=timezone.now() + datetime.timedelta(days=10), venue="Hall"
    )
    item = make_plan_item(target_meeting=meeting, topic="Knife crime review")
    (agenda_item,) = work_plan_items_place(meeting=meeting, items=[item], user=coordinator)
    agenda_item_update(
        item=agenda_item,
        title="Exempt matter A",
        exempt_paragraph=3,
        exempt_reason="Commercial",
        public_interest_reasoning="Contracts",
    )
    agenda_publish(meeting=meeting)
    type(meeting).objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    minutes = minutes_prefill(meeting=meeting)
    entry = minutes.entries.get(item=agenda_item)
    minute_save(
        minute=entry,
        user=None,
        based_on=entry.version,
        title="Exempt matter A",
        text="",
        resolutions=[],
        outcome=MinuteOutcome.DEFERRED,
        is_exempt=True,
        public_summary="An exempt item was deferred.",
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    item.refresh_from_db()
    assert item.agenda_item is None and item.status == Status.POSTPONED
    page = text_of(client.get(item.get_absolute_url()))
    assert "Placed on the agenda" not in page and "Deferred at the meeting" not in page
    client.force_login(member)
    page = text_of(client.get(item.get_absolute_url()))
    assert "Placed on the agenda" in page and "Deferred at the meeting" in page


def test_a_stale_action_form_can_be_saved_again(client, coordinator, held_meeting):
    from workplan.services import action_create

    resolution = Resolution.objects.get(text__contains="crime data expert")
    action = action_create(
        resolution=resolution,
        user=coordinator,
        description="Respond",
        owner_name="CSM",
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    client.force_login(coordinator)
    url = reverse("workplan:action_edit", kwargs={"slug": action.committee.slug, "pk": action.pk})
    fields = {
        "description": "Respond",
        "owner_name": "CSM",
        "due_date": action.due_date.isoformat(),
        "status": "awaiting",
    }
    client.post(url, {**fields, "owner_name": "Someone else", "version": action.version})
    response = client.post(url, {**fields, "response": "typed", "version": action.version})
    html = response.content.decode()
    assert "Someone else changed this action" in html and "typed" in html
    version = html.split('name="version" value="')[1].split('"')[0]
    client.post(url, {**fields, "owner_name": "Mine", "version": version})
    action.refresh_from_db()
    assert action.owner_name == "Mine"
    # A form without its version is refused, not taken as current.
    client.post(url, {**fields, "owner_name": "No version"})
    action.refresh_from_db()
    assert action.owner_name == "Mine"
