"""What every app's views share: finding what the reader may see (or a 404 that says
no more than "no such thing"), refusing those without the right, and showing a
service's errors on its form."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from . import access
from .models import Committee
from .selectors import committee_get


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def committee_or_404(slug: str) -> Committee:
    try:
        return committee_get(slug=slug)
    except Committee.DoesNotExist as missing:
        raise Http404("No such committee.") from missing


def visible_meeting_or_404(request, pk):
    """The meeting if this reader may see it; a draft looks the same as no meeting at
    all to those who may not."""
    from meetings.models import Meeting
    from meetings.selectors import meeting_get

    try:
        return meeting_get(user=request.user, pk=pk)
    except Meeting.DoesNotExist as missing:
        raise Http404("No such meeting.") from missing


class PapersArchived(Exception):
    """The reader may see the meeting, but its papers were archived after their
    statutory inspection period: say so (410 Gone), rather than "not found"."""

    def __init__(self, meeting):
        super().__init__(meeting.pk)
        self.meeting = meeting


def papers_archived_response(request, meeting) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "meetings/papers_archived.html",
        {"meeting": meeting, "committee": meeting.committee},
        status=410,
    )
    response["Cache-Control"] = "no-cache"
    return response


class LoginOr403Mixin:
    """Anonymous users are sent to sign in; signed-in users without the right get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        raise NotImplementedError


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
        self.meeting = visible_meeting_or_404(self.request, self.kwargs["meeting_pk"])
        return self.meeting.committee

    def builder_url(self, item=None) -> str:
        url = reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.meeting.pk})
        return f"{url}#item-{item.pk}" if item else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(committee=self.committee, meeting=getattr(self, "meeting", None))
        return context
