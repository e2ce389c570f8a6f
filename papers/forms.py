"""Forms for papers, worded in the GDS pattern."""

from django import forms
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat

from meetings.law import ExemptParagraph
from scrutiny.access import Role
from scrutiny.forms import gds_date_field
from scrutiny.markup import INLINE_MARKUP_HINT, MARKUP_HINT

from .files import max_upload_bytes
from .reports import BACKGROUND_PAPER_COLUMNS, IMPLICATIONS

# Under each text section of a covering report: the markup, and what the numbering does.
REPORT_TEXT_HINT = (
    f"{MARKUP_HINT} Paragraphs are numbered for you; one you start with your own number, "
    "such as \u201c3.1\u201d, keeps it."
)

RISK_HINT = (
    "What could go wrong, and what would follow if the committee did not agree the recommendations."
)

FILE_HELP = (
    "A PDF, Word (DOCX or DOC), RTF, Excel (XLSX) or PowerPoint (PPTX) file, smaller than {}."
)


class ExemptionFields(forms.Form):
    """Whether a paper on a public item is itself exempt, such as an exempt appendix."""

    is_exempt = forms.BooleanField(
        label="This document contains exempt information (Schedule 12A)",
        required=False,
        help_text="The public will see that an exempt document exists, but not its title.",
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Schedule 12A paragraph",
        choices=[("", "Select a paragraph"), *ExemptParagraph.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and item.is_exempt:
            # Everything on an exempt item is exempt already.
            del self.fields["is_exempt"]
            del self.fields["exempt_paragraph"]

    def clean(self):
        data = super().clean()
        if data.get("is_exempt") and not data.get("exempt_paragraph"):
            self.add_error("exempt_paragraph", "Select a Schedule 12A paragraph")
        return data

    def exemption(self) -> dict:
        if "is_exempt" not in self.fields:
            return {}
        return {
            "is_exempt": self.cleaned_data["is_exempt"],
            "exempt_paragraph": self.cleaned_data["exempt_paragraph"],
        }


class DocumentExemptionForm(ExemptionFields):
    """Change whether a paper of a public item is exempt, after it was added."""

    def __init__(self, *args, document, **kwargs):
        # The document's state as it is, whatever initial data the view passes (a form
        # view passes an empty dict, which must not stand for "public").
        kwargs["initial"] = {
            **(kwargs.get("initial") or {}),
            "is_exempt": document.is_exempt,
            "exempt_paragraph": document.exempt_paragraph,
        }
        super().__init__(*args, item=document.item, **kwargs)
        self.fields["is_exempt"].help_text = (
            "Made exempt, the document and every version of it are withdrawn from the public "
            "at once, and the public agenda pack is rebuilt without it. Made public, only the "
            "current version becomes public: earlier versions stay restricted until you "
            "release them one by one."
        )


def _file_field():
    return forms.FileField(
        label="File",
        help_text=FILE_HELP.format(filesizeformat(max_upload_bytes())),
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
        },
    )


class DocumentUploadForm(ExemptionFields):
    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="As readers will see it, for example \u201cAppendix A - D-TAC Business Plan "
        "2016-18\u201d.",
        error_messages={"required": "Enter the document's title"},
    )
    file = _file_field()
    field_order = ["title", "file", "is_exempt", "exempt_paragraph"]


class DocumentReplaceForm(forms.Form):
    file = _file_field()
    change_note = forms.CharField(
        label="What has changed",
        max_length=300,
        help_text="Readers see this beside the new version, for example \u201cCorrected "
        "figures in table 2\u201d.",
        error_messages={"required": "Enter what has changed in this version"},
    )


