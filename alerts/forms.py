from django import forms

from .models import Topic


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    topics = forms.MultipleChoiceField(
        label="Tell me when",
        choices=Topic.choices,
        initial=Topic.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing to be told about"},
    )
