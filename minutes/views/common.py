"""What the minutes pages share."""

from exempt import audit

from .. import selectors


def minutes_reading(request, minutes) -> dict:
    """What a page showing the minutes to this reader needs: the minutes as the policy
    lets them read each one (exempt ones logged), and the register."""
    meeting = minutes.meeting
    entries = selectors.minute_list(minutes=minutes, user=request.user)
    audit.record_minutes_viewed(request, meeting, entries)
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "minutes": minutes,
        "entries": entries,
        "register": selectors.attendance_register(meeting=meeting),
    }
