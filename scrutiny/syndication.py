"""RSS 2.0 and Atom feeds, per committee and site-wide: what has been published (agendas,
supplementary items, minutes) and what was decided (the resolutions of published
minutes). Feed readers have no login, so every feed is the public's view, whoever asks:
nothing exempt, nothing in draft."""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from meetings.models import AgendaItem, AgendaSection, MeetingStatus
from meetings.selectors import meeting_list
from minutes.models import Minutes
from minutes.selectors import PUBLIC_MINUTES, decision_list, minute_anchor
from scrutiny.models import Committee

from .access import minute_title
from .templatetags.council import council_date

ENTRIES = 50
# Characters XML 1.0 does not allow (a pasted vertical tab from a word processor): one
# in any title would make the whole feed unreadable.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return NOT_XML.sub(" ", text or "")


def tag_uri(name: str) -> str:
    """A permanent id (RFC 4151 tag URI), as Atom requires of entries and feeds."""
    host = urlsplit(settings.SCRUTINY_SITE_URL).hostname or "localhost"
    return f"tag:{host},2017:{name}"


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    description: str
    link: str
    published: datetime.datetime
    category: str
    updated: datetime.datetime | None = None


def _meetings(committee: Committee | None):
    """Meetings the public may see, with a published agenda."""
    return (
        meeting_list(user=AnonymousUser(), committee=committee)
        .exclude(status=MeetingStatus.DRAFT)
        .filter(published_at__isnull=False)
    )


def _when(meeting) -> str:
    return f"{meeting.committee.name}, {council_date(meeting.starts_at)}"


def publication_entries(committee: Committee | None) -> list[Entry]:
    """Agendas published, public items added to them afterwards, and minutes published,
    newest first. A fixed number of queries."""
    meetings = _meetings(committee)
    entries = [
        Entry(
            guid=f"meeting-{meeting.pk}-cancelled",
            title=f"Meeting cancelled: {_when(meeting)}",
            description="The meeting will not take place.",
            link=meeting.get_absolute_url(),
            published=meeting.published_at,
            category="Agenda",
        )
        if meeting.status == MeetingStatus.CANCELLED
        else Entry(
            guid=f"agenda-{meeting.pk}",
            title=f"Agenda published: {_when(meeting)}",
            description=f"The agenda and papers for the meeting at {meeting.venue}.",
            link=meeting.get_absolute_url(),
            published=meeting.published_at,
            category="Agenda",
        )
        for meeting in meetings.order_by("-published_at")[:ENTRIES]
    ]
    supplements = (
        AgendaItem.objects.filter(
            meeting__in=meetings, is_supplementary=True, section=AgendaSection.PUBLIC
        )
        .select_related("meeting__committee")
        .order_by("-added_at")[:ENTRIES]
    )
    entries += [
        Entry(
            guid=f"item-{item.pk}",
            title=f"Supplementary item: {item.title} ({_when(item.meeting)})",
            description=f"Added to the agenda of {_when(item.meeting)}.",
            link=reverse(
                "meetings:item_detail", kwargs={"meeting_pk": item.meeting_id, "pk": item.pk}
            ),
            published=item.added_at,
            category="Supplementary agenda",
        )
        for item in supplements
    ]
    minutes = (
        Minutes.objects.filter(
            meeting__in=meetings, status__in=PUBLIC_MINUTES, published_at__isnull=False
        )
        .select_related("meeting__committee")
        .order_by("-published_at")[:ENTRIES]
    )
    entries += [
        Entry(
            guid=f"minutes-{record.pk}",
            title=f"Minutes published: {_when(record.meeting)}",
            description=(
                "The confirmed minutes."
                if record.is_confirmed
                else "The draft minutes, published before the committee confirms them."
            ),
            link=record.get_absolute_url(),
            published=record.published_at,
            updated=record.confirmed_at,
            category="Minutes",
        )
        for record in minutes
    ]
    entries.sort(key=lambda entry: entry.published, reverse=True)
    return entries[:ENTRIES]


def decision_entries(committee: Committee | None) -> list[Entry]:
    """The resolutions of published minutes, as the public's decisions list shows them,
    newest meeting first."""
    resolutions = decision_list(committee=committee, user=AnonymousUser())[:ENTRIES]
    entries = []
    for resolution in resolutions:
        minute = resolution.minute
        minutes = minute.minutes
        number = (
            f"minute {minute.number}"
            if minute.number
            else minute_title(AnonymousUser(), minute, minutes)
        )
        entries.append(
            Entry(
                guid=f"resolution-{resolution.pk}",
                title=f"{_when(minutes.meeting)}: {number}, resolution {resolution.position}",
                description=resolution.text,
                link=f"{minutes.get_absolute_url()}#{minute_anchor(minute)}",
                published=minutes.published_at or minutes.meeting.starts_at,
                category="Decision",
            )
        )
    return entries


class _EntriesFeed(Feed):
    """The feed of a committee (`slug`) or of every committee."""

    kind = ""  # "updates" or "decisions"

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            raise Http404("No such committee.")
        return committee

    def feed_guid(self, committee):
        return tag_uri(f"feed/{self.kind}/{committee.slug if committee else 'all'}")

    def title(self, committee):
        what = "Agendas and minutes" if self.kind == "updates" else "Decisions"
        return clean(f"{what}: {committee.name if committee else settings.COUNCIL_NAME}")

    def link(self, committee):
        if self.kind == "decisions" and committee:
            return reverse("decision_list", kwargs={"slug": committee.slug})
        return committee.get_absolute_url() if committee else reverse("home")

    def description(self, committee):
        where = clean(committee.name) if committee else "every committee"
        if self.kind == "decisions":
            return f"What {where} resolved, from the published minutes."
        return f"Agendas, supplementary items and minutes of {where} as they are published."

    def items(self, committee):
        if self.kind == "decisions":
            return decision_entries(committee)
        return publication_entries(committee)

    def item_title(self, entry: Entry) -> str:
        return clean(entry.title)

    def item_description(self, entry: Entry) -> str:
        # Feed readers read descriptions as HTML: the words are escaped as text.
        return escape(clean(entry.description))

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return tag_uri(entry.guid)

    item_guid_is_permalink = False

    def item_pubdate(self, entry: Entry):
        return entry.published

    def item_updateddate(self, entry: Entry):
        return entry.updated or entry.published

    def item_categories(self, entry: Entry):
        return [entry.category]


class UpdatesRssFeed(_EntriesFeed):
    kind = "updates"
    feed_type = Rss201rev2Feed


class UpdatesAtomFeed(_EntriesFeed):
    kind = "updates"
    feed_type = Atom1Feed
    subtitle = _EntriesFeed.description


class DecisionsRssFeed(_EntriesFeed):
    kind = "decisions"
    feed_type = Rss201rev2Feed


class DecisionsAtomFeed(_EntriesFeed):
    kind = "decisions"
    feed_type = Atom1Feed
    subtitle = _EntriesFeed.description
