"""Writes to the work programme: validate, then save, with a history entry for each."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MeetingStatus
from minutes.models import Minute, MinuteOutcome, Resolution
from minutes.numbering import municipal_year_start
from scrutiny.models import Committee

from .models import (
    OPEN_STATUSES,
    PLACEABLE_STATUSES,
    ChangeKind,
    Recurrence,
    RequestedHow,
    Status,
    WorkPlanChange,
    WorkPlanItem,
)

EDITABLE = (
    "topic",
    "description",
    "category",
    "requested_how",
    "requested_by",
    "lead",
    "recurrence",
    "key_decision",
)
STALE_EDIT = (
    "Someone else changed this item while you were editing it. Your changes are still "
    "here: compare them with the item as it is now, then save again."
)


def _record(item: WorkPlanItem, kind: str, *, by=None, now=None, **fields) -> WorkPlanChange:
    return WorkPlanChange.objects.create(
        item=item, kind=kind, by=by, at=now or timezone.now(), **fields
    )


def _locked(item: WorkPlanItem, based_on: int | None) -> WorkPlanItem:
    """The item as stored now, locked; refused if it changed since the form was read."""
    current = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
    if based_on is not None and current.version != based_on:
        raise ValidationError(STALE_EDIT, code="stale")
    return current


def _saved(item: WorkPlanItem, now=None) -> WorkPlanItem:
    item.version += 1
    item.updated_at = now or timezone.now()
    item.full_clean()
    item.save()
    return item


def meeting_error(
    *, committee: Committee, meeting: Meeting, now=None, confirm_past: bool = False
) -> str:
    """Why a work plan item may not be aimed at this meeting, or ""."""
    if meeting.committee_id != committee.pk:
        return "Choose a meeting of this committee"
    if meeting.status == MeetingStatus.CANCELLED:
        return "That meeting is cancelled: choose another"
    if not confirm_past and meeting.starts_at < (now or timezone.now()):
        return (
            "That meeting has already taken place: choose a meeting still to come, or leave "
            "the item to be scheduled"
        )
    return ""


def _check_meeting(committee, meeting, *, now, confirm_past, field="target_meeting"):
    if meeting is None:
        return
    error = meeting_error(committee=committee, meeting=meeting, now=now, confirm_past=confirm_past)
    if error:
        raise ValidationError({field: error})


def _next_position(committee: Committee) -> int:
    last = WorkPlanItem.objects.filter(committee=committee).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def work_plan_item_add(
    *,
    committee: Committee,
    user,
    topic: str,
    category: str,
    description: str = "",
    requested_how: str = RequestedHow.WORK_PROGRAMME,
    requested_by: str = "",
    lead: str = "",
    target_meeting: Meeting | None = None,
    proposed: bool = False,
    recurrence: str = Recurrence.NONE,
    source_resolution: Resolution | None = None,
    source_minute: Minute | None = None,
    key_decision=None,
    now=None,
    confirm_past: bool = False,
) -> WorkPlanItem:
    """Add a topic to the programme: scheduled at its meeting, or to be scheduled.
    `proposed` marks a suggestion the committee has not yet agreed. The minute (or the
    resolution) it was asked for in must be this committee's."""
    _check_meeting(committee, target_meeting, now=now, confirm_past=confirm_past)
    if source_resolution is not None:
        source_minute = source_resolution.minute
    if source_minute is not None and source_minute.minutes.meeting.committee_id != committee.pk:
        raise ValidationError("That minute is another committee's.")
    if proposed:
        status = Status.PROPOSED
    else:
        status = Status.SCHEDULED if target_meeting else Status.PROPOSED
    item = WorkPlanItem(
        committee=committee,
        topic=topic.strip(),
        description=description.strip(),
        category=category,
        requested_how=requested_how,
        requested_by=requested_by.strip(),
        lead=lead.strip(),
        target_meeting=target_meeting,
        status=status,
        recurrence=recurrence,
        source_resolution=source_resolution,
        source_minute=source_minute,
        key_decision=key_decision,
        position=_next_position(committee),
        created_at=now or timezone.now(),
        updated_at=now or timezone.now(),
    )
    item.full_clean()
    item.save()
    _record(item, ChangeKind.ADDED, by=user, now=now, to_meeting=target_meeting, to_status=status)
    return item


