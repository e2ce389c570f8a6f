"""The search index: one entry per thing a reader can find (an agenda item, a paper, a
minute), each carrying whether it is exempt, so that the access filter is part of the
query that counts and ranks. PostgreSQL searches a tsvector column with a GIN index;
SQLite an FTS5 table (created by the migration) kept in step by triggers."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from meetings.models import AgendaItem, Meeting
from scrutiny.models import Committee


class EntryKind(models.TextChoices):
    ITEM = "item", "Agenda item"
    PAPER = "paper", "Paper"
    MINUTE = "minute", "Minutes"


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    date = models.DateTimeField()
    year = models.PositiveSmallIntegerField(help_text="The municipal year it starts in.")
    # Readable only by those entitled to the meeting's exempt papers (or to this item).
    is_exempt = models.BooleanField(default=False)
    # A public entry standing for something exempt (by its public title or summary):
    # those who may read the exempt entry find that one instead, not both.
    has_exempt_version = models.BooleanField(default=False)
    vector = SearchVectorField(null=True)
    # The title's own words (PostgreSQL): small enough to be kept in the row, so that
    # putting title matches first never reads the whole text's vector.
    title_vector = SearchVectorField(null=True)

    class Meta:
        # The GIN index (PostgreSQL) and the FTS5 table (SQLite) are made by the
        # migration, each on its own engine.
        indexes = [
            models.Index(fields=["committee", "year"], name="search_entry_scope"),
            # Newest first: a common word's page is read down this index.
            models.Index(fields=["date", "id"], name="search_entry_newest"),
        ]

    def __str__(self):
        return self.title


class VersionText(models.Model):
    """The words of an uploaded paper's version, extracted once by a worker."""

    version = models.OneToOneField(
        "papers.DocumentVersion", on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(auto_now_add=True)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Text of version {self.version_id}"
