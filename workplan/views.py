"""The work programme: the public page and item pages, and the co-ordinator's changes
(add, edit, move or postpone with a reason, withdraw, roll recurring business forward,
and pull planned items onto a meeting's agenda)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from minutes.models import Resolution
from minutes.numbering import municipal_year_label, municipal_year_start
from scrutiny import access
from scrutiny.params import id_param
from scrutiny.templatetags.council import council_date
from scrutiny.viewing import CoordinatorMixin, apply_service_errors, committee_or_404

from . import selectors, services
from .annual import (
    NARRATIVE_FIELDS,
    annual_report_attach,
    annual_report_draft,
    annual_report_narrative,
    annual_report_pdf,
    annual_report_save,
    report_years,
)
from .documents import (
    action_tracker,
    appendix_pdf,
    attachable_items,
    notice_attach,
    notice_pdf,
    regulation_9_notice,
    tracker_attach,
    tracker_pdf,
    work_plan_appendix,
    work_plan_papers_attach,
)
from .forms import (
    ActionForm,
    AgendaItemChoiceForm,
    AnnualReportForm,
    MoveForm,
    PapersAttachForm,
    PlaceForm,
    ReasonForm,
    RollForwardForm,
    WorkPlanItemForm,
)
from .models import WorkPlanItem, minute_discloses_exempt


def show_errors(form, error: ValidationError, current_version: int | None = None) -> None:
    """The service's errors on the form. When the item changed since the form was read,
    the form takes the version it is now, so that saving again (having compared) works."""
    apply_service_errors(form, error)
    if getattr(error, "code", None) == "stale" and current_version is not None:
        form.data = form.data.copy()
        form.data["version"] = str(current_version)
        form.stale = True


def pdf_response(data: bytes, file_name: str) -> HttpResponse:
    """A generated public paper, shown in the browser."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


def programme_url(committee, item=None) -> str:
    url = reverse("workplan:programme", kwargs={"slug": committee.slug})
    if item is not None and item.target_meeting is not None:
        year = municipal_year_start(timezone.localdate(item.target_meeting.starts_at)).year
        url = f"{url}?from={year}"
    return f"{url}#plan-item-{item.pk}" if item is not None else url


class WorkProgrammeView(TemplateView):
    template_name = "workplan/programme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committee = committee_or_404(self.kwargs["slug"])
        year = id_param(self.request.GET.get("from"))
        year_start = datetime.date(year, 5, 1) if year and 1900 < year < 3000 else None
        programme = selectors.work_programme(
            committee=committee, user=self.request.user, year_start=year_start
        )
        context.update(
            committee=committee,
            programme=programme,
            can_edit=access.can_edit_committee(self.request.user, committee),
        )
        return context


class WorkPlanItemDetailView(TemplateView):
    template_name = "workplan/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committee = committee_or_404(self.kwargs["slug"])
        try:
            item = selectors.work_plan_item_get(
                committee=committee, pk=self.kwargs["pk"], user=self.request.user
            )
        except WorkPlanItem.DoesNotExist as missing:
            raise Http404("No such work plan item.") from missing
        can_edit = access.can_edit_committee(self.request.user, committee)
        context.update(
            history=selectors.visible_history(item, self.request.user),
            committee=committee,
            item=item,
            can_edit=can_edit,
            programme_url=programme_url(committee, item),
        )
        return context


class CommitteeCoordinatorMixin(CoordinatorMixin):
    def get_committee(self):
        self.meeting = None
        return committee_or_404(self.kwargs["slug"])

    @cached_property
    def meetings(self):
        return selectors.move_choices(committee=self.committee)


class ItemMixin(CommitteeCoordinatorMixin):
    @cached_property
    def item(self) -> WorkPlanItem:
        try:
            return selectors.work_plan_item_get(
                committee=self.committee, pk=self.kwargs["pk"], user=self.request.user
            )
        except WorkPlanItem.DoesNotExist as missing:
            raise Http404("No such work plan item.") from missing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        return context

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(self.item.get_absolute_url())


