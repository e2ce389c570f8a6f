"""Pack downloads, through the access policy, and the co-ordinator's rebuild."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View

from meetings.views import CoordinatorMixin, _visible_meeting
from scrutiny import access

from . import services
from .models import Pack, PackKind


class PackDownloadView(View):
    def get(self, request, meeting_pk, kind):
        meeting = _visible_meeting(request, meeting_pk)
        if kind not in PackKind.values:
            raise Http404("No such pack.")
        if kind == PackKind.EXEMPT and not (
            access.can_see_exempt(request.user, meeting.committee)
            or access.can_see_drafts(request.user, meeting.committee)
        ):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied("The exempt agenda pack is for those entitled to it.")
        pack = Pack.objects.filter(meeting=meeting, kind=kind).first()
        if pack is None or not pack.file:
            raise Http404("This pack has not been built yet.")
        day = timezone.localdate(meeting.starts_at).isoformat()
        prefix = "exempt-agenda-pack" if kind == PackKind.EXEMPT else "agenda-pack"
        response = FileResponse(
            pack.file.open("rb"),
            filename=f"{prefix}-{meeting.committee.slug}-{day}.pdf",
            content_type="application/pdf",
        )
        if kind == PackKind.EXEMPT:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PackRebuildView(CoordinatorMixin, View):
    def post(self, request, meeting_pk):
        if services.packs_request_build(meeting=self.meeting, delay=0) is None:
            messages.error(request, "Publish the agenda before building its packs.")
        else:
            messages.success(request, "The agenda packs are being rebuilt.")
        return redirect(self.meeting.get_absolute_url() + "#packs-heading")
