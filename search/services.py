"""Keeping the index: a meeting's entries are rebuilt, in the transaction that changed
it, whenever its agenda, papers or minutes change, so an item made exempt is never found
by its old words, whether or not a worker runs. The words of uploaded PDFs are extracted
once per version by a worker, which then rebuilds the meeting's entries."""

import io
import logging

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from scrutiny.queue import enqueue_on_commit

from .models import EntryKind, SearchEntry, VersionText

logger = logging.getLogger(__name__)

MAX_PAGES = 400
MAX_CHARACTERS = 1_000_000
# PostgreSQL refuses a tsvector over 1 MB: what a vector is made from is capped well
# below, so one huge paper never stops a change to its meeting.
VECTOR_CHARACTERS = 200_000


def _report_words(content) -> str:
    """Every word a written report holds, in its order."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return "\n".join(_report_words(value) for value in content.values())
    if isinstance(content, list):
        return "\n".join(_report_words(value) for value in content)
    return ""


def _version_words(version, pending: list) -> str:
    if not version.is_upload:
        return _report_words(version.report or {})
    text = getattr(version, "search_text", None)
    if text is None:
        pending.append(version.pk)
        return ""
    return text.text


def _entry(meeting, year, **fields) -> SearchEntry:
    return SearchEntry(
        meeting=meeting,
        committee_id=meeting.committee_id,
        date=meeting.starts_at,
        year=year,
        **fields,
    )


@transaction.atomic
def search_index_meeting(*, meeting) -> int:
    """Replace the meeting's entries with what it holds now: nothing while its agenda is
    a draft. Each exempt thing has an entry marked exempt (its full words), and where
    the public may see it by a public title or summary, a public entry with those only.
    Returns how many entries it has."""
    from django.db.models import Prefetch

    from meetings.models import Meeting
    from meetings.selectors import number_agenda
    from minutes.numbering import municipal_year_start
    from minutes.selectors import minute_list, minutes_get
    from papers.models import Document

    # One rebuild of a meeting at a time (a worker's and a user's change at once would
    # otherwise leave both sets of entries, or deadlock).
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    SearchEntry.objects.filter(meeting_id=meeting.pk).delete()
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    if not meeting.is_public:
        return 0
    year = municipal_year_start(timezone.localdate(meeting.starts_at)).year
    documents = Prefetch(
        "documents",
        queryset=Document.objects.select_related("current_version__search_text").order_by(
            "position", "pk"
        ),
    )
    items = number_agenda(
        list(meeting.items.prefetch_related(documents).order_by("section", "position"))
    )
    entries, pending = [], []
    for item in items:
        url = reverse("meetings:item_detail", kwargs={"meeting_pk": meeting.pk, "pk": item.pk})
        number = f"{item.number}. " if getattr(item, "number", None) else ""
        if item.is_exempt:
            entries.append(
                _entry(
                    meeting,
                    year,
                    kind=EntryKind.ITEM,
                    item=item,
                    url=url,
                    title=f"{number}{item.title}",
                    has_exempt_version=True,
                )
            )
            entries.append(
                _entry(
                    meeting,
                    year,
                    kind=EntryKind.ITEM,
                    item=item,
                    url=url,
                    is_exempt=True,
                    title=f"{number}{item.full_title or item.title}",
                    # Its public title too: the entitled find it by what the agenda says.
                    text=f"{item.title}\n{item.purpose}",
                )
            )
        else:
            entries.append(
                _entry(
                    meeting,
                    year,
                    kind=EntryKind.ITEM,
                    item=item,
                    url=url,
                    title=f"{number}{item.title}",
                    text=item.purpose,
                )
            )
        for document in item.documents.all():
            version = document.current_version
            # Archived papers are withdrawn: no one finds them by searching.
            if document.is_draft or version is None or meeting.papers_archived:
                continue
            entries.append(
                _entry(
                    meeting,
                    year,
                    kind=EntryKind.PAPER,
                    item=item,
                    url=document.get_absolute_url(),
                    title=document.title,
                    text=_version_words(version, pending),
                    is_exempt=item.is_exempt or document.is_restricted or version.withheld,
                )
            )
    minutes = minutes_get(meeting=meeting)
    if minutes is not None and minutes.is_public:
        url = minutes.get_absolute_url()
        for minute in minute_list(minutes=minutes, user=AnonymousUser()):
            number = f"Minute {minute.number}: " if minute.number else ""
            anchor = f"{url}#{minute.anchor}"
            resolutions = "\n".join(r.text for r in minute.resolutions.all())
            full = f"{strip_tags(minute.text)}\n{resolutions}"
            public = full if minute.shown_in_full else minute.public_summary
            has_exempt_version = not minute.shown_in_full or minute.display_title != minute.title
            entries.append(
                _entry(
                    meeting,
                    year,
                    kind=EntryKind.MINUTE,
                    item=minute.item,
                    url=anchor,
                    title=f"{number}{minute.display_title}",
                    text=public,
                    has_exempt_version=has_exempt_version,
                )
            )
            if has_exempt_version:
                entries.append(
                    _entry(
                        meeting,
                        year,
                        kind=EntryKind.MINUTE,
                        item=minute.item,
                        url=anchor,
                        is_exempt=True,
                        title=f"{number}{minute.title}",
                        text="\n".join(dict.fromkeys([minute.display_title, public, full])),
                    )
                )
    SearchEntry.objects.bulk_create(entries)
    _vectors(meeting.pk)
    from .tasks import extract_version_text

    for version_id in sorted(set(pending)):
        enqueue_on_commit(extract_version_text, version_id)
    return len(entries)


def entry_vector():
    """The expression of an entry's tsvector: the title weighs more than the text."""
    from django.contrib.postgres.search import SearchVector
    from django.db.models.functions import Left

    return SearchVector("title", weight="A", config="english") + SearchVector(
        Left("text", VECTOR_CHARACTERS), weight="B", config="english"
    )


