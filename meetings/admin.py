from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "venue", "status"]
    list_filter = ["committee", "status"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        # Staff who are not superusers list only the meetings of committees they serve.
        meetings = super().get_queryset(request)
        if request.user.is_superuser:
            return meetings
        from scrutiny.access import coordinated_committees

        return meetings.filter(committee__in=coordinated_committees(request.user))
