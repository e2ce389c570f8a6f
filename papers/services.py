"""Writes for papers: validate, then save, in one transaction."""

import datetime
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exempt.models import AccessEvent
from meetings.law import working_days_before
from meetings.models import AgendaItem, ItemKind, Meeting
from meetings.services import agenda_changed
from scrutiny.notices import notice_send_to_users, person_name
from scrutiny.templatetags.council import council_date

from .files import Inspection, inspect_upload, sanitise_upload_pdf
from .models import (
    OUTSTANDING_REQUEST_STATUSES,
    Document,
    DocumentFormat,
    DocumentVersion,
    ReportRequest,
    ReportRequestStatus,
)
from .reports import clean_report_content
from .sanitise import PdfLocked, PdfUnreadable, removed_note, sanitise_pdf

logger = logging.getLogger(__name__)

# Officers are asked for reports ten working days before the meeting unless the
# co-ordinator sets another deadline: time for checking before the five clear days.
REPORT_DEADLINE_WORKING_DAYS = 10


def _check_exemption(item: AgendaItem, is_exempt: bool, exempt_paragraph: int | None) -> None:
    if item.kind == ItemKind.EXCLUSION:
        raise ValidationError("Papers belong to the items of business, not the exclusion item.")
    if is_exempt and not item.is_exempt and not exempt_paragraph:
        raise ValidationError({"exempt_paragraph": "Select a Schedule 12A paragraph"})


def _next_position(item: AgendaItem) -> int:
    top = item.documents.aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _action_record(*, by, event: str, document: Document, what: str) -> None:
    """A privileged change to a paper, in the exempt access log of its committee. The
    paper is named by number, never by title (a title can be exempt, or become so), and
    its item as the log's reader may see it."""
    from exempt.services import action_record

    item = document.item
    action_record(
        by=by,
        event=event,
        committee=item.meeting.committee,
        meeting=item.meeting,
        item=item,
        what=f"{what}, of the item",
    )


def _add_version(*, document: Document, user, change_note: str = "", **fields) -> DocumentVersion:
    # Lock the document so two replacements cannot take the same version number, and
    # read its exemption as it is now: an item made exempt while this upload ran must
    # withhold this version too.
    stored = Document.objects.select_for_update().select_related("item").get(pk=document.pk)
    document.is_exempt, document.item = stored.is_exempt, stored.item
    top = document.versions.aggregate(top=Max("number"))["top"] or 0
    version = DocumentVersion(
        document=document,
        number=top + 1,
        created_by=user,
        change_note=change_note,
        # A version written while its document is exempt never becomes public by itself.
        withheld=document.is_restricted,
        **fields,
    )
    version.full_clean(exclude=["file"])
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version"])
    return version


def _save_upload(
    *,
    document: Document,
    uploaded_file,
    user,
    change_note: str = "",
    inspection: Inspection | None = None,
):
    # What is stored is what was checked: a PDF as the sanitiser rebuilt it.
    inspection = inspection or inspect_upload(uploaded_file)
    version = _add_version(
        document=document,
        user=user,
        change_note=change_note,
        format=inspection.format,
        original_name=uploaded_file.name[-255:],
        size=inspection.size,
        sha256=inspection.sha256,
        page_count=inspection.page_count,
        sanitised_at=timezone.now(),
        sanitised_note=inspection.sanitised_note,
        pdf_tagged=inspection.tagged,
    )
    version.file.save(version.download_name(), ContentFile(inspection.content), save=True)
    if version.is_office:
        from scrutiny.queue import enqueue_on_commit

        from .tasks import convert_document_version

        enqueue_on_commit(convert_document_version, version.pk)
    return version


