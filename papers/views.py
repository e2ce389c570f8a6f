"""Pages for papers: upload, covering reports, versions, downloads, report requests.

Every read asks the access policy (`scrutiny.access`); every write is a service call.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from exempt import audit
from exempt.models import AccessEvent
from exempt.watermark import watermark, watermark_text
from meetings.models import AgendaItem, AgendaSection
from meetings.selectors import number_agenda, show_item
from meetings.views import apply_service_errors
from scrutiny import access

from . import selectors, services
from .forms import (
    BackgroundPaperFormSet,
    CoveringReportForm,
    DocumentExemptionForm,
    DocumentReplaceForm,
    DocumentUploadForm,
    ReportRequestForm,
    ReturnForm,
)
from .models import Document, DocumentFormat, ReportRequest, ReportRequestStatus
from .reports import BACKGROUND_PAPER_COLUMNS, numbered_sections

OOXML = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: f"{OOXML}.wordprocessingml.document",
    DocumentFormat.DOC: "application/msword",
    DocumentFormat.RTF: "application/rtf",
    DocumentFormat.XLSX: f"{OOXML}.spreadsheetml.sheet",
    DocumentFormat.PPTX: f"{OOXML}.presentationml.presentation",
}


class _LoginRequired(Exception):
    pass


class LoginOr403Mixin:
    """Anonymous users are sent to sign in; signed-in users without the right get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self):
        raise NotImplementedError


def _item_number(item: AgendaItem) -> str:
    items = number_agenda(list(item.meeting.items.order_by("section", "position")))
    return next(i.number for i in items if i.pk == item.pk)


def _refuse(request, document: Document, *, what: str, reason: str):
    """Log the refusal; send an anonymous reader to sign in, refuse anyone else."""
    audit.record(
        request,
        AccessEvent.REFUSED,
        meeting=document.item.meeting,
        item=document.item,
        what=what,
    )
    if not request.user.is_authenticated:
        raise _LoginRequired
    raise PermissionDenied(reason)


def _get_document(request, pk) -> Document:
    try:
        document = selectors.document_get(pk=pk)
    except Document.DoesNotExist as missing:
        raise Http404("No such document.") from missing
    if not access.can_see_document(request.user, document):
        # Someone who may see the meeting learns only that they may not see this; anyone
        # else learns nothing at all.
        if access.can_see_meeting(request.user, document.item.meeting) and not document.is_draft:
            _refuse(
                request,
                document,
                what=f"exempt document {document.pk}",
                reason="This document contains exempt information.",
            )
        raise Http404("No such document.")
    return document


def _record_exempt(request, document, event, version=None) -> None:
    if document.is_restricted or (version is not None and version.withheld):
        audit.record(
            request,
            event,
            meeting=document.item.meeting,
            item=document.item,
            what=f"exempt document {document.pk}",
        )


def _coordinator_document(request, pk) -> Document:
    """A document its committee's co-ordinator is changing; anyone else is refused."""
    try:
        document = _get_document(request, pk)
    except _LoginRequired as missing:
        raise PermissionDenied from missing
    if not access.can_edit_committee(request.user, document.item.meeting.committee):
        raise PermissionDenied("Only the committee's co-ordinators may change papers.")
    return document


class DocumentAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            self.document = _get_document(request, kwargs["pk"])
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def _original_withheld(user, document: Document, version) -> bool:
    """An exempt Office file cannot carry its reader's name: readers get its marked PDF
    version; the co-ordinators and its author get the original."""
    return (
        (document.is_restricted or version.withheld)
        and not access.can_edit_committee(user, document.item.meeting.committee)
        and version.created_by_id != user.pk
    )


def _emailing(names: list[str]) -> str:
    """What the page says of a notice: to whom it is going, or that no one has an address."""
    if not names:
        return "No e-mail was sent: nobody to tell has an e-mail address in Scrutiny."
    return f"An e-mail is on its way to {', '.join(names)}."


def _visible_versions(request, document: Document) -> list:
    """The document's versions this user may read, newest first."""
    return [
        version
        for version in selectors.document_versions(document=document)
        if access.can_see_version(request.user, version, document)
    ]


def _private_headers(response, document: Document, version=None):
    if document.is_restricted or document.is_draft or (version is not None and version.withheld):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


class DocumentDetailView(DocumentAccessMixin, TemplateView):
    """A covering report as an accessible page, or an uploaded file's details, with the
    document's versions."""

    template_name = "papers/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.document
        item = show_item(document.item, self.request.user)
        versions = _visible_versions(self.request, document)
        if not versions:
            raise Http404("No such document.")
        for each in versions:
            each.original_withheld = each.is_office and _original_withheld(
                self.request.user, document, each
            )
        # The current version, or for an author who may not read it, the latest of theirs.
        current = [v for v in versions if v.pk == document.current_version_id]
        version = current[0] if current else versions[0]
        self.version = version
        committee = item.meeting.committee
        can_edit = access.can_edit_committee(self.request.user, committee)
        context.update(
            document=document,
            item=item,
            item_number=_item_number(item),
            meeting=item.meeting,
            committee=committee,
            version=version,
            versions=versions,
            can_change_exemption=can_edit and not item.is_exempt,
            sections=numbered_sections(version.report) if version and version.report else [],
            background_papers=(version.report or {}).get("background_papers", [])
            if version
            else [],
            paper_columns=BACKGROUND_PAPER_COLUMNS,
            can_edit=can_edit,
        )
        return context

    def render_to_response(self, context, **kwargs):
        _record_exempt(self.request, self.document, AccessEvent.VIEWED, self.version)
        return _private_headers(
            super().render_to_response(context, **kwargs), self.document, self.version
        )


class DocumentDownloadView(DocumentAccessMixin, View):
    """The file as uploaded, or (as_pdf) an Office upload's PDF version."""

    as_pdf = False

    def get(self, request, pk, number=None):
        document = self.document
        version = document.current_version
        if number is not None:
            version = document.versions.filter(number=number).first()
        if version is None or not version.is_upload or not version.file:
            raise Http404("This version has no file to download.")
        if (
            not self.as_pdf
            and version.is_office
            and _original_withheld(request.user, document, version)
        ):
            raise PermissionDenied(
                "Exempt papers are read as a PDF that carries your name: use the PDF version."
            )
        if not access.can_see_version(request.user, version, document):
            try:
                _refuse(
                    request,
                    document,
                    what=f"version {version.number} of document {document.pk}",
                    reason="This version of the document is not public.",
                )
            except _LoginRequired:
                return redirect_to_login(request.get_full_path())
        _record_exempt(request, document, AccessEvent.DOWNLOADED, version)
        pdf_file = version.converted_pdf if self.as_pdf else None
        if self.as_pdf and not pdf_file:
            raise Http404("This document has no PDF version yet.")
        if version.format == DocumentFormat.PDF and not self.as_pdf:
            pdf_file = version.file
        if (document.is_restricted or version.withheld) and pdf_file:
            # Exempt PDFs leave marked with their reader's name, on every page.
            with pdf_file.open("rb") as handle:
                marked = watermark(
                    handle.read(),
                    watermark_text(user=request.user, paragraphs=[document.restricted_paragraph]),
                )
            response = HttpResponse(marked, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'inline; filename="document-{document.pk}-v{version.number}.pdf"'
            )
        elif self.as_pdf:
            response = FileResponse(
                pdf_file.open("rb"),
                filename=f"document-{document.pk}-v{version.number}.pdf",
                content_type="application/pdf",
            )
        else:
            response = FileResponse(
                version.file.open("rb"),
                as_attachment=version.format != DocumentFormat.PDF,
                filename=version.download_name(),
                content_type=CONTENT_TYPES[version.format],
            )
        return _private_headers(response, document, version)


# --- writing papers ----------------------------------------------------------------


class PaperTargetMixin(LoginOr403Mixin):
    """The item a paper is for, and who may add it: the committee's co-ordinators, or
    the officer a report request names (through /papers/requests/<pk>/...)."""

    def check_access(self):
        if "request_pk" in self.kwargs:
            try:
                self.report_request = selectors.request_get(pk=self.kwargs["request_pk"])
            except ReportRequest.DoesNotExist as missing:
                raise Http404("No such request.") from missing
            if not access.can_work_on_request(self.request.user, self.report_request):
                raise PermissionDenied("This request is for another officer.")
            if not self.report_request.is_outstanding:
                raise PermissionDenied("This request is not waiting for a report.")
            self.item = self.report_request.item
            self.existing = self.report_request.document
        else:
            self.report_request = None
            self.existing = None
            item = (
                AgendaItem.objects.select_related("meeting__committee")
                .filter(pk=self.kwargs["item_pk"])
                .exclude(section=AgendaSection.EXCLUSION)
                .first()
            )
            if item is None or not access.can_see_meeting(self.request.user, item.meeting):
                raise Http404("No such item.")
            if not access.can_edit_committee(self.request.user, item.meeting.committee):
                raise PermissionDenied("Only the committee's co-ordinators may add papers.")
            self.item = item
        # The writer sees the item in full, whatever its exemption (the policy says so).
        show_item(self.item, self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["item"] = self.item
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            item=self.item,
            item_number=_item_number(self.item),
            meeting=self.item.meeting,
            committee=self.item.meeting.committee,
            report_request=self.report_request,
        )
        return context

    def done(self, document: Document, message: str):
        if self.report_request is not None:
            submitted = services.report_request_submit(
                request=self.report_request, document=document
            )
            messages.success(self.request, f"{message} {_emailing(submitted.notified)}")
            return redirect(self.report_request.get_absolute_url())
        messages.success(self.request, message)
        return redirect(
            reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.item.meeting_id})
            + f"#item-{self.item.pk}"
        )


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
        return self.done(document, f"\u201c{document.title}\u201d uploaded.")


