"""A real Celery worker, on the configured Redis broker, builds a meeting's packs."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import skip_or_fail

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


# A prefork worker's processes render the documents in processes of their own.
@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_a_real_worker_builds_the_packs(committee, coordinator, report_content, pool):
    from meetings.services import agenda_item_add, agenda_publish, meeting_create
    from packs.models import BuildState, Pack, PackKind, RenderedDocument
    from packs.tasks import build_meeting_packs
    from papers.services import document_upload, report_write
    from scrutiny.celery import app
    from scrutiny.testing import pdf_bytes, upload

    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        skip_or_fail("no CELERY_BROKER_URL: no worker to talk to")
    if connection.vendor != "postgresql":
        skip_or_fail("a worker process needs a database it can share (PostgreSQL)")

    import datetime

    from django.utils import timezone

    meeting = meeting_create(
        committee=committee,
        venue="Council Chamber",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    item = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    document_upload(item=item, title="Notice", uploaded_file=upload(pdf_bytes(3)), user=coordinator)
    for n in (1, 2):  # two reports, rendered at once
        report_write(
            item=agenda_item_add(meeting=meeting, title=f"Report item {n}"),
            title=f"Report {n}",
            content={**report_content, "summary": f"Report {n} of the test worker."},
            user=coordinator,
        )
    agenda_publish(meeting=meeting)  # its own build runs in-process in tests

    queue = f"scrutiny-test-{uuid.uuid4().hex[:8]}"
    storage = settings.STORAGES["default"]["OPTIONS"]["location"]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "DJANGO_DEBUG": "true",
        "SCRUTINY_PRIVATE_STORAGE": str(storage),
        "SCRUTINY_PACK_RENDER_PROCESSES": "2",
    }
    env.pop("PYTEST_VERSION", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "scrutiny",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = app.conf.task_always_eager
    try:
        Pack.objects.filter(meeting=meeting).update(state=BuildState.QUEUED, page_count=0)
        RenderedDocument.objects.all().delete()  # the worker renders the reports afresh
        app.conf.task_always_eager = False
        build_meeting_packs.apply_async(args=[meeting.pk, None], queue=queue)
        deadline = time.monotonic() + 90
        pack = None
        while time.monotonic() < deadline:
            pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
            if pack.state == BuildState.READY and pack.page_count:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
        assert pack is not None and pack.state == BuildState.READY, pack.error or "built nothing"
        assert pack.page_count >= 5  # the notice's 3 pages and a page or more a report
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
