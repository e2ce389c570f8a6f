"""Pack downloads, through the access policy, and the co-ordinator's rebuild."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View

from exempt import audit
from exempt.models import AccessEvent
from exempt.watermark import watermark, watermark_text
from meetings.models import AgendaSection
from scrutiny import access
from scrutiny.conditional import conditional, etag_for
from scrutiny.queue import undelivered_now
from scrutiny.viewing import CoordinatorMixin, papers_archived_response, visible_meeting_or_404

from . import selectors, services
from .models import Pack, PackKind


class PackDownloadView(View):
    def get(self, request, meeting_pk, kind):
        meeting = visible_meeting_or_404(request, meeting_pk)
        if kind not in PackKind.values:
            raise Http404("No such pack.")
        if not access.can_see_papers_of(request.user, meeting):
            if kind == PackKind.EXEMPT:  # a refusal of exempt material, archived or not
                audit.record(
                    request, AccessEvent.REFUSED, meeting=meeting, what="the exempt agenda pack"
                )
            return papers_archived_response(request, meeting)
        # The row read once: the file served is the one whose readers were checked.
        pack = Pack.objects.filter(meeting=meeting, kind=kind).first()
        if kind == PackKind.EXEMPT and not selectors.can_read_exempt_pack(
            meeting=meeting, pack=pack, user=request.user
        ):
            audit.record(
                request, AccessEvent.REFUSED, meeting=meeting, what="the exempt agenda pack"
            )
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied("The exempt agenda pack is for those entitled to it.")
        if pack is None or not pack.file:
            raise Http404("This pack has not been built yet.")
        day = timezone.localdate(meeting.starts_at).isoformat()
        prefix = "exempt-agenda-pack" if kind == PackKind.EXEMPT else "agenda-pack"
        filename = f"{prefix}-{meeting.committee.slug}-{day}.pdf"
        if kind != PackKind.EXEMPT:
            response = conditional(
                request,
                etag=etag_for("pack", pack.pk, pack.file.name, filename),
                last_modified=pack.built_at,
                respond=lambda: FileResponse(
                    pack.file.open("rb"), filename=filename, content_type="application/pdf"
                ),
            )
            # A pack can be withdrawn at any moment: caches ask again every time.
            response["Cache-Control"] = "no-cache"
            return response
        audit.record(
            request, AccessEvent.DOWNLOADED, meeting=meeting, what="the exempt agenda pack"
        )
        paragraphs = meeting.items.filter(section=AgendaSection.EXEMPT).values_list(
            "exempt_paragraph", flat=True
        )
        with pack.file.open("rb") as handle:
            marked = watermark(
                handle.read(), watermark_text(user=request.user, paragraphs=paragraphs)
            )
        response = HttpResponse(marked, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PackRebuildView(CoordinatorMixin, View):
    def post(self, request, meeting_pk):
        if services.packs_request_build(meeting=self.meeting, delay=0) is None:
            messages.error(request, "Publish the agenda before building its packs.")
        elif not undelivered_now():
            messages.success(request, "The agenda packs are being rebuilt.")
        return redirect(self.meeting.get_absolute_url() + "#packs-heading")
