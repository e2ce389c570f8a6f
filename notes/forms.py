from django import forms

from .models import NOTE_MAX_LENGTH


class NoteForm(forms.Form):
    stale = False
    # The length is checked on the text as stored (a line break is one character), as
    # the browser counts it.
    text = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text="Only you can read it. It is kept with your account, whatever device you use.",
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(document.pk): document for document in documents}
        if self.documents:
            self.fields["document"] = forms.ChoiceField(
                label="About",
                required=False,
                choices=[("", "The item as a whole")]
                + [(pk, document.title) for pk, document in self.documents.items()],
                error_messages={"invalid_choice": "Select a paper of this item"},
            )

    def chosen_document(self):
        return self.documents.get(self.cleaned_data.get("document") or "")


VERSION_ERRORS = {
    "required": "This form is incomplete: open the note again from its item",
    "invalid": "This form is incomplete: open the note again from its item",
    "min_value": "This form is incomplete: open the note again from its item",
}


class NoteEditForm(forms.Form):
    stale = False
    text = NoteForm.base_fields["text"]
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS
    )


class NoteDeleteForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS
    )
