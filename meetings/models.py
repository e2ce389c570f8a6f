"""Meetings of committees. Agendas, documents and minutes hang off these."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from scrutiny.models import Committee

from .law import ExemptParagraph, inspection_ends, latest_publication_date


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_DRAFT = "minutes_draft", "Minutes in draft"
    MINUTES_CONFIRMED = "minutes_confirmed", "Minutes confirmed"
    CANCELLED = "cancelled", "Cancelled"


# States in which the public may see the meeting (its agenda has been published).
PUBLIC_STATUSES = (
    MeetingStatus.AGENDA_PUBLISHED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_DRAFT,
    MeetingStatus.MINUTES_CONFIRMED,
    MeetingStatus.CANCELLED,
)


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("date and start time")
    venue = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agenda was published."
    )
    late_publication_reason = models.TextField(
        blank=True,
        help_text="The chair's reason for taking the agenda with less than five clear days' "
        "notice. Shown on the agenda and carried into the minutes.",
    )
    # Retention: once the statutory inspection period has ended, a co-ordinator may
    # archive the papers (kept, and readable by co-ordinators only); a legal hold keeps
    # them open and stops that. Nothing is ever deleted.
    papers_archived_at = models.DateTimeField(null=True, blank=True)
    papers_archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "starts_at"], name="meeting_unique_per_committee_and_time"
            ),
            models.CheckConstraint(
                condition=models.Q(status=MeetingStatus.DRAFT)
                | models.Q(published_at__isnull=False),
                name="meeting_published_has_publication_time",
            ),
            models.CheckConstraint(
                condition=models.Q(papers_archived_at__isnull=True)
                | models.Q(legal_hold_at__isnull=True),
                name="meeting_held_papers_are_not_archived",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.committee.name}, {local.day} {local:%B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.status == MeetingStatus.DRAFT

    @property
    def papers_archived(self) -> bool:
        return self.papers_archived_at is not None

    @property
    def on_legal_hold(self) -> bool:
        return self.legal_hold_at is not None

    @property
    def inspection_ends(self) -> datetime.date:
        return inspection_ends(timezone.localdate(self.starts_at))

    @property
    def background_papers_inspection_ends(self) -> datetime.date:
        return inspection_ends(timezone.localdate(self.starts_at), background_papers=True)

    @property
    def publish_by(self):
        """The last date that gives five clear days' notice of this meeting."""
        return latest_publication_date(timezone.localdate(self.starts_at))


class AgendaSection(models.IntegerChoices):
    PUBLIC = 1, "Public part"
    EXCLUSION = 2, "Exclusion of the press and public"
    EXEMPT = 3, "Exempt part"


class ItemKind(models.TextChoices):
    APOLOGIES = "apologies", "Apologies for absence"
    DECLARATIONS = "declarations", "Declarations of interest"
    MINUTES = "minutes", "Confirmation of the minutes"
    URGENT = "urgent", "Urgent items"
    REFERENCES = "references", "References from other committees"
    EXCLUSION = "exclusion", "Exclusion of the press and public"
    BUSINESS = "business", "Business item"


class ItemOrigin(models.TextChoices):
    """Where an item of business came from. The link to the work programme entry or to
    the other committee's resolution is added when those are held in the system."""

    NOT_RECORDED = "", "Not recorded"
    WORK_PROGRAMME = "work_programme", "The committee's work programme"
    REFERENCE = "reference", "A resolution of another committee"
    DRAW_DOWN = "draw_down", "A Member's draw-down request"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    section = models.PositiveSmallIntegerField(
        choices=AgendaSection.choices, default=AgendaSection.PUBLIC
    )
    position = models.PositiveIntegerField(help_text="Order within its section.")
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.BUSINESS)
    title = models.CharField(
        max_length=300, help_text="The title everyone sees; for an exempt item, its public title."
    )
    full_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="For an exempt item, the full title seen only by those entitled.",
    )
    purpose = models.TextField(blank=True, help_text="What the committee is asked to do.")
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph.choices, null=True, blank=True
    )
    exempt_reason = models.TextField(blank=True)
    public_interest_reasoning = models.TextField(blank=True)
    previous_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmed_by_items",
        help_text="For the confirmation of the minutes: the meeting whose minutes they are.",
    )
    origin = models.CharField(
        "comes from", max_length=20, choices=ItemOrigin.choices, blank=True, default=""
    )
    origin_detail = models.CharField(
        "reference",
        max_length=300,
        blank=True,
        help_text='For example "General Assembly of the Council, 18 July 2017, Min. No. 36".',
    )
    is_supplementary = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section", "position"],
                name="agenda_item_unique_position",
            ),
            models.CheckConstraint(
                condition=~models.Q(section=AgendaSection.EXEMPT)
                | models.Q(exempt_paragraph__isnull=False),
                name="agenda_item_exempt_names_its_paragraph",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_exempt(self) -> bool:
        return self.section == AgendaSection.EXEMPT

    @property
    def is_exclusion(self) -> bool:
        """The resolution excluding the press and public, between the two parts."""
        return self.section == AgendaSection.EXCLUSION

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.is_exempt:
            if not self.exempt_paragraph:
                errors["exempt_paragraph"] = "Select a Schedule 12A paragraph"
            if not self.exempt_reason.strip():
                errors["exempt_reason"] = "Enter the reason the item is exempt"
        elif self.exempt_paragraph and self.section == AgendaSection.PUBLIC:
            errors["exempt_paragraph"] = "Only an exempt item names a Schedule 12A paragraph"
        if not self.title.strip():
            errors["title"] = "Enter the item's title"
        if errors:
            raise ValidationError(errors)


class ExemptionWording(models.Model):
    """How the council describes one paragraph's exempt information in the resolution
    that excludes the press and public. A paragraph with no wording is described in the
    terms of Schedule 12A."""

    paragraph = models.PositiveSmallIntegerField(choices=ExemptParagraph.choices, unique=True)
    wording = models.CharField(
        max_length=300,
        help_text="Completes \u201con the grounds that it involves the likely disclosure of\u201d, "
        "for example \u201cinformation supplied to the Council in confidence\u201d.",
    )

    class Meta:
        ordering = ["paragraph"]

    def __str__(self):
        return f"Paragraph {self.paragraph}: {self.wording}"
