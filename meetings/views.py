from django.http import Http404
from django.views.generic import TemplateView

from scrutiny import access

from .models import Meeting
from .selectors import agenda_item_list, meeting_get


class MeetingDetailView(TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            meeting = meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        except Meeting.DoesNotExist as missing:
            # A draft looks the same as no meeting at all to those who may not see it.
            raise Http404("No such meeting.") from missing
        context.update(
            meeting=meeting,
            committee=meeting.committee,
            items=agenda_item_list(meeting=meeting, user=self.request.user),
            can_edit=access.can_edit_committee(self.request.user, meeting.committee),
        )
        return context
