"""Reads of committees and people."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .models import ROLE_ORDER, Committee, Membership, MembershipRole, Person


def committee_get(*, slug: str) -> Committee:
    return Committee.objects.get(slug=slug)


def membership_list_current(*, committee: Committee) -> list[Membership]:
    """Today's members, in the order the minutes list them: chair first."""
    memberships = Membership.objects.current().filter(committee=committee).select_related("person")
    return sorted(
        memberships, key=lambda m: (ROLE_ORDER[m.role], m.person.surname, m.person.forenames)
    )


def chairman_on(*, committee: Committee, day: datetime.date) -> Person | None:
    """The committee's Chairman on a day: who chaired a meeting, signs its minutes and
    checks them before they are published."""
    chair = (
        Membership.objects.current(day)
        .filter(committee=committee, role=MembershipRole.CHAIR)
        .select_related("person")
        .first()
    )
    return chair.person if chair else None


# --- "My meetings": a signed-in reader's own view -----------------------------------------

NEW_PAPERS_SHOWN = 50
NEW_PAPERS_READ = 200


@dataclass
class MyMeetings:
    committees: list
    upcoming: list
    recent: list
    new_papers: list
    more_papers: int
    since: datetime.datetime | None
    exempt_items: list
    actions: list
    requests: list
    notes: int
    hidden_notes: int


def my_committees(*, user, on: datetime.date | None = None) -> list[Committee]:
    """The committees the reader sits on or serves today (any membership role) and those
    they co-ordinate."""
    from . import access

    if not user.is_authenticated:
        return []
    member_of = Committee.objects.filter(
        memberships__in=Membership.objects.current(on).filter(person__user=user)
    )
    return list((member_of | access.coordinated_committees(user)).distinct().order_by("name"))


def my_meetings(*, user, since: datetime.datetime | None, now=None) -> MyMeetings:
    """What a member looks for the night before: their committees' next meetings, papers
    published since they last looked, the exempt items of those meetings they may read,
    the actions they own, their requests to read exempt items, and their notes. Every
    list is as the access policy lets this reader see it; a fixed number of queries."""
    from exempt.models import AccessRequest
    from meetings.models import PUBLIC_STATUSES, AgendaSection, MeetingStatus
    from meetings.selectors import meeting_list
    from notes.selectors import notes_of
    from papers.models import Document
    from workplan.models import CLOSED_ACTION_STATUSES, TrackedAction

    from . import access

    now = now or timezone.now()
    committees = my_committees(user=user)
    meetings = meeting_list(user=user).filter(committee__in=committees)
    upcoming = list(
        meetings.filter(starts_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("items")
        .order_by("starts_at")[:10]
    )
    # With nothing coming up, the latest meetings: their papers and minutes are what is
    # being read.
    recent = (
        []
        if upcoming
        else list(
            meetings.filter(starts_at__lt=now)
            .exclude(status=MeetingStatus.CANCELLED)
            .prefetch_related("items")
            .order_by("-starts_at")[:3]
        )
    )
    new_papers, more_papers = [], 0
    if since is not None:
        # Published since: a paper that went up while the agenda was a draft is new when
        # the agenda is published. Only published agendas' papers count, even for a
        # co-ordinator, and never a draft awaiting acceptance.
        documents = (
            Document.objects.filter(
                item__meeting__in=meetings.filter(status__in=PUBLIC_STATUSES), is_draft=False
            )
            .filter(
                Q(current_version__created_at__gt=since) | Q(item__meeting__published_at__gt=since)
            )
            .select_related("item__meeting__committee", "current_version")
            .order_by("-current_version__created_at", "-pk")
        )
        readable = []
        for document in documents[:NEW_PAPERS_READ]:
            version = document.current_version
            if version is None or not access.can_see_document(user, document):
                continue
            if not access.can_see_version(user, version, document):
                continue
            document.published_on = max(version.created_at, document.item.meeting.published_at)
            readable.append(document)
        new_papers = readable[:NEW_PAPERS_SHOWN]
        more_papers = len(readable) - len(new_papers)
    exempt_items = [
        item
        for meeting in upcoming or recent
        for item in meeting.items.all()
        if item.section == AgendaSection.EXEMPT and access.can_see_exempt_item(user, item)
    ]
    for item in exempt_items:
        item.display_title = access.item_title(user, item)
    # Asked in minutes the reader may not (or not yet) read: not listed at all.
    actions = [
        action
        for action in (
            TrackedAction.objects.filter(owner__user=user)
            .exclude(status__in=CLOSED_ACTION_STATUSES)
            .select_related(
                "committee", "minute__minutes__meeting__committee", "minute__item__meeting"
            )
            .order_by("due_date")
            if user.is_authenticated
            else []
        )
        if access.can_see_minutes(user, action.minute.minutes)
    ]
    requests = (
        list(
            AccessRequest.objects.filter(user=user)
            .select_related("item__meeting__committee")
            .order_by("-requested_at")[:10]
        )
        if user.is_authenticated
        else []
    )
    for request in requests:
        request.item_label = access.item_label(user, request.item)
    notes, hidden = notes_of(user=user)
    return MyMeetings(
        committees=committees,
        upcoming=upcoming,
        recent=recent,
        new_papers=new_papers,
        more_papers=more_papers,
        since=since,
        exempt_items=exempt_items,
        actions=actions,
        requests=requests,
        notes=len(notes),
        hidden_notes=hidden,
    )
