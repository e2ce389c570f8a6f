"""The data officer's pages: upload a file, read its preview, confirm or cancel it,
list the uploads, revert one, and download the template. The committee's co-ordinators
read the list and the previews; everyone else is refused, and every refusal is in the
access log as the services log theirs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views import View
from django.views.generic import FormView, TemplateView

from scrutiny.viewing import apply_service_errors

from .. import selectors, services
from ..forms import ObservationUploadForm
from ..models import RowChange, Upload, UploadState
from ..reports import file_slug
from .common import CommitteeMixin

# Rows of a preview, and problems of a file, listed on a page: enough to act on, and a
# page that still loads on a phone. The counts always give the whole.
SHOWN_ROWS = 1000
SHOWN_PROBLEMS = 1000
UPLOADS_PER_PAGE = 25


def figures(count: int) -> str:
    return f"{count:,} figure{pluralize(count)}"


class UploadAccessMixin(CommitteeMixin):
    """Data officers upload (`uploaders_only`); co-ordinators also read. Anyone else is
    logged, and sent to sign in or refused."""

    uploaders_only = True
    page_name = "the upload pages"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        rights = self.rights()
        self.may_upload = rights["may_upload"]
        allowed = rights["may_upload" if self.uploaders_only else "may_see_uploads"]
        if not allowed:
            services.upload_page_refused(user=user, committee=self.committee, what=self.page_name)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(services.MAY_NOT_UPLOAD)
        return super().dispatch(request, *args, **kwargs)

    def upload(self) -> Upload:
        try:
            return selectors.upload_get(
                user=self.request.user, committee=self.committee, pk=self.kwargs["pk"]
            )
        except Upload.DoesNotExist as missing:
            raise Http404("No such upload.") from missing

    def to_list(self):
        return redirect("performance:upload_list", slug=self.committee.slug)


class UploadView(UploadAccessMixin, FormView):
    template_name = "performance/upload_form.html"
    form_class = ObservationUploadForm
    page_name = "the upload form"

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        try:
            upload = services.upload_preview(
                file=uploaded,
                name=uploaded.name,
                user=self.request.user,
                committee=self.committee,
                note=form.cleaned_data["note"],
            )
        except services.ObservationsInvalid as invalid:
            count = len(invalid.problems)
            form.add_error(
                "file",
                f"{uploaded.name} has {count:,} problem{pluralize(count)}, listed below. "
                "Nothing was saved. Correct the file and upload it again",
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    problems=invalid.problems[:SHOWN_PROBLEMS],
                    problem_count=count,
                    file_name=uploaded.name,
                )
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"file": error.messages})
            apply_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("performance:upload_detail", slug=self.committee.slug, pk=upload.pk)


def upload_page_context(*, upload: Upload, may_upload: bool) -> dict:
    """What the preview of an upload shows: its counts, warnings, the changed rows with
    old and new values, the new rows, and what the reader may do with it."""
    changed, changed_count = selectors.upload_rows_shown(
        upload=upload, change=RowChange.CHANGED, limit=SHOWN_ROWS
    )
    new, new_count = selectors.upload_rows_shown(
        upload=upload, change=RowChange.NEW, limit=SHOWN_ROWS
    )
    stale = services.upload_preview_is_stale(upload)
    return {
        "upload": upload,
        "stale": stale,
        "preview_days": settings.SCRUTINY_UPLOAD_PREVIEW_DAYS,
        "changed": changed,
        "changed_count": changed_count,
        "new": new,
        "new_count": new_count,
        "may_confirm": may_upload and upload.state == UploadState.PREVIEWED and not stale,
        "may_revert": may_upload and upload.state == UploadState.CONFIRMED,
    }


class UploadDetailView(UploadAccessMixin, TemplateView):
    """A preview waiting for confirmation, or what an upload did."""

    template_name = "performance/upload_detail.html"
    uploaders_only = False
    page_name = "an upload's preview"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(upload_page_context(upload=self.upload(), may_upload=self.may_upload))
        return context


class UploadConfirmView(UploadAccessMixin, View):
    page_name = "confirming an upload"

    def post(self, request, *args, **kwargs):
        upload = self.upload()
        try:
            upload = services.upload_confirm(upload=upload, user=request.user)
        except ValidationError as error:
            # A stale preview, say: the service says what changed and what to do.
            upload.refresh_from_db()
            context = upload_page_context(upload=upload, may_upload=self.may_upload)
            return render(
                request,
                UploadDetailView.template_name,
                {
                    **context,
                    **self.rights(),
                    "committee": self.committee,
                    "action_error": error.messages[0],
                },
            )
        messages.success(
            request,
            f"{upload.file_name} is imported: {figures(upload.new_count)} added and "
            f"{figures(upload.changed_count)} changed. {figures(upload.unchanged_count)} "
            "matched what was already recorded.",
        )
        return self.to_list()


class UploadCancelView(UploadAccessMixin, View):
    page_name = "cancelling an upload"

    def post(self, request, *args, **kwargs):
        upload = self.upload()
        try:
            services.upload_cancel(upload=upload, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("performance:upload_detail", slug=self.committee.slug, pk=upload.pk)
        messages.info(request, f"The upload of {upload.file_name} is cancelled. Nothing was saved.")
        return redirect("performance:upload", slug=self.committee.slug)


class UploadRevertView(UploadAccessMixin, TemplateView):
    """Asks first; reverting removes the figures an upload added and puts back those
    it changed."""

    template_name = "performance/upload_revert.html"
    page_name = "reverting an upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("upload", self.upload())
        return context

    def post(self, request, *args, **kwargs):
        upload = self.upload()
        try:
            upload = services.upload_revert(upload=upload, user=request.user)
        except ValidationError as error:
            upload.refresh_from_db()
            context = self.get_context_data(upload=upload, action_error=error.messages[0])
            return self.render_to_response(context)
        messages.success(
            request,
            f"The upload of {upload.file_name} is reverted: {figures(upload.new_count)} it "
            f"added removed, and {figures(upload.changed_count)} it changed put back as they "
            "were.",
        )
        return self.to_list()


class UploadListView(UploadAccessMixin, TemplateView):
    template_name = "performance/upload_list.html"
    uploaders_only = False
    page_name = "the list of uploads"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        uploads = selectors.upload_list(user=self.request.user, committee=self.committee)
        page = Paginator(uploads, UPLOADS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(page=page, uploads=list(page))
        return context


class UploadTemplateView(UploadAccessMixin, View):
    """The CSV template: a row for each figure the partnership reports next."""

    uploaders_only = False
    page_name = "the upload template"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            selectors.template_csv(committee=self.committee), content_type="text/csv; charset=utf-8"
        )
        filename = file_slug(self.committee.slug, "performance-template")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
