"""The Chairman's reading of circulated minutes, and the answer."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from scrutiny import access
from scrutiny.notices import emailing
from scrutiny.viewing import visible_meeting_or_404

from .. import selectors, services
from ..forms import (
    ChairmanCommentsForm,
)
from .common import minutes_reading


def circulated_message(minutes) -> str:
    if minutes.chairman is None:
        return (
            "The minutes are circulated, but the committee had no Chairman on the day of the "
            "meeting to check them: record the Chairman in the committee's membership."
        )
    return (
        f"The minutes are circulated to the Chairman, {minutes.chairman.display_name}. "
        f"{emailing(minutes.notified)}"
    )


class MinutesReviewView(TemplateView):
    """The minutes as circulated, for the Chairman of the meeting to approve or return
    with comments; the co-ordinators read them here too. To anyone else there is no
    such page."""

    template_name = "minutes/minutes_review.html"

    def dispatch(self, request, *args, **kwargs):
        # Before any lookup: a sign-in page for every address says nothing about any.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.meeting = visible_meeting_or_404(request, kwargs["meeting_pk"])
        self.minutes = selectors.minutes_get(meeting=self.meeting)
        if self.minutes is None or not access.can_review_minutes(request.user, self.minutes):
            raise Http404("No such minutes.")
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes, meeting = self.minutes, self.meeting
        context.update(minutes_reading(self.request, minutes))
        context.update(
            is_chairman=access.is_chairman_of(self.request.user, meeting),
            form=kwargs.get("form") or ChairmanCommentsForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not access.is_chairman_of(request.user, self.meeting):
            raise PermissionDenied("Only the Chairman of the meeting answers its minutes.")
        action = request.POST.get("action")
        try:
            if action == "approve":
                answered = services.minutes_chairman_approve(minutes=self.minutes, by=request.user)
                done = "You have approved the minutes."
            elif action == "return":
                form = ChairmanCommentsForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                answered = services.minutes_chairman_return(
                    minutes=self.minutes, by=request.user, comments=form.cleaned_data["comments"]
                )
                done = "Your comments are sent to the co-ordinator."
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{done} {emailing(answered.notified)}")
        return redirect(request.path)
