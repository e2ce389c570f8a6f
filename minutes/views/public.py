"""The minutes as every reader may see them: the page, the PDF and the decisions list."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from scrutiny import access
from scrutiny.fragments import fragment, fragment_version, render_fragment
from scrutiny.params import id_param, text_param
from scrutiny.viewing import visible_meeting_or_404

from .. import selectors
from .common import minutes_reading


def minutes_decisions(minutes, entries) -> tuple:
    """What the minutes fragment shows of each minute, as the access policy decided it
    for this reader: readers with the same decisions share the rendered minutes."""
    return (
        minutes.pk,
        tuple(
            (
                minute.pk,
                minute.number,
                minute.shown_in_full,
                minute.display_title,
                minute.anchor,
                minute.linked_text if minute.shown_in_full else "",
            )
            for minute in entries
        ),
    )


class MinutesDetailView(TemplateView):
    """The minutes as the council publishes them."""

    template_name = "minutes/minutes_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = fragment_version()  # before the data it keeps the minutes under
        meeting = visible_meeting_or_404(self.request, self.kwargs["meeting_pk"])
        minutes = selectors.minutes_get(meeting=meeting)
        if minutes is None or not access.can_see_minutes(self.request.user, minutes):
            raise Http404("These minutes are not published yet.")
        reading = minutes_reading(self.request, minutes)
        context.update(reading)
        context["minutes_body"] = fragment(
            "minutes",
            version=version,
            decisions=minutes_decisions(minutes, reading["entries"]),
            render=lambda: render_fragment("minutes/includes/minutes_body.html", reading),
        )
        context.update(
            can_edit=access.can_edit_committee(self.request.user, meeting.committee),
            awaiting_your_answer=minutes.is_circulated
            and not minutes.chairman_responded_at
            and access.is_chairman_of(self.request.user, meeting),
        )
        if context["can_edit"]:
            from workplan.selectors import resolutions_to_follow_up

            context["follow_up"] = resolutions_to_follow_up(
                minutes=minutes, entries=context["entries"]
            )
        return context


class MinutesPdfView(View):
    """The published minutes as a PDF, built in the background when they change."""

    def get(self, request, meeting_pk):
        meeting = visible_meeting_or_404(request, meeting_pk)
        minutes = selectors.minutes_get(meeting=meeting)
        if minutes is None or not access.can_see_public_minutes(request.user, minutes):
            raise Http404("These minutes are not published yet.")
        if not minutes.pdf:
            response = render(
                request,
                "minutes/pdf_pending.html",
                {"meeting": meeting, "committee": meeting.committee},
                status=503,
            )
            response["Retry-After"] = "30"
            return response
        day = timezone.localdate(meeting.starts_at).isoformat()
        response = FileResponse(
            minutes.pdf.open("rb"),
            filename=f"minutes-{meeting.committee.slug}-{day}.pdf",
            content_type="application/pdf",
        )
        # The PDF can be withdrawn at any moment: caches ask again every time.
        response["Cache-Control"] = "no-cache"
        return response


class DecisionListView(TemplateView):
    """A committee's decisions: every resolution, searchable, by meeting and year."""

    template_name = "minutes/decision_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        from scrutiny.viewing import committee_or_404

        from ..numbering import municipal_year_label, municipal_year_start

        context = super().get_context_data(**kwargs)
        committee = committee_or_404(self.kwargs["slug"])
        meetings = list(selectors.meetings_with_decisions(committee=committee))
        years = {}
        for meeting in meetings:
            start = municipal_year_start(timezone.localdate(meeting.starts_at))
            years.setdefault(municipal_year_label(start), start)
        text = text_param(self.request.GET.get("q"))
        meeting_id = self.request.GET.get("meeting", "")
        meeting_id = id_param(meeting_id)
        year = self.request.GET.get("year", "")
        decisions = selectors.decision_list(
            committee=committee,
            user=self.request.user,
            text=text,
            meeting_id=meeting_id,
            year_start=years.get(year),
        )
        page = Paginator(decisions, self.per_page).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        rows = list(page)
        for resolution in rows:
            minute = resolution.minute
            minute.display_title = access.minute_title(self.request.user, minute, minute.minutes)
        context.update(
            committee=committee,
            page=page,
            decisions=rows,
            meetings=meetings,
            years=list(years),
            text=text,
            selected_meeting=meeting_id,
            selected_year=year if year in years else "",
            query=query.urlencode(),
        )
        return context
