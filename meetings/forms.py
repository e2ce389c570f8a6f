"""Forms of the agenda builder, worded in the GDS pattern."""

import datetime

from django import forms
from django.utils import timezone

from scrutiny.forms import gds_date_field, gds_time_field

from .law import ExemptParagraph
from .models import AgendaItem, ItemOrigin


class MeetingForm(forms.Form):
    date = gds_date_field(label="Date", noun="meeting date", example="21/02/2018")
    time = gds_time_field(
        label="Start time",
        required_message="Enter the start time",
        noun="start time",
        example="19:00",
    )
    venue = forms.CharField(
        label="Venue",
        max_length=200,
        error_messages={"required": "Enter the venue"},
    )

    def starts_at(self) -> datetime.datetime:
        naive = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class AgendaItemForm(forms.ModelForm):
    is_exempt = forms.BooleanField(
        label="This item contains exempt information (Schedule 12A)",
        required=False,
        help_text="Exempt items are taken after the exclusion of the press and public and "
        "lettered A, B, C.",
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Schedule 12A paragraph",
        choices=ExemptParagraph.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "purpose",
            "is_exempt",
            "exempt_paragraph",
            "full_title",
            "exempt_reason",
            "public_interest_reasoning",
            "origin",
            "origin_detail",
        ]
        labels = {
            "title": "Title",
            "purpose": "Purpose",
            "full_title": "Full title (seen only by those entitled)",
            "exempt_reason": "Reason the item is exempt",
            "public_interest_reasoning": "Public interest test",
            "origin": "Where the item comes from",
            "origin_detail": "Reference",
        }
        help_texts = {
            "title": "For an exempt item, the public title: what everyone sees. "
            "Do not give away the exempt information.",
            "purpose": "What the committee is asked to do, for example "
            "\u201cTo note the updated Committee Work Plan\u201d.",
            "exempt_reason": "Shown to the public on the item's \u201creasons restricted\u201d "
            "page, for example \u201cThe data was supplied to the Council in confidence\u201d.",
            "public_interest_reasoning": "Why the public interest in keeping the information "
            "exempt outweighs the public interest in disclosing it. Shown to the public.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "exempt_reason": forms.Textarea(attrs={"rows": 2}),
            "public_interest_reasoning": forms.Textarea(attrs={"rows": 3}),
            "origin": forms.Select,
        }
        error_messages = {"title": {"required": "Enter the item's title"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        standard = self.instance.pk and self.instance.kind != "business"
        if standard:
            # Standard items stay in the public part with their usual place.
            for name in (
                "is_exempt",
                "exempt_paragraph",
                "full_title",
                "exempt_reason",
                "public_interest_reasoning",
                "origin",
                "origin_detail",
            ):
                del self.fields[name]
        else:
            if self.instance.pk:
                self.fields["is_exempt"].initial = self.instance.is_exempt
            # Work programme items come from the plan, linked (the agenda builder's "From
            # the work programme"); a typed origin is for references from elsewhere.
            kept = {"", ItemOrigin.REFERENCE, self.instance.origin}
            self.fields["origin"].choices = [c for c in ItemOrigin.choices if c[0] in kept]
            self.fields["origin"].help_text = (
                "Items from the work programme are added from the agenda builder, linked "
                "to their work plan item."
            )

    def clean(self):
        data = super().clean()
        if "is_exempt" not in self.fields:
            return data
        if data.get("is_exempt"):
            if not data.get("exempt_paragraph"):
                self.add_error("exempt_paragraph", "Select a Schedule 12A paragraph")
            if not (data.get("exempt_reason") or "").strip():
                self.add_error("exempt_reason", "Enter the reason the item is exempt")
            if not (data.get("public_interest_reasoning") or "").strip():
                self.add_error(
                    "public_interest_reasoning", "Enter why the public interest favours exemption"
                )
        else:
            data["exempt_paragraph"] = None
        return data

    def _post_clean(self):
        # The service applies the values and validates the model; the form only checks input.
        pass

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.fields if name != "is_exempt"}
        return fields


class PublishForm(forms.Form):
    late_reason = forms.CharField(
        label="The chair's reason for taking the agenda with less than five clear days' notice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when publishing after the publication date. Shown on the agenda "
        "and carried into the minutes.",
    )
    confirm_past = forms.BooleanField(
        label="I confirm that this meeting has already taken place and its agenda is being "
        "published for the record",
        required=False,
    )


class ReorderForm(forms.Form):
    """The order of one part of the agenda after a drag and drop: item ids, top first."""

    item = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.pk, item.pk) for item in items]
