from django.contrib import admin

from scrutiny import access
from scrutiny.admin import CommitteeScopedAdmin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(CommitteeScopedAdmin):
    """Staff who are not superusers list the meetings of committees they serve and read
    them here; agendas are built, published and changed in the agenda builder, where
    the services keep the rules (a status set here would skip them)."""

    list_display = ["__str__", "starts_at", "venue", "status"]
    list_filter = ["committee", "status"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return access.can_change_entitlements_in_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return access.can_change_entitlements_in_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.can_change_entitlements_in_admin(request.user)
