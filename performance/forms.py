"""Forms for performance data, worded in the GDS pattern: the quarter and area a
summary is read for, a file of observations, and the officers who upload them."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .files import max_bytes
from .models import Area, PeriodKey


class SummaryChoiceForm(forms.Form):
    """Which area and quarter to read (a GET form: it changes nothing)."""

    area = forms.ChoiceField(
        label="Area", error_messages={"invalid_choice": "Select an area from the list"}
    )
    quarter = forms.ChoiceField(
        label="Quarter",
        error_messages={"invalid_choice": "Select a quarter from the list"},
    )

    def __init__(self, *args, areas: list[Area], quarters: list[PeriodKey], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {area.code: area for area in areas}
        self.quarters = {quarter.label: quarter for quarter in quarters}
        self.fields["area"].choices = [(area.code, area.name) for area in areas]
        self.fields["quarter"].choices = [
            (quarter.label, f"{quarter.label} ({quarter.months_label})") for quarter in quarters
        ]

    def chosen(self) -> tuple[Area, PeriodKey]:
        return self.areas[self.cleaned_data["area"]], self.quarters[self.cleaned_data["quarter"]]


class AreaChoiceForm(forms.Form):
    """Which area an indicator's series is read for."""

    area = forms.ChoiceField(
        label="Area", error_messages={"invalid_choice": "Select an area from the list"}
    )

    def __init__(self, *args, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {area.code: area for area in areas}
        self.fields["area"].choices = [(area.code, area.name) for area in areas]

    def chosen(self) -> Area:
        return self.areas[self.cleaned_data["area"]]


class ObservationUploadForm(forms.Form):
    file = forms.FileField(
        label="File of figures",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
        },
    )
    note = forms.CharField(
        label="What the file holds",
        required=False,
        max_length=500,
        help_text="For example \u201cQ1 return, with Q4 restated as audited\u201d. Shown in "
        "the list of uploads.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A CSV file (UTF-8 or Windows-1252) or an Excel workbook (XLSX), smaller than "
            f"{filesizeformat(max_bytes())}, with the columns indicator, area, period and "
            "value, and status and note if you use them. Row 1 names the columns."
        )
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


class DataOfficerForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Which officer will upload the partnership's figures?",
        queryset=None,
        empty_label="Select an officer",
        help_text="Only people with the Officer role are listed.",
        error_messages={
            "required": "Select an officer",
            "invalid_choice": "Select an officer from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = _officer_label


def _officer_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class ReportAttachForm(forms.Form):
    """Put the quarterly report on an agenda item. The items are grouped by meeting; a
    report carrying confidential indicators asks for the paragraph its item is exempt
    under, and the reason, unless the item already gives one."""

    item = forms.TypedChoiceField(
        label="Agenda item",
        coerce=int,
        error_messages={
            "required": "Select the agenda item the report goes to",
            "invalid_choice": "Select an agenda item from the list: items of meetings still "
            "to be held",
        },
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Exempt under Schedule 12A",
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        help_text="For an item that is public now: it becomes exempt under this paragraph. An "
        "exempt item keeps its own paragraph, and the report takes it.",
        error_messages={"invalid_choice": "Select paragraph 3 or 7"},
    )
    exempt_reason = forms.CharField(
        label="Reason the item is exempt",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For an item that is public now; shown to the public on it. An exempt item "
        "keeps its own.",
    )
    public_interest_reasoning = forms.CharField(
        label="Public interest test",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For an item that is public now: why the public interest in keeping the "
        "information exempt outweighs the public interest in disclosing it.",
    )

    def __init__(
        self,
        *args,
        items: list,
        is_exempt: bool,
        paragraphs,
        default_reason: str,
        default_public_interest: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        groups: dict = {}
        for item in items:
            meeting = f"Meeting of {timezone.localtime(item.meeting.starts_at):%-d %B %Y}"
            label = f"Item {item.number}: {item.title}"
            if item.is_exempt:
                label += f" (exempt, paragraph {item.exempt_paragraph})"
            groups.setdefault(meeting, []).append((item.pk, label))
        self.fields["item"].choices = [("", "Select an item"), *groups.items()]
        self.is_exempt = is_exempt
        for name in ("exempt_paragraph", "exempt_reason", "public_interest_reasoning"):
            self.fields[name].conditional = True  # needed for a public item: the hint says
        if is_exempt:
            self.fields["exempt_paragraph"].choices = [(p.value, p.label) for p in paragraphs]
            self.fields["exempt_reason"].initial = default_reason
            self.fields["public_interest_reasoning"].initial = default_public_interest
        else:
            for name in ("exempt_paragraph", "exempt_reason", "public_interest_reasoning"):
                del self.fields[name]

    def chosen_item(self):
        return self.items[self.cleaned_data["item"]]
