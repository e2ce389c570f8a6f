"""Reads of minutes, with the access policy applied and cross references linked."""

import datetime
import hashlib

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from meetings.selectors import number_agenda
from scrutiny import access
from scrutiny.fragments import kept
from scrutiny.notices import absolute_url
from scrutiny.selectors import chairman_on

from .models import (
    AttendanceCapacity,
    AttendanceStatus,
    ChairmanResponse,
    Minute,
    MinuteOutcome,
    Minutes,
    MinutesPart,
    MinutesStatus,
)
from .text import cross_references, link_cross_references


def minutes_get(*, meeting) -> Minutes | None:
    minutes = kept(
        "minutes",
        meeting.pk,
        load=lambda: Minutes.objects.filter(meeting=meeting).select_related("signed_by").first(),
    )
    if minutes is not None:
        minutes.meeting = meeting
    return minutes


def minute_anchor(minute) -> str:
    return f"minute-{minute.number or minute.pk}"


def _targets(
    meeting, references: set[tuple[str, int]], *, absolute: bool = False
) -> dict[tuple[str, int], str]:
    """For each (committee short name, number), the link to the most recent minute with
    that number at or before this meeting, among published minutes and this meeting's.
    `absolute` gives the site's full address, for a PDF, which has no site to be
    relative to."""
    if not references:
        return {}
    return kept(
        "minute-targets",
        meeting.pk,
        absolute,
        hashlib.sha256(repr(sorted(references)).encode()).hexdigest(),
        load=lambda: _find_targets(meeting, references, absolute=absolute),
    )


def _find_targets(meeting, references, *, absolute: bool) -> dict[tuple[str, int], str]:
    own = {number for committee, number in references if not committee}
    others = {(committee, number) for committee, number in references if committee}
    condition = Q()
    if own:
        condition |= Q(minutes__meeting__committee=meeting.committee, number__in=own)
    for committee, number in others:
        condition |= Q(minutes__meeting__committee__short_name=committee, number=number)
    candidates = (
        Minute.objects.filter(condition, minutes__meeting__starts_at__lte=meeting.starts_at)
        .filter(
            Q(minutes__status__in=[MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED])
            | Q(minutes__meeting=meeting)
        )
        .select_related("minutes__meeting__committee")
        .order_by("-minutes__meeting__starts_at")
    )
    targets = {}
    for minute in candidates:
        target_meeting = minute.minutes.meeting
        key = (
            ""
            if target_meeting.committee_id == meeting.committee_id
            else target_meeting.committee.short_name,
            minute.number,
        )
        if key in references and key not in targets:
            url = reverse("minutes:minutes_detail", kwargs={"meeting_pk": target_meeting.pk})
            url = f"{url}#{minute_anchor(minute)}"
            targets[key] = absolute_url(url) if absolute else url
    return targets


def _link(entries: list[Minute], meeting, *, absolute: bool) -> None:
    references = set()
    for minute in entries:
        if minute.shown_in_full:
            references.update(cross_references(minute.text))
    targets = _targets(meeting, references, absolute=absolute)
    for minute in entries:
        minute.linked_text = link_cross_references(minute.text, targets)


def minute_list(*, minutes: Minutes, user, absolute_links: bool = False) -> list[Minute]:
    """The minutes in the order taken, each marked with what this user may read, its
    text with cross references linked (to the site's full address with
    `absolute_links`, for a PDF), and its resolutions."""
    entries = kept(
        "minute-entries",
        minutes.pk,
        load=lambda: list(
            minutes.entries.select_related("item").prefetch_related("resolutions").order_by("order")
        ),
    )
    for minute in entries:
        minute.shown_in_full = access.can_see_minute_in_full(user, minute, minutes)
        minute.display_title = access.minute_title(user, minute, minutes)
        minute.anchor = minute_anchor(minute)
    _link(entries, minutes.meeting, absolute=absolute_links)
    return entries


def withheld_minute_list(*, minutes: Minutes, absolute_links: bool = True) -> list[Minute]:
    """The minutes whose public edition withholds something (an exempt minute's text, the
    heading of an exempt item's minute), in full: the exempt part of the agenda pack that
    asks the committee to confirm them. That pack reaches only readers entitled to these
    minutes' exempt papers (access.can_see_exempt_pack)."""
    public = AnonymousUser()
    withheld = [
        minute
        for minute in minute_list(minutes=minutes, user=public)
        if not minute.shown_in_full or minute.display_title != minute.title
    ]
    for minute in withheld:
        minute.shown_in_full = True
        minute.display_title = minute.title
    _link(withheld, minutes.meeting, absolute=absolute_links)
    return withheld


