from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "venue", "status"]
    list_filter = ["committee", "status"]
    list_select_related = ["committee"]
    date_hierarchy = "starts_at"
