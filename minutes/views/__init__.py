"""Minutes pages: the public minutes, the co-ordinator's minute-taking pages and the
Chairman's review."""

from .editing import (
    AttendanceView,
    MinuteConfirmView,
    MinuteEditView,
    MinuteHistoryView,
    MinutesEditView,
)
from .public import (
    DecisionListView,
    MinutesDetailView,
    MinutesPdfView,
)
from .review import (
    MinutesReviewView,
)

__all__ = [
    "AttendanceView",
    "DecisionListView",
    "MinuteConfirmView",
    "MinuteEditView",
    "MinuteHistoryView",
    "MinutesDetailView",
    "MinutesEditView",
    "MinutesPdfView",
    "MinutesReviewView",
]
