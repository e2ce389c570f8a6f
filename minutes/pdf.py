"""The minutes as a PDF in the council's format, rendered by WeasyPrint.

The PDF is the public record: a minute marked exempt appears as its public summary.
It is tagged (PDF/UA-1) so that screen readers can read it.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from scrutiny.pdf import render_pdf, source_hash  # noqa: F401 (the minutes' renderer)

from . import selectors


def minutes_html(minutes, *, for_confirmation: bool = False) -> str:
    """The public minutes as HTML to print. `for_confirmation` gives the copy the next
    meeting's agenda pack carries: the minutes as they stand before that meeting
    confirms them (never "confirmed and signed", even when rebuilt afterwards), their
    pages numbered by the pack rather than by themselves."""
    meeting = minutes.meeting
    public = AnonymousUser()
    return render_to_string(
        "minutes/pdf/minutes.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "entries": selectors.minute_list(minutes=minutes, user=public, absolute_links=True),
            "register": selectors.attendance_register(meeting=meeting),
            "council_name": settings.COUNCIL_NAME,
            "for_confirmation": for_confirmation,
        },
    )


def exempt_minutes_html(minutes) -> str | None:
    """The minutes the public edition withholds, in full and marked exempt, as HTML to
    print in the exempt agenda pack of the meeting that confirms them; None if the public
    edition withholds nothing."""
    entries = selectors.withheld_minute_list(minutes=minutes)
    if not entries:
        return None
    meeting = minutes.meeting
    return render_to_string(
        "minutes/pdf/minutes.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "entries": entries,
            "council_name": settings.COUNCIL_NAME,
            "for_confirmation": True,
            "exempt_part": True,
        },
    )
