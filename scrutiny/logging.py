"""Logging filters."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refusal (403) or a page not found (404) is an answer, not a fault: log its line,
    not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
