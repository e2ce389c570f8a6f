"""Writes for meetings and agendas: validate, then save, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from scrutiny.models import Membership
from scrutiny.notices import notice_send_to_users
from scrutiny.templatetags.council import council_date, council_time

from .law import clear_days_between, exclusion_resolution
from .models import AgendaItem, AgendaSection, ExemptionWording, ItemKind, Meeting, MeetingStatus
from .selectors import exemption_wordings

# The standard opening items of every agenda, with their usual purpose text.
STANDARD_ITEMS = [
    (ItemKind.APOLOGIES, "Apologies for Absence", "To note any apologies for absence."),
    (
        ItemKind.DECLARATIONS,
        "Declarations of Interest",
        "To receive any declarations of interest from Members, including the term(s) of "
        "any Grant(s) of Dispensation.",
    ),
    (ItemKind.MINUTES, "Confirmation of the Minutes", ""),
    (
        ItemKind.URGENT,
        "Urgent Items",
        "The Chairman will announce his decision as to whether there are any urgent items "
        "and their position on the agenda.",
    ),
    (
        ItemKind.REFERENCES,
        "To consider references from other Committees (if any)",
        "There are no references from other Committees at present.",
    ),
]


def _previous_meeting(committee, starts_at) -> Meeting | None:
    return (
        Meeting.objects.filter(committee=committee, starts_at__lt=starts_at)
        .published()
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
        .first()
    )


def _minutes_title(previous: Meeting | None) -> str:
    if previous is None:
        return "Confirmation of the Minutes"
    return f"Confirmation of the Minutes of the meeting held on {council_date(previous.starts_at)}"


@transaction.atomic
def meeting_create(*, committee, starts_at: datetime.datetime, venue: str) -> Meeting:
    """A new draft meeting whose agenda starts with the standard items in order."""
    meeting = Meeting(committee=committee, starts_at=starts_at, venue=venue)
    meeting.full_clean()
    meeting.save()
    previous = _previous_meeting(committee, starts_at)
    for position, (kind, title, purpose) in enumerate(STANDARD_ITEMS, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            section=AgendaSection.PUBLIC,
            position=position,
            kind=kind,
            title=_minutes_title(previous) if kind == ItemKind.MINUTES else title,
            purpose=purpose,
            previous_meeting=previous if kind == ItemKind.MINUTES else None,
        )
    return meeting


def _next_position(meeting: Meeting, section: int) -> int:
    top = meeting.items.filter(section=section).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _exempt_part(meeting: Meeting) -> tuple[tuple[int, ...], int]:
    """What the exclusion resolution is about: the exempt paragraphs and how many items."""
    paragraphs = meeting.items.filter(section=AgendaSection.EXEMPT).values_list(
        "exempt_paragraph", flat=True
    )
    return tuple(sorted(set(paragraphs))), len(paragraphs)


def _sync_exclusion_item(
    meeting: Meeting, *, before: tuple[tuple[int, ...], int] | None = None
) -> None:
    """Keep the exclusion item before the exempt part, naming its paragraphs, or remove it.

    `before` is `_exempt_part(meeting)` as it stood before the change."""
    exempt = list(meeting.items.filter(section=AgendaSection.EXEMPT))
    exclusion = meeting.items.filter(section=AgendaSection.EXCLUSION).first()
    if not exempt:
        # A minuted exclusion is part of the record: kept, with what it minuted.
        if exclusion and not exclusion.minutes.exists():
            exclusion.delete()
        return
    # A published agenda is a public record: its resolution stays as published unless
    # what it resolves changes (other paragraphs, or another number of items). Then it
    # is worded afresh, in the council's wording of today, as a new agenda would be.
    if (
        meeting.is_public
        and exclusion is not None
        and before is not None
        and before == _exempt_part(meeting)
    ):
        return
    text = exclusion_resolution(
        [item.exempt_paragraph for item in exempt], len(exempt), exemption_wordings()
    )
    if exclusion is None:
        AgendaItem.objects.create(
            meeting=meeting,
            section=AgendaSection.EXCLUSION,
            position=1,
            kind=ItemKind.EXCLUSION,
            title="Exclusion of the Press and Public",
            purpose=text,
        )
    elif exclusion.purpose != text:
        exclusion.purpose = text
        exclusion.save(update_fields=["purpose"])


@transaction.atomic
def exemption_wording_set(*, paragraph: int, wording: str) -> ExemptionWording | None:
    """Word how the council describes a paragraph's exempt information when it excludes
    the press and public (blank: as Schedule 12A does). Draft agendas follow at once;
    a published agenda keeps the resolution it was published with."""
    wording = " ".join(wording.split()).rstrip(".")
    if not wording:
        ExemptionWording.objects.filter(paragraph=paragraph).delete()
        saved = None
    else:
        saved = ExemptionWording.objects.filter(paragraph=paragraph).first() or ExemptionWording(
            paragraph=paragraph
        )
        saved.wording = wording
        saved.full_clean()
        saved.save()
    drafts = Meeting.objects.filter(
        status=MeetingStatus.DRAFT,
        items__section=AgendaSection.EXEMPT,
        items__exempt_paragraph=paragraph,
    ).distinct()
    for meeting in drafts:
        _sync_exclusion_item(meeting)
    return saved


def agenda_changed(meeting: Meeting, *, immediately: bool = False, additive: bool = False) -> None:
    """A published agenda or its papers changed: rebuild its packs (requests coalesce).

    Unless the change only adds to the agenda or reorders it (`additive`), the public
    packs stop being served in this same transaction, before any worker runs: whatever
    became exempt, was withdrawn or was replaced must not stay on sale until the rebuild
    (which may be late, or fail)."""
    # Its state as stored now, not as the caller last read it.
    meeting = Meeting.objects.get(pk=meeting.pk)
    if not meeting.is_public:
        return
    from packs.services import packs_request_build, public_packs_withdraw
    from search.services import search_index_meeting

    # In this transaction, as the packs are withdrawn: what became exempt is not found.
    search_index_meeting(meeting=meeting)
    if not additive:
        public_packs_withdraw(meeting=meeting)
    packs_request_build(meeting=meeting, delay=0 if immediately else None)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = "",
    exempt_paragraph: int | None = None,
    full_title: str = "",
    exempt_reason: str = "",
    public_interest_reasoning: str = "",
    kind: str = ItemKind.BUSINESS,
    origin: str = "",
    origin_detail: str = "",
    by=None,
) -> AgendaItem:
    """Add an item at the end of its part; an item added after publication is supplementary.
    An exempt item goes into the exempt access log, as its reader `by` decided it."""
    # Lock the meeting: concurrent additions must not take the same position, and
    # the published state must be read as it is now.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    section = AgendaSection.EXEMPT if exempt_paragraph else AgendaSection.PUBLIC
    item = AgendaItem(
        meeting=meeting,
        section=section,
        position=_next_position(meeting, section),
        kind=kind,
        title=title.strip(),
        full_title=full_title.strip(),
        purpose=purpose,
        exempt_paragraph=exempt_paragraph,
        exempt_reason=exempt_reason,
        public_interest_reasoning=public_interest_reasoning,
        origin=origin,
        origin_detail=origin_detail.strip(),
        is_supplementary=meeting.is_public,
    )
    before = _exempt_part(meeting)
    item.full_clean()
    item.save()
    _sync_exclusion_item(meeting, before=before)
    agenda_changed(meeting, additive=True)
    if item.is_exempt:
        _item_exemption_record(by=by, item=item, was_paragraph=None, added=True)
    if (
        item.is_supplementary
        and item.section == AgendaSection.PUBLIC
        and meeting.starts_at >= timezone.now()
    ):
        from alerts.services import alert_raise

        alert_raise(kind="supplement", meeting=meeting, item=item, key=f"supplement:{item.pk}")
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by=None, **fields) -> AgendaItem:
    """Change an item; making it exempt (or public) moves it to the end of that part, and
    goes into the exempt access log, as does a change of its exempt paragraph."""
    editable = {
        "title",
        "full_title",
        "purpose",
        "exempt_paragraph",
        "exempt_reason",
        "public_interest_reasoning",
        "origin",
        "origin_detail",
    }
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    # One change to a meeting's agenda at a time, on the item as it is stored now: an
    # edit and a move (or two edits) at once would take the same position.
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    item.meeting = meeting
    was_exempt, was_paragraph = item.is_exempt, item.exempt_paragraph
    before = _exempt_part(meeting)
    for name, value in fields.items():
        setattr(item, name, value)
    if item.kind == ItemKind.BUSINESS:
        section = AgendaSection.EXEMPT if item.exempt_paragraph else AgendaSection.PUBLIC
        if section != item.section:
            item.section = section
            item.position = _next_position(item.meeting, section)
    if was_exempt and not item.is_exempt and item.minutes.exists():
        # Its minute was written, and perhaps published, as exempt business: making the
        # item public would publish the minute with it, and lose its full title.
        raise ValidationError(
            {
                "exempt_paragraph": "This item has a minute taken as exempt business, so it "
                "stays exempt, as the minutes record it"
            }
        )
    if not item.is_exempt:
        item.full_title = item.exempt_reason = item.public_interest_reasoning = ""
    item.full_clean()
    item.save()
    _renumber(item.meeting)
    _sync_exclusion_item(item.meeting, before=before)
    if was_exempt != item.is_exempt:
        from papers.services import item_exemption_changed

        item_exemption_changed(item=item, was_exempt=was_exempt)
    if item.is_exempt != was_exempt or (item.is_exempt and item.exempt_paragraph != was_paragraph):
        _item_exemption_record(
            by=by, item=item, was_paragraph=was_paragraph if was_exempt else None
        )
    agenda_changed(item.meeting)
    _minutes_changed(item.meeting)
    return item


def _item_exemption_record(
    *, by, item: AgendaItem, was_paragraph: int | None, added: bool = False
) -> None:
    """The item's move between the public and exempt parts, or its new paragraph, in
    words, or (`added`) its addition to the exempt part; the log names the item when it
    is read, as its reader may see it."""
    from exempt.models import AccessEvent
    from exempt.services import action_record

    paragraph = item.exempt_paragraph
    if added:
        event = AccessEvent.ITEM_ADDED_EXEMPT
        supplementary = "a supplementary item, " if item.is_supplementary else ""
        what = f"Added to the exempt part ({supplementary}paragraph {paragraph})"
    elif was_paragraph and item.is_exempt:
        event = AccessEvent.ITEM_PARAGRAPH
        what = f"Exempt paragraph {was_paragraph} \u2192 {paragraph} for the item"
    elif item.is_exempt:
        event = AccessEvent.ITEM_MADE_EXEMPT
        what = f"Public part \u2192 exempt part (paragraph {paragraph}) for the item"
    else:
        event = AccessEvent.ITEM_MADE_PUBLIC
        what = f"Exempt part (paragraph {was_paragraph}) \u2192 public part for the item"
    meeting = item.meeting
    action_record(
        by=by, event=event, committee=meeting.committee, meeting=meeting, item=item, what=what
    )


def public_minutes_of(item: AgendaItem) -> list:
    """The item's minutes that the public can read in full (published, not exempt)."""
    from minutes.models import Minute
    from minutes.selectors import PUBLIC_MINUTES

    return list(
        Minute.objects.filter(
            item=item,
            is_exempt=False,
            minutes__status__in=PUBLIC_MINUTES,
        )
    )