def _new_document(
    *, item, title, user, is_exempt, exempt_paragraph, is_report, is_draft, exempt_in_itself=False
):
    _check_exemption(item, is_exempt, exempt_paragraph)
    # A paper of an exempt item is exempt with it, and public if the item is made public;
    # one exempt in itself (a report of confidential figures) stays exempt either way.
    own_exemption = is_exempt and (exempt_in_itself or not item.is_exempt)
    if own_exemption and not exempt_paragraph:
        raise ValidationError({"exempt_paragraph": "Select a Schedule 12A paragraph"})
    document = Document(
        item=item,
        title=title.strip(),
        position=_next_position(item),
        is_report=is_report,
        is_exempt=bool(own_exemption),
        exempt_paragraph=exempt_paragraph if own_exemption else None,
        is_draft=is_draft,
        created_by=user,
    )
    if not document.title:
        raise ValidationError({"title": "Enter the document's title"})
    document.full_clean(exclude=["current_version"])
    document.save()
    return document


@transaction.atomic
def document_upload(
    *,
    item: AgendaItem,
    title: str,
    uploaded_file,
    user,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    is_draft: bool = False,
    exempt_in_itself: bool = False,
    change_note: str = "",
) -> Document:
    """Attach an uploaded file to an item as version 1 of a new document. With
    `exempt_in_itself`, an exempt paper stays exempt if its item is made public."""
    inspection = inspect_upload(uploaded_file)  # refuse a bad file before anything is written
    document = _new_document(
        item=item,
        title=title,
        user=user,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph,
        is_report=False,
        is_draft=is_draft,
        exempt_in_itself=exempt_in_itself,
    )
    _save_upload(
        document=document,
        uploaded_file=uploaded_file,
        user=user,
        change_note=change_note,
        inspection=inspection,
    )
    if not is_draft:
        agenda_changed(item.meeting, additive=True)
    return document


@transaction.atomic
def document_replace(*, document: Document, uploaded_file, user, change_note: str) -> Document:
    """A new version of an uploaded document; earlier versions stay downloadable."""
    if document.is_report:
        raise ValidationError("A covering report is revised in its form, not replaced by a file.")
    if not change_note.strip():
        raise ValidationError({"change_note": "Enter what has changed in this version"})
    version = _save_upload(
        document=document, uploaded_file=uploaded_file, user=user, change_note=change_note.strip()
    )
    _action_record(
        by=user,
        event=AccessEvent.PAPER_REPLACED,
        document=document,
        what=f"Paper {document.pk} replaced with version {version.number}",
    )
    if not document.is_draft:
        agenda_changed(document.item.meeting)
    return document


@transaction.atomic
def report_write(
    *,
    item: AgendaItem,
    title: str,
    content: dict,
    user,
    is_exempt: bool = False,
    exempt_paragraph: int | None = None,
    is_draft: bool = False,
) -> Document:
    """A covering report written in the council's template, as version 1."""
    content = clean_report_content(content)
    document = _new_document(
        item=item,
        title=title,
        user=user,
        is_exempt=is_exempt,
        exempt_paragraph=exempt_paragraph,
        is_report=True,
        is_draft=is_draft,
    )
    _add_version(document=document, user=user, format=DocumentFormat.REPORT, report=content)
    if not is_draft:
        agenda_changed(item.meeting, additive=True)
    return document


@transaction.atomic
def report_revise(
    *, document: Document, content: dict, user, change_note: str, based_on: int
) -> Document:
    """A new version of a covering report. `based_on` is the version the writer started
    from: if someone else has saved since, the revision is refused, never overwritten."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_report:
        raise ValidationError("Only a covering report is revised in the browser.")
    current = document.current_version.number if document.current_version else 0
    if based_on != current:
        raise ValidationError(
            f"Someone else saved version {current} of this report while you were editing "
            f"version {based_on}. Your changes have not been saved: open the report again, "
            "then make your changes to the latest version."
        )
    content = clean_report_content(content)
    if document.current_version and document.current_version.report == content:
        raise ValidationError("Nothing has changed since the last version.")
    version = _add_version(
        document=document,
        user=user,
        change_note=change_note.strip(),
        format=DocumentFormat.REPORT,
        report=content,
    )
    if not document.is_draft:
        # A report on the agenda changed: as privileged as replacing an uploaded paper.
        _action_record(
            by=user,
            event=AccessEvent.PAPER_REPLACED,
            document=document,
            what=f"Paper {document.pk} revised as version {version.number}",
        )
        agenda_changed(document.item.meeting)
    return document


@transaction.atomic
def document_remove(*, document: Document, by=None) -> None:
    """Remove a paper from a draft agenda. A published paper keeps its history: replace it."""
    # The meeting's state as it is now, locked: not as the caller last read it.
    meeting = Meeting.objects.select_for_update().get(pk=document.item.meeting_id)
    if meeting.is_public and not document.is_draft:
        raise ValidationError(
            "This document was published with the agenda. Upload a new version instead, "
            "so that readers can see what changed."
        )
    document.requests.update(
        document=None, status=ReportRequestStatus.REQUESTED, updated_at=timezone.now()
    )
    versions = document.versions.count()
    _action_record(
        by=by,
        event=AccessEvent.PAPER_REMOVED,
        document=document,
        what=f"Paper {document.pk} removed, with its {versions} "
        f"version{'' if versions == 1 else 's'}",
    )
    document.delete()
    agenda_changed(meeting)


# --- exemption of papers and their versions ------------------------------------------


def versions_follow_exemption(*, document: Document, was_restricted: bool) -> None:
    """Keep the versions' rule after a change of exemption (of the document or its item):
    a version is public only if its document was public while it was current and is
    public now. Made exempt: every version is withheld. Made public: the current
    version is public from now on; earlier ones stay withheld until released."""
    if document.is_restricted:
        document.versions.update(withheld=True)
    elif was_restricted and document.current_version_id:
        document.versions.filter(pk=document.current_version_id).update(withheld=False)


def item_exemption_changed(*, item: AgendaItem, was_exempt: bool) -> None:
    """An item moved into or out of the exempt part: its papers' versions follow."""
    for document in item.documents.select_related("item"):
        versions_follow_exemption(
            document=document, was_restricted=was_exempt or document.is_exempt
        )


@transaction.atomic
def document_exemption_set(
    *,
    document: Document,
    is_exempt: bool,
    exempt_paragraph: int | None = None,
    in_itself: bool = False,
    by=None,
) -> Document:
    """Mark a paper of a public item exempt (an exempt appendix), or public again. The
    public packs are withdrawn at once when a published paper becomes exempt. With
    `in_itself`, a paper of an exempt item is made exempt in itself, to stay exempt if
    its item is made public (a report of confidential figures)."""
    document = (
        Document.objects.select_for_update().select_related("item__meeting").get(pk=document.pk)
    )
    if document.item.is_exempt and not (in_itself and is_exempt):
        raise ValidationError(
            "While its item is exempt, a paper is exempt with it: change the paper's own "
            "exemption once the item is public."
        )
    if is_exempt and not exempt_paragraph:
        raise ValidationError({"exempt_paragraph": "Select a Schedule 12A paragraph"})
    was_restricted = document.is_restricted
    was = (document.is_exempt, document.exempt_paragraph)
    document.is_exempt = bool(is_exempt)
    document.exempt_paragraph = exempt_paragraph if is_exempt else None
    document.full_clean(exclude=["current_version"])
    document.save(update_fields=["is_exempt", "exempt_paragraph"])
    if was != (document.is_exempt, document.exempt_paragraph):
        _exemption_record(by=by, document=document, was_paragraph=was[1])
    versions_follow_exemption(document=document, was_restricted=was_restricted)
    if not document.is_draft and was_restricted != document.is_restricted:
        agenda_changed(document.item.meeting, additive=not document.is_restricted)
    return document


def _exemption_record(*, by, document: Document, was_paragraph: int | None) -> None:
    paper, paragraph = document.pk, document.exempt_paragraph
    if was_paragraph and paragraph:
        event = AccessEvent.PAPER_PARAGRAPH
        what = f"Paper {paper}: exempt paragraph {was_paragraph} \u2192 {paragraph}"
    elif paragraph:
        event = AccessEvent.PAPER_MADE_EXEMPT
        was = "exempt with its item" if document.item.is_exempt else "public"
        what = f"Paper {paper}: {was} \u2192 exempt in itself under paragraph {paragraph}"
    else:
        event = AccessEvent.PAPER_MADE_PUBLIC
        what = (
            f"Paper {paper}: exempt under paragraph {was_paragraph} \u2192 public (current version)"
        )
    _action_record(by=by, event=event, document=document, what=what)


@transaction.atomic
def document_version_release(*, version: DocumentVersion, released_by) -> DocumentVersion:
    """Make one withheld version of a public document public, by the co-ordinator's
    decision (say, an earlier version that never carried exempt information)."""
    version = (
        DocumentVersion.objects.select_for_update()
        .select_related("document__item")
        .get(pk=version.pk)
    )
    if version.document.is_restricted:
        raise ValidationError("This document is exempt: its versions cannot be made public.")
    if not version.withheld:
        raise ValidationError("This version is public already.")
    version.withheld = False
    version.released_at = timezone.now()
    version.released_by = released_by
    version.save(update_fields=["withheld", "released_at", "released_by"])
    _action_record(
        by=released_by,
        event=AccessEvent.VERSION_RELEASED,
        document=version.document,
        what=f"Version {version.number} of paper {version.document.pk} released to the public",
    )
    return version


# --- report requests ------------------------------------------------------------


def default_report_deadline(item: AgendaItem) -> datetime.date:
    meeting_day = timezone.localdate(item.meeting.starts_at)
    return working_days_before(meeting_day, REPORT_DEADLINE_WORKING_DAYS)


@transaction.atomic
def report_request_create(
    *,
    item: AgendaItem,
    officer,
    requested_by,
    deadline: datetime.date | None = None,
    instructions: str = "",
) -> ReportRequest:
    from scrutiny.access import Role, has_role

    if item.kind == ItemKind.EXCLUSION:
        raise ValidationError("Reports are asked for items of business.")
    if not has_role(officer, Role.OFFICER):
        raise ValidationError({"officer": "Select an officer with a Scrutiny login"})
    if item.report_requests.filter(
        officer=officer, status__in=[*OUTSTANDING_REQUEST_STATUSES, ReportRequestStatus.SUBMITTED]
    ).exists():
        raise ValidationError({"officer": "This officer has already been asked for this report"})
    deadline = deadline or default_report_deadline(item)
    if deadline >= timezone.localdate(item.meeting.starts_at):
        raise ValidationError({"deadline": "The deadline must be before the meeting"})
    request = ReportRequest(
        item=item,
        officer=officer,
        requested_by=requested_by,
        deadline=deadline,
        instructions=instructions.strip(),
    )
    request.full_clean()
    try:
        with transaction.atomic():  # the same request made at the same moment: one wins
            request.save()
    except IntegrityError as taken:
        raise ValidationError(
            {"officer": "This officer has already been asked for this report"}
        ) from taken
    meeting = item.meeting
    request.notified = _notify_about(
        request,
        recipients=[officer],
        subject=f"Report requested: {item.title}",
        body=f"{_person_name(requested_by)} asks you to write the report for "
        f"\u201c{item.title}\u201d at the {meeting.committee.name} meeting on "
        f"{council_date(meeting.starts_at)}, by {council_date(deadline)}."
        + (f"\n\n{request.instructions}" if request.instructions else ""),
    )
    return request


def _person_name(user) -> str:
    return "The committee's co-ordinator" if user is None else person_name(user)


def _notify_about(request: ReportRequest, *, recipients, subject: str, body: str) -> list:
    """E-mail a notice about a report request (sent once the change commits); returns
    who it goes to, for the page to say. Items are named by their public title."""
    return notice_send_to_users(
        users=recipients,
        subject=subject,
        body=body,
        link_path=request.get_absolute_url(),
        link_text="The report request",
    )


def _lock_request(request: ReportRequest) -> ReportRequest:
    return ReportRequest.objects.select_for_update().select_related("item").get(pk=request.pk)


