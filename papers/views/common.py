"""What the papers pages share: finding a document as its reader may see it, refusing
and logging, and who may add a paper to an item."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from exempt import audit
from exempt.models import AccessEvent
from meetings.models import AgendaItem, AgendaSection
from meetings.selectors import number_agenda, show_item
from scrutiny import access
from scrutiny.notices import emailing
from scrutiny.viewing import LoginOr403Mixin, PapersArchived, papers_archived_response

from .. import selectors, services
from ..models import Document, DocumentFormat, ReportRequest

OOXML = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: f"{OOXML}.wordprocessingml.document",
    DocumentFormat.DOC: "application/msword",
    DocumentFormat.RTF: "application/rtf",
    DocumentFormat.XLSX: f"{OOXML}.spreadsheetml.sheet",
    DocumentFormat.PPTX: f"{OOXML}.presentationml.presentation",
}


class LoginRequired(Exception):
    pass


def item_number(item: AgendaItem) -> str:
    items = number_agenda(list(item.meeting.items.order_by("section", "position")))
    return next(i.number for i in items if i.pk == item.pk)


def refuse(request, document: Document, *, what: str, reason: str):
    """Log the refusal; send an anonymous reader to sign in, refuse anyone else."""
    audit.record(
        request,
        AccessEvent.REFUSED,
        meeting=document.item.meeting,
        item=document.item,
        what=what,
    )
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied(reason)


def get_document(request, pk) -> Document:
    try:
        document = selectors.document_get(pk=pk)
    except Document.DoesNotExist as missing:
        raise Http404("No such document.") from missing
    meeting = document.item.meeting
    if (
        not access.can_see_papers_of(request.user, meeting)
        and access.can_see_meeting(request.user, meeting)
        and not document.is_draft
    ):
        if document.is_restricted:  # a refusal of exempt material, archived or not
            audit.record(
                request,
                AccessEvent.REFUSED,
                meeting=meeting,
                item=document.item,
                what=f"exempt document {document.pk}",
            )
        raise PapersArchived(meeting)
    if not access.can_see_document(request.user, document):
        # Someone who may see the meeting learns only that they may not see this; anyone
        # else learns nothing at all.
        if access.can_see_meeting(request.user, document.item.meeting) and not document.is_draft:
            refuse(
                request,
                document,
                what=f"exempt document {document.pk}",
                reason="This document contains exempt information.",
            )
        raise Http404("No such document.")
    return document


def record_exempt(request, document, event, version=None) -> None:
    if document.is_restricted or (version is not None and version.withheld):
        audit.record(
            request,
            event,
            meeting=document.item.meeting,
            item=document.item,
            what=f"exempt document {document.pk}",
        )


def coordinator_document(request, pk) -> Document:
    """A document its committee's co-ordinator is changing; anyone else is refused."""
    try:
        document = get_document(request, pk)
    except (LoginRequired, PapersArchived) as refused:
        raise PermissionDenied from refused
    if not access.can_edit_committee(request.user, document.item.meeting.committee):
        raise PermissionDenied("Only the committee's co-ordinators may change papers.")
    return document


class DocumentAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            self.document = get_document(request, kwargs["pk"])
        except LoginRequired:
            return redirect_to_login(request.get_full_path())
        except PapersArchived as archived:
            return papers_archived_response(request, archived.meeting)
        return super().dispatch(request, *args, **kwargs)


def original_withheld(user, document: Document, version) -> bool:
    """An exempt Office file cannot carry its reader's name: readers get its marked PDF
    version; the co-ordinators and its author get the original."""
    return (
        (document.is_restricted or version.withheld)
        and not access.can_edit_committee(user, document.item.meeting.committee)
        and version.created_by_id != user.pk
    )


def visible_versions(request, document: Document) -> list:
    """The document's versions this user may read, newest first."""
    return [
        version
        for version in selectors.document_versions(document=document)
        if access.can_see_version(request.user, version, document)
    ]


def private_headers(response, document: Document, version=None):
    if document.is_restricted or document.is_draft or (version is not None and version.withheld):
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


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
            if not self.report_request.is_open:
                raise PermissionDenied(
                    "This report has been accepted: ask the committee's co-ordinator to change it."
                )
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
            item_number=item_number(self.item),
            meeting=self.item.meeting,
            committee=self.item.meeting.committee,
            report_request=self.report_request,
        )
        return context

    @property
    def correcting(self) -> bool:
        """The officer is correcting the report they submitted, before it is accepted."""
        return self.report_request is not None and self.report_request.is_submitted

    def corrected(self, report_request: ReportRequest):
        messages.success(
            self.request, f"Your corrected report is saved. {emailing(report_request.notified)}"
        )
        return redirect(report_request.get_absolute_url())

    def done(self, document: Document, message: str):
        if self.report_request is not None:
            submitted = services.report_request_submit(
                request=self.report_request, document=document
            )
            messages.success(self.request, f"{message} {emailing(submitted.notified)}")
            return redirect(self.report_request.get_absolute_url())
        messages.success(self.request, message)
        return redirect(
            reverse("meetings:agenda_builder", kwargs={"meeting_pk": self.item.meeting_id})
            + f"#item-{self.item.pk}"
        )
