"""Reading papers: a document's page and its downloads, as the access policy allows."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from exempt.models import AccessEvent
from exempt.watermark import watermark, watermark_text
from meetings.selectors import show_item
from scrutiny import access
from scrutiny.conditional import conditional, etag_for

from ..models import DocumentFormat
from ..reports import BACKGROUND_PAPER_COLUMNS, numbered_sections
from .common import (
    CONTENT_TYPES,
    DocumentAccessMixin,
    LoginRequired,
    item_number,
    original_withheld,
    private_headers,
    record_exempt,
    refuse,
    visible_versions,
)


class DocumentDetailView(DocumentAccessMixin, TemplateView):
    """A covering report as an accessible page, or an uploaded file's details, with the
    document's versions."""

    template_name = "papers/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.document
        item = show_item(document.item, self.request.user)
        versions = visible_versions(self.request, document)
        if not versions:
            raise Http404("No such document.")
        for each in versions:
            each.original_withheld = each.is_office and original_withheld(
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
            item_number=item_number(item),
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
        record_exempt(self.request, self.document, AccessEvent.VIEWED, self.version)
        return private_headers(
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
        # Entitlement first: a refusal is logged, and only the entitled are sent to the PDF.
        if not access.can_see_version(request.user, version, document):
            try:
                refuse(
                    request,
                    document,
                    what=f"version {version.number} of document {document.pk}",
                    reason="This version of the document is not public.",
                )
            except LoginRequired:
                return redirect_to_login(request.get_full_path())
        if (
            not self.as_pdf
            and version.is_office
            and original_withheld(request.user, document, version)
        ):
            raise PermissionDenied(
                "Exempt papers are read as a PDF that carries your name: use the PDF version."
            )
        pdf_file = version.converted_pdf if self.as_pdf else None
        if self.as_pdf and not pdf_file:
            raise Http404("This document has no PDF version yet.")
        if version.format == DocumentFormat.PDF and not self.as_pdf:
            pdf_file = version.file
        if (document.is_restricted or version.withheld) and pdf_file:
            # Exempt PDFs leave marked with their reader's name, on every page.
            record_exempt(request, document, AccessEvent.DOWNLOADED, version)
            with pdf_file.open("rb") as handle:
                marked = watermark(
                    handle.read(),
                    watermark_text(user=request.user, paragraphs=[document.restricted_paragraph]),
                )
            response = HttpResponse(marked, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'inline; filename="document-{document.pk}-v{version.number}.pdf"'
            )
            return private_headers(response, document, version)
        if self.as_pdf:

            def respond():
                # Logged when the file is sent, not when the reader's copy is current.
                record_exempt(request, document, AccessEvent.DOWNLOADED, version)
                return FileResponse(
                    pdf_file.open("rb"),
                    filename=f"document-{document.pk}-v{version.number}.pdf",
                    content_type="application/pdf",
                )

            served, modified = pdf_file, None  # no record of when it was converted
        else:

            def respond():
                record_exempt(request, document, AccessEvent.DOWNLOADED, version)
                return FileResponse(
                    version.file.open("rb"),
                    as_attachment=version.format != DocumentFormat.PDF,
                    filename=version.download_name(),
                    content_type=CONTENT_TYPES[version.format],
                )

            served, modified = version.file, version.sanitised_at or version.created_at
        response = conditional(
            request,
            etag=etag_for("paper", version.pk, served.name, version.sha256),
            last_modified=modified,
            respond=respond,
        )
        return private_headers(response, document, version)
