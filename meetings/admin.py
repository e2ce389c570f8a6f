from django.contrib import admin
from django.db import transaction

from scrutiny import access
from scrutiny.admin import CommitteeScopedAdmin

from .models import ExemptionWording, Meeting
from .services import exemption_wording_set


@admin.register(Meeting)
class MeetingAdmin(CommitteeScopedAdmin):
    """Staff who are not superusers list the meetings of committees they serve and read
    them here; agendas are built, published and changed in the agenda builder, where
    the services keep the rules (a status set here would skip them)."""

    list_display = ["__str__", "starts_at", "venue", "status"]
    list_filter = ["committee", "status"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"
    # Archiving and legal holds are made on the retention page, which logs them.
    readonly_fields = [
        "papers_archived_at",
        "papers_archived_by",
        "legal_hold_reason",
        "legal_hold_at",
        "legal_hold_by",
    ]

    def has_add_permission(self, request):
        return access.can_change_entitlements_in_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return access.can_change_entitlements_in_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.can_change_entitlements_in_admin(request.user)


@admin.register(ExemptionWording)
class ExemptionWordingAdmin(admin.ModelAdmin):
    """The council's words for each paragraph of Schedule 12A in the resolution that
    excludes the press and public; a paragraph left out keeps the words of the Act."""

    list_display = ["paragraph", "wording"]

    def get_readonly_fields(self, request, obj=None):
        return ["paragraph"] if obj else []

    def save_model(self, request, obj, form, change):
        # Through the service, so that draft agendas take up the new wording.
        obj.pk = exemption_wording_set(paragraph=obj.paragraph, wording=obj.wording).pk

    # Deleting a wording is clearing it: through the service too, so that draft agendas
    # go back to the words of the Act rather than keep a wording that no longer exists.
    def delete_model(self, request, obj):
        exemption_wording_set(paragraph=obj.paragraph, wording="")

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for paragraph in list(queryset.values_list("paragraph", flat=True)):
            exemption_wording_set(paragraph=paragraph, wording="")
