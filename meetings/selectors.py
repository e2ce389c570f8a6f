"""Reads of meetings, with the access policy applied."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from scrutiny import access
from scrutiny.models import Committee

from .models import Meeting, MeetingStatus


def meeting_list(*, user, committee: Committee | None = None) -> QuerySet[Meeting]:
    """Meetings this user may see: published ones, plus drafts of committees they serve."""
    meetings = Meeting.objects.select_related("committee")
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    visible = Q(status__in=[s for s in MeetingStatus.values if s != MeetingStatus.DRAFT])
    visible |= Q(committee__in=access.coordinated_committees(user))
    return meetings.filter(visible)


def meeting_get(*, user, pk: int) -> Meeting:
    """The meeting, or Meeting.DoesNotExist if this user may not see it."""
    return meeting_list(user=user).get(pk=pk)


def committee_list_with_next_meeting(*, user) -> QuerySet[Committee]:
    """Committees, each annotated with the start of the next meeting this user may see."""
    next_meeting = (
        meeting_list(user=user)
        .filter(committee=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    return Committee.objects.annotate(
        next_meeting_at=Subquery(next_meeting.values("starts_at")[:1]),
        next_meeting_id=Subquery(next_meeting.values("pk")[:1]),
    )