@transaction.atomic
def report_request_submit(*, request: ReportRequest, document: Document) -> ReportRequest:
    """The officer's paper is in: it waits, as a draft, for the co-ordinator."""
    request = _lock_request(request)
    if request.status not in OUTSTANDING_REQUEST_STATUSES:
        raise ValidationError("This request is not waiting for a report.")
    if document.item_id != request.item_id:
        raise ValidationError("The document belongs to another item.")
    request.document = document
    request.status = ReportRequestStatus.SUBMITTED
    request.updated_at = timezone.now()
    request.save(update_fields=["document", "status", "updated_at"])
    item = request.item
    request.notified = _notify_about(
        request,
        recipients=list(item.meeting.committee.coordinators.filter(is_active=True)),
        subject=f"Report submitted: {item.title}",
        body=f"{_person_name(request.officer)} has submitted the report for "
        f"\u201c{item.title}\u201d. Accept it onto the agenda or send it back.",
    )
    return request


@transaction.atomic
def report_request_correct(
    *,
    request: ReportRequest,
    user,
    change_note: str,
    content: dict | None = None,
    based_on: int = 0,
    uploaded_file=None,
) -> ReportRequest:
    """The officer corrects the report they submitted while it waits to be accepted: a
    new version of the same paper (`content` for a covering report, `uploaded_file` for
    an upload), and the co-ordinators are told. Once accepted, the paper is the
    co-ordinator's to change."""
    # The request is locked first, as accepting it locks it: a correction and an
    # acceptance at the same moment happen one after the other, never half each.
    request = _lock_request(request)
    if request.status == ReportRequestStatus.ACCEPTED:
        raise ValidationError(
            "This report has been accepted onto the agenda: ask the committee's co-ordinator "
            "to change it."
        )
    if request.status != ReportRequestStatus.SUBMITTED or request.document is None:
        raise ValidationError("Only a submitted report can be corrected.")
    if user is None or user.pk != request.officer_id:
        raise ValidationError("Only the officer asked for the report corrects it.")
    document = request.document
    if document.is_report:
        if content is None:
            raise ValidationError("A covering report is corrected in its form.")
        report_revise(
            document=document,
            content=content,
            user=user,
            change_note=change_note,
            based_on=based_on,
        )
    else:
        if uploaded_file is None:
            raise ValidationError({"file": "Select the corrected file"})
        document_replace(
            document=document, uploaded_file=uploaded_file, user=user, change_note=change_note
        )
    request.updated_at = timezone.now()
    request.save(update_fields=["updated_at"])
    item = request.item
    request.notified = _notify_about(
        request,
        recipients=list(item.meeting.committee.coordinators.filter(is_active=True)),
        subject=f"Report corrected: {item.title}",
        body=f"{_person_name(user)} has corrected the report for \u201c{item.title}\u201d "
        "that is waiting for you. Accept it onto the agenda or send it back.",
    )
    return request


@transaction.atomic
def report_request_accept(*, request: ReportRequest, version: int) -> ReportRequest:
    """Accepting puts the paper on the agenda: it is no longer a draft. `version` is the
    version the co-ordinator read: if the officer has corrected the report since, the
    acceptance is refused, so that nothing goes on the agenda unread."""
    request = _lock_request(request)
    if request.status != ReportRequestStatus.SUBMITTED or request.document is None:
        raise ValidationError("Only a submitted report can be accepted.")
    # The officer's corrections lock the request too: the version read here is final.
    current = (
        DocumentVersion.objects.filter(pk=request.document.current_version_id)
        .values_list("number", flat=True)
        .first()
    )
    if current != version:
        read = f" (you read version {version})" if version else ""
        raise ValidationError(
            f"The officer saved version {current} of the report after you opened it{read}. "
            f"Nothing has been accepted: read version {current}, then accept it or send "
            "it back."
        )
    Document.objects.filter(pk=request.document_id).update(is_draft=False)
    agenda_changed(request.item.meeting, additive=True)
    request.status = ReportRequestStatus.ACCEPTED
    request.comment = ""
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "comment", "updated_at"])
    return request


