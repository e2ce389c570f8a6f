"""Under committees/<slug>/performance/ (scrutiny/urls.py)."""

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.SummaryView.as_view(), name="summary"),
    path("summary.csv", views.SummaryCsvView.as_view(), name="summary_csv"),
    path("indicators/<str:code>/", views.IndicatorView.as_view(), name="indicator"),
    path(
        "indicators/<str:code>/series.csv",
        views.IndicatorCsvView.as_view(),
        name="indicator_csv",
    ),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path("report/attach/", views.ReportAttachView.as_view(), name="report_attach"),
    path("uploads/", views.UploadListView.as_view(), name="upload_list"),
    path("uploads/new/", views.UploadView.as_view(), name="upload"),
    path("uploads/template.csv", views.UploadTemplateView.as_view(), name="upload_template"),
    path("uploads/<int:pk>/", views.UploadDetailView.as_view(), name="upload_detail"),
    path("uploads/<int:pk>/confirm/", views.UploadConfirmView.as_view(), name="upload_confirm"),
    path("uploads/<int:pk>/cancel/", views.UploadCancelView.as_view(), name="upload_cancel"),
    path("uploads/<int:pk>/revert/", views.UploadRevertView.as_view(), name="upload_revert"),
    path("data-officers/", views.DataOfficerListView.as_view(), name="data_officers"),
    path(
        "data-officers/<int:user_pk>/remove/",
        views.DataOfficerRemoveView.as_view(),
        name="data_officer_remove",
    ),
]