@transaction.atomic
def work_plan_item_from_resolution(
    *, resolution: Resolution, user, now=None, confirm_past: bool = False, **fields
) -> WorkPlanItem:
    """A resolution asking for a topic to be added to the work plan becomes an item linked
    to it. Resolutions of another committee's minutes are refused."""
    resolution = Resolution.objects.select_related("minute__minutes__meeting__committee").get(
        pk=resolution.pk
    )
    committee = resolution.minute.minutes.meeting.committee
    if fields.pop("committee", committee) != committee:
        raise ValidationError("That resolution is another committee's.")
    fields.setdefault("requested_how", RequestedHow.RESOLUTION)
    return work_plan_item_add(
        committee=committee,
        user=user,
        source_resolution=resolution,
        now=now,
        confirm_past=confirm_past,
        **fields,
    )


@transaction.atomic
def work_plan_item_update(*, item: WorkPlanItem, user, based_on: int | None, now=None, **fields):
    """Change what an item is (not where it is: that is a move, with its reason)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    item = _locked(item, based_on)
    changed = []
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) and name != "recurrence" else value
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(WorkPlanItem._meta.get_field(name).verbose_name)
    if not changed:
        return item
    _saved(item, now)
    _record(item, ChangeKind.EDITED, by=user, now=now, detail="Changed: " + ", ".join(changed))
    return item


def _refuse_unless_open(item: WorkPlanItem, action: str) -> None:
    if item.status == Status.ON_AGENDA:
        raise ValidationError(
            f"This item is on the agenda of {item.target_meeting}. Take it off that agenda "
            f"in the agenda builder before you {action} it."
        )
    if item.status not in OPEN_STATUSES:
        raise ValidationError(
            f"This item is {item.get_status_display().lower()}: there is nothing to {action}."
        )


@transaction.atomic
def work_plan_item_move(
    *,
    item: WorkPlanItem,
    user,
    to_meeting: Meeting | None,
    reason: str,
    postpone: bool = False,
    based_on: int | None = None,
    now=None,
    confirm_past: bool = False,
) -> WorkPlanItem:
    """Move an item to another meeting (or back to be scheduled), or postpone it, with
    the reason, which its history keeps."""
    item = _locked(item, based_on)
    _refuse_unless_open(item, "postpone" if postpone else "move")
    errors = {}
    if not reason.strip():
        errors["reason"] = (
            "Enter the reason for postponing the item"
            if postpone
            else "Enter the reason for moving the item"
        )
    if to_meeting is not None:
        error = meeting_error(
            committee=item.committee, meeting=to_meeting, now=now, confirm_past=confirm_past
        )
        if error:
            errors["to_meeting"] = error
        elif to_meeting.pk == item.target_meeting_id:
            errors["to_meeting"] = "The item is already planned for that meeting"
        elif (
            postpone
            and item.target_meeting is not None
            and to_meeting.starts_at <= item.target_meeting.starts_at
        ):
            errors["to_meeting"] = "A postponed item goes to a later meeting than its own"
    elif item.target_meeting is None:
        errors["to_meeting"] = "The item is already to be scheduled: choose a meeting"
    if errors:
        raise ValidationError(errors)
    from_meeting, from_status = item.target_meeting, item.status
    item.target_meeting = to_meeting
    if from_status == Status.PROPOSED:
        item.status = Status.PROPOSED  # a proposal stays one until the committee agrees it
    elif postpone:
        item.status = Status.POSTPONED
    elif to_meeting is None:
        item.status = Status.POSTPONED if from_status == Status.POSTPONED else Status.PROPOSED
    else:
        item.status = Status.SCHEDULED
    _saved(item, now)
    _record(
        item,
        ChangeKind.POSTPONED if postpone else ChangeKind.MOVED,
        by=user,
        now=now,
        from_meeting=from_meeting,
        to_meeting=to_meeting,
        from_status=from_status,
        to_status=item.status,
        reason=reason.strip(),
    )
    return item


@transaction.atomic
def work_plan_item_agree(*, item: WorkPlanItem, user, based_on: int | None = None, now=None):
    """The committee agreed a proposed item: it is scheduled at its meeting."""
    current = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
    if based_on is not None and current.version != based_on:
        raise ValidationError(
            "This item changed while you were reading it: check it, then agree it again."
        )
    item = current
    if item.status != Status.PROPOSED:
        raise ValidationError("Only a proposed item can be agreed.")
    if item.target_meeting is None:
        raise ValidationError("Choose the meeting for the item (move it) before agreeing it.")
    item.status = Status.SCHEDULED
    _saved(item, now)
    _record(
        item,
        ChangeKind.EDITED,
        by=user,
        now=now,
        from_status=Status.PROPOSED,
        to_status=Status.SCHEDULED,
        detail="Agreed by the committee",
    )
    return item


@transaction.atomic
def work_plan_item_withdraw(
    *, item: WorkPlanItem, user, reason: str, based_on: int | None = None, now=None
):
    item = _locked(item, based_on)
    _refuse_unless_open(item, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for withdrawing the item"})
    from_status = item.status
    item.status = Status.WITHDRAWN
    _saved(item, now)
    _record(
        item,
        ChangeKind.WITHDRAWN,
        by=user,
        now=now,
        from_meeting=item.target_meeting,
        from_status=from_status,
        to_status=Status.WITHDRAWN,
        reason=reason.strip(),
    )
    return item


@transaction.atomic
def work_plan_item_reinstate(
    *, item: WorkPlanItem, user, reason: str, based_on: int | None = None, now=None
):
    """A withdrawn item comes back, to be scheduled."""
    item = _locked(item, based_on)
    if item.status != Status.WITHDRAWN:
        raise ValidationError("Only a withdrawn item can be reinstated.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for reinstating the item"})
    from_meeting = item.target_meeting
    item.status = Status.PROPOSED
    item.target_meeting = None
    item.agenda_item = None  # withdrawn at a meeting: that agenda item is the record's
    _saved(item, now)
    _record(
        item,
        ChangeKind.REINSTATED,
        by=user,
        now=now,
        from_meeting=from_meeting,
        from_status=Status.WITHDRAWN,
        to_status=Status.PROPOSED,
        reason=reason.strip(),
    )
    return item


# --- the agenda ------------------------------------------------------------------------


def placeable_items(*, meeting: Meeting):
    """Items planned for this meeting that its agenda has not taken yet."""
    return WorkPlanItem.objects.filter(
        target_meeting=meeting, status__in=PLACEABLE_STATUSES, agenda_item__isnull=True
    ).order_by("position", "pk")


@transaction.atomic
def work_plan_items_place(*, meeting: Meeting, items, user, now=None) -> list[AgendaItem]:
    """Put these work plan items on the meeting's agenda, each as an item of business
    linked to it, in the plan's order. All or none."""
    from meetings.services import agenda_item_add

    wanted = {item.pk for item in items}
    if not wanted:
        raise ValidationError({"items": "Select the work plan items to put on the agenda"})
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting is cancelled: move its work plan items to another.")
    placeable = list(placeable_items(meeting=meeting).select_for_update().filter(pk__in=wanted))
    if len(placeable) != len(wanted):
        raise ValidationError(
            {"items": "Some of those items are no longer planned for this meeting: reload the page"}
        )
    added = []
    for item in placeable:
        agenda_item = agenda_item_add(meeting=meeting, title=item.topic, purpose=item.description)
        from_status = item.status
        item.agenda_item = agenda_item
        item.status = Status.ON_AGENDA
        _saved(item, now)
        _record(
            item,
            ChangeKind.PLACED,
            by=user,
            now=now,
            to_meeting=meeting,
            agenda_item=agenda_item,
            from_status=from_status,
            to_status=Status.ON_AGENDA,
        )
        added.append(agenda_item)
    return added


