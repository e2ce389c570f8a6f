"""Retention: the co-ordinator's list of meetings whose statutory inspection period ends
or has ended, archiving their papers, and legal holds."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from scrutiny.viewing import CoordinatorMixin, apply_service_errors, committee_or_404

from .. import services
from ..models import Meeting
from ..selectors import RetentionView, retention_counts, retention_list

MEETINGS_PER_PAGE = 50


class RetentionMixin(CoordinatorMixin):
    def get_committee(self):
        return committee_or_404(self.kwargs["slug"])

    def retention_url(self, view: str = "") -> str:
        url = reverse("retention", kwargs={"slug": self.committee.slug})
        return f"{url}?show={view}" if view else url

    def committee_meeting(self, pk) -> Meeting:
        """One of this committee's published meetings (anything else: not found)."""
        meeting = (
            Meeting.objects.published()
            .filter(committee=self.committee, pk=pk)
            .select_related("committee")
            .first()
        )
        if meeting is None:
            raise Http404("No such meeting.")
        return meeting


class RetentionListView(RetentionMixin, TemplateView):
    template_name = "meetings/retention.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", RetentionView.ENDED)
        if show not in RetentionView.values:
            show = RetentionView.ENDED
        today = timezone.localdate()
        page = Paginator(
            retention_list(committee=self.committee, view=show, today=today), MEETINGS_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        counts = retention_counts(committee=self.committee, today=today)
        context.update(
            page=page,
            show=show,
            views=[(view, label, counts[view]) for view, label in RetentionView.choices],
            shown_label=RetentionView(show).label,
            today=today,
            may_archive=show == RetentionView.ENDED,
        )
        return context


class PapersArchiveView(RetentionMixin, View):
    """Archive the meetings ticked on the list of those whose period has ended."""

    def post(self, request, slug):
        ids = [value for value in request.POST.getlist("meeting") if value.isdigit()]
        meetings = list(
            Meeting.objects.filter(committee=self.committee, pk__in=ids).order_by("starts_at")
        )
        if not meetings:
            messages.error(request, "Select the meetings whose papers to archive.")
            return redirect(self.retention_url(RetentionView.ENDED))
        try:
            archived = services.papers_archive_many(meetings=meetings, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, "Nothing was archived.")
            return redirect(self.retention_url(RetentionView.ENDED))
        count = len(archived)
        messages.success(
            request,
            f"The papers of {count} meeting{'s' if count != 1 else ''} were archived. Only "
            "the committee's co-ordinators can read them now; the agendas and minutes stay "
            "public.",
        )
        return redirect(self.retention_url(RetentionView.ARCHIVED))


class PapersRestoreView(RetentionMixin, View):
    def post(self, request, slug, meeting_pk):
        meeting = self.committee_meeting(meeting_pk)
        try:
            services.papers_restore(meeting=meeting, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"The papers of {meeting} are public again.")
        return redirect(self.retention_url(RetentionView.ARCHIVED))


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why are the papers held?",
        help_text="For example the claim, request or inquiry that needs them. It is shown "
        "to the committee's co-ordinators and kept in the audit log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the papers are held"},
    )


class LegalHoldPlaceView(RetentionMixin, FormView):
    template_name = "meetings/legal_hold_form.html"
    form_class = LegalHoldForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.held_meeting, retention_url=self.retention_url())
        return context

    @cached_property
    def held_meeting(self) -> Meeting:
        return self.committee_meeting(self.kwargs["meeting_pk"])

    def form_valid(self, form):
        try:
            services.legal_hold_place(
                meeting=self.held_meeting, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The papers of {self.held_meeting} are under a legal hold: they stay open and "
            "cannot be archived until it is lifted.",
        )
        return redirect(self.retention_url(RetentionView.HELD))


class LegalHoldLiftView(RetentionMixin, View):
    def post(self, request, slug, meeting_pk):
        meeting = self.committee_meeting(meeting_pk)
        try:
            services.legal_hold_lift(meeting=meeting, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"The legal hold on the papers of {meeting} was lifted.")
        return redirect(self.retention_url(RetentionView.HELD))
