"""Meeting pages: the public agenda, the item page, the calendar and feeds, and the
co-ordinator's agenda builder. Views are thin: services write, selectors read."""

from .builder import (
    AgendaBuilderView,
    AgendaItemCreateView,
    AgendaItemMoveView,
    AgendaItemRemoveView,
    AgendaItemUpdateView,
    AgendaPublishView,
    AgendaReorderView,
    MeetingCreateView,
)
from .public import (
    AgendaItemDetailView,
    CalendarFeedView,
    MeetingCalendarView,
    MeetingDetailView,
    MeetingListView,
    ReasonsRestrictedView,
)
from .retention import (
    LegalHoldLiftView,
    LegalHoldPlaceView,
    PapersArchiveView,
    PapersRestoreView,
    RetentionListView,
)

__all__ = [
    "AgendaBuilderView",
    "AgendaItemCreateView",
    "AgendaItemDetailView",
    "AgendaItemMoveView",
    "AgendaItemRemoveView",
    "AgendaItemUpdateView",
    "AgendaPublishView",
    "AgendaReorderView",
    "CalendarFeedView",
    "LegalHoldLiftView",
    "LegalHoldPlaceView",
    "MeetingCalendarView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "PapersArchiveView",
    "PapersRestoreView",
    "ReasonsRestrictedView",
    "RetentionListView",
]