def _background_papers(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


class ReportWriteView(PaperTargetMixin, FormView):
    """Write a covering report in the council's template, or revise one."""

    template_name = "papers/report_form.html"
    form_class = CoveringReportForm

    def check_access(self):
        if "pk" in self.kwargs:  # revising an existing report as a co-ordinator
            self.document = _coordinator_document(self.request, self.kwargs["pk"])
            if not self.document.is_report:
                raise Http404("Only a covering report is edited in the browser.")
            self.report_request = None
            self.item = self.document.item
            self.existing = self.document
            show_item(self.item, self.request.user)
            return
        super().check_access()
        if self.existing is not None and not self.existing.is_report:
            raise PermissionDenied("This request's paper is an uploaded file: upload a new one.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["revising"] = self.existing is not None
        if self.existing is not None:
            kwargs.pop("item")
            kwargs["initial"] = CoveringReportForm.initial_from(
                self.existing.title,
                self.starting_version().report,
                # Saved over the current version (the co-ordinator sees what changed).
                self.existing.current_version.number,
            )
        return kwargs

    def starting_version(self):
        """The text the writer starts from: the latest version they may read (an officer
        reads only what they wrote; the co-ordinator's revisions stay theirs)."""
        versions = _visible_versions(self.request, self.existing)
        if not versions:
            raise PermissionDenied("This report's versions are not yours to read.")
        return versions[0]

    def get_formset(self):
        if self.request.method == "POST":
            # Bound without initial rows: a row is kept because it has text, not because
            # it differs from what was there before.
            return BackgroundPaperFormSet(self.request.POST, prefix="papers")
        initial = None
        if self.existing is not None:
            initial = self.starting_version().report.get("background_papers", [])
        return BackgroundPaperFormSet(initial=initial, prefix="papers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        context["existing"] = self.existing
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        content = form.content(_background_papers(formset))
        try:
            if self.existing is not None:
                document = services.report_revise(
                    document=self.existing,
                    content=content,
                    user=request.user,
                    change_note=form.cleaned_data["change_note"],
                    based_on=form.cleaned_data["based_on"] or 0,
                )
            else:
                document = services.report_write(
                    item=self.item,
                    title=form.cleaned_data["title"],
                    content=content,
                    user=request.user,
                    is_draft=self.report_request is not None,
                    **form.exemption(),
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        if self.existing is not None and self.report_request is None:
            messages.success(request, "A new version of the report is saved.")
            return redirect(document.get_absolute_url())
        return self.done(document, f"\u201c{document.title}\u201d saved.")


class DocumentReplaceView(LoginOr403Mixin, FormView):
    """A co-ordinator uploads a new version of a document."""

    template_name = "papers/upload_form.html"
    form_class = DocumentReplaceForm

    def check_access(self):
        self.document = _coordinator_document(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = show_item(self.document.item, self.request.user)
        context.update(
            item=item,
            item_number=_item_number(item),
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
        messages.success(
            self.request, f"A new version of \u201c{self.document.title}\u201d is saved."
        )
        return redirect(self.document.get_absolute_url())


class DocumentExemptionView(LoginOr403Mixin, FormView):
    """A co-ordinator marks a paper of a public item exempt, or public again."""

    template_name = "papers/exemption_form.html"
    form_class = DocumentExemptionForm

    def check_access(self):
        self.document = _coordinator_document(self.request, self.kwargs["pk"])
        if self.document.item.is_exempt:
            raise PermissionDenied("The papers of an exempt item are exempt with it.")

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
            document = services.document_exemption_set(document=self.document, **form.exemption())
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
        self.document = _coordinator_document(self.request, self.kwargs["pk"])

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
        self.document = _coordinator_document(self.request, self.kwargs["pk"])

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
            services.document_remove(document=self.document)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.document.get_absolute_url())
        messages.success(request, f"\u201c{self.document.title}\u201d removed.")
        return redirect(reverse("meetings:agenda_builder", kwargs={"meeting_pk": meeting_pk}))


# --- report requests -----------------------------------------------------------------


class ReportRequestCreateView(PaperTargetMixin, FormView):
    template_name = "papers/request_form.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("item")
        return kwargs

    def get_initial(self):
        return {"deadline": services.default_report_deadline(self.item)}

    def form_valid(self, form):
        try:
            created = services.report_request_create(
                item=self.item,
                officer=form.cleaned_data["officer"],
                requested_by=self.request.user,
                deadline=form.cleaned_data["deadline"],
                instructions=form.cleaned_data["instructions"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Report requested. {_emailing(created.notified)}")
        return redirect(
            reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.item.meeting_id})
            + f"#item-{self.item.pk}"
        )


class ReportRequestListView(LoginOr403Mixin, TemplateView):
    """The officer's task list: reports asked of them, overdue ones marked."""

    template_name = "papers/request_list.html"

    def check_access(self):
        pass  # everyone signed in sees their own requests, possibly none

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        requests = list(selectors.request_list_for_officer(user=self.request.user))
        for report_request in requests:
            report_request.overdue = report_request.is_overdue(today)
        context.update(
            outstanding=[r for r in requests if r.is_outstanding],
            submitted=[r for r in requests if r.status == ReportRequestStatus.SUBMITTED],
            accepted=[r for r in requests if r.status == ReportRequestStatus.ACCEPTED],
        )
        return context


class ReportRequestDetailView(LoginOr403Mixin, TemplateView):
    template_name = "papers/request_detail.html"

    def check_access(self):
        try:
            self.report_request = selectors.request_get(pk=self.kwargs["pk"])
        except ReportRequest.DoesNotExist as missing:
            raise Http404("No such request.") from missing
        committee = self.report_request.item.meeting.committee
        self.is_coordinator = access.can_edit_committee(self.request.user, committee)
        if not (
            self.is_coordinator
            or access.can_work_on_request(self.request.user, self.report_request)
        ):
            raise PermissionDenied("This request is for another officer.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report_request = self.report_request
        item = show_item(report_request.item, self.request.user)
        report_request.overdue = report_request.is_overdue()
        context.update(
            report_request=report_request,
            item=item,
            item_number=_item_number(item),
            meeting=item.meeting,
            committee=item.meeting.committee,
            is_coordinator=self.is_coordinator,
            is_officer=report_request.officer_id == self.request.user.pk,
            return_form=kwargs.get("return_form") or ReturnForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.is_coordinator:
            raise PermissionDenied("Only the committee's co-ordinators accept reports.")
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.report_request_accept(request=self.report_request)
                messages.success(request, "Report accepted: it is now on the agenda.")
            elif action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                returned = services.report_request_return(
                    request=self.report_request, comment=form.cleaned_data["comment"]
                )
                messages.success(
                    request, f"Report sent back to the officer. {_emailing(returned.notified)}"
                )
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.report_request.get_absolute_url())
