"""Who else may read exempt papers (grants and the requests for them), and the record
of every time exempt material was read, downloaded or refused."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from scrutiny.models import Committee


class GrantQuerySet(models.QuerySet):
    def in_force(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            revoked_at__isnull=True, approved_at__isnull=False, expires_on__gte=today
        )


class Grant(models.Model):
    """Need-to-know access to exempt material beyond a committee's members: to one
    item, one meeting or a whole committee, for a reason, until a date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exempt_grants"
    )
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    reason = models.TextField()
    expires_on = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the grant take effect: the grantor, or a second person when the "
        "grant is to oneself or made by someone who does not co-ordinate the committee.",
    )
    approved_at = models.DateTimeField(
        null=True, blank=True, help_text="Blank while the grant waits for a second approval."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(committee__isnull=False, meeting__isnull=True, item__isnull=True)
                    | Q(committee__isnull=True, meeting__isnull=False, item__isnull=True)
                    | Q(committee__isnull=True, meeting__isnull=True, item__isnull=False)
                ),
                name="grant_has_exactly_one_scope",
            ),
        ]

    def __str__(self):
        return f"Grant to {self.user} until {self.expires_on}"

    @property
    def target_committee(self):
        """The committee whose exempt papers the grant opens (objects loaded)."""
        if self.item_id:
            return self.item.meeting.committee
        if self.meeting_id:
            return self.meeting.committee
        return self.committee

    @property
    def is_awaiting_approval(self) -> bool:
        return self.approved_at is None and self.revoked_at is None

    @property
    def scope_for_log(self) -> str:
        """What the grant opens, naming no title: the log names items when it is read,
        as the reader may see them (a title can become exempt later)."""
        if self.item_id:
            return "the item"
        return self.scope

    @property
    def scope(self) -> str:
        if self.item_id:
            return f"item \u201c{self.item.title}\u201d"
        if self.meeting_id:
            return f"the meeting of {timezone.localdate(self.meeting.starts_at):%-d %B %Y}"
        return f"the {self.committee.name}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class AccessRequest(models.Model):
    """A councillor's "need to know" request to read an exempt item."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exempt_requests"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="access_requests")
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item"],
                condition=Q(status="pending"),
                name="access_request_one_pending_per_person_and_item",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks for {self.item}"


class AccessEvent(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded"
    REFUSED = "refused", "Refused"
    GRANTED = "granted", "Access granted"
    REVOKED = "revoked", "Access revoked"
    REQUEST_REFUSED = "request_refused", "Request refused"
    GRANT_PROPOSED = "grant_proposed", "Grant proposed, awaiting a second approval"
    GRANT_REFUSED = "grant_refused", "Proposed grant refused"
    ENTITLEMENT = "entitlement", "Membership or co-ordinators changed"
    DATA_PREVIEWED = "data_previewed", "Performance data uploaded for preview"
    DATA_IMPORTED = "data_imported", "Performance data imported"
    DATA_CANCELLED = "data_cancelled", "Performance data upload cancelled"
    DATA_REVERTED = "data_reverted", "Performance data upload reverted"
    DATA_REFUSED = "data_refused", "Performance data upload refused"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    MINUTES_CONFIRMED = "minutes_confirmed", "Minutes confirmed as a correct record"
    BACKUP_EXPORTED = "backup_exported", "Backup of everything made"
    BACKUP_RESTORED = "backup_restored", "Backup restored"
    PAPERS_ARCHIVED = "papers_archived", "Papers archived after their inspection period"
    PAPERS_RESTORED = "papers_restored", "Archived papers restored"
    LEGAL_HOLD_PLACED = "legal_hold_placed", "Legal hold placed"
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Legal hold lifted"
    ITEM_ADDED_EXEMPT = "item_added_exempt", "Item added to the exempt part"
    ITEM_MADE_EXEMPT = "item_made_exempt", "Item made exempt"
    ITEM_MADE_PUBLIC = "item_made_public", "Item made public"
    ITEM_PARAGRAPH = "item_paragraph", "Item's exempt paragraph changed"
    PAPER_MADE_EXEMPT = "paper_made_exempt", "Paper made exempt"
    PAPER_MADE_PUBLIC = "paper_made_public", "Paper made public"
    PAPER_PARAGRAPH = "paper_paragraph", "Paper's exempt paragraph changed"
    VERSION_RELEASED = "version_released", "Withheld version of a paper made public"
    PAPER_REPLACED = "paper_replaced", "Paper replaced with a new version"
    PAPER_REMOVED = "paper_removed", "Paper removed"


class AccessLog(models.Model):
    """One reading, download or refusal of exempt material (or a grant decision)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the user goes.")
    event = models.CharField(max_length=20, choices=AccessEvent.choices)
    committee = models.ForeignKey(Committee, null=True, on_delete=models.SET_NULL, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, on_delete=models.SET_NULL, related_name="+")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=300, help_text="What was read: its public description.")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["item", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.event} {self.what}"