class CoveringReportForm(ExemptionFields):
    title = forms.CharField(
        label="Report title",
        max_length=300,
        help_text="As it heads the report, for example \u201cCommunity Safety Performance "
        "Report\u201d.",
        error_messages={"required": "Enter the report's title"},
    )
    summary = forms.CharField(
        label="1. Summary",
        help_text="What the report is about, in a sentence or two, for example \u201cTo note "
        f"the Quarterly Performance Report of the Community Safety Partnership\u201d. "
        f"{REPORT_TEXT_HINT}",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the summary of the report"},
    )
    recommendations = forms.CharField(
        label="2. Recommendations",
        help_text="One recommendation per line, for example \u201cThat the Committee notes "
        f"the report\u201d. {INLINE_MARKUP_HINT}",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter at least one recommendation"},
    )
    background = forms.CharField(
        label="3. Background and discussion",
        required=False,
        help_text="What members need to know to decide: the facts, the evidence and the "
        f"options. {REPORT_TEXT_HINT}",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    corporate_plan = forms.CharField(
        label="4. Relationship to the Corporate Plan",
        required=False,
        help_text="The Corporate Plan objective the report serves, for example \u201cSafer "
        f"Communities \u2013 To create a safer Borough in which to live, work and "
        f"socialise\u201d. {REPORT_TEXT_HINT}",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confidence = forms.CharField(
        label="6. Obligation of confidence",
        required=False,
        help_text="Only where information in the report or its appendices was given in "
        f"confidence. {REPORT_TEXT_HINT}",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    appendices = forms.CharField(
        label="7. Appendices",
        required=False,
        help_text=f"One appendix per line. {INLINE_MARKUP_HINT}",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    change_note = forms.CharField(
        label="What has changed",
        max_length=300,
        required=False,
        help_text="For a new version: readers see this beside it.",
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in IMPLICATIONS:
            self.fields[f"implication_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=1000,
                help_text="Leave empty for \u201cNone\u201d." if key != "risk" else RISK_HINT,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        if not revising:
            del self.fields["change_note"]
        else:
            # A new version changes the text only. The title is the document's, not the
            # version's: changed here it would retitle every earlier version and the
            # published agenda with no record of it (an uploaded paper keeps its title
            # when replaced, too). Exemption is the co-ordinator's decision, made on the
            # exemption page, which withdraws the packs at once. Offered here, both
            # would be ignored while the page said the report was saved.
            for name in ("title", "is_exempt", "exempt_paragraph"):
                self.fields.pop(name, None)
            self.fields["change_note"].required = True
            self.fields["change_note"].error_messages["required"] = (
                "Enter what has changed in this version"
            )
        order = [
            "title",
            "summary",
            "recommendations",
            "background",
            "corporate_plan",
            *[f"implication_{key}" for key, _ in IMPLICATIONS],
            "confidence",
            "appendices",
            "is_exempt",
            "exempt_paragraph",
            "change_note",
            "based_on",
        ]
        self.order_fields(order)

    @staticmethod
    def initial_from(title: str, content: dict, version: int) -> dict:
        initial = {
            "title": title,
            "summary": content.get("summary", ""),
            "recommendations": "\n".join(content.get("recommendations", [])),
            "background": content.get("background", ""),
            "corporate_plan": content.get("corporate_plan", ""),
            "confidence": content.get("confidence", ""),
            "appendices": "\n".join(content.get("appendices", [])),
            "based_on": version,
        }
        for key, _label in IMPLICATIONS:
            value = content.get("implications", {}).get(key, "")
            initial[f"implication_{key}"] = "" if value == "None" else value
        return initial

    def content(self, background_papers: list[dict]) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "recommendations": data["recommendations"],
            "background": data["background"],
            "corporate_plan": data["corporate_plan"],
            "confidence": data["confidence"],
            "appendices": data["appendices"],
            "implications": {key: data[f"implication_{key}"] for key, _ in IMPLICATIONS},
            "background_papers": background_papers,
        }


class BackgroundPaperForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in BACKGROUND_PAPER_COLUMNS:
            self.fields[key] = forms.CharField(label=label, required=False, max_length=300)


BackgroundPaperFormSet = forms.formset_factory(BackgroundPaperForm, extra=2, max_num=30)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        person = getattr(user, "person", None)
        if person is not None:
            job = f", {person.job_title}" if person.job_title else ""
            return f"{person.display_name}{job}"
        return user.get_full_name() or user.get_username()


class ReportRequestForm(forms.Form):
    officer = OfficerChoiceField(
        label="Officer",
        queryset=get_user_model().objects.none(),
        empty_label="Select an officer",
        error_messages={"required": "Select the officer who will write the report"},
    )
    deadline = gds_date_field(
        label="Deadline",
        noun="deadline",
        example="07/02/2018",
        help_text="Ten working days before the meeting unless you change it.",
    )
    instructions = forms.CharField(
        label="What the report should cover",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.OFFICER, is_active=True)
            .select_related("person")
            .order_by("last_name", "first_name", "username")
        )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What the officer needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the officer needs to change"},
    )
