from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path(
        "<int:meeting_pk>/packs/<str:kind>.pdf",
        views.PackDownloadView.as_view(),
        name="pack_download",
    ),
    path("<int:meeting_pk>/packs/rebuild/", views.PackRebuildView.as_view(), name="rebuild"),
]
