"""The Chairman's reading of circulated minutes, and the answer."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.generic import TemplateView

from scrutiny import access
from scrutiny.notices import emailing
from scrutiny.params import id_param, text_param
from scrutiny.viewing import visible_meeting_or_404

from .. import selectors, services
from ..forms import (
    ChairmanApproveForm,
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
        if self.minutes is None:
            raise Http404("No such minutes.")
        if not access.can_review_minutes(request.user, self.minutes):
            if request.method == "POST" and access.is_told_minutes_were_published(
                request.user, self.minutes
            ):
                response = self.published_meanwhile()
                response["Cache-Control"] = "private, no-store"
                return response
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
            approve_form=kwargs.get("approve_form") or ChairmanApproveForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not access.is_chairman_of(request.user, self.meeting):
            raise PermissionDenied("Only the Chairman of the meeting answers its minutes.")
        action = request.POST.get("action")
        # The version of the minutes the page he answers showed him.
        read_version = id_param(request.POST.get("read_version")) or 0
        form = approve_form = None
        try:
            if action == "approve":
                approve_form = ChairmanApproveForm(request.POST)
                approve_form.is_valid()
                answered = services.minutes_chairman_approve(
                    minutes=self.minutes, by=request.user, read_version=read_version
                )
                done = "You have approved the minutes."
            elif action == "return":
                form = ChairmanCommentsForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                answered = services.minutes_chairman_return(
                    minutes=self.minutes,
                    by=request.user,
                    read_version=read_version,
                    comments=form.cleaned_data["comments"],
                )
                done = "Your comments are sent to the co-ordinator."
            else:
                raise Http404("No such action.")
        except services.MinutesChangedWhileReading as changed:
            # The page again, as the minutes stand now, with his comments still typed in.
            (form or approve_form).add_error(None, changed.messages[0])
            self.minutes.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(form=form, approve_form=approve_form)
            )
        except ValidationError as error:
            self.minutes.refresh_from_db()
            if access.is_told_minutes_were_published(request.user, self.minutes):
                return self.published_meanwhile()  # since this request began
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{done} {emailing(answered.notified)}")
        return redirect(request.path)

    def published_meanwhile(self):
        """The minutes were published while the Chairman read them: his answer is not
        recorded, and what he wrote is shown back to him so that nothing is lost."""
        request, minutes = self.request, self.minutes
        return render(
            request,
            "minutes/answer_too_late.html",
            {
                "meeting": self.meeting,
                "committee": self.meeting.committee,
                "minutes": minutes,
                "approving": request.POST.get("action") == "approve",
                "comments": text_param(request.POST.get("comments"), limit=20000),
                "can_read_minutes": access.can_see_minutes(request.user, minutes),
            },
            status=409,
        )
