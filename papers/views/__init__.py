"""Pages for papers: upload, covering reports, versions, downloads, report requests.

Every read asks the access policy (`scrutiny.access`); every write is a service call.
"""

from .editing import (
    DocumentExemptionView,
    DocumentRemoveView,
    DocumentReplaceView,
    DocumentUploadView,
    VersionReleaseView,
)
from .reading import DocumentDetailView, DocumentDownloadView
from .reports import (
    ReportRequestCreateView,
    ReportRequestDetailView,
    ReportRequestListView,
    ReportWriteView,
)

__all__ = [
    "DocumentDetailView",
    "DocumentDownloadView",
    "DocumentExemptionView",
    "DocumentRemoveView",
    "DocumentReplaceView",
    "DocumentUploadView",
    "ReportRequestCreateView",
    "ReportRequestDetailView",
    "ReportRequestListView",
    "ReportWriteView",
    "VersionReleaseView",
]
