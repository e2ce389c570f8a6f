"""The co-ordinator's agenda builder: meetings, items, order and publication."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from scrutiny import access
from scrutiny.notices import emailing
from scrutiny.viewing import CoordinatorMixin, apply_service_errors, committee_or_404

from .. import services
from ..forms import AgendaItemForm, MeetingForm, PublishForm, ReorderForm
from ..models import AgendaItem, AgendaSection
from ..selectors import agenda_item_list, meeting_last, show_item

# --- the co-ordinator's agenda builder ------------------------------------------------


class MeetingCreateView(CoordinatorMixin, FormView):
    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    def get_committee(self):
        return committee_or_404(self.kwargs["slug"])

    @cached_property
    def last_meeting(self):
        return meeting_last(committee=self.committee)

    def get_initial(self):
        # Committees mostly meet in the same room at the same hour: start from the last.
        if self.last_meeting is None:
            return {}
        return {
            "venue": self.last_meeting.venue,
            "time": timezone.localtime(self.last_meeting.starts_at).time(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_meeting"] = self.last_meeting
        return context

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
        from papers.selectors import request_list_for_meeting, untagged_papers
        from workplan.services import placeable_items

        context = super().get_context_data(**kwargs)
        items = agenda_item_list(meeting=self.meeting, user=self.request.user)
        context.update(
            public_items=[i for i in items if i.section == AgendaSection.PUBLIC],
            exclusion=next((i for i in items if i.section == AgendaSection.EXCLUSION), None),
            exempt_items=[i for i in items if i.section == AgendaSection.EXEMPT],
            report_requests=request_list_for_meeting(meeting=self.meeting, user=self.request.user),
            is_published=self.meeting.is_public,
            work_plan_items=list(placeable_items(meeting=self.meeting)),
            untagged=untagged_papers(items),
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
            item = services.agenda_item_add(
                meeting=self.meeting, by=self.request.user, **form.service_fields()
            )
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
            item = services.agenda_item_update(
                item=self.item, by=self.request.user, **form.service_fields()
            )
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
        from papers.selectors import request_list_unfinished

        from ..law import clear_days_between

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            clear_days=clear_days_between(today, timezone.localdate(self.meeting.starts_at)),
            is_past=self.meeting.starts_at < timezone.now(),
            is_published=self.meeting.is_public,
            # A warning, not a refusal: a late report can follow as a supplementary paper.
            unfinished_requests=request_list_unfinished(
                meeting=self.meeting, user=self.request.user
            ),
        )
        return context

    def form_valid(self, form):
        try:
            published = services.agenda_publish(
                meeting=self.meeting,
                late_reason=form.cleaned_data["late_reason"],
                confirm_past=form.cleaned_data["confirm_past"],
                by=self.request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        if published.notified is None:
            told = "No one is e-mailed about a meeting that has taken place."
        else:
            told = emailing(published.notified)
        messages.success(self.request, f"The agenda is published. {told}")
        return redirect(self.meeting.get_absolute_url())
