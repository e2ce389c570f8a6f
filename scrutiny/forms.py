"""Account forms, worded in the GDS pattern: labels as plain words, errors that
say what to do."""

from django import forms
from django.contrib.auth import forms as auth_forms


class LoginForm(auth_forms.AuthenticationForm):
    """Username and password. Repeated failures are refused by django-axes, whose
    backend runs before the password is checked (settings.AXES_*)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Contact Member Services.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to reset your password if an account uses this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetNewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


def gds_date_field(*, label: str, noun: str, example: str, help_text: str = "", **kwargs):
    """A date entered with the browser's date picker or typed as dd/mm/yyyy, with GDS
    messages naming what is asked for: "Enter the meeting date"."""
    return forms.DateField(
        label=label,
        help_text=help_text or f"For example, {example}",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the {noun}",
            "invalid": f"Enter the {noun} as a real date, like {example}",
        },
        **kwargs,
    )


def gds_time_field(*, label: str, required_message: str, noun: str, example: str, **kwargs):
    """A time of day from the browser's time picker, with GDS messages."""
    return forms.TimeField(
        label=label,
        help_text=f"For example, {example}",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": required_message,
            "invalid": f"Enter the {noun} as hours and minutes, like {example}",
        },
        **kwargs,
    )


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "Enter the 6-digit code your app shows now"},
    )
