"""The index's migrations run on a site that already holds entries, not only on an
empty table."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from search.models import SearchEntry
from search.selectors import search


def _migrate_search_to(name: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("search", name)])


@pytest.mark.django_db(transaction=True)
def test_stand_ins_and_title_vectors_are_made_for_existing_entries(committee, member):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=15),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title="Operation Nightjar",
        exempt_paragraph=3,
        exempt_reason="Commercial",
    )
    agenda_publish(meeting=meeting)
    _migrate_search_to("0002_engine_indexes")
    _migrate_search_to("0003_stand_ins_and_title_vectors")
    assert SearchEntry.objects.filter(has_exempt_version=True).count() == 1
    if connection.vendor == "postgresql":
        assert not SearchEntry.objects.filter(title_vector__isnull=True).exists()
    assert [r.entry.title for r in search(user=member, text="Nightjar").results] == [
        "A. Operation Nightjar"
    ]
