"""What the open data API publishes: the public's view, whoever asks. Each queryset
carries its select_related and prefetches, so a page of results takes a fixed number of
queries."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from minutes.models import Minutes, Resolution
from minutes.selectors import PUBLIC_MINUTES, decision_list
from papers.selectors import documents_prefetch
from scrutiny import access
from scrutiny.models import Committee, Membership, Person

PUBLIC = AnonymousUser()


def public_committees():
    return Committee.objects.order_by("name")


def public_people():
    """People who sit or sat on a committee: the committees' pages name them."""
    return Person.objects.filter(memberships__isnull=False).distinct().order_by("surname", "pk")


def public_memberships():
    return Membership.objects.select_related("person", "committee").order_by(
        "committee__name", "start_date", "pk"
    )


def public_meetings():
    return access.visible_meetings(Meeting.objects.all(), PUBLIC).select_related("committee")


def public_agenda_items():
    """Items of published agendas, each with the documents the public may open. An
    exempt item is shown by its public title and paragraph only."""
    return (
        access.visible_meetings(AgendaItem.objects.all(), PUBLIC, prefix="meeting__")
        .select_related("meeting__committee")
        .prefetch_related(documents_prefetch())
        .order_by("meeting__starts_at", "section", "position")
    )


def meeting_agenda_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=AgendaItem.objects.prefetch_related(documents_prefetch()).order_by(
            "section", "position"
        ),
    )


def public_minutes():
    return (
        access.visible_meetings(
            Minutes.objects.filter(status__in=PUBLIC_MINUTES), PUBLIC, prefix="meeting__"
        )
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at")
    )


def public_resolutions() -> QuerySet[Resolution]:
    return decision_list(committee=None, user=PUBLIC)


def published_key_decisions(today=None):
    from workplan.models import KeyDecision

    return KeyDecision.objects.filter(first_notice_on__lte=today or timezone.localdate()).order_by(
        "decision_date", "pk"
    )


def public_indicators():
    """Performance indicators that are not confidential: their values are public, small
    numbers suppressed."""
    from performance.models import Indicator

    return access.visible_indicators(
        Indicator.objects.select_related("committee"), PUBLIC
    ).order_by("committee__name", "position", "name")


def public_observations():
    from performance.models import Observation

    return (
        Observation.objects.filter(indicator__in=public_indicators())
        .select_related("indicator", "area", "period")
        .order_by("indicator__code", "area__code", "period__start_year", "period__quarter")
    )
