"""Reads of minutes, with the access policy applied and cross references linked."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from scrutiny import access

from .models import (
    AttendanceCapacity,
    AttendanceStatus,
    Minute,
    MinuteOutcome,
    Minutes,
    MinutesStatus,
)
from .text import cross_references, link_cross_references


def minutes_get(*, meeting) -> Minutes | None:
    minutes = Minutes.objects.filter(meeting=meeting).select_related("signed_by").first()
    if minutes is not None:
        minutes.meeting = meeting
    return minutes


def minute_anchor(minute) -> str:
    return f"minute-{minute.number or minute.pk}"


def _targets(meeting, references: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """For each (committee short name, number), the link to the most recent minute with
    that number at or before this meeting, among published minutes and this meeting's."""
    if not references:
        return {}
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
            targets[key] = f"{url}#{minute_anchor(minute)}"
    return targets


def minute_list(*, minutes: Minutes, user) -> list[Minute]:
    """The minutes in the order taken, each marked with what this user may read, its
    text with cross references linked, and its resolutions."""
    entries = list(
        minutes.entries.select_related("item").prefetch_related("resolutions").order_by("order")
    )
    references = set()
    for minute in entries:
        minute.shown_in_full = access.can_see_minute_in_full(user, minute, minutes)
        minute.display_title = access.minute_title(user, minute, minutes)
        minute.anchor = minute_anchor(minute)
        if minute.shown_in_full:
            references.update(cross_references(minute.text))
    targets = _targets(minutes.meeting, references)
    for minute in entries:
        minute.linked_text = link_cross_references(minute.text, targets)
    return entries


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


def minutes_changed_since_answer(*, minutes: Minutes) -> list[Minute]:
    """The minutes saved since the Chairman answered: the answer was about what they
    said before."""
    if not minutes.chairman_responded_at:
        return []
    return list(
        minutes.entries.filter(updated_at__gt=minutes.chairman_responded_at).order_by("order")
    )


def attendance_list(*, meeting) -> list:
    return list(
        meeting.attendances.select_related("person", "substitute_for").order_by("position", "pk")
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
    minute = minutes.entries.filter(item=item).prefetch_related("resolutions").first()
    if minute is None:
        return None
    minute.minutes = minutes
    minute.shown_in_full = access.can_see_minute_in_full(user, minute, minutes)
    minute.display_title = access.minute_title(user, minute, minutes)
    minute.anchor = minute_anchor(minute)
    targets = _targets(minutes.meeting, set(cross_references(minute.text)))
    minute.linked_text = link_cross_references(minute.text, targets)
    return minute


PUBLIC_MINUTES = (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED)


def decision_list(*, committee, user, text: str = "", meeting_id=None, year_start=None):
    """Every resolution in the committee's published minutes, newest meeting first,
    without those of exempt minutes unless the user is entitled to them."""
    from .models import Resolution

    resolutions = Resolution.objects.filter(
        minute__minutes__meeting__committee=committee,
        minute__minutes__status__in=PUBLIC_MINUTES,
    )
    if not access.can_see_exempt_minutes_of(user, committee):
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
