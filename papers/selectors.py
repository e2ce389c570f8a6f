"""Reads of papers, with the access policy applied."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from scrutiny import access
from scrutiny.fragments import kept

from .models import Document, DocumentVersion, ReportRequest, ReportRequestStatus


def documents_prefetch() -> Prefetch:
    """Prefetch for an item queryset: its documents with their current versions."""
    return Prefetch(
        "documents",
        queryset=Document.objects.select_related("current_version").order_by("position", "pk"),
    )


def visible_documents(*, item, user) -> tuple[list[Document], list[Document]]:
    """The item's prefetched documents split into those this user may see and the
    published exempt ones withheld from them (listed by paragraph only, never by title).
    Archived papers are neither: the page says they were archived."""
    shown, withheld = [], []
    archived = not access.can_see_papers_of(user, item.meeting)
    for document in item.documents.all():
        if access.can_see_document(user, document):
            shown.append(document)
        elif not document.is_draft and document.is_restricted and not archived:
            withheld.append(document)
    return shown, withheld


def untagged_papers(items) -> list[Document]:
    """The papers shown on an agenda (`agenda_item_list`) that are PDFs screen readers
    cannot navigate, in agenda order."""
    return [
        document
        for item in items
        for document in getattr(item, "shown_documents", [])
        if document.current_version is not None and document.current_version.is_untagged_pdf
    ]


def document_get(*, pk: int) -> Document:
    return Document.objects.select_related(
        "item__meeting__committee", "current_version", "created_by"
    ).get(pk=pk)


def document_versions(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("created_by").order_by("-number")


def request_list_for_officer(*, user) -> list[ReportRequest]:
    """The reports asked of this officer, each with its item's title as they may read it."""
    requests = list(
        ReportRequest.objects.filter(officer=user)
        .select_related("item__meeting__committee", "document__current_version", "requested_by")
        .order_by("deadline", "pk")
    )
    for request in requests:
        request.item_title = access.item_title(user, request.item)
    return requests


def request_list_for_meeting(*, meeting, user) -> list[ReportRequest]:
    """Every request for the meeting's items, outstanding first, each knowing if overdue."""
    requests = list(
        ReportRequest.objects.filter(item__meeting=meeting)
        .select_related("item", "officer", "document")
        .order_by("deadline", "pk")
    )
    today = timezone.localdate()
    for request in requests:
        request.item.meeting = meeting
        request.item_title = access.item_title(user, request.item)
        request.overdue = request.is_overdue(today)
    requests.sort(key=lambda r: (not r.is_outstanding, r.deadline))
    return requests


def request_list_unfinished(*, meeting, user) -> list[ReportRequest]:
    """The meeting's report requests whose report is not on the agenda yet: asked for,
    sent back, or submitted and waiting to be accepted."""
    return [
        request
        for request in request_list_for_meeting(meeting=meeting, user=user)
        if request.status != ReportRequestStatus.ACCEPTED
    ]


def request_get(*, pk: int) -> ReportRequest:
    return ReportRequest.objects.select_related(
        "item__meeting__committee", "officer", "requested_by", "document__current_version"
    ).get(pk=pk)


def agenda_changes(*, meeting, items, user) -> list[dict]:
    """What was added or replaced after publication, newest first, from the items as
    the user may see them (`agenda_item_list`): supplementary items and the versions of
    the documents shown."""
    if not meeting.published_at:
        return []
    changes = []
    shown_docs = {}
    for item in items:
        if item.is_supplementary:
            changes.append({"when": item.added_at, "what": "Item added", "item": item})
        for document in getattr(item, "shown_documents", []):
            shown_docs[document.pk] = (item, document)
    if shown_docs:
        # Every paper's changes, kept for every reader alike; this reader's shown alone.
        versions = kept(
            "agenda-changes",
            meeting.pk,
            load=lambda: list(
                DocumentVersion.objects.filter(
                    document__item__meeting=meeting, created_at__gt=meeting.published_at
                ).order_by("-created_at")
            ),
        )
        for version in versions:
            if version.document_id not in shown_docs:
                continue
            item, document = shown_docs[version.document_id]
            if not access.can_see_version(user, version, document):
                continue  # its change note is as private as the version
            what = "Document added" if version.number == 1 else f"Version {version.number}"
            changes.append(
                {
                    "when": version.created_at,
                    "what": what,
                    "item": item,
                    "document": document,
                    "note": version.change_note,
                }
            )
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes
