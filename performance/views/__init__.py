"""The performance pages: reading the figures (reading.py), uploading them (uploads.py)
and naming who uploads (officers.py)."""

from .officers import DataOfficerListView, DataOfficerRemoveView
from .reading import IndicatorCsvView, IndicatorView, SummaryCsvView, SummaryView
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
