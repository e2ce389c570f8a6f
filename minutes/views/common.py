"""What the minutes pages share."""

from exempt import audit
from exempt.models import AccessEvent

from .. import selectors


def record_exempt_reads(request, meeting, entries) -> None:
    """Log each exempt minute shown in full to this reader."""
    for minute in entries:
        if minute.is_exempt and minute.shown_in_full:
            audit.record(
                request,
                AccessEvent.VIEWED,
                meeting=meeting,
                item=minute.item,
                what=f"exempt minute {minute.number}",
            )


def minutes_reading(request, minutes) -> dict:
    """What a page showing the minutes to this reader needs: the minutes as the policy
    lets them read each one (exempt ones logged), and the register."""
    meeting = minutes.meeting
    entries = selectors.minute_list(minutes=minutes, user=request.user)
    record_exempt_reads(request, meeting, entries)
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "minutes": minutes,
        "entries": entries,
        "register": selectors.attendance_register(meeting=meeting),
    }
