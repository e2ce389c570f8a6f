from django.urls import path

from . import views

app_name = "exempt"

urlpatterns = [
    path("grants/", views.GrantListView.as_view(), name="grant_list"),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("log/", views.AccessLogView.as_view(), name="access_log"),
    path(
        "items/<int:item_pk>/request/",
        views.AccessRequestCreateView.as_view(),
        name="request_create",
    ),
]
