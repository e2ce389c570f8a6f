"""The work programme's rules: where an item may be planned, moves and postponements
with their reasons, creation from a resolution, the agenda taking items from the plan,
the minutes recording their outcome, and recurring business."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import AgendaSection, MeetingStatus
from meetings.services import agenda_item_remove, meeting_create
from minutes.models import MinuteOutcome, Resolution
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_prefill,
    minutes_update,
)
from workplan.models import ChangeKind, Recurrence, RequestedHow, Status, WorkPlanItem
from workplan.services import (
    work_plan_item_agree,
    work_plan_item_from_resolution,
    work_plan_item_link,
    work_plan_item_move,
    work_plan_item_reinstate,
    work_plan_item_update,
    work_plan_item_withdraw,
    work_plan_items_minuted,
    work_plan_items_place,
    work_plan_roll_forward,
)

pytestmark = pytest.mark.django_db


def kinds(item):
    return list(item.changes.values_list("kind", flat=True))


# --- adding -------------------------------------------------------------------------


def test_an_item_for_a_meeting_is_scheduled_and_its_history_starts(
    make_plan_item, next_meeting, coordinator
):
    item = make_plan_item(target_meeting=next_meeting, user=coordinator)
    assert item.status == Status.SCHEDULED
    change = item.changes.get()
    assert (change.kind, change.to_meeting, change.by) == (
        ChangeKind.ADDED,
        next_meeting,
        coordinator,
    )


def test_an_item_without_a_meeting_is_to_be_scheduled(make_plan_item):
    item = make_plan_item()
    assert item.target_meeting is None
    assert item.status == Status.PROPOSED


def test_a_proposal_stays_proposed_until_the_committee_agrees_it(make_plan_item, next_meeting):
    item = make_plan_item(target_meeting=next_meeting, proposed=True)
    assert item.status == Status.PROPOSED
    item = work_plan_item_agree(item=item, user=None, based_on=item.version)
    assert item.status == Status.SCHEDULED
    with pytest.raises(ValidationError, match="Only a proposed item"):
        work_plan_item_agree(item=item, user=None)


def test_a_meeting_in_the_past_is_refused(make_plan_item, held_meeting):
    with pytest.raises(ValidationError) as error:
        make_plan_item(target_meeting=held_meeting)
    assert "already taken place" in error.value.message_dict["target_meeting"][0]
    assert not WorkPlanItem.objects.exists()


def test_another_committees_meeting_is_refused(make_plan_item, make_committee):
    other = meeting_create(
        committee=make_committee(),
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Hall",
    )
    with pytest.raises(ValidationError, match="this committee"):
        make_plan_item(target_meeting=other)


def test_a_cancelled_meeting_is_refused(make_plan_item, next_meeting):
    next_meeting.status = MeetingStatus.CANCELLED
    next_meeting.published_at = timezone.now()
    next_meeting.save()
    with pytest.raises(ValidationError, match="cancelled"):
        make_plan_item(target_meeting=next_meeting)


# --- moving and postponing -----------------------------------------------------------


def test_postponing_keeps_the_reason_in_the_history(
    make_plan_item, next_meeting, later_meeting, coordinator
):
    item = make_plan_item(target_meeting=next_meeting)
    reason = "Postponed until July 2018 at the Chairman's request"
    item = work_plan_item_move(
        item=item,
        user=coordinator,
        to_meeting=later_meeting,
        reason=reason,
        postpone=True,
        based_on=item.version,
    )
    assert (item.status, item.target_meeting) == (Status.POSTPONED, later_meeting)
    change = item.changes.latest("pk")
    assert change.kind == ChangeKind.POSTPONED
    assert (change.from_meeting, change.to_meeting, change.reason) == (
        next_meeting,
        later_meeting,
        reason,
    )
    assert change.by == coordinator


def test_a_move_needs_a_reason_and_changes_nothing_without_one(
    make_plan_item, next_meeting, later_meeting
):
    item = make_plan_item(target_meeting=next_meeting)
    with pytest.raises(ValidationError) as error:
        work_plan_item_move(item=item, user=None, to_meeting=later_meeting, reason="  ")
    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.target_meeting == next_meeting
    assert kinds(item) == [ChangeKind.ADDED]


def test_moving_to_a_meeting_in_the_past_is_refused(make_plan_item, next_meeting, held_meeting):
    item = make_plan_item(target_meeting=next_meeting)
    with pytest.raises(ValidationError) as error:
        work_plan_item_move(item=item, user=None, to_meeting=held_meeting, reason="Sooner")
    assert "already taken place" in error.value.message_dict["to_meeting"][0]


def test_postponing_goes_to_a_later_meeting(make_plan_item, next_meeting, later_meeting):
    item = make_plan_item(target_meeting=later_meeting)
    with pytest.raises(ValidationError, match="later meeting"):
        work_plan_item_move(
            item=item, user=None, to_meeting=next_meeting, reason="Why", postpone=True
        )
    # Moving it earlier is a move, not a postponement.
    item = work_plan_item_move(item=item, user=None, to_meeting=next_meeting, reason="Urgent")
    assert (item.status, item.target_meeting) == (Status.SCHEDULED, next_meeting)


def test_postponing_without_a_meeting_leaves_it_to_be_scheduled(make_plan_item, next_meeting):
    item = make_plan_item(target_meeting=next_meeting)
    item = work_plan_item_move(
        item=item, user=None, to_meeting=None, reason="Presenter unavailable", postpone=True
    )
    assert (item.status, item.target_meeting) == (Status.POSTPONED, None)


def test_a_change_made_by_someone_else_meanwhile_is_not_overwritten(
    make_plan_item, next_meeting, later_meeting
):
    item = make_plan_item(target_meeting=next_meeting)
    opened_at = item.version
    work_plan_item_update(item=item, user=None, based_on=opened_at, lead="Kent Police")
    with pytest.raises(ValidationError, match="Someone else changed this item"):
        work_plan_item_move(
            item=item, user=None, to_meeting=later_meeting, reason="x", based_on=opened_at
        )
    with pytest.raises(ValidationError, match="Someone else changed this item"):
        work_plan_item_update(item=item, user=None, based_on=opened_at, lead="KCC")
    item.refresh_from_db()
    assert (item.lead, item.target_meeting) == ("Kent Police", next_meeting)


def test_an_edit_records_what_changed(make_plan_item):
    item = make_plan_item(topic="Gangs")
    item = work_plan_item_update(
        item=item, user=None, based_on=item.version, topic="Gangs in Dartford", lead="Police"
    )
    change = item.changes.latest("pk")
    assert change.kind == ChangeKind.EDITED
    assert change.detail == "Changed: topic, lead officer or presenter"
    # Saving it unchanged adds nothing.
    work_plan_item_update(item=item, user=None, based_on=item.version, topic="Gangs in Dartford")
    assert kinds(item).count(ChangeKind.EDITED) == 1


def test_withdrawing_and_reinstating_need_reasons(make_plan_item, next_meeting):
    item = make_plan_item(target_meeting=next_meeting)
    with pytest.raises(ValidationError):
        work_plan_item_withdraw(item=item, user=None, reason="")
    item = work_plan_item_withdraw(item=item, user=None, reason="Covered by the Cabinet")
    assert item.status == Status.WITHDRAWN
    with pytest.raises(ValidationError, match="nothing to move"):
        work_plan_item_move(item=item, user=None, to_meeting=None, reason="x")
    item = work_plan_item_reinstate(item=item, user=None, reason="Cabinet asked us to")
    assert (item.status, item.target_meeting) == (Status.PROPOSED, None)
    assert kinds(item)[-2:] == [ChangeKind.WITHDRAWN, ChangeKind.REINSTATED]


# --- from a resolution ---------------------------------------------------------------


def test_a_resolution_becomes_a_linked_item(held_meeting, next_meeting, coordinator):
    resolution = Resolution.objects.get(text__contains="crime data expert")
    item = work_plan_item_from_resolution(
        resolution=resolution,
        user=coordinator,
        topic="Recording of Crime Data",
        category="discretionary",
        target_meeting=next_meeting,
    )
    assert item.source_resolution == resolution
    assert item.source_minute == resolution.minute
    assert item.requested_how == RequestedHow.RESOLUTION
    assert resolution.work_plan_items.get() == item


def test_another_committees_resolution_is_refused(held_meeting, make_committee):
    resolution = Resolution.objects.get(text__contains="crime data expert")
    with pytest.raises(ValidationError, match="another committee"):
        work_plan_item_from_resolution(
            resolution=resolution,
            user=None,
            committee=make_committee(),
            topic="Crime data",
            category="discretionary",
        )


def test_the_link_survives_the_minute_being_reworded(held_meeting):
    resolution = Resolution.objects.get(text__contains="crime data expert")
    item = work_plan_item_from_resolution(
        resolution=resolution, user=None, topic="Crime data", category="discretionary"
    )
    minute = resolution.minute
    # A resolution is inserted before it, and its own wording corrected.
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text="Members discussed crime recording.",
        resolutions=[
            ResolutionInput("That the officers be thanked."),
            ResolutionInput("That the report be noted."),
            ResolutionInput(
                "That a presentation by a crime data expert be added to the Work Plan."
            ),
        ],
    )
    item.refresh_from_db()
    assert item.source_resolution.position == 3
    assert "crime data expert" in item.source_resolution.text
    minute.refresh_from_db()
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text="",
        resolutions=[
            ResolutionInput("That the officers be thanked."),
            ResolutionInput("That the report be noted."),
            ResolutionInput("That a talk by a crime data expert be added to the Work Plan."),
        ],
    )
    item.refresh_from_db()
    assert item.source_resolution.text.startswith("That a talk")
    assert list(minute.resolutions.values_list("position", flat=True)) == [1, 2, 3]


# --- the agenda ----------------------------------------------------------------------


def test_placing_items_makes_linked_agenda_items_in_plan_order(
    make_plan_item, next_meeting, coordinator
):
    first = make_plan_item(target_meeting=next_meeting, topic="PCP Update", description="To note")
    second = make_plan_item(target_meeting=next_meeting, topic="Gangs")
    added = work_plan_items_place(meeting=next_meeting, items=[second, first], user=coordinator)
    assert [a.title for a in added] == ["PCP Update", "Gangs"]
    assert added[0].purpose == "To note"
    assert added[0].section == AgendaSection.PUBLIC
    first.refresh_from_db()
    assert (first.status, first.agenda_item) == (Status.ON_AGENDA, added[0])
    assert kinds(first)[-1] == ChangeKind.PLACED


def test_placing_is_all_or_nothing(make_plan_item, next_meeting, later_meeting):
    here = make_plan_item(target_meeting=next_meeting)
    elsewhere = make_plan_item(target_meeting=later_meeting)
    before = next_meeting.items.count()
    with pytest.raises(ValidationError):
        work_plan_items_place(meeting=next_meeting, items=[here, elsewhere], user=None)
    assert next_meeting.items.count() == before
    here.refresh_from_db()
    assert here.status == Status.SCHEDULED


def test_an_item_on_an_agenda_is_moved_only_after_it_comes_off(
    make_plan_item, next_meeting, later_meeting
):
    item = make_plan_item(target_meeting=next_meeting)
    (agenda_item,) = work_plan_items_place(meeting=next_meeting, items=[item], user=None)
    with pytest.raises(ValidationError, match="Take it off that agenda"):
        work_plan_item_move(item=item, user=None, to_meeting=later_meeting, reason="x")
    agenda_item_remove(item=agenda_item)
    item.refresh_from_db()
    assert (item.status, item.agenda_item, item.target_meeting) == (
        Status.SCHEDULED,
        None,
        next_meeting,
    )
    assert kinds(item)[-1] == ChangeKind.REMOVED
    work_plan_item_move(item=item, user=None, to_meeting=later_meeting, reason="Full agenda")


def _minute_and_publish(meeting, outcomes: dict):
    minutes = minutes_prefill(meeting=meeting)
    for title, outcome in outcomes.items():
        entry = minutes.entries.get(title=title)
        minute_save(
            minute=entry,
            user=None,
            based_on=entry.version,
            title=title,
            text="",
            resolutions=[],
            outcome=outcome,
        )
    minutes_update(minutes=minutes, closing_time=datetime.time(21))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    return minutes


def test_publishing_the_minutes_records_each_items_outcome(make_plan_item, committee):
    meeting = meeting_create(
        committee=committee, starts_at=timezone.now() + datetime.timedelta(days=10), venue="Hall"
    )
    taken = make_plan_item(target_meeting=meeting, topic="Taken")
    deferred = make_plan_item(target_meeting=meeting, topic="Deferred")
    withdrawn = make_plan_item(target_meeting=meeting, topic="Withdrawn")
    work_plan_items_place(meeting=meeting, items=[taken, deferred, withdrawn], user=None)
    from meetings.services import agenda_publish

    agenda_publish(meeting=meeting)
    # The meeting is held.
    type(meeting).objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    minutes = _minute_and_publish(
        meeting,
        {
            "Taken": MinuteOutcome.TAKEN,
            "Deferred": MinuteOutcome.DEFERRED,
            "Withdrawn": MinuteOutcome.WITHDRAWN,
        },
    )
    for item in (taken, deferred, withdrawn):
        item.refresh_from_db()
    assert (taken.status, taken.agenda_item.minutes.get().minutes) == (Status.CONSIDERED, minutes)
    assert (deferred.status, deferred.target_meeting, deferred.agenda_item) == (
        Status.POSTPONED,
        None,
        None,
    )
    assert "Deferred at the meeting of" in deferred.changes.latest("pk").reason
    assert withdrawn.status == Status.WITHDRAWN
    # Running it again changes nothing.
    assert work_plan_items_minuted(meeting=meeting) == 0
    assert kinds(taken).count(ChangeKind.CONSIDERED) == 1


def test_linking_an_existing_agenda_item_of_a_minuted_meeting_marks_it_considered(
    make_plan_item, held_meeting
):
    item = make_plan_item(target_meeting=None, topic="Performance")
    item = work_plan_item_link(item=item, agenda_item=held_meeting.items.get(title="Performance"))
    item.refresh_from_db()
    assert (item.status, item.target_meeting) == (Status.CONSIDERED, held_meeting)
    considered = item.changes.get(kind=ChangeKind.CONSIDERED)
    assert considered.at >= held_meeting.minutes.published_at


# --- recurrence ----------------------------------------------------------------------


def _year_start(meeting):
    from minutes.numbering import municipal_year_start

    return municipal_year_start(timezone.localdate(meeting.starts_at))


def test_recurring_business_fills_the_next_year_once(committee, make_plan_item):
    from meetings.models import Meeting

    this_year = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        venue="Hall",
    )
    start = _year_start(this_year)
    next_start = start.replace(year=start.year + 1)
    local = timezone.get_current_timezone()
    summer, winter = (
        meeting_create(
            committee=committee,
            starts_at=datetime.datetime(next_start.year, month, 20, 19, tzinfo=local)
            if month > 4
            else datetime.datetime(next_start.year + 1, month, 20, 19, tzinfo=local),
            venue="Hall",
        )
        for month in (7, 2)
    )
    pcp = make_plan_item(
        target_meeting=this_year, topic="PCP Update", recurrence=Recurrence.EVERY_MEETING
    )
    annual = make_plan_item(
        target_meeting=this_year, topic="Annual Report", recurrence=Recurrence.ANNUAL
    )
    make_plan_item(target_meeting=this_year, topic="One-off")
    added = work_plan_roll_forward(committee=committee, year_start=next_start, user=None)
    placed = sorted((i.topic, i.target_meeting_id) for i in added)
    assert ("PCP Update", summer.pk) in placed and ("PCP Update", winter.pk) in placed
    assert len([p for p in placed if p[0] == "Annual Report"]) == 1
    assert "One-off" not in {p[0] for p in placed}
    assert all(i.recurs_from_id in (pcp.pk, annual.pk) for i in added)
    assert all(i.changes.get().kind == ChangeKind.ROLLED_FORWARD for i in added)
    # Again: nothing more.
    assert work_plan_roll_forward(committee=committee, year_start=next_start, user=None) == []
    assert Meeting.objects.filter(committee=committee).count() == 3


def test_an_annual_item_goes_to_the_meeting_nearest_its_time_of_year(committee, make_plan_item):
    local = timezone.get_current_timezone()
    year = timezone.localdate().year + 2
    february = meeting_create(
        committee=committee, starts_at=datetime.datetime(year, 2, 14, 19, tzinfo=local), venue="H"
    )
    july = meeting_create(
        committee=committee, starts_at=datetime.datetime(year, 7, 20, 19, tzinfo=local), venue="H"
    )
    next_february = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(year + 1, 2, 12, 19, tzinfo=local),
        venue="H",
    )
    make_plan_item(target_meeting=february, topic="Strategic Assessment", recurrence="annual")
    (added,) = work_plan_roll_forward(committee=committee, year_start=_year_start(july), user=None)
    assert added.target_meeting == next_february


def test_an_annual_item_in_a_year_without_meetings_waits_to_be_scheduled(
    committee, make_plan_item, next_meeting
):
    make_plan_item(target_meeting=next_meeting, topic="D-TAC Review", recurrence="annual")
    far = _year_start(next_meeting).replace(year=_year_start(next_meeting).year + 5)
    (added,) = work_plan_roll_forward(committee=committee, year_start=far, user=None)
    assert (added.target_meeting, added.status) == (None, Status.PROPOSED)
    # It is not added twice while it waits.
    assert work_plan_roll_forward(committee=committee, year_start=far, user=None) == []
