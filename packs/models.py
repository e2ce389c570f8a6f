"""Agenda packs: the public and the exempt PDF of a meeting's papers, with the page
ranges the front sheet, the meeting page and the item pages all show."""

import uuid

from django.db import models
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from papers.models import Document
from scrutiny.storage import random_name


class PackKind(models.TextChoices):
    PUBLIC = "public", "Public agenda pack"
    EXEMPT = "exempt", "Exempt agenda pack"
    SUPPLEMENT = "supplement", "Supplementary agenda pack"


class BuildState(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def pack_path(pack: "Pack", filename: str) -> str:
    return random_name("packs", pack.meeting_id, "pdf")


class Pack(models.Model):
    """One pack of a meeting. `file` is the last good build, kept until a new build
    succeeds; `state` is that of the latest build requested."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    kind = models.CharField(max_length=10, choices=PackKind.choices)
    state = models.CharField(max_length=10, choices=BuildState.choices, default=BuildState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of the build done.")
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    build_token = models.UUIDField(
        default=uuid.uuid4,
        help_text="The latest request: a build started for an older one gives way to it.",
    )
    file = models.FileField(upload_to=pack_path, blank=True, max_length=200)
    page_count = models.PositiveIntegerField(default=0)
    first_page = models.PositiveIntegerField(default=1)
    size = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    # Kept with the file they describe, in the same row, so that what is checked is what
    # is served.
    minutes_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="What `file` prints of earlier meetings' minutes for confirmation, as a "
        "hash (blank: none): when those minutes change, a pack printing them otherwise is "
        "withdrawn or rebuilt.",
    )
    minutes_of = models.JSONField(
        default=list,
        blank=True,
        help_text="The meetings whose minutes `file` prints for confirmation (the exempt "
        "pack: what their public minutes withhold): its readers must be entitled to those.",
    )

    class Meta:
        ordering = ["meeting", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="pack_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.meeting}"

    @property
    def is_exempt(self) -> bool:
        return self.kind == PackKind.EXEMPT

    def is_stale(self, now=None) -> bool:
        """Queued or building for longer than any build takes: the build was lost."""
        import datetime

        from django.conf import settings

        limit = datetime.timedelta(seconds=settings.SCRUTINY_PACK_STALE_AFTER)
        return self.state in (BuildState.QUEUED, BuildState.BUILDING) and (
            (now or timezone.now()) - self.requested_at > limit
        )

    @property
    def last_page(self) -> int:
        return self.first_page + self.page_count - 1


class PackEntry(models.Model):
    """Where an item's papers sit in the last good build of a pack."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="pack_entries")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="pack_entries"
    )
    first_page = models.PositiveIntegerField()
    last_page = models.PositiveIntegerField()

    class Meta:
        ordering = ["pack", "first_page"]

    def __str__(self):
        return f"Pages {self.first_page} - {self.last_page}"


class RenderedDocument(models.Model):
    """A document rendered to PDF, cached by a hash of its content and template, so that
    a rebuild renders only what changed."""

    key = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="packs/cache/", max_length=200)
    page_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="The last build that used it; unused ones are pruned (render_cache_prune).",
    )

    def __str__(self):
        return self.key
