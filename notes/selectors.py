"""Reads of notes: only the author's own, and of those only the ones about what the
author may read today. A note on an item the author is no longer entitled to is kept,
and comes back when the entitlement does."""

from django.db.models import QuerySet

from scrutiny import access

from .models import Note


def _notes(user) -> QuerySet[Note]:
    if not user.is_authenticated:
        return Note.objects.none()
    return Note.objects.filter(author=user).select_related(
        "item__meeting__committee", "document__item__meeting__committee"
    )


def may_read_note(user, note: Note) -> bool:
    """The author may read a note while they may read its item in full (and its paper)."""
    if note.author_id != user.pk or not access.can_see_item_in_full(user, note.item):
        return False
    return note.document is None or access.can_see_document(user, note.document)


def _readable(user, notes) -> list[Note]:
    return [note for note in notes if may_read_note(user, note)]


def _on_loaded_items(user, items) -> list[Note]:
    """The author's notes on items loaded as a page shows them (`agenda_item_list`: their
    meeting and papers at hand), which the notes take rather than joining them again."""
    if not user.is_authenticated:
        return []
    by_pk = {item.pk: item for item in items}
    documents = {document.pk: document for item in items for document in item.documents.all()}
    notes = list(Note.objects.filter(author=user, item__in=list(by_pk)))
    for note in notes:
        note.item = by_pk[note.item_id]
        if note.document_id in documents:
            note.document = documents[note.document_id]
    return _readable(user, notes)


def notes_for_meeting(*, user, meeting, items=None) -> list[Note]:
    """The author's notes on the meeting that they may read; `items`, the agenda as the
    page loaded it, saves joining them again."""
    if items is not None:
        return _on_loaded_items(user, items)
    return _readable(user, _notes(user).filter(item__meeting=meeting))


def notes_for_item(*, user, item, loaded: bool = False) -> list[Note]:
    """The author's notes on the item that they may read; `loaded`: the item comes from
    `agenda_item_list`, with its meeting and papers."""
    if loaded:
        return _on_loaded_items(user, [item])
    return _readable(user, _notes(user).filter(item=item))


def notes_of(*, user) -> tuple[list[Note], int]:
    """All the author's notes they may read now, and how many more are kept hidden."""
    notes = list(
        _notes(user).order_by(
            "-item__meeting__starts_at", "item__section", "item__position", "created_at"
        )
    )
    readable = _readable(user, notes)
    return readable, len(notes) - len(readable)


def note_get(*, user, pk: int) -> Note:
    """The author's note, or Note.DoesNotExist: for anyone else, and for the author while
    they may not read its item, it does not exist."""
    note = _notes(user).get(pk=pk)
    if not may_read_note(user, note):
        raise Note.DoesNotExist
    return note
