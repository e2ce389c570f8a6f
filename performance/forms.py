"""Forms for performance data, worded in the GDS pattern: the quarter and area a
summary is read for, a file of observations, and the officers who upload them."""

from django import forms
from django.template.defaultfilters import filesizeformat

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
