"""Meeting pages: the public agenda, the item page, the calendar and feeds, and the
co-ordinator's agenda builder. Views are thin: services write, selectors read."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from exempt import audit
from scrutiny import access
from scrutiny.models import Committee
from scrutiny.views import committee_or_404

from . import services
from .forms import AgendaItemForm, MeetingForm, PublishForm, ReorderForm
from .law import ExemptParagraph
from .models import AgendaItem, AgendaSection, Meeting
from .selectors import agenda_item_list, meeting_get, meeting_list, number_agenda, show_item


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _visible_meeting(request, pk) -> Meeting:
    try:
        return meeting_get(user=request.user, pk=pk)
    except Meeting.DoesNotExist as missing:
        # A draft looks the same as no meeting at all to those who may not see it.
        raise Http404("No such meeting.") from missing


class MeetingDetailView(TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        from papers.selectors import agenda_changes, request_list_for_meeting

        context = super().get_context_data(**kwargs)
        meeting = _visible_meeting(self.request, self.kwargs["pk"])
        items = agenda_item_list(meeting=meeting, user=self.request.user)
        can_edit = access.can_edit_committee(self.request.user, meeting.committee)
        from minutes.selectors import minutes_get
        from packs.selectors import pack_list, page_ranges
        from packs.services import packs_fail_stale

        ranges = page_ranges(meeting=meeting)
        for item in items:
            item.page_range = ranges.get(item.pk)
        audit.record_items_viewed(self.request, items, page="meeting page")
        packs = pack_list(meeting=meeting, user=self.request.user)
        if any(pack.is_stale() for pack in packs):  # a build that was lost: say so
            packs_fail_stale(meeting=meeting)
            packs = pack_list(meeting=meeting, user=self.request.user)
        minutes = minutes_get(meeting=meeting)
        context.update(
            minutes=minutes
            if minutes and access.can_see_minutes(self.request.user, minutes)
            else None,
            meeting=meeting,
            committee=meeting.committee,
            items=items,
            changes=agenda_changes(meeting=meeting, items=items, user=self.request.user),
            can_edit=can_edit,
            packs=packs,
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
        meeting = _visible_meeting(self.request, self.kwargs["meeting_pk"])
        items = agenda_item_list(meeting=meeting, user=self.request.user)
        item = next((i for i in items if i.pk == self.kwargs["pk"]), None)
        if item is None:
            raise Http404("No such item.")
        from minutes.selectors import item_minute
        from packs.selectors import page_ranges

        item.page_range = page_ranges(meeting=meeting).get(item.pk)
        audit.record_items_viewed(self.request, [item], page="item page")
        context.update(
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
        meeting = _visible_meeting(self.request, self.kwargs["meeting_pk"])
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

        from .feeds import meetings_calendar

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


# --- the co-ordinator's agenda builder ------------------------------------------------


class CoordinatorMixin:
    """Only the committee's co-ordinators; anyone else signs in or is refused."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.committee = self.get_committee()
        if not access.can_edit_committee(request.user, self.committee):
            raise PermissionDenied("Only the committee's co-ordinators may do this.")
        return super().dispatch(request, *args, **kwargs)

    def get_committee(self) -> Committee:
        self.meeting = _visible_meeting(self.request, self.kwargs["meeting_pk"])
        return self.meeting.committee

    def builder_url(self, item: AgendaItem | None = None) -> str:
        url = reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.meeting.pk})
        return f"{url}#item-{item.pk}" if item else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(committee=self.committee, meeting=getattr(self, "meeting", None))
        return context


class MeetingCreateView(CoordinatorMixin, FormView):
    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    def get_committee(self):
        return committee_or_404(self.kwargs["slug"])

    def form_valid(self, form):
        try:
            self.meeting = services.meeting_create(
                committee=self.committee,
                starts_at=form.starts_at(),
                venue=form.cleaned_data["venue"],
            )
        except ValidationError as error:
            if "__all__" in getattr(error, "error_dict", {}):
                form.add_error("date", "This committee already has a meeting at that date and time")
            else:
                apply_service_errors(form, error)
            return self.form_invalid(form)
        except IntegrityError:
            form.add_error("date", "This committee already has a meeting at that date and time")
            return self.form_invalid(form)
        messages.success(self.request, "Meeting created with the standard agenda items.")
        return redirect(self.builder_url())


