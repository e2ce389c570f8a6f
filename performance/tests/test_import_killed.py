"""A web process killed in the middle of an import: nothing of the import is visible
while it runs or after the kill, and the same preview then imports in full."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from performance.models import Observation, PeriodKey, Upload, UploadState

from .helpers import csv_text, csv_upload

pytestmark = pytest.mark.django_db(transaction=True)

# Imports the preview, but stops for good once its first batch of rows is written (not
# yet committed), and says so with a file: the test then kills it.
CHILD = """
import sys, time
import django
django.setup()
from performance import services
from performance.models import Observation, Upload

written = Observation.objects.bulk_create


def first_batch_then_stop(objects, *args, **kwargs):
    result = written(objects, *args, **kwargs)
    open(sys.argv[2], "w").close()
    time.sleep(600)
    return result


Observation.objects.bulk_create = first_batch_then_stop
services.upload_confirm(upload=Upload.objects.get(pk=int(sys.argv[1])), user=None)
"""


def _database_env() -> dict:
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        if "memory" in name or not name:
            pytest.skip("the SQLite test database lives in memory: another process cannot reach it")
        url = f"sqlite:///{name}"
    else:
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "scrutiny.settings",
        "DJANGO_DEBUG": "true",
        "PYTHONPATH": str(settings.BASE_DIR),
    }


def test_an_import_killed_half_way_leaves_nothing_and_runs_again(
    committee, make_indicator, make_area, tmp_path
):
    from performance.services import BATCH, upload_confirm, upload_preview

    indicator = make_indicator(code="all-crime", name="All crime")
    areas = [make_area() for _ in range(50)]
    quarters = [PeriodKey(2005, 1).shifted(n) for n in range(BATCH // 50 + 4)]
    rows = [
        f"{indicator.code},{area.code},{q.label},{n},,"
        for n, q in enumerate(quarters)
        for area in areas
    ]
    assert len(rows) > BATCH  # two batches: the kill falls between them
    upload = upload_preview(
        file=csv_upload(csv_text(*rows)), name="big.csv", user=None, committee=committee
    )
    marker = tmp_path / "first-batch-written"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(upload.pk), str(marker)],
        env=_database_env(),
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the import ended before its first batch was written"
            assert time.monotonic() < deadline, "the first batch was never written"
            time.sleep(0.1)
        # Written, not committed: no reader sees any of it.
        assert not Observation.objects.filter(upload=upload).exists()
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert not Observation.objects.filter(upload=upload).exists()
    upload.refresh_from_db()
    assert upload.state == UploadState.PREVIEWED
    # The killed process's lock went with it: the same preview imports in full.
    upload_confirm(upload=Upload.objects.get(pk=upload.pk), user=None)
    assert Observation.objects.filter(upload=upload).count() == len(rows)
    assert Path(marker).exists()
