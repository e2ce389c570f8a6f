"""The papers of an agenda item: uploaded documents, covering reports written in the
browser, their versions, and the requests that ask officers to write them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from meetings.law import ExemptParagraph
from meetings.models import AgendaItem
from scrutiny.storage import random_name


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    DOC = "doc", "Word 97-2003 document"
    RTF = "rtf", "Rich Text document"
    XLSX = "xlsx", "Excel spreadsheet"
    PPTX = "pptx", "PowerPoint presentation"
    REPORT = "report", "Covering report"


def version_upload_path(version: "DocumentVersion", filename: str) -> str:
    return random_name("papers", version.document.item.meeting_id, version.format)


def converted_pdf_path(version: "DocumentVersion", filename: str) -> str:
    return random_name("papers", version.document.item.meeting_id, "pdf")


OFFICE_FORMATS = ("docx", "doc", "rtf", "xlsx", "pptx")


class Document(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=1)
    is_report = models.BooleanField(
        default=False, help_text="A covering report written in the browser, not an upload."
    )
    is_exempt = models.BooleanField(
        default=False,
        help_text="An exempt document on a public item, such as an exempt appendix.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph.choices, null=True, blank=True
    )
    is_draft = models.BooleanField(
        default=False,
        help_text="Submitted by an officer and not yet accepted by the co-ordinator.",
    )
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["item", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_exempt=False) | models.Q(exempt_paragraph__isnull=False),
                name="document_exempt_names_its_paragraph",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("papers:document_detail", kwargs={"pk": self.pk})

    @property
    def is_restricted(self) -> bool:
        """Exempt in itself or because its item is exempt."""
        return self.is_exempt or self.item.is_exempt

    @property
    def restricted_paragraph(self) -> int | None:
        return self.exempt_paragraph or self.item.exempt_paragraph


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=DocumentFormat.choices)
    file = models.FileField(upload_to=version_upload_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Known for PDFs; Office files once converted."
    )
    sha256 = models.CharField(max_length=64, blank=True)
    report = models.JSONField(
        null=True, blank=True, help_text="The covering report's sections, for a report."
    )
    change_note = models.CharField(max_length=300, blank=True)
    converted_pdf = models.FileField(
        upload_to=converted_pdf_path,
        blank=True,
        max_length=200,
        help_text="An Office upload converted to PDF, for reading and for the agenda pack.",
    )
    conversion_error = models.TextField(blank=True)
    # Whether the PDF (the upload, or the one converted from an Office upload) carries
    # tags for screen readers; None until there is a PDF to check, and for versions
    # written in the browser, whose PDFs are always tagged.
    pdf_tagged = models.BooleanField(null=True, blank=True, editable=False)
    sanitised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the stored PDF (or the PDF converted from an Office file) was rebuilt "
        "without active content; empty for files stored before that was done.",
    )
    sanitised_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="What was removed from the PDF: scripts, forms, attached files.",
    )
    withheld = models.BooleanField(
        default=False,
        help_text="Not public, whatever its document is now: written while its document was "
        "exempt, or an earlier version when the document was made public. The co-ordinator "
        "releases such versions one by one.",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.document.title}, version {self.number}"

    @property
    def is_upload(self) -> bool:
        return self.format != DocumentFormat.REPORT

    @property
    def is_untagged_pdf(self) -> bool:
        """A PDF that screen readers cannot navigate: its author should be asked for an
        accessible version."""
        return self.pdf_tagged is False

    @property
    def is_office(self) -> bool:
        return self.format in OFFICE_FORMATS

    @property
    def awaiting_conversion(self) -> bool:
        return self.is_office and not self.converted_pdf and not self.conversion_error

    def download_name(self) -> str:
        """A file name that names the meeting and item number, never an exempt title."""
        return f"document-{self.document_id}-v{self.number}.{self.format}"


class ReportRequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Sent back"
    ACCEPTED = "accepted", "Accepted"


OUTSTANDING_REQUEST_STATUSES = (ReportRequestStatus.REQUESTED, ReportRequestStatus.RETURNED)


class ReportRequest(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="report_requests")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateField()
    instructions = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ReportRequestStatus.choices, default=ReportRequestStatus.REQUESTED
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    comment = models.TextField(blank=True, help_text="Why the report was sent back.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "officer"],
                condition=models.Q(status__in=["requested", "returned", "submitted"]),
                name="report_request_one_open_per_item_and_officer",
            ),
        ]

    def __str__(self):
        return f"Report for {self.item.title}"

    def get_absolute_url(self):
        return reverse("papers:request_detail", kwargs={"pk": self.pk})

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING_REQUEST_STATUSES

    @property
    def is_submitted(self) -> bool:
        """Submitted and waiting for the co-ordinator: the officer may still correct it."""
        return self.status == ReportRequestStatus.SUBMITTED

    @property
    def is_open(self) -> bool:
        """The officer may still send or change the report: until it is accepted."""
        return self.is_outstanding or self.is_submitted

    def is_overdue(self, today=None) -> bool:
        return self.is_outstanding and self.deadline < (today or timezone.localdate())