def title_vector():
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", config="english")


def _vectors(meeting_id: int) -> None:
    """PostgreSQL's tsvector of each entry: the title weighs more than the text. If it
    cannot be made, the entries stay without one (found by no one), and the change that
    asked for it still saves."""
    if connection.vendor != "postgresql":
        return  # SQLite's FTS5 table is kept by its triggers
    from django.db import DatabaseError

    try:
        with transaction.atomic():
            SearchEntry.objects.filter(meeting_id=meeting_id).update(
                vector=entry_vector(), title_vector=title_vector()
            )
    except DatabaseError:
        logger.exception("Search vectors of meeting %s not made", meeting_id)


def version_text_extract(*, version_id: int) -> VersionText | None:
    """The words of an uploaded version's PDF (its own, or the one converted from an
    Office file), once; then its meeting's entries are rebuilt with them."""
    from pypdf import PdfReader

    from papers.models import DocumentVersion

    version = (
        DocumentVersion.objects.select_related("document__item__meeting")
        .filter(pk=version_id)
        .first()
    )
    if version is None or not version.is_upload:
        return None
    existing = VersionText.objects.filter(version=version).first()
    if existing is not None:
        return existing
    source = version.converted_pdf if version.is_office else version.file
    if not source:
        return None  # converted later: the conversion's change indexes the meeting again
    words, error = [], ""
    try:
        with source.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
            total = 0
            for page in reader.pages[:MAX_PAGES]:
                text = page.extract_text() or ""
                words.append(text)
                total += len(text)
                if total > MAX_CHARACTERS:
                    break
    except Exception as failure:  # a paper that cannot be read is still found by title
        logger.warning("No text from version %s: %s", version_id, failure)
        error = str(failure)[:300]
    text, _created = VersionText.objects.get_or_create(
        version=version, defaults={"text": "\n".join(words)[:MAX_CHARACTERS], "error": error}
    )
    search_index_meeting(meeting=version.document.item.meeting)
    return text