def _agenda_numbers(meeting) -> dict[int, str]:
    """Each agenda item's number by its id: "6" in public, "A" in the exempt part, none
    for the exclusion."""
    items = number_agenda(list(meeting.items.order_by("section", "position")))
    return {item.pk: item.number for item in items}


def minute_item_reference(*, minute: Minute) -> str:
    """How a message names the item a minute records: "Item A", or the minute's
    heading in quotes for an item without a number (the exclusion)."""
    number = _agenda_numbers(minute.minutes.meeting).get(minute.item_id)
    return f"Item {number}" if number else f"\u201c{minute.title}\u201d"


def minutes_to_take_with(*, minute: Minute, user) -> list[Minute]:
    """The other minutes of the meeting, in the order taken, that `minute`'s item may
    have been taken together with, each with its `label` as this user may read it:
    "Minute 13: CSP Performance Report (agenda item 12)", the item's title added where
    it differs from the heading (an exempt item's full title, for those entitled)."""
    minutes = minute.minutes
    meeting = minutes.meeting
    numbers = _agenda_numbers(meeting)
    others = list(minutes.entries.exclude(pk=minute.pk).select_related("item").order_by("order"))
    for other in others:
        item = other.item
        if item is not None:
            item.meeting = meeting  # one meeting object for every access check
        heading = access.minute_title(user, other, minutes)
        other.label = f"Minute {other.number}: {heading}"
        if item is not None and numbers.get(item.pk):
            title = access.item_title(user, item)
            other.label += f" (agenda item {numbers[item.pk]}"
            other.label += f": {title})" if title != heading else ")"
    return others


def minutes_gaps(*, minutes: Minutes, user) -> list[str]:
    """What the minutes still lack, for the co-ordinator to confirm before circulating
    them: minutes of items taken that have neither text nor resolutions, and the time
    the meeting closed."""
    gaps = [
        f"Minute {minute.number}, {access.minute_title(user, minute, minutes)}: nothing written yet"
        for minute in minutes.entries.filter(outcome=MinuteOutcome.TAKEN)
        .select_related("item__meeting__committee")
        .prefetch_related("resolutions")
        .order_by("order")
        if not strip_tags(minute.text).strip() and not minute.resolutions.all()
    ]
    if minutes.closing_time is None:
        gaps.append("The time the meeting closed")
    return gaps


def minutes_changed_since_answer(*, minutes: Minutes) -> list[str]:
    """What has changed since the Chairman answered, in words ("minute 6", "the closing
    time"): the answer was about what the minutes said before. Empty when nothing has,
    or he has not answered."""
    if not minutes.chairman_responded_at:
        return []
    saved = minutes.entries.filter(updated_at__gt=minutes.chairman_responded_at)
    changed = [f"minute {minute.number}" for minute in saved.order_by("order")]
    changed += [MinutesPart(part).label for part in minutes.changed_parts]
    answered = minutes.chairman_version
    if not changed and answered is not None and answered != minutes.version:
        changed.append("the minutes")  # a minute removed since, say
    return changed


def minutes_publication_warnings(*, minutes: Minutes) -> list[str]:
    """Why circulated minutes are not ready to publish as the Chairman's approved draft:
    he has not answered, returned comments, or approved them before they changed.
    Empty when he approved them as they stand."""
    if minutes.chairman_response == ChairmanResponse.APPROVED:
        changed = minutes_changed_since_answer(minutes=minutes)
        if not changed:
            return []
        return [
            "They have changed since the Chairman approved them: "
            f"{', '.join(changed)}. Circulate them again to ask him about the changes."
        ]
    if minutes.chairman_response == ChairmanResponse.COMMENTS:
        return [
            "The Chairman returned comments on them. Make the changes, then circulate them "
            "again for his approval."
        ]
    meeting = minutes.meeting
    if chairman_on(committee=meeting.committee, day=timezone.localdate(meeting.starts_at)) is None:
        return [
            "The committee had no Chairman on the day of the meeting: no one has approved them."
        ]
    return ["The Chairman has not answered yet: he has not approved them."]


def attendance_list(*, meeting) -> list:
    return kept(
        "attendance",
        meeting.pk,
        load=lambda: list(
            meeting.attendances.select_related("person", "substitute_for").order_by(
                "position", "pk"
            )
        ),
    )


def declaration_list(*, meeting) -> list:
    return list(meeting.declarations.select_related("person", "item").order_by("pk"))


