"""Forms for taking minutes, worded in the GDS pattern."""

from django import forms

from scrutiny.forms import gds_time_field
from scrutiny.markup import INLINE_MARKUP_HINT, MARKUP_HINT
from scrutiny.models import Person

from .models import (
    AttendanceCapacity,
    AttendanceStatus,
    InterestKind,
    MinuteOutcome,
)
from .services import ResolutionInput
from .text import html_to_plain


class MinuteForm(forms.Form):
    title = forms.CharField(
        label="Heading", max_length=300, error_messages={"required": "Enter the minute's heading"}
    )
    outcome = forms.ChoiceField(
        label="What happened to the item",
        choices=MinuteOutcome.choices,
        widget=forms.RadioSelect,
        initial=MinuteOutcome.TAKEN,
    )
    text = forms.CharField(
        label="Minute",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-autosave": "text"}),
        help_text=f"{MARKUP_HINT} Write \u201c[Min. No. 14 refers]\u201d to link to another "
        "minute.",
    )
    resolutions = forms.CharField(
        label="Resolutions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-autosave": "resolutions"}),
        help_text="One per line, without the number, each beginning \u201cThat\u201d. They are "
        f"printed under RESOLVED: and numbered 1, 2, 3. {INLINE_MARKUP_HINT}",
    )
    free_text = forms.BooleanField(
        label="Record resolutions that do not begin with \u201cThat\u201d as worded",
        required=False,
    )
    is_exempt = forms.BooleanField(
        label="This minute discloses exempt information",
        required=False,
        help_text="Only those entitled will read it; the public minutes carry the summary "
        "below instead. Leave unticked when the minute can be published in full, even "
        "for an item taken in closed session.",
    )
    public_summary = forms.CharField(
        label="Public summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_from(minute) -> dict:
        return {
            "title": minute.title,
            "outcome": minute.outcome,
            "text": html_to_plain(minute.text),
            "resolutions": "\n".join(r.text for r in minute.resolutions.all()),
            "free_text": any(r.is_free_text for r in minute.resolutions.all()),
            "is_exempt": minute.is_exempt,
            "public_summary": minute.public_summary,
            "based_on": minute.version,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        free = data["free_text"]
        return {
            "title": data["title"],
            "outcome": data["outcome"],
            "text": data["text"],
            "resolutions": [
                ResolutionInput(line, is_free_text=free and not line.strip().startswith("That"))
                for line in data["resolutions"].splitlines()
            ],
            "is_exempt": data["is_exempt"],
            "public_summary": data["public_summary"],
            "based_on": data["based_on"],
        }


class TakenWithForm(forms.Form):
    """An unwritten minute's item was taken together with another and minuted once, in
    the other's minute. `others` are the meeting's other minutes, each with a `label`
    (selectors.minutes_to_take_with); the cleaned value is the chosen minute."""

    taken_with = forms.ChoiceField(
        label="Taken with",
        help_text="This minute, which has nothing written in it, is removed, and the "
        "minutes after it are renumbered.",
        error_messages={
            "required": "Select the minute this item was taken with",
            "invalid_choice": "Select the minute this item was taken with",
        },
    )

    def __init__(self, *args, others: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {str(other.pk): other for other in others}
        self.fields["taken_with"].choices = [
            ("", "Select a minute"),
            *((pk, other.label) for pk, other in self.others.items()),
        ]

    def clean_taken_with(self):
        return self.others[self.cleaned_data["taken_with"]]


class ClosingTimeForm(forms.Form):
    closing_time = gds_time_field(
        label="The meeting closed at",
        required_message="Enter the time the meeting closed",
        noun="closing time",
        example="21:25",
    )


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Name",
        queryset=Person.objects.order_by("surname", "forenames"),
        empty_label="Select a person",
        error_messages={"required": "Select the person"},
    )
    capacity = forms.ChoiceField(label="Attending as", choices=AttendanceCapacity.choices)
    status = forms.ChoiceField(
        label="Attendance", choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT
    )
    role_note = forms.CharField(
        label="Shown after the name",
        required=False,
        max_length=200,
        help_text="For example \u201cChairman\u201d or \u201cPortfolio Holder for Community "
        "Development\u201d. Officers and guests show their job title when this is empty.",
    )
    portfolio = forms.CharField(
        label="Cabinet portfolio",
        required=False,
        max_length=200,
        help_text="For a Cabinet member, for example \u201cPortfolio Holder for Community "
        "Development\u201d.",
    )
    substitute_for = forms.ModelChoiceField(
        label="Substituting for",
        required=False,
        queryset=Person.objects.filter(kind="councillor").order_by("surname", "forenames"),
        empty_label="Not a substitute",
    )


class StatusForm(forms.Form):
    """One row of the register: present, apologies or absent."""

    status = forms.ChoiceField(choices=AttendanceStatus.choices, widget=forms.RadioSelect)


class DeclarationForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Member",
        queryset=Person.objects.filter(kind="councillor").order_by("surname", "forenames"),
        empty_label="Select a member",
        error_messages={"required": "Select the member who declared an interest"},
    )
    item = forms.ModelChoiceField(
        label="Item", queryset=None, required=False, empty_label="The meeting as a whole"
    )
    kind = forms.ChoiceField(
        label="Kind of interest",
        choices=[("", "Select the kind of interest"), *InterestKind.choices],
        error_messages={"required": "Select the kind of interest"},
    )
    nature = forms.CharField(
        label="Nature of the interest",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the nature of the interest"},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.exclude(kind="exclusion").order_by(
            "section", "position"
        )


class ChairmanApproveForm(forms.Form):
    """The Chairman's approval: nothing to type, but it can be refused (the minutes
    changed while he read them), and the refusal is shown as a form's error is."""


class ChairmanCommentsForm(forms.Form):
    comments = forms.CharField(
        label="What needs changing in the minutes?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Name the minute and say what it should say. The co-ordinator reads this "
        "and sends you the minutes again once they are changed.",
        error_messages={"required": "Enter your comments on the minutes"},
    )
