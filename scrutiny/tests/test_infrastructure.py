"""The services a run was configured with are the ones it really uses."""

import os

import pytest
from django.db import connection

from conftest import IN_CI, skip_or_fail

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_database_url_selects_the_database_engine():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        if IN_CI:
            pytest.fail("CI must run the suite on PostgreSQL (DATABASE_URL)", pytrace=False)
        assert connection.vendor == "sqlite"


def test_configured_broker_is_reachable():
    from scrutiny.celery import app

    if not os.environ.get("CELERY_BROKER_URL"):
        skip_or_fail("no CELERY_BROKER_URL: tasks run in-process")
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=2, interval_start=0.2)
        assert broker.connected
