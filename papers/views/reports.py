"""Covering reports written in the council's template, and the requests for them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from meetings.selectors import show_item
from scrutiny import access
from scrutiny.notices import emailing
from scrutiny.params import id_param
from scrutiny.viewing import LoginOr403Mixin, apply_service_errors

from .. import selectors, services
from ..forms import (
    BackgroundPaperFormSet,
    CoveringReportForm,
    ReportRequestForm,
    ReturnForm,
)
from ..models import ReportRequest, ReportRequestStatus
from .common import (
    PaperTargetMixin,
    coordinator_document,
    item_number,
    visible_versions,
)


def background_papers(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


class ReportWriteView(PaperTargetMixin, FormView):
    """Write a covering report in the council's template, or revise one."""

    template_name = "papers/report_form.html"
    form_class = CoveringReportForm

    def check_access(self):
        if "pk" in self.kwargs:  # revising an existing report as a co-ordinator
            self.document = coordinator_document(self.request, self.kwargs["pk"])
            if not self.document.is_report:
                raise Http404("Only a covering report is edited in the browser.")
            self.report_request = None
            self.item = self.document.item
            self.existing = self.document
            show_item(self.item, self.request.user)
            return
        super().check_access()
        if self.existing is not None and not self.existing.is_report:
            raise PermissionDenied("This request's paper is an uploaded file: upload a new one.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["revising"] = self.existing is not None
        if self.existing is not None:
            kwargs["initial"] = CoveringReportForm.initial_from(
                self.existing.title,
                self.starting_version().report,
                # Saved over the current version (the co-ordinator sees what changed).
                self.existing.current_version.number,
            )
        return kwargs

    def starting_version(self):
        """The text the writer starts from: the latest version they may read (an officer
        reads only what they wrote; the co-ordinator's revisions stay theirs)."""
        versions = visible_versions(self.request, self.existing)
        if not versions:
            raise PermissionDenied("This report's versions are not yours to read.")
        return versions[0]

    def get_formset(self):
        if self.request.method == "POST":
            # Bound without initial rows: a row is kept because it has text, not because
            # it differs from what was there before.
            return BackgroundPaperFormSet(self.request.POST, prefix="papers")
        initial = None
        if self.existing is not None:
            initial = self.starting_version().report.get("background_papers", [])
        return BackgroundPaperFormSet(initial=initial, prefix="papers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        context["existing"] = self.existing
        # Revising keeps the report's exemption: the page says what it is and where the
        # co-ordinator changes it (the papers of an exempt item are exempt with it).
        context["can_change_exemption"] = (
            self.existing is not None
            and not self.item.is_exempt
            and access.can_edit_committee(self.request.user, self.item.meeting.committee)
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        content = form.content(background_papers(formset))
        try:
            if self.correcting:
                return self.corrected(
                    services.report_request_correct(
                        request=self.report_request,
                        user=request.user,
                        content=content,
                        change_note=form.cleaned_data["change_note"],
                        based_on=form.cleaned_data["based_on"] or 0,
                    )
                )
            if self.existing is not None:
                document = services.report_revise(
                    document=self.existing,
                    content=content,
                    user=request.user,
                    change_note=form.cleaned_data["change_note"],
                    based_on=form.cleaned_data["based_on"] or 0,
                )
            else:
                document = services.report_write(
                    item=self.item,
                    title=form.cleaned_data["title"],
                    content=content,
                    user=request.user,
                    is_draft=self.report_request is not None,
                    **form.exemption(),
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        if self.existing is not None and self.report_request is None:
            messages.success(request, "A new version of the report is saved.")
            return redirect(document.get_absolute_url())
        return self.done(document, f"\u201c{document.title}\u201d saved.")


# --- report requests -----------------------------------------------------------------


class ReportRequestCreateView(PaperTargetMixin, FormView):
    template_name = "papers/request_form.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("item")
        return kwargs

    def get_initial(self):
        return {"deadline": services.default_report_deadline(self.item)}

    def form_valid(self, form):
        try:
            created = services.report_request_create(
                item=self.item,
                officer=form.cleaned_data["officer"],
                requested_by=self.request.user,
                deadline=form.cleaned_data["deadline"],
                instructions=form.cleaned_data["instructions"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Report requested. {emailing(created.notified)}")
        return redirect(
            reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.item.meeting_id})
            + f"#item-{self.item.pk}"
        )


ACCEPTED_PER_PAGE = 25


class ReportRequestListView(LoginOr403Mixin, TemplateView):
    """The officer's task list: reports asked of them, overdue ones marked."""

    template_name = "papers/request_list.html"

    def check_access(self):
        pass  # everyone signed in sees their own requests, possibly none

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        requests = list(selectors.request_list_for_officer(user=self.request.user))
        for report_request in requests:
            report_request.overdue = report_request.is_overdue(today)
        from django.core.paginator import Paginator

        # Accepted reports pile up over the years: newest first, a page at a time.
        accepted = sorted(
            (r for r in requests if r.status == ReportRequestStatus.ACCEPTED),
            key=lambda r: (r.deadline, r.pk),
            reverse=True,
        )
        page = Paginator(accepted, ACCEPTED_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            outstanding=[r for r in requests if r.is_outstanding],
            submitted=[r for r in requests if r.status == ReportRequestStatus.SUBMITTED],
            accepted=list(page),
            accepted_page=page,
        )
        return context


class ReportRequestDetailView(LoginOr403Mixin, TemplateView):
    template_name = "papers/request_detail.html"

    def check_access(self):
        try:
            self.report_request = selectors.request_get(pk=self.kwargs["pk"])
        except ReportRequest.DoesNotExist as missing:
            raise Http404("No such request.") from missing
        committee = self.report_request.item.meeting.committee
        self.is_coordinator = access.can_edit_committee(self.request.user, committee)
        if not (
            self.is_coordinator
            or access.can_work_on_request(self.request.user, self.report_request)
        ):
            raise PermissionDenied("This request is for another officer.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report_request = self.report_request
        item = show_item(report_request.item, self.request.user)
        report_request.overdue = report_request.is_overdue()
        document = report_request.document
        context.update(
            report_request=report_request,
            # Named only to a reader who may open it: not to its author once archived.
            report_document=document
            if document is not None and access.can_see_document(self.request.user, document)
            else None,
            item=item,
            item_number=item_number(item),
            meeting=item.meeting,
            committee=item.meeting.committee,
            is_coordinator=self.is_coordinator,
            is_officer=report_request.officer_id == self.request.user.pk,
            return_form=kwargs.get("return_form") or ReturnForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.is_coordinator:
            raise PermissionDenied("Only the committee's co-ordinators accept reports.")
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.report_request_accept(
                    request=self.report_request,
                    version=id_param(request.POST.get("version")) or 0,
                )
                messages.success(request, "Report accepted: it is now on the agenda.")
            elif action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                returned = services.report_request_return(
                    request=self.report_request, comment=form.cleaned_data["comment"]
                )
                messages.success(
                    request, f"Report sent back to the officer. {emailing(returned.notified)}"
                )
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.report_request.get_absolute_url())
