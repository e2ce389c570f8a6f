"""Forms for the work programme, worded in the GDS pattern."""

from django import forms

from scrutiny.forms import gds_date_field

from .models import Category, Recurrence, RequestedHow
from .selectors import meeting_heading

TO_BE_SCHEDULED = ""


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return meeting_heading(meeting)

    def to_python(self, value):
        from scrutiny.params import id_param

        if value not in self.empty_values and id_param(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


def meeting_field(label: str, queryset, **kwargs) -> MeetingChoiceField:
    return MeetingChoiceField(
        queryset=queryset,
        required=False,
        label=label,
        empty_label="To be scheduled",
        error_messages={"invalid_choice": "Select a meeting from the list"},
        **kwargs,
    )


class WorkPlanItemForm(forms.Form):
    stale = False  # set when the item changed since the form was read
    topic = forms.CharField(
        label="Topic",
        max_length=300,
        help_text="As the work plan and the agenda will print it. The work programme is "
        "published: write nothing exempt here.",
        error_messages={"required": "Enter the topic"},
    )
    description = forms.CharField(
        label="What the committee will do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Becomes the agenda item\u2019s purpose, as "To receive a presentation '
        'from a Kent Police representative."',
    )
    category = forms.ChoiceField(
        label="Kind of business",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of business"},
    )
    requested_how = forms.ChoiceField(
        label="Who asked for it",
        choices=RequestedHow.choices,
        initial=RequestedHow.WORK_PROGRAMME,
        error_messages={
            "required": "Select who asked for it",
            "invalid_choice": "Select who asked for it from the list",
        },
    )
    requested_by = forms.CharField(
        label="Asked by (optional)",
        max_length=200,
        required=False,
        help_text='For example "Lead Member for Enforcement & Community Safety".',
    )
    lead = forms.CharField(
        label="Lead officer or presenter (optional)",
        max_length=200,
        required=False,
        help_text='For example "Community Safety Manager" or "Kent Police".',
    )
    recurrence = forms.ChoiceField(
        label="Does it recur?",
        choices=Recurrence.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Recurring business fills the next municipal year's plan by itself.",
    )
    key_decision = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Pre-decision scrutiny of a key decision (optional)",
        empty_label="None",
        help_text="A decision on the forward plan that the item looks at before it is taken.",
        error_messages={"invalid_choice": "Select a key decision from the list"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meetings=None, **kwargs):
        from .models import KeyDecision

        super().__init__(*args, **kwargs)
        self.fields["key_decision"].queryset = KeyDecision.objects.order_by("decision_date")
        self.fields["key_decision"].label_from_instance = lambda d: (
            f"{d.title} ({d.decision_taker}, {d.decision_date:%d/%m/%Y})"
        )
        if meetings is not None:
            self.fields["target_meeting"] = meeting_field("Meeting", meetings)
            self.fields["proposed"] = forms.BooleanField(
                label="Proposed: the committee has still to agree it",
                required=False,
            )
            self.order_fields(["topic", "description", "category", "target_meeting", "proposed"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["recurrence"] = data.get("recurrence") or Recurrence.NONE
        return data


class MoveForm(forms.Form):
    stale = False
    POSTPONE, MOVE = "postpone", "move"
    action = forms.ChoiceField(
        label="What is happening to the item?",
        choices=[
            (POSTPONE, "Postponed to a later meeting (or to be scheduled)"),
            (MOVE, "Moved to another meeting"),
        ],
        widget=forms.RadioSelect,
        initial=POSTPONE,
        error_messages={"required": "Select whether the item is postponed or moved"},
    )
    to_meeting = forms.Field()  # replaced in __init__ with the committee's meetings
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Kept in the item\u2019s history, for example "Postponed until July 2018 at '
        'the Chairman\u2019s request".',
        error_messages={"required": "Enter the reason"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_meeting"] = meeting_field("To", meetings)
        self.order_fields(["action", "to_meeting", "reason"])


class ReasonForm(forms.Form):
    stale = False
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Choices by id, where a value that is not an id the database can hold reads as a
    wrong choice rather than failing the page."""

    def _check_values(self, value):
        from scrutiny.params import id_param

        if any(id_param(v) is None for v in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super()._check_values(value)


class PlaceForm(forms.Form):
    """Which of the items planned for a meeting go onto its agenda."""

    items = IdsChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Items planned for this meeting",
        error_messages={
            "required": "Select the work plan items to put on the agenda",
            "invalid_choice": "Some of those items are no longer planned for this meeting: "
            "reload the page",
            "invalid_list": "Select the work plan items to put on the agenda",
            "invalid_pk_value": "Select the work plan items to put on the agenda",
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: item.topic


class RollForwardForm(forms.Form):
    year = forms.ChoiceField(
        label="Municipal year",
        error_messages={
            "required": "Select a municipal year",
            "invalid_choice": "Select a municipal year from the list",
        },
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = {str(start.year): start for start in years}
        self.fields["year"].choices = [
            (str(start.year), f"{start.year}-{(start.year + 1) % 100:02d}") for start in years
        ]

    def chosen(self):
        return self.years[self.cleaned_data["year"]]


class AgendaItemChoiceForm(forms.Form):
    """Which agenda item a generated paper goes on."""

    item = forms.ChoiceField(
        label="Agenda item",
        error_messages={
            "required": "Select the agenda item for the papers",
            "invalid_choice": "Select an agenda item from the list",
        },
    )

    def __init__(self, *args, items, **kwargs):
        from scrutiny.templatetags.council import council_date

        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        # No item is chosen for the co-ordinator: a paper on the wrong agenda is public.
        self.fields["item"].choices = [("", "Choose an agenda item")] + [
            (
                str(item.pk),
                f"{item.meeting.committee.name}, {council_date(item.meeting.starts_at)}: "
                f"{item.title}",
            )
            for item in items
        ]

    @property
    def has_items(self) -> bool:
        return bool(self.items)

    def chosen(self):
        return self.items[self.cleaned_data["item"]]


class PapersAttachForm(AgendaItemChoiceForm):
    with_report = forms.BooleanField(
        label="Also write the covering report (leave unticked if an officer has written one)",
        required=False,
        initial=True,
    )


class ActionForm(forms.Form):
    stale = False
    description = forms.CharField(
        label="What is asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is asked"},
    )
    owner_name = forms.CharField(
        label="Who must respond",
        max_length=200,
        help_text='For example "Community Safety Manager" or "Cabinet".',
        error_messages={"required": "Enter who must respond"},
    )
    owner_email = forms.EmailField(
        label="Their e-mail address, for the reminder (optional)",
        required=False,
        help_text="A reminder is sent a week before the due date.",
        error_messages={"invalid": "Enter an e-mail address like name@example.gov.uk"},
    )
    due_date = gds_date_field(
        label="Response due by", noun="date the response is due", example="29/09/2017"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_outcome: bool = False, **kwargs):
        from .models import ActionStatus

        super().__init__(*args, **kwargs)
        if with_outcome:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=ActionStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the status"},
            )
            self.fields["response"] = forms.CharField(
                label="Response (optional while awaiting one)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


def _narrative_field(label: str, help_text: str, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class AnnualReportForm(forms.Form):
    """The co-ordinator's words; the rest of the report comes from the record."""

    stale = False
    foreword = _narrative_field("Chairman's foreword", "Leave a blank line between paragraphs.")
    introduction = _narrative_field(
        "Introduction", "The committee's role and how it worked this year."
    )
    highlights = _narrative_field(
        "The year in summary",
        "What the committee looked at and what difference it made. The meetings, topics, "
        "resolutions and recommendations are listed after it from the minutes.",
        rows=8,
    )
    looking_ahead = _narrative_field(
        "Looking ahead",
        "The committee's priorities for next year. The business carried forward is listed "
        "after it from the work programme.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
