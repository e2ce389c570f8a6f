"""The forward plan's entries are kept by Member Services in the admin: key decisions
(checked against the notice rules by the service) and the Cabinet members the notice
lists. Both are public."""

from django import forms
from django.contrib import admin

from scrutiny import access

from .models import ExecutiveMember, KeyDecision
from .services import key_decision_errors, key_decision_save


class MemberServicesAdmin(admin.ModelAdmin):
    """Co-ordinators (Member Services) and superusers keep these."""

    def _may(self, request) -> bool:
        user = request.user
        return user.is_superuser or access.has_role(user, access.Role.COORDINATOR)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request)


class KeyDecisionForm(forms.ModelForm):
    class Meta:
        model = KeyDecision
        fields = [
            "title",
            "summary",
            "decision_taker",
            "decision_date",
            "further_decision",
            "consultation",
            "background_papers",
            "author_name",
            "author_title",
            "author_phone",
            "author_email",
            "is_closed",
            "exempt_paragraph",
            "closed_reason",
            "first_notice_on",
            "late_notice_reason",
        ]

    def _post_clean(self):
        # The instance now holds what was typed: the notice rules speak of it by field.
        super()._post_clean()
        for field, message in key_decision_errors(self.instance).items():
            if field in self.fields:
                self.add_error(field, message)


@admin.register(KeyDecision)
class KeyDecisionAdmin(MemberServicesAdmin):
    form = KeyDecisionForm
    list_display = ["title", "decision_taker", "decision_date", "first_notice_on", "is_closed"]
    list_filter = ["is_closed", "decision_taker"]
    date_hierarchy = "decision_date"
    search_fields = ["title", "summary"]

    def save_model(self, request, obj, form, change):
        key_decision_save(decision=obj)


@admin.register(ExecutiveMember)
class ExecutiveMemberAdmin(MemberServicesAdmin):
    list_display = ["name", "portfolio", "position"]
    list_editable = ["position"]
