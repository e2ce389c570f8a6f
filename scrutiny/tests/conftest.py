"""Data the tests of kept pages and fragments share."""

import pytest
from django.core.cache import cache

from scrutiny.tests.titles import FULL_TITLE


@pytest.fixture
def agenda(committee, make_meeting, make_item, make_document):
    from meetings.services import agenda_item_add

    meeting = make_meeting(committee=committee)
    public = make_item(meeting=meeting, title="Anti-social behaviour in the town centre")
    make_document(item=public, title="ASB appendix")
    exempt = agenda_item_add(
        meeting=meeting,
        title="Exempt item",
        full_title=FULL_TITLE,
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    make_document(item=exempt, title="Tasking plan")
    return meeting, public, exempt


@pytest.fixture
def shared_cache_on(settings):
    """Pages, fragments and data kept as with a shared cache (the tests' is in memory)."""
    settings.SCRUTINY_PAGE_CACHE_SECONDS = 60
    cache.clear()
