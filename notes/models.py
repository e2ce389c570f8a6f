"""A reader's private notes on agenda items and their papers: kept on the server, so
nothing is lost with a tablet, and read by their author alone, and only while the author
may read what they are about."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from meetings.models import AgendaItem

NOTE_MAX_LENGTH = 10_000


class Note(models.Model):
    # Deleted with the account: a note is its author's and no one else's.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="notes")
    document = models.ForeignKey(
        "papers.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
        help_text="The paper of the item it is about, if not the item as a whole.",
    )
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["item__meeting__starts_at", "item__section", "item__position", "created_at"]
        indexes = [models.Index(fields=["author", "item"], name="note_author_item")]

    def __str__(self):
        return f"Note {self.pk} by {self.author_id}"
