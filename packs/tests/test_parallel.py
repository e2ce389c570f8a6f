"""A pack's documents render at once, each in a process of its own, and the merge
waits for all of them; a failure in one names it and keeps the last good pack."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish
from packs import build as pack_build
from packs.models import BuildState, Pack, PackKind
from packs.services import packs_build
from papers.services import report_write

pytestmark = pytest.mark.django_db

# Where each render writes the process it ran in (the pool's workers are forked, so
# they see the test's settings of these module globals).
RECORD = {"folder": None}
REAL_RENDER = pack_build.render_pdf


def render_recording_process(html: str) -> bytes:
    if "BROKEN-REPORT" in html:
        raise ValueError("the renderer gave up")
    kind = "report" if "Report number" in html else "other"  # the front sheet, say
    Path(RECORD["folder"], f"{os.getpid()}-{kind}-{len(html)}").touch()
    return REAL_RENDER(html)


@pytest.fixture
def renders(tmp_path) -> Path:
    folder = tmp_path / "renders"
    folder.mkdir()
    return folder


@pytest.fixture
def rendering(monkeypatch, renders):
    monkeypatch.setitem(RECORD, "folder", str(renders))
    monkeypatch.setattr(pack_build, "render_pdf", render_recording_process)

    def processes() -> set[int]:
        """The processes the reports were rendered in."""
        return {
            int(path.name.split("-")[0])
            for path in renders.iterdir()
            if path.name.split("-")[1] == "report"
        }

    return processes


@pytest.fixture
def meeting(draft_meeting, coordinator, report_content):
    for n in range(4):
        item = agenda_item_add(meeting=draft_meeting, title=f"Item {n + 1}")
        content = {**report_content, "summary": f"Report number {n + 1}. " * (n + 1)}
        report_write(item=item, title=f"Report {n + 1}", content=content, user=coordinator)
    agenda_publish(meeting=draft_meeting, now=timezone.now())
    return draft_meeting


def test_the_documents_render_in_processes_of_their_own(meeting, rendering, settings):
    settings.SCRUTINY_PACK_RENDER_PROCESSES = 2
    assert packs_build(meeting_id=meeting.pk) == "built"
    processes = rendering()
    assert len(processes) == 2 and os.getpid() not in processes
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    assert pack.state == BuildState.READY and pack.page_count == 4


def test_one_process_renders_in_the_worker_itself(meeting, rendering, settings):
    settings.SCRUTINY_PACK_RENDER_PROCESSES = 1
    assert packs_build(meeting_id=meeting.pk) == "built"
    assert rendering() == {os.getpid()}


def test_only_what_changed_is_rendered_again(meeting, rendering, settings, renders):
    from papers.models import Document
    from papers.services import report_revise

    settings.SCRUTINY_PACK_RENDER_PROCESSES = 2
    packs_build(meeting_id=meeting.pk)
    for path in renders.iterdir():
        path.unlink()
    report = Document.objects.get(title="Report 2")
    report_revise(
        document=report,
        content={**report.current_version.report, "summary": "Revised: Report number 2."},
        user=None,
        change_note="Revised",
        based_on=1,
    )
    assert packs_build(meeting_id=meeting.pk) == "built"
    # One report (and the front sheet, which shows the new version's pages): the rest
    # come from the render cache.
    assert len([p for p in renders.iterdir() if "-report-" in p.name]) == 1


def test_a_document_that_fails_to_render_is_named_and_the_good_pack_kept(
    meeting, rendering, settings, coordinator, report_content
):
    settings.SCRUTINY_PACK_RENDER_PROCESSES = 2
    packs_build(meeting_id=meeting.pk)
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    good = public.file.name
    fine = agenda_item_add(meeting=meeting, title="Another late item")
    report_write(
        item=fine,
        title="A fine report",
        content={**report_content, "summary": "Report number 5."},
        user=coordinator,
    )
    # Two renderings wanted: they go to the pool, where one fails.
    item = agenda_item_add(meeting=meeting, title="Late item")
    report_write(
        item=item,
        title="The broken report",
        content={**report_content, "summary": "BROKEN-REPORT"},
        user=coordinator,
    )
    assert packs_build(meeting_id=meeting.pk) == "failed"
    public.refresh_from_db()
    assert public.state == BuildState.FAILED
    assert "\u201cThe broken report\u201d could not be rendered" in public.error
    assert public.file.name == good and public.file.storage.exists(good)


# --- render processes never outlive the build ---------------------------------------


def render_slowly_or_fail(html: str) -> bytes:
    import time

    if "FAILS-AT-ONCE" in html:
        raise ValueError("the renderer gave up")
    Path(RECORD["folder"], str(os.getpid())).touch()
    time.sleep(120)
    return b""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_failure_ends_the_renders_still_running_at_once(monkeypatch, renders, settings):
    import time

    settings.SCRUTINY_PACK_RENDER_PROCESSES = 2
    monkeypatch.setitem(RECORD, "folder", str(renders))
    monkeypatch.setattr(pack_build, "render_pdf", render_slowly_or_fail)
    monkeypatch.setattr(pack_build, "_cached_rendering", lambda key: None)
    sources = [
        pack_build.Source(item=None, title="Slow", document=None, html="SLOW " * 9, key="a"),
        pack_build.Source(item=None, title="Broken", document=None, html="FAILS-AT-ONCE", key="b"),
    ]
    started = time.monotonic()
    with pytest.raises(pack_build.PackBuildError, match="Broken"):
        pack_build._render_in_parallel(sources)
    assert time.monotonic() - started < 30  # not the slow render's two minutes
    slow = [int(path.name) for path in renders.iterdir()]
    assert slow and not any(_alive(pid) for pid in slow)


ORPHAN = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "scrutiny.settings"
os.environ.setdefault("DJANGO_DEBUG", "true")
import django
django.setup()
from django.conf import settings
from packs import build

def slow(html):
    with open(os.path.join({folder!r}, str(os.getpid())), "w"):
        pass
    time.sleep(120)
    return b""

settings.SCRUTINY_PACK_RENDER_PROCESSES = 2
build.render_pdf = slow
build._cached_rendering = lambda key: None
build._render_in_parallel(
    [build.Source(item=None, title=str(n), document=None, html="x" * n, key=str(n))
     for n in (1, 2)]
)
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="Linux only: /proc and prctl")
def test_render_processes_end_with_a_worker_killed_at_its_hard_time_limit(renders):
    import signal
    import subprocess
    import sys
    import time

    root = str(Path(__file__).resolve().parents[2])
    worker = subprocess.Popen(
        [sys.executable, "-c", ORPHAN.format(root=root, folder=str(renders))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(renders.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        rendering = [int(path.name) for path in renders.iterdir()]
        assert len(rendering) == 2
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in rendering) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in rendering)
    finally:
        if worker.poll() is None:
            worker.kill()