@transaction.atomic
def work_plan_item_link(*, item: WorkPlanItem, agenda_item: AgendaItem, user=None, now=None):
    """Record that an existing agenda item is this work plan item (for agendas built
    before the item was in the plan). If the meeting is already minuted, the item takes
    its outcome."""
    item = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
    if agenda_item.meeting.committee_id != item.committee_id:
        raise ValidationError("That agenda item is another committee's.")
    if item.agenda_item_id and item.agenda_item_id != agenda_item.pk:
        raise ValidationError("This work plan item is already on an agenda.")
    if WorkPlanItem.objects.filter(agenda_item=agenda_item).exclude(pk=item.pk).exists():
        raise ValidationError("That agenda item already comes from another work plan item.")
    from_status = item.status
    item.agenda_item = agenda_item
    item.target_meeting = agenda_item.meeting
    item.status = Status.ON_AGENDA
    _saved(item, now)
    _record(
        item,
        ChangeKind.PLACED,
        by=user,
        now=now,
        to_meeting=agenda_item.meeting,
        agenda_item=agenda_item,
        from_status=from_status,
        to_status=Status.ON_AGENDA,
    )
    work_plan_items_minuted(meeting=agenda_item.meeting, now=now)
    return item


def work_plan_agenda_item_removed(*, agenda_item: AgendaItem, user=None, now=None) -> None:
    """An agenda item is being taken off its agenda: its work plan item goes back to
    being scheduled at that meeting. Called inside the removal's transaction."""
    item = WorkPlanItem.objects.select_for_update().filter(agenda_item=agenda_item).first()
    if item is None:
        return
    placed = item.changes.filter(kind=ChangeKind.PLACED).order_by("-at", "-pk").first()
    # Back to what it was before the agenda took it: a proposal is still a proposal.
    before = placed.from_status if placed and placed.from_status else Status.SCHEDULED
    item.agenda_item = None
    item.status = before
    _saved(item, now)
    _record(
        item,
        ChangeKind.REMOVED,
        by=user,
        now=now,
        from_meeting=agenda_item.meeting,
        to_meeting=agenda_item.meeting,
        agenda_item=agenda_item,
        from_status=Status.ON_AGENDA,
        to_status=before,
    )


