"""The co-ordinator changing papers: upload, replace, exemption, release, remove."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.selectors import show_item
from scrutiny.viewing import LoginOr403Mixin, apply_service_errors

from .. import services
from ..forms import (
    DocumentExemptionForm,
    DocumentReplaceForm,
    DocumentUploadForm,
)
from .common import (
    PaperTargetMixin,
    coordinator_document,
    item_number,
)

UNTAGGED_ADVICE = (
    "This PDF is not tagged for screen readers: ask its author for an accessible version "
    "and upload it as a new version."
)


def uploaded_message(document, message: str) -> str:
    """What the co-ordinator is told of an upload: with the advice, for a PDF that
    screen readers cannot navigate."""
    version = document.current_version
    if version is not None and version.is_untagged_pdf:
        return f"{message} {UNTAGGED_ADVICE}"
    return message


class DocumentUploadView(PaperTargetMixin, FormView):
    template_name = "papers/upload_form.html"
    form_class = DocumentUploadForm

    def get_form_class(self):
        return DocumentReplaceForm if self.existing else DocumentUploadForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.existing:
            kwargs.pop("item")
        return kwargs

    def form_valid(self, form):
        is_draft = self.report_request is not None
        try:
            if self.correcting:
                return self.corrected(
                    services.report_request_correct(
                        request=self.report_request,
                        user=self.request.user,
                        uploaded_file=form.cleaned_data["file"],
                        change_note=form.cleaned_data["change_note"],
                    )
                )
            if self.existing:
                document = services.document_replace(
                    document=self.existing,
                    uploaded_file=form.cleaned_data["file"],
                    user=self.request.user,
                    change_note=form.cleaned_data["change_note"],
                )
            else:
                document = services.document_upload(
                    item=self.item,
                    title=form.cleaned_data["title"],
                    uploaded_file=form.cleaned_data["file"],
                    user=self.request.user,
                    is_draft=is_draft,
                    **form.exemption(),
                )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"file": error.messages})
            apply_service_errors(form, error)
            return self.form_invalid(form)
        return self.done(
            document, uploaded_message(document, f"\u201c{document.title}\u201d uploaded.")
        )


class DocumentReplaceView(LoginOr403Mixin, FormView):
    """A co-ordinator uploads a new version of a document."""

    template_name = "papers/upload_form.html"
    form_class = DocumentReplaceForm

    def check_access(self):
        self.document = coordinator_document(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = show_item(self.document.item, self.request.user)
        context.update(
            item=item,
            item_number=item_number(item),
            meeting=item.meeting,
            committee=item.meeting.committee,
            replacing=self.document,
        )
        return context

    def form_valid(self, form):
        try:
            services.document_replace(
                document=self.document,
                uploaded_file=form.cleaned_data["file"],
                user=self.request.user,
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"file": error.messages})
            apply_service_errors(form, error)
            return self.form_invalid(form)
        self.document.refresh_from_db()
        messages.success(
            self.request,
            uploaded_message(
                self.document, f"A new version of \u201c{self.document.title}\u201d is saved."
            ),
        )
        return redirect(self.document.get_absolute_url())


class DocumentExemptionView(LoginOr403Mixin, FormView):
    """A co-ordinator marks a paper of a public item exempt, or public again."""

    template_name = "papers/exemption_form.html"
    form_class = DocumentExemptionForm

    def check_access(self):
        self.document = coordinator_document(self.request, self.kwargs["pk"])
        if self.document.item.is_exempt:
            raise PermissionDenied(
                "While its item is exempt, a paper is exempt with it: change the paper's own "
                "exemption once the item is public."
            )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "document": self.document}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.document.item
        context.update(
            document=self.document,
            item=item,
            meeting=item.meeting,
            committee=item.meeting.committee,
        )
        return context

    def form_valid(self, form):
        request = self.request
        try:
            document = services.document_exemption_set(
                document=self.document, by=request.user, **form.exemption()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        if document.is_restricted:
            messages.success(
                request,
                "The document is exempt now: withdrawn from the public, with every version.",
            )
        else:
            messages.success(
                request,
                "The document is public now: its current version only. Earlier versions stay "
                "restricted until you release them.",
            )
        return redirect(document.get_absolute_url())


class VersionReleaseView(LoginOr403Mixin, View):
    """A co-ordinator releases one withheld version of a public document."""

    def check_access(self):
        self.document = coordinator_document(self.request, self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        version = self.document.versions.filter(number=self.kwargs["number"]).first()
        if version is None:
            raise Http404("No such version.")
        try:
            services.document_version_release(version=version, released_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {version.number} is public now.")
        return redirect(self.document.get_absolute_url() + "#versions-heading")


class DocumentRemoveView(LoginOr403Mixin, TemplateView):
    template_name = "papers/document_remove.html"

    def check_access(self):
        self.document = coordinator_document(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            document=self.document,
            meeting=self.document.item.meeting,
            committee=self.document.item.meeting.committee,
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting_pk = self.document.item.meeting_id
        try:
            services.document_remove(document=self.document, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.document.get_absolute_url())
        messages.success(request, f"\u201c{self.document.title}\u201d removed.")
        return redirect(reverse("meetings:agenda_builder", kwargs={"meeting_pk": meeting_pk}))
