"""Co-ordinators' pages for grants, need-to-know requests and the access log; the
councillor's request to read an exempt item."""

import csv
import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from meetings.models import AgendaItem, AgendaSection
from scrutiny import access
from scrutiny.csv_safe import csv_row
from scrutiny.params import id_param, text_param
from scrutiny.viewing import apply_service_errors

from . import services
from .forms import AccessRequestForm, DecisionForm, GrantForm
from .models import AccessLog, AccessRequest, AccessRequestStatus, Grant

# Titles as entries used to store them: in quotation marks, or in brackets after
# "exempt item A".
STORED_TITLE = re.compile(
    r"\s*(?:of item\s*)?\u201c[^\u201d]*\u201d|(?<=exempt item \w) \([^()]*\)"
)


class CoordinatorOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.committees = access.committees_managing_exempt_access(request.user)
        if not self.committees.exists():
            raise PermissionDenied(
                "Only co-ordinators and the Monitoring Officer manage exempt access."
            )
        return super().dispatch(request, *args, **kwargs)


def _in_committees(queryset, committees, *paths):
    from django.db.models import Q

    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": committees})
    return queryset.filter(condition)


class GrantListView(CoordinatorOnlyMixin, FormView):
    template_name = "exempt/grant_list.html"
    form_class = GrantForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "committees": self.committees,
            "user": self.request.user,
        }

    def grants(self):
        return _in_committees(
            Grant.objects.select_related(
                "user",
                "committee",
                "meeting__committee",
                "item__meeting__committee",
                "granted_by",
                "approved_by",
            ),
            self.committees,
            "committee",
            "meeting__committee",
            "item__meeting__committee",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        grants = list(self.grants()[:200])
        for grant in grants:
            if grant.item_id:
                grant.scope_label = f"item \u201c{access.item_label(user, grant.item)}\u201d"
            elif grant.meeting_id and not access.can_see_meeting(user, grant.meeting):
                grant.scope_label = "a meeting whose agenda is not yet published"
            else:
                grant.scope_label = grant.scope
            grant.can_approve = grant.is_awaiting_approval and access.can_approve_grant(
                user, grant, grant.target_committee
            )
        context["grants"] = grants
        return context

    def post(self, request, *args, **kwargs):
        for action in ("revoke", "approve", "refuse"):
            if action not in request.POST:
                continue
            grant = self.grants().filter(pk=id_param(request.POST[action])).first()
            if grant is None:
                raise Http404("No such grant.")
            try:
                if action == "revoke":
                    services.grant_revoke(grant=grant, revoked_by=request.user)
                    messages.success(request, "Access revoked: it has ended.")
                elif action == "approve":
                    services.grant_approve(grant=grant, approved_by=request.user)
                    messages.success(request, "Grant approved: it is in force now.")
                else:
                    services.grant_refuse(grant=grant, refused_by=request.user)
                    messages.success(request, "Grant refused: it never took effect.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            grant = services.grant_create(granted_by=self.request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        if grant.is_awaiting_approval:
            messages.success(
                self.request,
                "Grant proposed. It is not in force until a second person approves it.",
            )
        else:
            messages.success(self.request, "Access granted.")
        return redirect(self.request.path)


class RequestListView(CoordinatorOnlyMixin, TemplateView):
    template_name = "exempt/request_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(
            AccessRequest.objects.filter(item__meeting__committee__in=self.committees)
            .select_related("user", "item__meeting__committee", "decided_by", "grant")
            .order_by("-requested_at")[:300]
        )
        user = self.request.user
        for access_request in requests:
            access_request.item_label = access.item_label(user, access_request.item)
            access_request.can_decide = access.can_decide_request(
                user, access_request, access_request.item.meeting.committee
            )
        context.update(
            pending=[r for r in requests if r.status == AccessRequestStatus.PENDING],
            decided=[r for r in requests if r.status != AccessRequestStatus.PENDING][:100],
            decision_form=DecisionForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        access_request = AccessRequest.objects.filter(
            pk=id_param(request.POST.get("request")),
            item__meeting__committee__in=self.committees,
        ).first()
        if access_request is None:
            raise Http404("No such request.")
        form = DecisionForm(request.POST)
        form.is_valid()
        try:
            decided = services.access_request_decide(
                request=access_request,
                decided_by=request.user,
                approve=request.POST.get("decision") == "approve",
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if decided.grant is not None and decided.grant.is_awaiting_approval:
                messages.success(
                    request,
                    "Approved, but not in force until a second person approves the grant. "
                    "The councillor has been told.",
                )
            else:
                messages.success(request, "Decision recorded; the councillor has been told.")
        return redirect(request.path)


class AccessRequestCreateView(LoginRequiredMixin, FormView):
    """A councillor asks to read an exempt item ("need to know")."""

    template_name = "exempt/request_form.html"
    form_class = AccessRequestForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = (
            AgendaItem.objects.select_related("meeting__committee")
            .filter(pk=kwargs["item_pk"], section=AgendaSection.EXEMPT)
            .first()
        )
        if self.item is None or not access.can_see_meeting(request.user, self.item.meeting):
            raise Http404("No such exempt item.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            item=self.item, meeting=self.item.meeting, committee=self.item.meeting.committee
        )
        return context

    def form_valid(self, form):
        try:
            services.access_request_create(
                user=self.request.user, item=self.item, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, "Your request has been sent to the committee's co-ordinator."
        )
        return redirect(self.item.meeting.get_absolute_url())


class AccessLogView(CoordinatorOnlyMixin, TemplateView):
    """Who read, downloaded or was refused exempt material: by item or by person."""

    template_name = "exempt/access_log.html"

    def show(self, entry):
        """An entry about a draft agenda names nothing to someone who may not see it:
        not the item, nor the meeting, nor the page's address."""
        user = self.request.user
        hidden = entry.meeting is not None and not access.can_see_meeting(user, entry.meeting)
        what = entry.what
        if entry.item is not None:
            # Titles stored by older entries go: an item is named as the reader may
            # see it now (its title may have become exempt since).
            what = STORED_TITLE.sub("", what).strip()
            what = f"{what}: \u201c{access.item_label(user, entry.item)}\u201d"
        entry.shown_what = "an item of an agenda not yet published" if hidden else what
        entry.shown_meeting = None if hidden else entry.meeting
        entry.shown_item_id = None if hidden else entry.item_id
        entry.shown_path = "" if hidden else entry.path
        return entry

    def entries(self):
        entries = AccessLog.objects.filter(committee__in=self.committees).select_related(
            "meeting__committee", "item__meeting__committee"
        )
        item = id_param(self.request.GET.get("item"))
        username = text_param(self.request.GET.get("user"), limit=150)
        if item is not None:
            entries = entries.filter(item_id=item)
        if username:
            entries = entries.filter(username=username)
        return entries.order_by("-at")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="exempt-access-log.csv"'
            response["Cache-Control"] = "private, no-store"
            writer = csv.writer(response)
            writer.writerow(["when", "who", "event", "meeting", "item", "what", "path", "ip"])
            for e in map(self.show, self.entries().iterator()):
                # Names, titles and paths come from users: never a live formula.
                writer.writerow(
                    csv_row(
                        [
                            e.at.isoformat(),
                            e.username,
                            e.get_event_display(),
                            str(e.shown_meeting) if e.shown_meeting else "",
                            e.shown_item_id or "",
                            e.shown_what,
                            e.shown_path,
                            e.ip_address or "",
                        ]
                    )
                )
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.entries(), 100).get_page(self.request.GET.get("page"))
        entries = [self.show(entry) for entry in page]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            entries=entries,
            query=query.urlencode(),
            item_filter=self.request.GET.get("item", ""),
            user_filter=self.request.GET.get("user", ""),
        )
        return context
