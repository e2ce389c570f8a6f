from django.urls import path

from scrutiny.fragments import kept_for_everyone

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("calendar/", views.MeetingCalendarView.as_view(), name="calendar"),
    path(
        "calendar/<int:year>/<int:month>/",
        views.MeetingCalendarView.as_view(),
        name="calendar_month",
    ),
    path("meetings.ics", kept_for_everyone(views.CalendarFeedView.as_view()), name="feed_all"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(
        "<int:meeting_pk>/items/<int:pk>/",
        views.AgendaItemDetailView.as_view(),
        name="item_detail",
    ),
    path(
        "<int:meeting_pk>/items/<int:pk>/reasons-restricted/",
        views.ReasonsRestrictedView.as_view(),
        name="reasons_restricted",
    ),
    # The co-ordinator's agenda builder.
    path("<int:meeting_pk>/agenda/", views.AgendaBuilderView.as_view(), name="agenda_builder"),
    path(
        "<int:meeting_pk>/agenda/order/", views.AgendaReorderView.as_view(), name="agenda_reorder"
    ),
    path("<int:meeting_pk>/agenda/publish/", views.AgendaPublishView.as_view(), name="publish"),
    path("<int:meeting_pk>/items/new/", views.AgendaItemCreateView.as_view(), name="item_add"),
    path(
        "<int:meeting_pk>/items/<int:pk>/edit/",
        views.AgendaItemUpdateView.as_view(),
        name="item_edit",
    ),
    path(
        "<int:meeting_pk>/items/<int:pk>/remove/",
        views.AgendaItemRemoveView.as_view(),
        name="item_remove",
    ),
    path(
        "<int:meeting_pk>/items/<int:pk>/move/",
        views.AgendaItemMoveView.as_view(),
        name="item_move",
    ),
]