class AgendaBuilderView(CoordinatorMixin, TemplateView):
    template_name = "meetings/agenda_builder.html"

    def get_context_data(self, **kwargs):
        from papers.selectors import request_list_for_meeting

        context = super().get_context_data(**kwargs)
        items = agenda_item_list(meeting=self.meeting, user=self.request.user)
        context.update(
            public_items=[i for i in items if i.section == AgendaSection.PUBLIC],
            exclusion=next((i for i in items if i.section == AgendaSection.EXCLUSION), None),
            exempt_items=[i for i in items if i.section == AgendaSection.EXEMPT],
            report_requests=request_list_for_meeting(meeting=self.meeting, user=self.request.user),
            is_published=self.meeting.is_public,
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.request.headers.get("HX-Request"):
            self.template_name = "meetings/includes/builder_parts.html"
        return super().render_to_response(context, **kwargs)


class AgendaItemFormMixin(CoordinatorMixin):
    template_name = "meetings/item_form.html"
    form_class = AgendaItemForm
    item = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = show_item(self.item, self.request.user) if self.item else None
        return context


class AgendaItemCreateView(AgendaItemFormMixin, FormView):
    def form_valid(self, form):
        try:
            item = services.agenda_item_add(meeting=self.meeting, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Item \u201c{access.item_title(self.request.user, item)}\u201d added."
        )
        return redirect(self.builder_url(item))


class AgendaItemUpdateView(AgendaItemFormMixin, FormView):
    def get_item(self) -> AgendaItem:
        item = self.meeting.items.filter(pk=self.kwargs["pk"]).first()
        if item is None or item.section == AgendaSection.EXCLUSION:
            raise Http404("No such item.")
        return item

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.item = self.get_item()
        return kwargs

    def form_valid(self, form):
        try:
            item = services.agenda_item_update(item=self.item, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Item \u201c{access.item_title(self.request.user, item)}\u201d saved."
        )
        if item.is_exempt and services.public_minutes_of(item):
            messages.warning(
                self.request,
                "This item's minute is in the published minutes and the public can read "
                "it. If it discloses exempt information, mark the minute exempt with a "
                "public summary.",
            )
        return redirect(self.builder_url(item))


class AgendaItemRemoveView(CoordinatorMixin, TemplateView):
    template_name = "meetings/item_remove.html"

    def get_item(self):
        item = self.meeting.items.filter(pk=self.kwargs["pk"]).first()
        if item is None:
            raise Http404("No such item.")
        return item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = show_item(self.get_item(), self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        try:
            services.agenda_item_remove(item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.builder_url(item))
        messages.success(
            request, f"Item \u201c{access.item_title(request.user, item)}\u201d removed."
        )
        return redirect(self.builder_url())


class AgendaItemMoveView(CoordinatorMixin, View):
    """Move up or down: a plain form post, so it works without JavaScript."""

    def post(self, request, *args, **kwargs):
        item = self.meeting.items.filter(pk=self.kwargs["pk"]).first()
        if item is None:
            raise Http404("No such item.")
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            return HttpResponse("Say which way to move the item.", status=400)
        try:
            services.agenda_item_move(item=item, offset=-1 if direction == "up" else 1)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Item \u201c{item.title}\u201d moved {direction}.")
        return redirect(self.builder_url(item))


class AgendaReorderView(CoordinatorMixin, View):
    """The new order of one part after a drag and drop; answers with the builder's parts."""

    def post(self, request, *args, **kwargs):
        section = request.POST.get("section")
        if section not in (str(AgendaSection.PUBLIC), str(AgendaSection.EXEMPT)):
            return HttpResponse("Say which part of the agenda to reorder.", status=400)
        items = list(self.meeting.items.filter(section=int(section)))
        form = ReorderForm(request.POST, items=items)
        if not form.is_valid():
            return HttpResponse("The order names items that are not in this part.", status=400)
        try:
            services.agenda_item_reorder(
                meeting=self.meeting, section=int(section), item_ids=form.cleaned_data["item"]
            )
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=409)
        builder = AgendaBuilderView()
        builder.setup(request, meeting_pk=self.meeting.pk)
        builder.meeting, builder.committee = self.meeting, self.committee
        return render(request, "meetings/includes/builder_parts.html", builder.get_context_data())


class AgendaPublishView(CoordinatorMixin, FormView):
    template_name = "meetings/publish_form.html"
    form_class = PublishForm

    def get_context_data(self, **kwargs):
        from .law import clear_days_between

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            clear_days=clear_days_between(today, timezone.localdate(self.meeting.starts_at)),
            is_past=self.meeting.starts_at < timezone.now(),
            is_published=self.meeting.is_public,
        )
        return context

    def form_valid(self, form):
        try:
            services.agenda_publish(
                meeting=self.meeting,
                late_reason=form.cleaned_data["late_reason"],
                confirm_past=form.cleaned_data["confirm_past"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The agenda is published.")
        return redirect(self.meeting.get_absolute_url())