def _minutes_changed(meeting: Meeting) -> None:
    """The minutes show the agenda's titles: their public PDF follows a change."""
    from minutes.models import Minutes
    from minutes.services import schedule_minutes_pdf

    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        schedule_minutes_pdf(minutes)


def _write_positions(items: list[AgendaItem]) -> None:
    """Store 1..n as the items' positions without breaking the unique order midway."""
    free = max((item.position for item in items), default=0) + len(items) + 1
    moving = [item for number, item in enumerate(items, 1) if item.position != number]
    for item in moving:  # two passes: through free positions, then into place
        item.position += free
        item.save(update_fields=["position"])
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])


def _renumber(meeting: Meeting) -> None:
    """Close the gaps in positions, part by part."""
    for section in (AgendaSection.PUBLIC, AgendaSection.EXEMPT):
        _write_positions(list(meeting.items.filter(section=section).order_by("position")))


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> None:
    if item.kind == ItemKind.EXCLUSION:
        raise ValidationError("The exclusion item follows the exempt items; remove those instead.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.is_public and not item.is_supplementary:
        raise ValidationError(
            "This item was on the published agenda. Record it as withdrawn in the minutes "
            "instead of removing it."
        )
    # Once minuted, the item is part of the record: its minute would lose the item that
    # says whether it is exempt.
    if item.minutes.exists():
        raise ValidationError(
            "This item has a minute. Record it as withdrawn in the minutes instead of removing it."
        )
    before = _exempt_part(meeting)
    from workplan.services import work_plan_agenda_item_removed

    work_plan_agenda_item_removed(agenda_item=item)
    item.delete()
    _renumber(meeting)
    _sync_exclusion_item(meeting, before=before)
    agenda_changed(meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item up (offset -1) or down (+1) within its part."""
    if item.kind == ItemKind.EXCLUSION:
        raise ValidationError("The exclusion item always stands before the exempt part.")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.get(pk=item.pk)
    item.meeting = meeting
    siblings = list(meeting.items.filter(section=item.section).order_by("position"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return item
    siblings.insert(target, siblings.pop(index))
    _write_positions(siblings)
    item.refresh_from_db()
    agenda_changed(item.meeting, additive=True)
    return item


@transaction.atomic
def agenda_publish(
    *,
    meeting: Meeting,
    late_reason: str = "",
    confirm_past: bool = False,
    now: datetime.datetime | None = None,
    by=None,
) -> Meeting:
    """Publish the agenda. Less than five clear days' notice needs the chair's recorded reason.
    Sets `notified`: who is e-mailed that it is out, or None for a meeting already held.
    The audit log records who published it (`by`)."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_public:
        raise ValidationError("This agenda has been published already.")
    if meeting.starts_at < now and not confirm_past:
        raise ValidationError(
            {
                "confirm_past": "This meeting has already taken place. Confirm that you want to "
                "publish its agenda now."
            }
        )
    meeting_day = timezone.localdate(meeting.starts_at)
    clear_days = clear_days_between(timezone.localdate(now), meeting_day)
    if clear_days < 5 and meeting.starts_at >= now and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": f"Publishing today gives {clear_days} clear days' notice, not 5. "
                "Enter the chair's reason for taking the agenda late"
            }
        )
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.published_at = now
    meeting.late_publication_reason = late_reason.strip()
    meeting.full_clean()
    meeting.save()
    from exempt.models import AccessEvent
    from exempt.services import action_record

    late = f" late: {meeting.late_publication_reason}" if meeting.late_publication_reason else ""
    action_record(
        by=by,
        event=AccessEvent.AGENDA_PUBLISHED,
        committee=meeting.committee,
        meeting=meeting,
        what=f"Agenda of {meeting} published with {clear_days} clear days' notice{late}",
    )
    agenda_changed(meeting, immediately=True, additive=True)
    # An agenda published for the record, after the meeting, summons no one.
    meeting.notified = _notify_agenda_published(meeting) if meeting.starts_at >= now else None
    if meeting.starts_at >= now:
        from alerts.services import alert_raise

        alert_raise(kind="agenda", meeting=meeting, key=f"agenda:{meeting.pk}")
    return meeting


