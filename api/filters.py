import django_filters
from django import forms

from meetings.models import AgendaItem, Meeting
from minutes.models import Minutes, Resolution
from scrutiny.models import Membership


class IdFilter(django_filters.NumberFilter):
    """A whole-number id within the range the database holds: anything else is a clear
    400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(*args, **kwargs)


def committee_filter(path: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        field_name=f"{path}slug", label="Committee (its slug, as in its page's address)"
    )


def date_range(path: str) -> django_filters.DateFromToRangeFilter:
    return django_filters.DateFromToRangeFilter(
        field_name=f"{path}starts_at__date",
        label="Meeting date: ?date_after=YYYY-MM-DD&date_before=YYYY-MM-DD",
    )


class MembershipFilter(django_filters.FilterSet):
    committee = committee_filter("committee__")
    person = IdFilter(field_name="person_id")

    class Meta:
        model = Membership
        fields = ["committee", "person"]


class EventFilter(django_filters.FilterSet):
    committee = committee_filter("committee__")
    date = date_range("")

    class Meta:
        model = Meeting
        fields = ["committee", "date"]


class AgendaItemFilter(django_filters.FilterSet):
    committee = committee_filter("meeting__committee__")
    event = IdFilter(field_name="meeting_id")
    date = date_range("meeting__")

    class Meta:
        model = AgendaItem
        fields = ["committee", "event", "date"]


class MinutesFilter(django_filters.FilterSet):
    committee = committee_filter("meeting__committee__")
    date = date_range("meeting__")

    class Meta:
        model = Minutes
        fields = ["committee", "date"]


class ResolutionFilter(django_filters.FilterSet):
    committee = committee_filter("minute__minutes__meeting__committee__")
    event = IdFilter(field_name="minute__minutes__meeting_id")
    date = date_range("minute__minutes__meeting__")

    class Meta:
        model = Resolution
        fields = ["committee", "event", "date"]


class IndicatorFilter(django_filters.FilterSet):
    committee = committee_filter("committee__")

    class Meta:
        from performance.models import Indicator

        model = Indicator
        fields = ["committee"]


class ObservationFilter(django_filters.FilterSet):
    committee = committee_filter("indicator__committee__")
    indicator = django_filters.CharFilter(field_name="indicator__code", lookup_expr="iexact")
    area = django_filters.CharFilter(field_name="area__code", lookup_expr="iexact")

    class Meta:
        from performance.models import Observation

        model = Observation
        fields = ["committee", "indicator", "area"]
