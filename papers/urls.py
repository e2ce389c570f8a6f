from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path(
        "<int:pk>/pdf/",
        views.DocumentDownloadView.as_view(as_pdf=True),
        name="document_pdf",
    ),
    path(
        "<int:pk>/versions/<int:number>/download/",
        views.DocumentDownloadView.as_view(),
        name="version_download",
    ),
    path(
        "<int:pk>/versions/<int:number>/release/",
        views.VersionReleaseView.as_view(),
        name="version_release",
    ),
    path("<int:pk>/exemption/", views.DocumentExemptionView.as_view(), name="document_exemption"),
    path("<int:pk>/replace/", views.DocumentReplaceView.as_view(), name="document_replace"),
    path("<int:pk>/edit/", views.ReportWriteView.as_view(), name="report_edit"),
    path("<int:pk>/remove/", views.DocumentRemoveView.as_view(), name="document_remove"),
    path("items/<int:item_pk>/upload/", views.DocumentUploadView.as_view(), name="upload"),
    path("items/<int:item_pk>/report/", views.ReportWriteView.as_view(), name="report_write"),
    path(
        "items/<int:item_pk>/request/",
        views.ReportRequestCreateView.as_view(),
        name="request_create",
    ),
    path("requests/", views.ReportRequestListView.as_view(), name="request_list"),
    path("requests/<int:pk>/", views.ReportRequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:request_pk>/upload/",
        views.DocumentUploadView.as_view(),
        name="request_upload",
    ),
    path(
        "requests/<int:request_pk>/write/",
        views.ReportWriteView.as_view(),
        name="request_write",
    ),
]