def attendance_register(*, meeting) -> dict[str, list]:
    """The register as the minutes print it, group by group."""
    groups = {
        **{status: [] for status in AttendanceStatus.values},
        "officers": [],
        "cabinet": [],
        "guests": [],
    }
    for attendance in attendance_list(meeting=meeting):
        present = attendance.status == AttendanceStatus.PRESENT
        capacity = attendance.capacity
        if present and attendance.portfolio and capacity != AttendanceCapacity.CABINET:
            groups["cabinet"].append(attendance)  # an invitee who is also a Cabinet member
        if capacity in (AttendanceCapacity.MEMBER, AttendanceCapacity.INVITEE):
            groups[attendance.status].append(attendance)
        elif present and capacity == AttendanceCapacity.OFFICER:
            groups["officers"].append(attendance)
        elif present and capacity == AttendanceCapacity.CABINET:
            groups["cabinet"].append(attendance)
        elif present and capacity == AttendanceCapacity.GUEST:
            groups["guests"].append(attendance)
        elif attendance.status == AttendanceStatus.APOLOGIES:
            groups["apologies"].append(attendance)
    return groups


def item_minute(*, item, user) -> Minute | None:
    """The minute of an agenda item, as this user may read it, or None."""
    minutes = minutes_get(meeting=item.meeting)
    if minutes is None or not access.can_see_minutes(user, minutes):
        return None
    minute = kept(
        "item-minute",
        minutes.pk,
        item.pk,
        load=lambda: minutes.entries.filter(item=item).prefetch_related("resolutions").first(),
    )
    if minute is None:
        return None
    minute.minutes = minutes
    minute.item = item
    minute.shown_in_full = access.can_see_minute_in_full(user, minute, minutes)
    minute.display_title = access.minute_title(user, minute, minutes)
    minute.anchor = minute_anchor(minute)
    targets = _targets(minutes.meeting, set(cross_references(minute.text)))
    minute.linked_text = link_cross_references(minute.text, targets)
    return minute


PUBLIC_MINUTES = (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)


def decision_list(*, committee, user, text: str = "", meeting_id=None, year_start=None):
    """Every resolution in the committee's (or, with committee None, every committee's)
    published minutes, newest meeting first, without those of exempt minutes unless the
    user is entitled to them."""
    from .models import Resolution

    resolutions = Resolution.objects.filter(minute__minutes__status__in=PUBLIC_MINUTES)
    if committee is not None:
        resolutions = resolutions.filter(minute__minutes__meeting__committee=committee)
    # Every committee's decisions (the site-wide feed) are the public's.
    if committee is None or not access.can_see_exempt_minutes_of(user, committee):
        resolutions = resolutions.exclude(minute__is_exempt=True)
    if text:
        resolutions = resolutions.filter(text__icontains=text)
    if meeting_id:
        resolutions = resolutions.filter(minute__minutes__meeting_id=meeting_id)
    if year_start is not None:
        start = timezone.make_aware(datetime.datetime.combine(year_start, datetime.time.min))
        end = start.replace(year=start.year + 1)
        resolutions = resolutions.filter(
            minute__minutes__meeting__starts_at__gte=start,
            minute__minutes__meeting__starts_at__lt=end,
        )
    return resolutions.select_related(
        "minute__minutes__meeting__committee", "minute__item__meeting__committee"
    ).order_by("-minute__minutes__meeting__starts_at", "minute__order", "position")


def meetings_with_decisions(*, committee):
    from meetings.models import Meeting

    return Meeting.objects.filter(committee=committee, minutes__status__in=PUBLIC_MINUTES).order_by(
        "-starts_at"
    )


def attendance_record(*, person) -> dict:
    """A councillor's attendance at the meetings of the committees they sat on, as a
    member, from published minutes: counts per committee and the meetings themselves,
    newest first. Cancelled meetings do not count."""
    from meetings.models import MeetingStatus

    rows = list(
        person.attendances.filter(capacity="member", meeting__minutes__status__in=PUBLIC_MINUTES)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at")
    )
    committees = {}
    for row in rows:
        totals = committees.setdefault(
            row.meeting.committee,
            {"expected": 0, **dict.fromkeys(AttendanceStatus.values, 0)},
        )
        totals["expected"] += 1
        totals[row.status] += 1
    for totals in committees.values():
        totals["rate"] = round(100 * totals[AttendanceStatus.PRESENT] / totals["expected"])
    return {"committees": committees, "meetings": rows}
