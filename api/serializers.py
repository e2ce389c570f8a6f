"""Open data in the shapes civic-tech tools read: organizations, people and memberships
after Popolo; events and their agenda after Open Civic Data. Field names follow those
conventions where they fit."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import AgendaSection, MeetingStatus
from minutes.selectors import minute_anchor
from papers.selectors import visible_documents
from scrutiny.access import minute_title

from .selectors import PUBLIC


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class _Links(serializers.Serializer):
    # `url`: the object's page on the site.
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class OrganizationSerializer(_Links, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    abbreviation = serializers.CharField(source="short_name")
    classification = serializers.SerializerMethodField()
    description = serializers.CharField(source="purpose")

    def get_classification(self, committee) -> str:
        return "committee"


class PersonSerializer(_Links, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    honorific_prefix = serializers.CharField(source="honorific")
    given_name = serializers.CharField(source="forenames")
    family_name = serializers.CharField(source="surname")
    honorific_suffix = serializers.CharField(source="post_nominals")
    party = serializers.CharField()
    area = serializers.CharField(source="ward")


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    person_name = serializers.CharField(source="person.display_name")
    organization_id = serializers.IntegerField(source="committee_id")
    organization_name = serializers.CharField(source="committee.name")
    role = serializers.CharField(source="get_role_display")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class DocumentLinkSerializer(_Links, serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    download_url = serializers.SerializerMethodField()
    media_type = serializers.SerializerMethodField()
    date = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        from django.urls import reverse

        return absolute(
            self.context.get("request"),
            reverse("papers:document_download", kwargs={"pk": document.pk}),
        )

    def get_media_type(self, document) -> str:
        version = document.current_version
        if document.is_report or version is None:
            return "text/html"
        return {
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "doc": "application/msword",
            "rtf": "application/rtf",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        }.get(version.format, "application/octet-stream")

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_date(self, document):
        version = document.current_version
        return version.created_at.isoformat() if version else None


SECTIONS = {
    AgendaSection.PUBLIC: "public",
    AgendaSection.EXCLUSION: "exclusion of the press and public",
    AgendaSection.EXEMPT: "exempt",
}


class AgendaItemSerializer(serializers.Serializer):
    """An item as the public agenda shows it: an exempt item by its public title and
    Schedule 12A paragraph, with only the papers the public may open."""

    id = serializers.IntegerField()
    event_id = serializers.IntegerField(source="meeting_id")
    section = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="position")
    number = serializers.SerializerMethodField()
    description = serializers.CharField(source="title")
    classification = serializers.CharField(source="get_kind_display")
    exempt_paragraph = serializers.IntegerField(allow_null=True)
    supplementary = serializers.BooleanField(source="is_supplementary")
    url = serializers.SerializerMethodField()
    media = serializers.SerializerMethodField()

    def get_section(self, item) -> str:
        return SECTIONS[item.section]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_number(self, item):
        """As the agenda numbers it (1, 2, ... then A, B, ...), where the whole agenda
        is at hand (an event's detail)."""
        return getattr(item, "number", None)

    def get_url(self, item) -> str:
        from django.urls import reverse

        return absolute(
            self.context.get("request"),
            reverse("meetings:item_detail", kwargs={"meeting_pk": item.meeting_id, "pk": item.pk}),
        )

    @extend_schema_field(DocumentLinkSerializer(many=True))
    def get_media(self, item):
        shown, _withheld = visible_documents(item=item, user=PUBLIC)
        return DocumentLinkSerializer(shown, many=True, context=self.context).data


def event_status(meeting) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return "cancelled"
    return "passed" if meeting.starts_at < timezone.now() else "confirmed"


class EventSerializer(_Links, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    start_date = serializers.DateTimeField(source="starts_at")
    status = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    organization_id = serializers.IntegerField(source="committee_id")
    organization_name = serializers.CharField(source="committee.name")
    agenda_published_at = serializers.DateTimeField(source="published_at", allow_null=True)

    def get_name(self, meeting) -> str:
        from scrutiny.templatetags.council import council_date

        return f"{meeting.committee.name}, {council_date(meeting.starts_at)}"

    def get_classification(self, meeting) -> str:
        return "committee-meeting"

    def get_status(self, meeting) -> str:
        return event_status(meeting)

    @extend_schema_field({"type": "object", "properties": {"name": {"type": "string"}}})
    def get_location(self, meeting):
        return {"name": meeting.venue}


class EventDetailSerializer(EventSerializer):
    agenda = serializers.SerializerMethodField()

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, meeting):
        from meetings.selectors import number_agenda

        items = number_agenda(list(meeting.items.all()))
        for item in items:
            item.meeting = meeting
        return AgendaItemSerializer(items, many=True, context=self.context).data


class MinutesSerializer(_Links, serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.IntegerField(source="meeting_id")
    organization_id = serializers.IntegerField(source="meeting.committee_id")
    status = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, minutes) -> str:
        return "confirmed" if minutes.is_confirmed else "published unconfirmed"


class ResolutionSerializer(serializers.Serializer):
    """A decision: one resolution of a published minute (never of an exempt one)."""

    id = serializers.IntegerField()
    event_id = serializers.IntegerField(source="minute.minutes.meeting_id")
    organization_id = serializers.IntegerField(source="minute.minutes.meeting.committee_id")
    date = serializers.DateTimeField(source="minute.minutes.meeting.starts_at")
    minute_number = serializers.IntegerField(source="minute.number", allow_null=True)
    minute_title = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="position")
    text = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_minute_title(self, resolution) -> str:
        return minute_title(PUBLIC, resolution.minute, resolution.minute.minutes)

    def get_url(self, resolution) -> str:
        minute = resolution.minute
        return absolute(
            self.context.get("request"),
            f"{minute.minutes.get_absolute_url()}#{minute_anchor(minute)}",
        )


