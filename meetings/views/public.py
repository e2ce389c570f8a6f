"""Meeting pages for every reader: the agenda, the item page, the calendar and feeds."""

import calendar
import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from exempt import audit
from scrutiny import access
from scrutiny.fragments import fragment, fragment_version, render_fragment
from scrutiny.models import Committee
from scrutiny.viewing import (
    committee_or_404,
    visible_meeting_or_404,
)

from ..law import ExemptParagraph
from ..models import AgendaSection, Meeting
from ..selectors import agenda_item_list, meeting_list, number_agenda, show_item


def agenda_decisions(meeting, items) -> tuple:
    """What the agenda fragment shows of each item, as the access policy decided it for
    this reader: readers with the same decisions share the rendered agenda."""
    return (
        meeting.pk,
        tuple(
            (
                item.pk,
                item.number,
                item.shown_in_full,
                item.display_title,
                item.page_range,
                tuple(document.pk for document in item.shown_documents),
                tuple(document.pk for document in item.withheld_documents),
            )
            for item in items
        ),
    )


class MeetingDetailView(TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        from papers.selectors import agenda_changes, request_list_for_meeting, untagged_papers

        context = super().get_context_data(**kwargs)
        version = fragment_version()  # before the data it keeps the agenda under
        meeting = visible_meeting_or_404(self.request, self.kwargs["pk"])
        items = agenda_item_list(meeting=meeting, user=self.request.user)
        can_edit = access.can_edit_committee(self.request.user, meeting.committee)
        from minutes.selectors import minutes_get
        from packs.selectors import build_waits_for_queue, pack_list, page_ranges
        from packs.services import packs_fail_stale

        # Pages of a pack the reader can open: none once the papers are archived.
        visible_packs = access.can_see_papers_of(self.request.user, meeting)
        ranges = page_ranges(meeting=meeting) if visible_packs else {}
        for item in items:
            item.page_range = ranges.get(item.pk)
        audit.record_items_viewed(self.request, items, page="meeting page")
        packs = pack_list(meeting=meeting, user=self.request.user)
        if any(pack.is_stale() for pack in packs):  # a build that was lost: say so
            packs_fail_stale(meeting=meeting)
            packs = pack_list(meeting=meeting, user=self.request.user)
        minutes = minutes_get(meeting=meeting)
        from notes.selectors import notes_for_meeting

        my_notes = notes_for_meeting(user=self.request.user, meeting=meeting, items=items)
        numbered = {item.pk: item for item in items}
        for note in my_notes:
            note.shown_item = numbered[note.item_id]  # numbered, titled as the reader may
        context.update(
            agenda=fragment(
                "agenda",
                version=version,
                decisions=agenda_decisions(meeting, items),
                render=lambda: render_fragment(
                    "meetings/includes/agenda.html", {"meeting": meeting, "items": items}
                ),
            ),
            my_notes=my_notes,
            minutes=minutes
            if minutes and access.can_see_minutes(self.request.user, minutes)
            else None,
            meeting=meeting,
            committee=meeting.committee,
            items=items,
            changes=agenda_changes(meeting=meeting, items=items, user=self.request.user),
            untagged=untagged_papers(items),
            can_edit=can_edit,
            packs=packs,
            build_waits_for_queue=can_edit
            and any(pack.state == "queued" for pack in packs)
            and build_waits_for_queue(meeting=meeting),
            report_requests=request_list_for_meeting(meeting=meeting, user=self.request.user)
            if can_edit
            else [],
        )
        return context


class AgendaItemDetailView(TemplateView):
    """One item: its title, purpose and papers, like the council's item pages."""

    template_name = "meetings/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = visible_meeting_or_404(self.request, self.kwargs["meeting_pk"])
        items = agenda_item_list(meeting=meeting, user=self.request.user)
        item = next((i for i in items if i.pk == self.kwargs["pk"]), None)
        if item is None:
            raise Http404("No such item.")
        from minutes.selectors import item_minute
        from packs.selectors import page_ranges

        item.page_range = (
            page_ranges(meeting=meeting).get(item.pk)
            if access.can_see_papers_of(self.request.user, meeting)
            else None
        )
        audit.record_items_viewed(self.request, [item], page="item page")
        from notes.forms import NoteForm
        from notes.selectors import notes_for_item

        # Private notes: for a signed-in reader of the item in full, their own alone.
        may_note = self.request.user.is_authenticated and item.shown_in_full
        context.update(
            notes=notes_for_item(user=self.request.user, item=item, loaded=True)
            if may_note
            else [],
            note_form=NoteForm(documents=item.shown_documents) if may_note else None,
            meeting=meeting,
            committee=meeting.committee,
            item=item,
            minute=item_minute(item=item, user=self.request.user),
            can_edit=access.can_edit_committee(self.request.user, meeting.committee),
        )
        return context


class ReasonsRestrictedView(TemplateView):
    """Why an item is exempt: the statutory paragraph and the public interest test."""

    template_name = "meetings/reasons_restricted.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = visible_meeting_or_404(self.request, self.kwargs["meeting_pk"])
        item = (
            meeting.items.filter(pk=self.kwargs["pk"], section=AgendaSection.EXEMPT)
            .select_related("meeting__committee")
            .first()
        )
        if item is None:
            raise Http404("No such exempt item.")
        item.meeting = meeting
        context.update(
            meeting=meeting,
            committee=meeting.committee,
            item=show_item(item, self.request.user),
            number=next(
                i.number
                for i in number_agenda(list(meeting.items.order_by("section", "position")))
                if i.pk == item.pk
            ),
            paragraph_text=ExemptParagraph(item.exempt_paragraph).label,
        )
        return context


# --- calendar and feeds -------------------------------------------------------------


class MeetingListView(TemplateView):
    """Every meeting the user may see, upcoming first, optionally for one committee."""

    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committees = list(Committee.objects.order_by("name"))
        selected = self.request.GET.get("committee")
        committee = next((c for c in committees if c.slug == selected), None)
        meetings = meeting_list(user=self.request.user, committee=committee)
        context.update(
            committees=committees,
            selected_committee=committee,
            upcoming_meetings=list(meetings.upcoming()),
            past_meetings=list(meetings.past()[:50]),
            today=timezone.localdate(),
        )
        return context


class MeetingCalendarView(TemplateView):
    """A month of meetings as a calendar table, with the month's meetings listed."""

    template_name = "meetings/meeting_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = self.kwargs.get("year", today.year)
        month = self.kwargs.get("month", today.month)
        if not (1 <= month <= 12 and 1900 <= year <= 2200):
            raise Http404("No such month.")
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
        )
        meetings = list(
            meeting_list(user=self.request.user)
            .filter(starts_at__gte=start, starts_at__lt=end)
            .order_by("starts_at")
        )
        by_day: dict[datetime.date, list[Meeting]] = {}
        for meeting in meetings:
            by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
        weeks = [
            [
                {"date": day, "in_month": day.month == month, "meetings": by_day.get(day, [])}
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        previous_month = first - datetime.timedelta(days=1)
        next_month = last + datetime.timedelta(days=1)
        context.update(
            month_start=first,
            weeks=weeks,
            meetings=meetings,
            today=today,
            previous_month=previous_month,
            next_month=next_month,
            weekdays=["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        )
        return context


class CalendarFeedView(View):
    """An iCalendar (RFC 5545) feed of published meetings: all, or one committee's."""

    past_meetings = 100

    def get(self, request, slug=None):
        from django.contrib.auth.models import AnonymousUser

        from ..feeds import meetings_calendar

        committee = None
        if slug is not None:
            committee = committee_or_404(slug)
        # Feeds are read by calendar programs without a login: the public's view only.
        # Every upcoming meeting, and the most recent past ones: a subscriber's calendar
        # keeps what it has already been sent.
        visible = meeting_list(user=AnonymousUser(), committee=committee)
        past = list(visible.past()[: self.past_meetings])
        meetings = [*reversed(past), *visible.upcoming()]
        body = meetings_calendar(meetings, request=request, committee=committee)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        name = committee.slug if committee else "all-committees"
        response["Content-Disposition"] = f'inline; filename="{name}.ics"'
        return response
