"""The minutes as a PDF in the council's format, rendered by WeasyPrint.

The PDF is the public record: a minute marked exempt appears as its public summary.
It is tagged (PDF/UA-1) so that screen readers can read it.
"""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from scrutiny.pdf import render_pdf, source_hash  # noqa: F401 (the minutes' renderer)

from . import selectors


def minutes_html(minutes) -> str:
    meeting = minutes.meeting
    public = AnonymousUser()
    from django.conf import settings

    return render_to_string(
        "minutes/pdf/minutes.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "entries": selectors.minute_list(minutes=minutes, user=public),
            "register": selectors.attendance_register(meeting=meeting),
            "council_name": settings.COUNCIL_NAME,
        },
    )
