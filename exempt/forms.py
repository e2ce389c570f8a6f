from django import forms
from django.contrib.auth import get_user_model

from meetings.models import AgendaItem, AgendaSection, Meeting
from scrutiny import access
from scrutiny.forms import gds_date_field
from scrutiny.models import Committee


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        person = getattr(user, "person", None)
        return person.display_name if person else (user.get_full_name() or user.username)


class GrantForm(forms.Form):
    user = UserChoiceField(
        label="Who",
        queryset=get_user_model().objects.none(),
        empty_label="Select a person",
        error_messages={"required": "Select who may read the exempt papers"},
    )
    committee = forms.ModelChoiceField(
        label="A whole committee",
        queryset=Committee.objects.none(),
        required=False,
        empty_label="(not a whole committee)",
    )
    meeting = forms.ModelChoiceField(
        label="Or one meeting",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="(not one meeting)",
    )
    item = forms.ModelChoiceField(
        label="Or one exempt item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="(not one item)",
    )
    reason = forms.CharField(
        label="Why they need to know",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why this person needs to know"},
    )
    expires_on = gds_date_field(label="Until", noun="expiry date", example="31/03/2018")

    def __init__(self, *args, committees, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .select_related("person")
            .order_by("last_name", "username")
        )
        self.fields["committee"].queryset = committees
        # Meetings and items the granting user may see: a draft agenda's items are
        # offered only to its co-ordinators, and titles are as the policy shows them.
        self.fields["meeting"].queryset = (
            access.visible_meetings(Meeting.objects.filter(committee__in=committees), user)
            .select_related("committee")
            .order_by("-starts_at")
        )
        self.fields["item"].queryset = (
            access.visible_meetings(
                AgendaItem.objects.filter(
                    meeting__committee__in=committees, section=AgendaSection.EXEMPT
                ),
                user,
                prefix="meeting__",
            )
            .select_related("meeting__committee")
            .order_by("-meeting__starts_at", "position")
        )
        self.fields["meeting"].label_from_instance = str
        self.fields["item"].label_from_instance = lambda item: (
            f"{access.item_title(user, item)} ({item.meeting})"
        )

    def clean(self):
        data = super().clean()
        scopes = [data.get(name) for name in ("committee", "meeting", "item")]
        if sum(scope is not None for scope in scopes) != 1:
            self.add_error("committee", "Select one committee, one meeting or one item")
        return data


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why you need to read this item",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the matter concerns your ward. The committee's co-ordinator "
        "decides, and you will be told.",
        error_messages={"required": "Enter why you need to read this item"},
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note to the councillor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when refusing.",
    )
