"""iCalendar (RFC 5545) feeds of meetings, written with the icalendar library."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import MeetingStatus

# Committee meetings have no recorded end; calendars show them as two hours.
ASSUMED_LENGTH = datetime.timedelta(hours=2)


def meetings_calendar(meetings, *, request, committee=None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Scrutiny//Committee meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = committee.name if committee else "All committee meetings"
    cal.add("x-wr-calname", f"{title} - {settings.COUNCIL_NAME}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0] or "scrutiny"
    stamp = timezone.now()
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        starts_at = timezone.localtime(meeting.starts_at)
        event.add("dtstart", starts_at)
        event.add("dtend", starts_at + ASSUMED_LENGTH)
        event.add("summary", meeting.committee.name)
        event.add("location", meeting.venue)
        url = request.build_absolute_uri(meeting.get_absolute_url())
        event.add("url", url)
        event.add("description", f"Agenda and papers: {url}")
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if meeting.published_at:
            event.add("last-modified", meeting.published_at)
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for Europe/London
    return cal.to_ical()
