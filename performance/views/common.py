"""What the performance pages share: the committee they are for, the access log for
confidential figures, and CSV responses."""

import csv

from django.http import HttpResponse

from exempt.middleware import mark_exempt_response
from exempt.models import AccessLog
from scrutiny import access
from scrutiny.client import client_ip
from scrutiny.viewing import committee_or_404

from .. import selectors


class CommitteeMixin:
    """The committee named in the address (committees/<slug>/performance/...)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.committee = committee_or_404(kwargs["slug"])

    def rights(self) -> dict[str, bool]:
        """What this reader may do here, for the page's links (asked once a request)."""
        if not hasattr(self, "_rights"):
            user = self.request.user
            may_upload = access.can_upload_observations(user, self.committee)
            may_manage = access.can_manage_data_officers(user, self.committee)
            self._rights = {
                "may_upload": may_upload,
                "may_see_uploads": may_upload or selectors.may_see_uploads(user, self.committee),
                "may_manage_officers": may_manage,
            }
        return self._rights

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.rights(), committee=self.committee)
        return context


def record_confidential(request, event: str, *, committee, what: str, path: str = "") -> None:
    """Log a reading or download of confidential figures (exempt material of the
    committee), and keep the response out of every shared cache. `path` stands in for
    an address that would name what the log's readers may not know."""
    mark_exempt_response(request)
    user = request.user if request.user.is_authenticated else None
    AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "(not signed in)",
        event=event,
        committee=committee,
        what=what[:300],
        path=(path or request.get_full_path())[:500],
        ip_address=client_ip(request),
    )


def csv_response(rows, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response, lineterminator="\r\n").writerows(rows)
    return response
