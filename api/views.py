"""The read-only open data API. No sign-in: every client gets the public's view, so a
session cookie changes nothing, and anonymous clients are rate limited."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from . import filters, selectors, serializers


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicReadOnly(viewsets.ReadOnlyModelViewSet):
    authentication_classes = []  # the public's view, whoever asks
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]


class OrganizationViewSet(PublicReadOnly):
    """The committees (Popolo organizations)."""

    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        return selectors.public_committees()


class PersonViewSet(PublicReadOnly):
    """People who sit or sat on a committee (Popolo persons)."""

    serializer_class = serializers.PersonSerializer

    def get_queryset(self):
        return selectors.public_people()


class MembershipViewSet(PublicReadOnly):
    """Who sits on which committee, in which role, from when to when (Popolo memberships)."""

    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter

    def get_queryset(self):
        return selectors.public_memberships()


class EventViewSet(PublicReadOnly):
    """Meetings whose agenda is published (Open Civic Data events); one event carries its
    agenda."""

    filterset_class = filters.EventFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.EventDetailSerializer
        return serializers.EventSerializer

    def get_queryset(self):
        meetings = selectors.public_meetings().order_by("-starts_at")
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(selectors.meeting_agenda_prefetch())
        return meetings


class AgendaItemViewSet(PublicReadOnly):
    """Agenda items of published agendas: exempt ones by public title and paragraph."""

    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter

    def get_queryset(self):
        return selectors.public_agenda_items()


class MinutesViewSet(PublicReadOnly):
    """Published minutes (draft until confirmed at the next meeting)."""

    serializer_class = serializers.MinutesSerializer
    filterset_class = filters.MinutesFilter

    def get_queryset(self):
        return selectors.public_minutes()


class ResolutionViewSet(PublicReadOnly):
    """Decisions: the resolutions of published minutes, never of exempt minutes."""

    serializer_class = serializers.ResolutionSerializer
    filterset_class = filters.ResolutionFilter

    def get_queryset(self):
        return selectors.public_resolutions()


class KeyDecisionViewSet(PublicReadOnly):
    """The forward plan of key decisions, as published in the Regulation 9 notice."""

    serializer_class = serializers.KeyDecisionSerializer

    def get_queryset(self):
        return selectors.published_key_decisions()


class IndicatorViewSet(PublicReadOnly):
    """Community Safety Partnership performance indicators that are not confidential."""

    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        return selectors.public_indicators()


class ObservationViewSet(PublicReadOnly):
    """Their quarterly values by area, small numbers suppressed."""

    serializer_class = serializers.ObservationSerializer
    filterset_class = filters.ObservationFilter

    def get_queryset(self):
        return selectors.public_observations()