# What the minutes say of an item, and what becomes of its work plan item.
_MINUTED = {
    MinuteOutcome.TAKEN: (Status.CONSIDERED, ChangeKind.CONSIDERED),
    MinuteOutcome.DEFERRED: (Status.POSTPONED, ChangeKind.DEFERRED),
    MinuteOutcome.NOT_REACHED: (Status.POSTPONED, ChangeKind.DEFERRED),
    MinuteOutcome.WITHDRAWN: (Status.WITHDRAWN, ChangeKind.WITHDRAWN),
}


@transaction.atomic
def work_plan_items_minuted(*, meeting: Meeting, now=None) -> int:
    """The meeting's minutes are published: each work plan item on its agenda takes the
    outcome its minute records. Considered items keep their agenda item and so their
    minute and resolutions; deferred ones go back to be scheduled. Returns how many
    changed; running it again changes nothing."""
    from minutes.models import Minute, Minutes

    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.is_public:
        return 0
    # Never dated before the minutes that record it.
    now = max(now or timezone.now(), minutes.published_at)
    outcomes = dict(
        Minute.objects.filter(minutes=minutes, item__isnull=False).values_list("item_id", "outcome")
    )
    # On the agenda, or already given an outcome that a corrected minute may change.
    items = WorkPlanItem.objects.select_for_update().filter(
        agenda_item__meeting=meeting,
        status__in=(Status.ON_AGENDA, Status.CONSIDERED, Status.WITHDRAWN),
    )
    changed = 0
    for item in items:
        outcome = outcomes.get(item.agenda_item_id)
        if outcome is None:
            continue
        status, kind = _MINUTED[outcome]
        if status == item.status:
            continue
        reason = ""
        minuted_item = item.agenda_item
        if kind == ChangeKind.DEFERRED:
            reason = f"{MinuteOutcome(outcome).label} at the meeting of {meeting}"
            item.agenda_item = None
            item.target_meeting = None
        from_status = item.status
        item.status = status
        _saved(item, now)
        _record(
            item,
            kind,
            now=now,
            from_meeting=meeting,
            agenda_item=minuted_item,
            from_status=from_status,
            to_status=status,
            reason=reason,
        )
        changed += 1
    return changed


# --- recurrence ------------------------------------------------------------------------