def _notify_agenda_published(meeting: Meeting) -> list[str]:
    """Tell everyone on the committee on the day of the meeting (members, substitutes,
    invitees) that its agenda is out. The notice names the meeting only: what is on the
    agenda, exempt items included, is read on the site. Returns who is e-mailed."""
    day = timezone.localdate(meeting.starts_at)
    memberships = (
        Membership.objects.current(day)
        .filter(committee=meeting.committee, person__user__isnull=False)
        .select_related("person__user")
    )
    committee = meeting.committee.name
    when = f"{council_date(meeting.starts_at, True)} at {council_time(meeting.starts_at)}"
    return notice_send_to_users(
        users=[membership.person.user for membership in memberships],
        subject=f"Agenda published: {committee}, {council_date(meeting.starts_at)}",
        body=f"The agenda for the {committee} meeting on {when}, {meeting.venue}, is published.",
        link_path=meeting.get_absolute_url(),
        link_text="The agenda and its papers",
    )


@transaction.atomic
def agenda_item_reorder(*, meeting: Meeting, section: int, item_ids: list[int]) -> None:
    """Put one part of the agenda in the given order (after a drag and drop)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if section == AgendaSection.EXCLUSION:
        raise ValidationError("The exclusion item always stands before the exempt part.")
    siblings = {item.pk: item for item in meeting.items.filter(section=section)}
    if sorted(item_ids) != sorted(siblings):
        raise ValidationError(
            "The agenda changed while you were moving items. Reload the page and try again."
        )
    _write_positions([siblings[pk] for pk in item_ids])
    agenda_changed(meeting, additive=True)


# --- retention ----------------------------------------------------------------------


def _locked_for_retention(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)


def _retention_record(*, meeting: Meeting, by, event: str, what: str) -> None:
    from exempt.models import AccessEvent
    from exempt.services import action_record

    action_record(
        by=by,
        event=getattr(AccessEvent, event),
        committee=meeting.committee,
        meeting=meeting,
        what=what,
    )


def _reindex(meeting: Meeting) -> None:
    from search.services import search_index_meeting

    search_index_meeting(meeting=meeting)


@transaction.atomic
def papers_archive(*, meeting: Meeting, by, today: datetime.date | None = None) -> Meeting:
    """Withdraw a meeting's papers and packs from everyone but its co-ordinators, once
    the statutory inspection period has ended. The files and their history are kept;
    the agenda and the minutes stay public."""
    meeting = _locked_for_retention(meeting)
    today = today or timezone.localdate()
    if not meeting.is_public:
        raise ValidationError("Only the papers of a published agenda are archived.")
    if meeting.papers_archived:
        raise ValidationError("These papers are already archived.")
    if meeting.on_legal_hold:
        raise ValidationError(
            "These papers are under a legal hold: lift the hold before archiving them."
        )
    if today <= meeting.inspection_ends:
        raise ValidationError(
            "These papers must stay open to inspection until "
            f"{council_date(meeting.inspection_ends)}."
        )
    meeting.papers_archived_at = timezone.now()
    meeting.papers_archived_by = by
    meeting.save(update_fields=["papers_archived_at", "papers_archived_by"])
    _reindex(meeting)
    _retention_record(
        meeting=meeting,
        by=by,
        event="PAPERS_ARCHIVED",
        what=f"papers of {meeting} archived (open to inspection until "
        f"{council_date(meeting.inspection_ends)})",
    )
    return meeting


@transaction.atomic
def papers_archive_many(*, meetings, by, today: datetime.date | None = None) -> list[Meeting]:
    """Archive several meetings' papers: all of them, or none (each error names its
    meeting)."""
    errors, archived = [], []
    for meeting in meetings:
        try:
            with transaction.atomic():
                archived.append(papers_archive(meeting=meeting, by=by, today=today))
        except ValidationError as error:
            errors.extend(f"{meeting}: {message}" for message in error.messages)
    if errors:
        raise ValidationError(errors)
    return archived


@transaction.atomic
def papers_restore(*, meeting: Meeting, by) -> Meeting:
    """Bring archived papers back: everyone who could read them before reads them again."""
    meeting = _locked_for_retention(meeting)
    if not meeting.papers_archived:
        raise ValidationError("These papers are not archived.")
    meeting.papers_archived_at = None
    meeting.papers_archived_by = None
    meeting.save(update_fields=["papers_archived_at", "papers_archived_by"])
    _reindex(meeting)
    _retention_record(
        meeting=meeting,
        by=by,
        event="PAPERS_RESTORED",
        what=f"archived papers of {meeting} restored",
    )
    return meeting


@transaction.atomic
def legal_hold_place(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Keep a meeting's papers open whatever their period: they cannot be archived until
    the hold is lifted. Archived papers are restored first."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the papers are held"})
    meeting = _locked_for_retention(meeting)
    if not meeting.is_public:
        raise ValidationError("Only the papers of a published agenda are held.")
    if meeting.on_legal_hold:
        raise ValidationError("These papers are already under a legal hold.")
    if meeting.papers_archived:
        meeting = papers_restore(meeting=meeting, by=by)
    meeting.legal_hold_reason = reason
    meeting.legal_hold_at = timezone.now()
    meeting.legal_hold_by = by
    meeting.save(update_fields=["legal_hold_reason", "legal_hold_at", "legal_hold_by"])
    _retention_record(
        meeting=meeting,
        by=by,
        event="LEGAL_HOLD_PLACED",
        what=f"legal hold on the papers of {meeting}: {reason}",
    )
    return meeting


@transaction.atomic
def legal_hold_lift(*, meeting: Meeting, by) -> Meeting:
    meeting = _locked_for_retention(meeting)
    if not meeting.on_legal_hold:
        raise ValidationError("These papers are not under a legal hold.")
    reason = meeting.legal_hold_reason
    meeting.legal_hold_reason = ""
    meeting.legal_hold_at = None
    meeting.legal_hold_by = None
    meeting.save(update_fields=["legal_hold_reason", "legal_hold_at", "legal_hold_by"])
    _retention_record(
        meeting=meeting,
        by=by,
        event="LEGAL_HOLD_LIFTED",
        what=f"legal hold lifted from the papers of {meeting} (held for: {reason})",
    )
    return meeting
