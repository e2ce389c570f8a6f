"""The performance pages: reading the figures (reading.py), the quarterly report
(report.py), uploading the figures (uploads.py) and naming who uploads (officers.py)."""

from .officers import DataOfficerListView, DataOfficerRemoveView
from .reading import IndicatorCsvView, IndicatorView, SummaryCsvView, SummaryView
from .report import ReportAttachView, ReportPdfView, ReportView
from .uploads import (
    UploadCancelView,
    UploadConfirmView,
    UploadDetailView,
    UploadListView,
    UploadRevertView,
    UploadTemplateView,
    UploadView,
)

__all__ = [
    "DataOfficerListView",
    "DataOfficerRemoveView",
    "IndicatorCsvView",
    "IndicatorView",
    "ReportAttachView",
    "ReportPdfView",
    "ReportView",
    "SummaryCsvView",
    "SummaryView",
    "UploadCancelView",
    "UploadConfirmView",
    "UploadDetailView",
    "UploadListView",
    "UploadRevertView",
    "UploadTemplateView",
    "UploadView",
]
