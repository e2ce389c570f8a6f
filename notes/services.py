"""Writing notes: on an item (or one of its papers) the author may read in full."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny import access

from .models import NOTE_MAX_LENGTH, Note

STALE_NOTE = (
    "This note was changed elsewhere (on another device?) after you opened it. It is shown "
    "as it is now, with your words kept in the box: compare them, then save again."
)


def normalised(text: str) -> str:
    """One character per line break, as the browser counts them against the limit."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _text_errors(text: str) -> dict:
    text = normalised(text)
    if not text:
        return {"text": "Enter the note"}
    if len(text) > NOTE_MAX_LENGTH:
        return {"text": f"A note can be at most {NOTE_MAX_LENGTH:,} characters"}
    return {}


def _check_reader(user, item, document) -> None:
    if not user.is_authenticated or not access.can_see_item_in_full(user, item):
        raise PermissionDenied("You may write notes only on items you may read.")
    if document is not None and (
        document.item_id != item.pk or not access.can_see_document(user, document)
    ):
        raise ValidationError({"document": "Select a paper of this item"})


@transaction.atomic
def note_add(*, user, item, text: str, document=None, now=None) -> Note:
    _check_reader(user, item, document)
    errors = _text_errors(text)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    note = Note(
        author=user,
        item=item,
        document=document,
        text=normalised(text),
        created_at=now,
        updated_at=now,
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_update(*, note: Note, user, text: str, based_on: int | None, now=None) -> Note:
    """Change a note. A form read before the note changed elsewhere is refused, so that
    the words from one device never overwrite those from another unseen."""
    current = Note.objects.select_for_update().select_related("item__meeting").filter(pk=note.pk)
    current = current.first()
    if current is None:
        raise ValidationError("This note was deleted elsewhere, so it cannot be saved.")
    if current.author_id != user.pk:
        raise PermissionDenied("Only its author changes a note.")
    _check_reader(user, current.item, current.document)
    if based_on != current.version:
        raise ValidationError(STALE_NOTE, code="stale")
    errors = _text_errors(text)
    if errors:
        raise ValidationError(errors)
    current.text = normalised(text)
    current.updated_at = now or timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def note_delete(*, note: Note, user, based_on: int | None) -> None:
    """Delete a note, as it was when the author chose to: not words changed since on
    another device, unseen."""
    current = Note.objects.select_for_update().filter(pk=note.pk).first()
    if current is None:
        return  # deleted already
    if current.author_id != user.pk:
        raise PermissionDenied("Only its author deletes a note.")
    if based_on != current.version:
        raise ValidationError(
            "This note was changed elsewhere after you opened it. It is shown as it is now: "
            "delete it again if you still want to.",
            code="stale",
        )
    current.delete()