class KeyDecisionSerializer(serializers.Serializer):
    """A key decision on the forward plan (the Regulation 9 notice), once published."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    decision_taker = serializers.CharField()
    decision_date = serializers.DateField()
    further_decision = serializers.CharField()
    consultation = serializers.CharField()
    background_papers = serializers.CharField()
    report_author = serializers.SerializerMethodField()
    open = serializers.SerializerMethodField()
    exempt_paragraph = serializers.IntegerField(allow_null=True)
    closed_reason = serializers.CharField()
    first_published = serializers.DateField(source="first_notice_on")
    late_notice_reason = serializers.CharField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "title": {"type": "string"},
                "telephone": {"type": "string"},
                "email": {"type": "string"},
            },
        }
    )
    def get_report_author(self, decision):
        return {
            "name": decision.author_name,
            "title": decision.author_title,
            "telephone": decision.author_phone,
            "email": decision.author_email,
        }

    def get_open(self, decision) -> bool:
        return not decision.is_closed


class IndicatorSerializer(serializers.Serializer):
    """A performance indicator that is not confidential."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    organization_id = serializers.IntegerField(source="committee_id")
    unit = serializers.CharField(source="get_unit_display")
    polarity = serializers.CharField(source="get_polarity_display")
    source = serializers.CharField(source="source_agency")
    data_quality = serializers.CharField(source="get_data_quality_display")
    suppress_below = serializers.IntegerField(
        allow_null=True, help_text="Values below this are given as suppressed."
    )
    note = serializers.CharField()


class ObservationSerializer(serializers.Serializer):
    """A quarter's value for an area, as the public may see it: a small number is
    suppressed (value null, `suppressed` true, the text "fewer than N")."""

    id = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    period = serializers.CharField(source="period.label")
    value = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    suppressed = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    note = serializers.CharField()

    def _shown(self, observation):
        from performance.analysis import shown

        cached = getattr(observation, "_shown", None)
        if cached is None:
            cached = shown(
                observation.value,
                observation.indicator,
                exempt_output=False,
                note=observation.note,
            )
            observation._shown = cached
        return cached

    @extend_schema_field({"type": "string", "nullable": True, "format": "decimal"})
    def get_value(self, observation):
        value = self._shown(observation).value
        return None if value is None else f"{value.normalize():f}"

    def get_text(self, observation) -> str:
        return self._shown(observation).text

    def get_suppressed(self, observation) -> bool:
        return self._shown(observation).suppressed

    def get_missing(self, observation) -> bool:
        return self._shown(observation).missing