def _year_meetings(committee: Committee, year_start: datetime.date):
    local = timezone.get_current_timezone()
    start = datetime.datetime.combine(year_start, datetime.time(), tzinfo=local)
    end = datetime.datetime.combine(
        year_start.replace(year=year_start.year + 1), datetime.time(), tzinfo=local
    )
    return list(
        Meeting.objects.filter(committee=committee, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )


@transaction.atomic
def work_plan_roll_forward(
    *, committee: Committee, year_start: datetime.date, user, now=None
) -> list[WorkPlanItem]:
    """Fill a municipal year's plan with the committee's recurring business: an item that
    recurs at every meeting goes to each of that year's meetings, an annual one to the
    meeting nearest the same time of year (or to be scheduled if the year has no
    meetings yet). Each series has at most one item per meeting and, for annual items,
    one per year: running it again adds nothing."""
    year_start = municipal_year_start(year_start)
    # Only meetings still to come: a meeting held cannot take business any more.
    meetings = [
        m for m in _year_meetings(committee, year_start) if m.starts_at >= (now or timezone.now())
    ]
    recurring = (
        WorkPlanItem.objects.filter(committee=committee)
        .exclude(recurrence=Recurrence.NONE)
        .exclude(status=Status.WITHDRAWN)
        .select_related("target_meeting")
        .order_by("position", "pk")
    )
    # The latest item of each series stands for it.
    series: dict[int, WorkPlanItem] = {}
    for item in recurring:
        series[item.series_id] = item
    existing = WorkPlanItem.objects.filter(committee=committee).values_list(
        "recurs_from_id", "pk", "target_meeting_id", "target_meeting__starts_at"
    )
    taken_meetings: dict[int, set] = {}
    taken_years: dict[int, set] = {}
    for recurs_from, pk, meeting_id, starts_at in existing:
        key = recurs_from or pk
        taken_meetings.setdefault(key, set()).add(meeting_id)
        if starts_at is not None:
            taken_years.setdefault(key, set()).add(
                municipal_year_start(timezone.localdate(starts_at))
            )
    # What recurs is the series' first item as worded (its meeting-specific rewordings
    # stay with their meetings); where it falls follows the latest.
    roots = WorkPlanItem.objects.in_bulk(list(series))
    added = []
    for key, latest in series.items():
        model = roots.get(key, latest)
        if latest.recurrence == Recurrence.EVERY_MEETING:
            targets = [m for m in meetings if m.pk not in taken_meetings.get(key, set())]
        else:
            if year_start in taken_years.get(key, set()):
                continue
            if any(
                i.series_id == key and i.target_meeting_id is None and i.status in OPEN_STATUSES
                for i in recurring
            ):
                continue
            targets = [_nearest(meetings, latest)] if meetings else [None]
        for meeting in targets:
            item = work_plan_item_add(
                committee=committee,
                user=user,
                topic=model.topic,
                category=model.category,
                description=model.description,
                requested_how=RequestedHow.WORK_PROGRAMME,
                requested_by=model.requested_by,
                lead=model.lead,
                target_meeting=meeting,
                recurrence=latest.recurrence,
                now=now,
                confirm_past=True,
            )
            item.recurs_from_id = key
            item.save(update_fields=["recurs_from"])
            item.changes.update(kind=ChangeKind.ROLLED_FORWARD)
            added.append(item)
    return added


def _nearest(meetings: list[Meeting], model: WorkPlanItem) -> Meeting:
    """The meeting nearest the same point in the municipal year as the model's meeting."""
    if model.target_meeting is None:
        return meetings[0]
    offset = _into_year(model.target_meeting)
    return min(meetings, key=lambda m: abs(_into_year(m) - offset))


def _into_year(meeting: Meeting) -> int:
    """Days from the start of its municipal year to the meeting."""
    day = timezone.localdate(meeting.starts_at)
    return (day - municipal_year_start(day)).days


# --- the recommendations and actions tracker -------------------------------------------

REMINDER_DAYS = 7


def _action_fields_errors(*, description, owner_name, due_date, minute) -> dict:
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what is asked"
    if not owner_name.strip():
        errors["owner_name"] = "Enter who must respond"
    if due_date is None:
        errors["due_date"] = "Enter the date the response is due"
    elif due_date < timezone.localdate(minute.minutes.meeting.starts_at):
        errors["due_date"] = "The due date must be on or after the meeting that asked for it"
    return errors


@transaction.atomic
def action_create(
    *,
    resolution: Resolution,
    user,
    description: str,
    owner_name: str,
    due_date,
    owner=None,
    owner_email: str = "",
    committee: Committee | None = None,
    now=None,
):
    """Track what a resolution asks of someone, due by a date on or after its meeting."""
    from .models import TrackedAction

    resolution = Resolution.objects.select_related("minute__minutes__meeting__committee").get(
        pk=resolution.pk
    )
    minute = resolution.minute
    own = minute.minutes.meeting.committee
    if committee is not None and committee != own:
        raise ValidationError("That resolution is another committee's.")
    errors = _action_fields_errors(
        description=description, owner_name=owner_name, due_date=due_date, minute=minute
    )
    if errors:
        raise ValidationError(errors)
    action = TrackedAction(
        committee=own,
        resolution=resolution,
        minute=minute,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner=owner,
        owner_email=owner_email.strip(),
        due_date=due_date,
        created_by=user,
        created_at=now or timezone.now(),
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(
    *,
    action,
    user,
    based_on: int | None,
    description: str,
    owner_name: str,
    due_date,
    status: str,
    response: str = "",
    owner=None,
    owner_email: str = "",
    today=None,
):
    """Record a response and the outcome (or correct the action). A response is needed
    for any status but awaiting; moving the due date lets the owner be reminded again."""
    from .models import CLOSED_ACTION_STATUSES, ActionStatus, TrackedAction

    current = (
        TrackedAction.objects.select_for_update(of=("self",))
        .select_related("minute__minutes__meeting")
        .get(pk=action.pk)
    )
    if based_on is not None and current.version != based_on:
        raise ValidationError(STALE_EDIT.replace("item", "action"), code="stale")
    errors = _action_fields_errors(
        description=description, owner_name=owner_name, due_date=due_date, minute=current.minute
    )
    if status not in ActionStatus.values:
        errors["status"] = "Select the status"
    elif status != ActionStatus.AWAITING and not response.strip():
        errors["response"] = "Enter the response before recording it as " + (
            ActionStatus(status).label.lower()
        )
    if errors:
        raise ValidationError(errors)
    if due_date != current.due_date:
        current.reminder_sent_on = None
    if status != ActionStatus.AWAITING and current.status == ActionStatus.AWAITING:
        current.responded_on = today or timezone.localdate()
    elif status == ActionStatus.AWAITING:
        current.responded_on = None
    # The tracker reports a closed action at the next meeting only, so it keeps the day.
    if status in CLOSED_ACTION_STATUSES:
        if not current.is_closed:
            current.closed_on = today or timezone.localdate()
    else:
        current.closed_on = None
    current.description = description.strip()
    current.owner_name = owner_name.strip()
    current.owner = owner
    current.owner_email = owner_email.strip()
    current.due_date = due_date
    current.status = status
    current.response = response.strip()
    current.version += 1
    current.full_clean()
    current.save()
    return current


def _owner_address(action) -> str:
    if action.owner_email:
        return action.owner_email
    user = action.owner.user if action.owner is not None else None
    return user.email if user is not None and user.is_active else ""


@transaction.atomic
def actions_remind(*, today=None) -> int:
    """E-mail each owner whose response falls due within a week, once per due date (a
    new due date may be reminded again). Returns how many reminders were queued; they go
    only once the reminder is recorded."""
    from scrutiny.notices import notice_send
    from scrutiny.templatetags.council import council_date

    from .models import ActionStatus, TrackedAction

    today = today or timezone.localdate()
    due = (
        # Only the actions' rows are locked (PostgreSQL refuses to lock the nullable
        # side of the outer joins to the owner and the minute's item).
        TrackedAction.objects.select_for_update(of=("self",))
        .filter(
            status=ActionStatus.AWAITING,
            reminder_sent_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        )
        .select_related("committee", "owner__user", "minute__minutes__meeting", "minute__item")
    )
    sent = 0
    for action in due:
        address = _owner_address(action)
        if not address:
            continue
        meeting = action.minute.minutes.meeting
        summary = _action_summary(action)
        notice_send(
            subject=f"Response due {council_date(action.due_date)}: {action.committee.name}",
            body=f"The {action.committee.name} asked at its meeting of "
            f"{council_date(meeting.starts_at)}:\n\n{summary}\n\nYour response is due by "
            f"{council_date(action.due_date)}. Please send it to Member Services.",
            recipients=[address],
            link_path=reverse_action_list(action.committee),
            link_text="The committee's actions",
        )
        action.reminder_sent_on = today
        action.save(update_fields=["reminder_sent_on"])
        sent += 1
    return sent


def _action_summary(action) -> str:
    """What an e-mail may say of an action: never the words of an exempt one."""
    if action.is_exempt:
        return "An action recorded in the exempt part of the minutes (sign in to read it)"
    return action.description


def reverse_action_list(committee: Committee) -> str:
    from django.urls import reverse

    return reverse("workplan:actions", kwargs={"slug": committee.slug})


@transaction.atomic
def actions_digest(*, today=None) -> int:
    """Once a week, each committee with overdue actions sends its co-ordinators a digest
    of them. Returns how many committees' digests were queued."""
    from django.db import IntegrityError

    from scrutiny.notices import notice_send_to_users
    from scrutiny.templatetags.council import council_date

    from .models import ActionDigest, ActionStatus, TrackedAction

    today = today or timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    overdue = (
        TrackedAction.objects.filter(status=ActionStatus.AWAITING, due_date__lt=today)
        .select_related("committee", "minute__item")
        .order_by("committee", "due_date", "pk")
    )
    by_committee: dict[int, list] = {}
    for action in overdue:
        by_committee.setdefault(action.committee_id, []).append(action)
    sent = 0
    for actions in by_committee.values():
        committee = actions[0].committee
        try:
            with transaction.atomic():
                ActionDigest.objects.create(committee=committee, week=week, overdue=len(actions))
        except IntegrityError:
            continue  # this week's digest has gone
        lines = "\n".join(
            f"- {action.owner_name}: {_action_summary(action)[:160]} "
            f"(due {council_date(action.due_date)})"
            for action in actions
        )
        notice_send_to_users(
            users=committee.coordinators.all(),
            subject=f"{len(actions)} overdue action{'s' if len(actions) != 1 else ''}: "
            f"{committee.name}",
            body=f"These actions of the {committee.name} are awaiting a response after "
            f"their due date:\n\n{lines}",
            link_path=reverse_action_list(committee),
            link_text="The actions tracker",
        )
        sent += 1
    return sent


# --- the forward plan of key decisions --------------------------------------------------


def key_decision_errors(decision) -> dict:
    """Why a key decision may not stand as given: a closed one without its paragraph and
    reason, or notice of fewer than 28 clear days without the reason for it."""
    from meetings.law import KEY_DECISION_NOTICE_CLEAR_DAYS, latest_publication_date
    from scrutiny.templatetags.council import council_date

    errors = {}
    for name in ("decision_date", "first_notice_on"):
        day = getattr(decision, name)
        if day is not None and not 1900 <= day.year <= 2999:
            errors[name] = "Enter a real date"
    if errors:
        return errors
    if decision.is_closed:
        if not decision.exempt_paragraph:
            errors["exempt_paragraph"] = "Select the Schedule 12A paragraph it is closed under"
        if not decision.closed_reason.strip():
            errors["closed_reason"] = "Enter why it is taken in closed session"
    elif decision.exempt_paragraph:
        errors["exempt_paragraph"] = "Only a closed decision names a Schedule 12A paragraph"
    if decision.decision_date and decision.first_notice_on:
        if decision.first_notice_on > decision.decision_date:
            errors["first_notice_on"] = "The notice is published before the decision is taken"
        elif (
            decision.clear_days < KEY_DECISION_NOTICE_CLEAR_DAYS
            and not decision.late_notice_reason.strip()
        ):
            latest = latest_publication_date(decision.decision_date, KEY_DECISION_NOTICE_CLEAR_DAYS)
            errors["late_notice_reason"] = (
                f"The notice gives {decision.clear_days} clear days, not 28 (it was due by "
                f"{council_date(latest)}): enter the reason (general exception or special "
                "urgency)"
            )
    return errors


@transaction.atomic
def key_decision_save(*, decision):
    """Add or change a key decision, refusing one that breaks the notice rules."""
    errors = key_decision_errors(decision)
    if errors:
        raise ValidationError(errors)
    decision.title = decision.title.strip()
    decision.full_clean()
    decision.save()
    return decision