class WorkPlanItemCreateView(CommitteeCoordinatorMixin, FormView):
    """Add an item; with ?resolution=<id>, the item that a resolution asks for."""

    template_name = "workplan/item_form.html"
    form_class = WorkPlanItemForm

    @cached_property
    def resolution(self) -> Resolution | None:
        pk = id_param(self.request.GET.get("resolution"))
        if pk is None:
            return None
        try:
            return selectors.resolution_for_work_plan(committee=self.committee, pk=pk)
        except Resolution.DoesNotExist as missing:
            raise Http404("No such resolution of this committee.") from missing

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meetings"] = self.meetings
        return kwargs

    def resolution_is_exempt(self) -> bool:
        return minute_discloses_exempt(self.resolution.minute)

    def get_initial(self):
        if self.resolution is None:
            return {"requested_how": "work_programme"}
        initial = {"requested_how": "resolution", "category": "discretionary"}
        # The programme is published: exempt words are never put in its topic for one
        # click to publish them.
        if not self.resolution_is_exempt():
            initial["topic"] = self.resolution.text.removeprefix("That ")[:300]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item=None, resolution=self.resolution)
        if self.resolution is not None:
            minute = self.resolution.minute
            context["resolution_meeting"] = minute.minutes.meeting
            context["resolution_exempt"] = self.resolution_is_exempt()
        return context

    def form_valid(self, form):
        fields = form.service_fields()
        try:
            if self.resolution is not None:
                item = services.work_plan_item_from_resolution(
                    resolution=self.resolution, user=self.request.user, **fields
                )
            else:
                item = services.work_plan_item_add(
                    committee=self.committee, user=self.request.user, **fields
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        where = council_date(item.target_meeting.starts_at) if item.target_meeting else None
        messages.success(
            self.request,
            f"\u201c{item.topic}\u201d added to the work programme"
            + (f" for the meeting of {where}." if where else ", to be scheduled."),
        )
        return redirect(item.get_absolute_url())


class WorkPlanItemUpdateView(ItemMixin, FormView):
    template_name = "workplan/item_form.html"
    form_class = WorkPlanItemForm

    def get_initial(self):
        item = self.item
        return {name: getattr(item, name) for name in (*services.EDITABLE, "version")}

    def form_valid(self, form):
        fields = form.service_fields()
        try:
            services.work_plan_item_update(
                item=self.item,
                user=self.request.user,
                # A form without its version is as stale as one with an old version.
                based_on=form.cleaned_data.get("version") or 0,
                **fields,
            )
        except ValidationError as error:
            show_errors(form, error, self.item.version)
            return self.form_invalid(form)
        return self.done("Work plan item saved.")


class WorkPlanItemMoveView(ItemMixin, FormView):
    template_name = "workplan/move_form.html"
    form_class = MoveForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meetings"] = self.meetings
        return kwargs

    def get_initial(self):
        return {"version": self.item.version}

    def form_valid(self, form):
        postpone = form.cleaned_data["action"] == MoveForm.POSTPONE
        to_meeting = form.cleaned_data["to_meeting"]
        try:
            item = services.work_plan_item_move(
                item=self.item,
                user=self.request.user,
                to_meeting=to_meeting,
                reason=form.cleaned_data["reason"],
                postpone=postpone,
                based_on=form.cleaned_data["version"],
            )
        except ValidationError as error:
            show_errors(form, error, self.item.version)
            return self.form_invalid(form)
        where = (
            f"the meeting of {council_date(item.target_meeting.starts_at)}"
            if item.target_meeting
            else "be scheduled"
        )
        verb = "postponed" if postpone else "moved"
        return self.done(
            f"\u201c{item.topic}\u201d {verb} to {where}. The reason is in its history."
        )


class ReasonActionView(ItemMixin, FormView):
    template_name = "workplan/reason_form.html"
    form_class = ReasonForm
    service = None
    heading = ""
    button = ""
    message = ""

    def get_initial(self):
        return {"version": self.item.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=self.heading, button=self.button)
        return context

    def form_valid(self, form):
        try:
            type(self).service(
                item=self.item,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                based_on=form.cleaned_data["version"],
            )
        except ValidationError as error:
            show_errors(form, error, self.item.version)
            return self.form_invalid(form)
        return self.done(self.message.format(topic=self.item.topic))


class WorkPlanItemWithdrawView(ReasonActionView):
    service = services.work_plan_item_withdraw
    heading = "Withdraw the item"
    button = "Withdraw the item"
    message = "\u201c{topic}\u201d withdrawn from the work programme."


class WorkPlanItemReinstateView(ReasonActionView):
    service = services.work_plan_item_reinstate
    heading = "Reinstate the item"
    button = "Reinstate the item"
    message = "\u201c{topic}\u201d reinstated, to be scheduled."


class WorkPlanItemAgreeView(ItemMixin, FormView):
    """The committee agreed a proposed item (POST only, from the item page)."""

    form_class = ReasonForm
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.work_plan_item_agree(
                item=self.item, user=request.user, based_on=id_param(request.POST.get("version"))
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.item.get_absolute_url())
        return self.done(f"\u201c{self.item.topic}\u201d agreed: it is scheduled.")


class RollForwardView(CommitteeCoordinatorMixin, FormView):
    template_name = "workplan/roll_forward.html"
    form_class = RollForwardForm

    def years(self):
        this_year = municipal_year_start(datetime.date.today())
        latest = max(selectors.year_starts(self.committee))
        return [this_year.replace(year=year) for year in range(this_year.year, latest.year + 2)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["years"] = self.years()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recurring"] = selectors.recurring_items(committee=self.committee)
        return context

    def form_valid(self, form):
        year_start = form.chosen()
        added = services.work_plan_roll_forward(
            committee=self.committee, year_start=year_start, user=self.request.user
        )
        label = f"{year_start.year}-{(year_start.year + 1) % 100:02d}"
        if added:
            messages.success(
                self.request,
                f"{len(added)} item{'s' if len(added) != 1 else ''} of recurring business "
                f"added for {label}, to meetings still to come: "
                + "; ".join(sorted({item.topic for item in added}))
                + ". Check each topic's wording for the new year (a year in a topic is "
                "copied as it was first written).",
            )
        else:
            messages.info(
                self.request,
                f"Nothing added for {label}: its recurring business is already planned. Items "
                "that recur at every meeting are added to meetings that exist, so create the "
                "year's meetings first.",
            )
        return redirect(f"{programme_url(self.committee)}?from={year_start.year}")


class PlaceOnAgendaView(CoordinatorMixin, FormView):
    """From the agenda builder: the items planned for this meeting become its items."""

    template_name = "workplan/place_form.html"
    form_class = PlaceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["items"] = services.placeable_items(meeting=self.meeting)
        return kwargs

    def form_valid(self, form):
        try:
            added = services.work_plan_items_place(
                meeting=self.meeting, items=form.cleaned_data["items"], user=self.request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{len(added)} work plan item{'s' if len(added) != 1 else ''} added to the agenda.",
        )
        return redirect(self.builder_url())


def chosen_meeting(request, committee, param: str):
    """The committee's meetings, and the one named by ?<param>=<meeting id>: by default
    the next meeting, or the latest."""
    meetings = list(selectors.appendix_meetings(committee=committee))
    if not meetings:
        raise Http404("This committee has no meetings yet.")
    wanted = id_param(request.GET.get(param))
    chosen = next((m for m in meetings if m.pk == wanted), None)
    if chosen is None:
        now = timezone.now()
        chosen = next((m for m in meetings if m.starts_at >= now), meetings[-1])
    return meetings, chosen


class AttachPaperMixin:
    """Posting the form puts a generated paper on the agenda item chosen: the view's
    `attach_form(data)` is the form (None for anyone who may not), and `attach(item,
    form)` does it and says what was done. Back to that meeting's agenda builder."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = self.attach_form(request.POST)
        if form is None:
            raise PermissionDenied("Only the committee's co-ordinators put papers on its agendas.")
        if form.is_valid():
            item = form.chosen()
            try:
                message = self.attach(item, form)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(
                    reverse("meetings:agenda_builder", kwargs={"meeting_pk": item.meeting_id})
                )
        return self.render_to_response(self.get_context_data(form=form))


class CommitteePaperView(AttachPaperMixin, TemplateView):
    """A public paper generated for one of a committee's meetings, as a page that
    everyone reads alike, with the co-ordinators' form that puts it on an agenda item.
    `paper()` gives the meetings to choose from and the paper, shown as `paper_name`."""

    attach_form_class = AgendaItemChoiceForm
    paper_name = "paper"

    def dispatch(self, request, *args, **kwargs):
        self.committee = committee_or_404(kwargs["slug"])
        self.can_edit = access.can_edit_committee(request.user, self.committee)
        return super().dispatch(request, *args, **kwargs)

    def attach_form(self, data=None):
        if not self.can_edit:
            return None
        items = list(attachable_items(committee=self.committee))
        return self.attach_form_class(data, items=items)

    def paper(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings, paper = self.paper()
        context.update(
            committee=self.committee,
            meetings=meetings,
            form=kwargs.get("form") or self.attach_form(),
            **{self.paper_name: paper},
        )
        return context


class AppendixMixin:
    """The work plan appendix from a meeting (?from=<meeting id>)."""

    def appendix(self, committee):
        meetings, chosen = chosen_meeting(self.request, committee, "from")
        return meetings, work_plan_appendix(committee=committee, from_meeting=chosen)


class AppendixView(AppendixMixin, CommitteePaperView):
    """Appendix A as a page, and for co-ordinators the form that puts it, with its
    covering report, on an agenda item."""

    template_name = "workplan/appendix.html"
    attach_form_class = PapersAttachForm
    paper_name = "appendix"

    def paper(self):
        return self.appendix(self.committee)

    def attach(self, item, form) -> str:
        report, appendix = work_plan_papers_attach(
            committee=self.committee,
            item=item,
            user=self.request.user,
            with_report=form.cleaned_data["with_report"],
        )
        what = "The covering report and Appendix A are" if report else "Appendix A is"
        return (
            f"{what} on item \u201c{item.title}\u201d of {council_date(item.meeting.starts_at)} "
            f"(appendix version {appendix.current_version.number})."
        )


class AppendixPdfView(AppendixMixin, View):
    def get(self, request, slug):
        committee = committee_or_404(slug)
        _meetings, appendix = self.appendix(committee)
        return pdf_response(appendix_pdf(appendix), appendix.file_name)


# --- the actions tracker ---------------------------------------------------------------


ACTIONS_PER_PAGE = 50


class ActionListView(TemplateView):
    template_name = "workplan/actions.html"
    STATUSES = [("", "All"), ("overdue", "Overdue")]

    def get_context_data(self, **kwargs):
        from .models import ActionStatus

        context = super().get_context_data(**kwargs)
        committee = committee_or_404(self.kwargs["slug"])
        status = self.request.GET.get("status", "")
        choices = [*self.STATUSES, *ActionStatus.choices]
        if status not in dict(choices):
            status = ""
        from django.core.paginator import Paginator

        rows = selectors.action_list(committee=committee, user=self.request.user, status=status)
        page = Paginator(rows, ACTIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            committee=committee,
            rows=list(page),
            page=page,
            status=status,
            status_choices=choices,
            can_edit=access.can_edit_committee(self.request.user, committee),
        )
        return context


class TrackerMixin:
    """The tracker for a meeting (?for=<meeting id>)."""

    def tracker(self, committee):
        meetings, chosen = chosen_meeting(self.request, committee, "for")
        return meetings, action_tracker(committee=committee, for_meeting=chosen)


class TrackerView(TrackerMixin, CommitteePaperView):
    """The tracker as the committee will note it, and for co-ordinators the form that
    puts it on an agenda item. It is a public paper, the same for every reader."""

    template_name = "workplan/tracker.html"
    paper_name = "tracker"

    def paper(self):
        return self.tracker(self.committee)

    def attach(self, item, form) -> str:
        document = tracker_attach(committee=self.committee, item=item)
        return (
            f"The actions tracker for {council_date(item.meeting.starts_at)} is on item "
            f"\u201c{item.title}\u201d (version {document.current_version.number})."
        )


class TrackerPdfView(TrackerMixin, View):
    def get(self, request, slug):
        _meetings, tracker = self.tracker(committee_or_404(slug))
        return pdf_response(tracker_pdf(tracker), tracker.file_name)


class ActionCreateView(CommitteeCoordinatorMixin, FormView):
    """Track what a resolution asks of someone (?resolution=<id>)."""

    template_name = "workplan/action_form.html"
    form_class = ActionForm

    @cached_property
    def resolution(self) -> Resolution:
        pk = id_param(self.request.GET.get("resolution"))
        try:
            return selectors.resolution_for_work_plan(committee=self.committee, pk=pk or 0)
        except Resolution.DoesNotExist as missing:
            raise Http404("No such resolution of this committee.") from missing

    def get_initial(self):
        return {"description": self.resolution.text}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=None, resolution=self.resolution, minute=self.resolution.minute)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.action_create(
                resolution=self.resolution,
                user=self.request.user,
                committee=self.committee,
                description=data["description"],
                owner_name=data["owner_name"],
                owner_email=data["owner_email"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Action tracked: due from {data['owner_name']} by {council_date(data['due_date'])}.",
        )
        return redirect(reverse("workplan:actions", kwargs={"slug": self.committee.slug}))


class ActionUpdateView(CommitteeCoordinatorMixin, FormView):
    template_name = "workplan/action_form.html"
    form_class = ActionForm

    @cached_property
    def action(self):
        from .models import TrackedAction

        try:
            return selectors.action_get(committee=self.committee, pk=self.kwargs["pk"])
        except TrackedAction.DoesNotExist as missing:
            raise Http404("No such action.") from missing

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["with_outcome"] = True
        return kwargs

    def get_initial(self):
        action = self.action
        return {
            "description": action.description,
            "owner_name": action.owner_name,
            "owner_email": action.owner_email,
            "due_date": action.due_date,
            "status": action.status,
            "response": action.response,
            "version": action.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self.action, resolution=self.action.resolution, minute=self.action.minute
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.action_update(
                action=self.action,
                user=self.request.user,
                # A form without its version is as stale as one with an old version.
                based_on=data.get("version") or 0,
                description=data["description"],
                owner_name=data["owner_name"],
                owner=self.action.owner,
                owner_email=data["owner_email"],
                due_date=data["due_date"],
                status=data["status"],
                response=data["response"],
            )
        except ValidationError as error:
            show_errors(form, error, self.action.version)
            return self.form_invalid(form)
        messages.success(self.request, f"Action saved: {action.get_status_display().lower()}.")
        return redirect(reverse("workplan:actions", kwargs={"slug": self.committee.slug}))


# --- the forward plan of key decisions -------------------------------------------------


class NoticeMixin:
    """The notice for ?start=&end= (ISO dates); by default today and the next four
    months, as the council publishes it."""

    def notice(self):
        import datetime as dt

        params = self.request.POST if self.request.method == "POST" else self.request.GET

        def day(name):
            try:
                value = dt.date.fromisoformat(str(params.get(name, ""))[:10])
            except ValueError:
                return None
            # Dates a notice can be about; anything else reads as not given.
            return value if 1900 <= value.year <= 2999 else None

        start = day("start") or timezone.localdate()
        end = day("end") or start + dt.timedelta(days=122)
        if end < start:
            end = start
        return regulation_9_notice(start=start, end=min(end, start + dt.timedelta(days=3 * 366)))


class ForwardPlanView(AttachPaperMixin, NoticeMixin, TemplateView):
    template_name = "workplan/forward_plan.html"

    def attach_form(self, data=None):
        user = self.request.user
        if not user.is_authenticated:
            return None
        committees = access.coordinated_committees(user)
        if not committees.exists():
            return None
        return AgendaItemChoiceForm(data, items=list(attachable_items(committees=committees)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.notice()
        context.update(
            notice=notice,
            late=[d for d in notice.decisions if d.late_notice_reason],
            form=kwargs.get("form") or self.attach_form(),
        )
        return context

    def attach(self, item, form) -> str:
        notice = self.notice()
        document = notice_attach(
            committee=item.meeting.committee, item=item, start=notice.start, end=notice.end
        )
        return (
            f"The Regulation 9 Notice is on item \u201c{item.title}\u201d of "
            f"{council_date(item.meeting.starts_at)} (version "
            f"{document.current_version.number})."
        )


class ForwardPlanPdfView(NoticeMixin, View):
    def get(self, request):
        notice = self.notice()
        return pdf_response(notice_pdf(notice), notice.file_name)


# --- the committee's annual report -----------------------------------------------------


class AnnualReportMixin(CommitteeCoordinatorMixin):
    """The draft annual report is the co-ordinators' until it goes on an agenda: its
    narrative is unpublished work. The year is ?year=<first year> or the URL's."""

    @cached_property
    def years(self) -> list[datetime.date]:
        return report_years(committee=self.committee)

    @cached_property
    def year_start(self) -> datetime.date:
        in_url = "year" in self.kwargs
        wanted = self.kwargs["year"] if in_url else id_param(self.request.GET.get("year"))
        for year in self.years:
            if year.year == wanted:
                return year
        if in_url:
            raise Http404("The committee did not meet in that municipal year.")
        # By default the year last ended: the report is written after it closes.
        this_year = municipal_year_start(timezone.localdate())
        return next((y for y in self.years if y < this_year), this_year)

    def report_url(self) -> str:
        url = reverse("workplan:annual_report", kwargs={"slug": self.committee.slug})
        return f"{url}?year={self.year_start.year}"


class AnnualReportView(AttachPaperMixin, AnnualReportMixin, TemplateView):
    template_name = "workplan/annual_report.html"

    def attach_form(self, data=None):
        return AgendaItemChoiceForm(data, items=list(attachable_items(committee=self.committee)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=annual_report_draft(committee=self.committee, year_start=self.year_start),
            year_choices=[(year.year, municipal_year_label(year)) for year in self.years],
            year_start=self.year_start,
            council_name=settings.COUNCIL_NAME,
            form=kwargs.get("form") or self.attach_form(),
        )
        return context

    def attach(self, item, form) -> str:
        document = annual_report_attach(
            committee=self.committee, year_start=self.year_start, item=item
        )
        return (
            f"The annual report {municipal_year_label(self.year_start)} is on item "
            f"\u201c{item.title}\u201d of {council_date(item.meeting.starts_at)} "
            f"(version {document.current_version.number})."
        )


class AnnualReportPdfView(AnnualReportMixin, View):
    def get(self, request, *args, **kwargs):
        draft = annual_report_draft(committee=self.committee, year_start=self.year_start)
        return pdf_response(annual_report_pdf(draft), draft.file_name)


class AnnualReportEditView(AnnualReportMixin, FormView):
    template_name = "workplan/annual_report_form.html"
    form_class = AnnualReportForm

    @cached_property
    def narrative(self):
        return annual_report_narrative(committee=self.committee, year_start=self.year_start)

    def get_initial(self):
        narrative = self.narrative
        return {
            **{name: getattr(narrative, name) for name in NARRATIVE_FIELDS},
            "version": narrative.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            narrative=self.narrative,
            year_label=municipal_year_label(self.year_start),
            report_url=self.report_url(),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        version = data.get("version")
        try:
            annual_report_save(
                committee=self.committee,
                year_start=self.year_start,
                user=self.request.user,
                # A form without its version is as stale as one with an old version.
                based_on=-1 if version is None else version,
                **{name: data[name] for name in NARRATIVE_FIELDS},
            )
        except ValidationError as error:
            self.__dict__.pop("narrative", None)  # show the words as they are now
            show_errors(form, error, self.narrative.version)
            return self.form_invalid(form)
        messages.success(self.request, "The annual report's narrative is saved.")
        return redirect(self.report_url())
