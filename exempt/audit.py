"""The access log: every reading, download or refusal of exempt material."""

from scrutiny.client import client_ip

from .middleware import mark_exempt_response
from .models import AccessEvent, AccessLog


def _entry(request, event, *, meeting, item, what) -> AccessLog:
    user = request.user if request.user.is_authenticated else None
    return AccessLog(
        user=user,
        username=user.get_username() if user else "(not signed in)",
        event=event,
        committee_id=meeting.committee_id if meeting else None,
        meeting=meeting,
        item=item,
        what=what[:300],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )


def record(request, event: str, *, meeting=None, item=None, what: str = "") -> None:
    if event in (AccessEvent.VIEWED, AccessEvent.DOWNLOADED):
        mark_exempt_response(request)
    _entry(request, event, meeting=meeting, item=item, what=what).save()


def record_items_viewed(request, items, *, page: str) -> None:
    """Log each exempt item shown in full on a page, in one write."""
    _record_viewed(
        request,
        [
            _entry(
                request,
                AccessEvent.VIEWED,
                meeting=item.meeting,
                item=item,
                what=f"{page}: exempt item {getattr(item, 'number', '')}".strip(),
            )
            for item in items
            if item.is_exempt and getattr(item, "shown_in_full", False)
        ],
    )


def record_minutes_viewed(request, meeting, minutes) -> None:
    """Log each exempt minute shown in full on a page, in one write."""
    _record_viewed(
        request,
        [
            _entry(
                request,
                AccessEvent.VIEWED,
                meeting=meeting,
                item=minute.item,
                what=f"exempt minute {minute.number}",
            )
            for minute in minutes
            if minute.is_exempt and minute.shown_in_full
        ],
    )


def _record_viewed(request, entries: list[AccessLog]) -> None:
    if entries:
        mark_exempt_response(request)
        AccessLog.objects.bulk_create(entries)