@transaction.atomic
def report_request_return(*, request: ReportRequest, comment: str) -> ReportRequest:
    """Send the report back to the officer with what needs changing."""
    request = _lock_request(request)
    if request.status != ReportRequestStatus.SUBMITTED:
        raise ValidationError("Only a submitted report can be sent back.")
    if not comment.strip():
        raise ValidationError({"comment": "Enter what the officer needs to change"})
    request.status = ReportRequestStatus.RETURNED
    request.comment = comment.strip()
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "comment", "updated_at"])
    request.notified = _notify_about(
        request,
        recipients=[request.officer],
        subject=f"Your report was sent back: {request.item.title}",
        body=f"The report for \u201c{request.item.title}\u201d needs changes before it goes on "
        f"the agenda:\n\n{request.comment}",
    )
    return request


# --- Office documents ------------------------------------------------------------


def document_version_convert(*, version_id: int) -> bool:
    """Convert an Office upload to PDF once, recording a failure with its reason.
    Returns whether a PDF was made."""
    from .conversion import ConversionError, convert_to_pdf

    version = DocumentVersion.objects.select_related("document__item__meeting").get(pk=version_id)
    if not version.is_office or version.converted_pdf:
        return False
    try:
        with version.file.open("rb") as handle:
            pdf = convert_to_pdf(handle.read(), version.format)
        # The PDF goes into the packs: it is rebuilt like an uploaded one (LibreOffice
        # turns a document's form controls into PDF form fields, for one).
        try:
            sanitised = sanitise_pdf(pdf)
        except (PdfLocked, PdfUnreadable) as error:
            raise ConversionError("The PDF that LibreOffice made could not be read.") from error
    except ConversionError as error:
        logger.warning("Document version %s could not be converted to PDF: %s", version.pk, error)
        DocumentVersion.objects.filter(pk=version.pk).update(
            conversion_error=f"\u201c{version.document.title}\u201d could not be converted to "
            f"PDF: {error}"
        )
        return False
    version.converted_pdf.save("converted.pdf", ContentFile(sanitised.pdf), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(
        converted_pdf=version.converted_pdf.name,
        page_count=sanitised.page_count,
        conversion_error="",
        sanitised_note=removed_note(sanitised.removed),
        pdf_tagged=sanitised.tagged,
    )
    if not version.document.is_draft:
        # The PDF version of an Office paper joins the packs: nothing public is replaced.
        agenda_changed(version.document.item.meeting, additive=True)
    return True


@transaction.atomic
def document_version_sanitise(*, version_id: int) -> tuple[str, ...] | None:
    """Rebuild the PDF of a version stored before PDFs were sanitised: the upload itself,
    or the PDF converted from an Office upload. Returns what was removed, or None when
    the version has no PDF to rebuild or was rebuilt already. Raises ValidationError
    when the stored PDF cannot be read; the version is then left as it is."""
    version = (
        DocumentVersion.objects.select_for_update()
        .select_related("document__item__meeting")
        .get(pk=version_id)
    )
    if version.sanitised_at is not None or not version.is_upload:
        return None
    field = "file" if version.format == DocumentFormat.PDF else "converted_pdf"
    stored = getattr(version, field)
    updates = {"sanitised_at": timezone.now()}
    if not stored:  # an Office file not yet converted: its PDF is rebuilt when it is
        DocumentVersion.objects.filter(pk=version.pk).update(**updates)
        return None
    with stored.open("rb") as handle:
        sanitised = sanitise_upload_pdf(handle.read())
    old_name = stored.name
    name = version.download_name() if field == "file" else "converted.pdf"
    stored.save(name, ContentFile(sanitised.pdf), save=False)
    updates |= {
        field: stored.name,
        "page_count": sanitised.page_count,
        "sanitised_note": removed_note(sanitised.removed),
        "pdf_tagged": sanitised.tagged,
    }
    if field == "file":
        updates |= {"size": len(sanitised.pdf), "sha256": hashlib.sha256(sanitised.pdf).hexdigest()}
    DocumentVersion.objects.filter(pk=version.pk).update(**updates)
    storage = stored.storage
    transaction.on_commit(lambda: storage.delete(old_name))
    document = version.document
    if sanitised.removed and not document.is_draft and document.current_version_id == version.pk:
        # The packs were made from the old file: stop serving them until they are rebuilt.
        agenda_changed(document.item.meeting)
    return sanitised.removed
