from django.urls import path

from . import views

app_name = "minutes"

urlpatterns = [
    path("<int:meeting_pk>/minutes/", views.MinutesDetailView.as_view(), name="minutes_detail"),
    path("<int:meeting_pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:meeting_pk>/minutes/edit/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        "<int:meeting_pk>/minutes/review/",
        views.MinutesReviewView.as_view(),
        name="minutes_review",
    ),
    path(
        "<int:meeting_pk>/minutes/attendance/",
        views.AttendanceView.as_view(),
        name="attendance",
    ),
    path(
        "<int:meeting_pk>/minutes/<int:pk>/edit/",
        views.MinuteEditView.as_view(),
        name="minute_edit",
    ),
    path(
        "<int:meeting_pk>/minutes/<int:pk>/history/",
        views.MinuteHistoryView.as_view(),
        name="minute_history",
    ),
    path(
        "<int:meeting_pk>/minutes/<int:pk>/confirm/",
        views.MinuteConfirmView.as_view(),
        name="minute_confirm",
    ),
]
