"""Agenda pack builds: time against WeasyPrint alone, rebuild after one change, memory.

A synthetic meeting of 20 items carries 200 pages of covering reports written in the
browser (rendered by WeasyPrint) and 100 pages of uploaded PDFs. The benchmark prints
  - the time WeasyPrint alone takes to render those reports one after another in one
    process, measured in this run,
  - the cold build (empty render cache; the reports rendered at once in a pool of
    processes, one per core) and its ratio to WeasyPrint alone,
  - the rebuild after one report is edited, and its ratio to the cold build,
  - the peak resident memory of the build's process and of its largest render process,
  - the time to watermark that pack for one reader (as an exempt pack is on download),
    beside a plain pikepdf open and save of the same pack, measured in this run,
and then builds packs of 250 and 1,000 pages of uploaded PDFs in fresh processes to
show how peak memory grows with the page count.
Targets: cold <= 0.65 x WeasyPrint alone on two cores (0.5 is the limit); rebuild <= 20%
of cold; peak RSS of each process < 300 MB.
"""

import argparse
import datetime
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["SCRUTINY_VAR_DIR"] = tempfile.mkdtemp(prefix="scrutiny-bench-packs-")
os.environ["SCRUTINY_PRIVATE_STORAGE"] = os.path.join(os.environ["SCRUTINY_VAR_DIR"], "private")
os.environ["DJANGO_DEBUG"] = "true"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

PARAGRAPH = (
    "The Community Safety Partnership reviewed the quarter's figures for anti-social "
    "behaviour, criminal damage, domestic abuse and violence with injury. Partners noted "
    "the rise in reports through the new online channel, the effect of the summer events "
    "programme in the town centre, and the joint work with Kent Police on repeat "
    "locations. Officers will report the outcome of the problem-solving meetings. "
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_child_rss_mb() -> float:
    """The largest peak of the processes this one started and waited for (the render
    pool's)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def setup_meeting():
    from meetings.services import meeting_create
    from scrutiny.models import Committee

    call_command("migrate", verbosity=0)
    committee = Committee.objects.create(name="Benchmark Committee", slug="benchmark")
    return meeting_create(
        committee=committee,
        venue="Council Chamber",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )


def mark_published(meeting):
    """Published without the build that publication asks for: the benchmark times its own."""
    from meetings.models import Meeting, MeetingStatus

    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.AGENDA_PUBLISHED, published_at=timezone.now()
    )


def report_content(paragraphs: int, marker: str = "") -> dict:
    return {
        "summary": f"To note the quarterly report. {marker}",
        "recommendations": "That the Committee notes the report.",
        "background": "\n\n".join(PARAGRAPH for _ in range(paragraphs)),
        "corporate_plan": "Safer Communities.",
        "implications": {},
        "appendices": "",
        "background_papers": [],
    }


def text_pdf(pages: int, label: str) -> bytes:
    from packs.build import render_pdf

    body = "".join(
        f'<section style="break-after: page"><h1>{label}</h1><p>{PARAGRAPH * 6}</p></section>'
        for _ in range(pages)
    )
    return render_pdf(f"<html lang='en'><body>{body}</body></html>")


def add_uploads(meeting, items, pages_each: int, count: int, pdf: bytes | None = None):
    from papers.services import document_upload

    data = pdf or text_pdf(pages_each, "Appendix")
    for n in range(count):
        document_upload(
            item=items[n % len(items)],
            title=f"Appendix {n}",
            uploaded_file=ContentFile(data, name=f"appendix-{n}.pdf"),
            user=None,
        )


def clear_cache():
    from packs.models import RenderedDocument

    for cached in RenderedDocument.objects.all():
        cached.file.delete(save=False)
    RenderedDocument.objects.all().delete()


def main_scenario():
    from meetings.services import agenda_item_add
    from packs.build import render_pdf, render_processes
    from packs.models import Pack, PackKind
    from packs.services import packs_build
    from papers.models import Document
    from papers.reports import BACKGROUND_PAPER_COLUMNS, numbered_sections
    from papers.services import report_revise, report_write

    meeting = setup_meeting()
    items = [agenda_item_add(meeting=meeting, title=f"Item {n + 1}") for n in range(15)]
    # Ten covering reports of about twenty pages each: 200 pages of HTML.
    for n in range(10):
        report_write(item=items[n], title=f"Report {n + 1}", content=report_content(160), user=None)
    # 100 pages of uploaded PDFs: five documents of twenty pages.
    add_uploads(meeting, items[10:], pages_each=20, count=5)
    mark_published(meeting)

    reports = list(Document.objects.filter(is_report=True).select_related("current_version"))
    html = [
        render_to_string(
            "papers/pdf/report.html",
            {
                "document": d,
                "meeting": meeting,
                "committee": meeting.committee,
                "sections": numbered_sections(d.current_version.report),
                "background_papers": [],
                "paper_columns": BACKGROUND_PAPER_COLUMNS,
            },
        )
        for d in reports
    ]
    started = time.perf_counter()
    report_pages = 0
    for document in html:
        report_pages += len(PdfReader(io.BytesIO(render_pdf(document))).pages)
    weasyprint_alone = time.perf_counter() - started

    clear_cache()
    started = time.perf_counter()
    packs_build(meeting_id=meeting.pk)
    cold = time.perf_counter() - started
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)

    report_revise(
        document=reports[3],
        content=report_content(160, marker="(revised)"),
        user=None,
        change_note="Revised",
        based_on=1,
    )
    started = time.perf_counter()
    packs_build(meeting_id=meeting.pk)
    warm = time.perf_counter() - started

    print(
        f"pack: {pack.page_count} numbered pages ({report_pages} of rendered reports, "
        f"{pack.page_count - report_pages} of uploaded PDFs), {pack.size / 1e6:.1f} MB"
    )
    print(f"WeasyPrint alone, same reports:  {weasyprint_alone:6.2f} s")
    print(
        f"cold build (empty cache):        {cold:6.2f} s  = {cold / weasyprint_alone:.2f} x "
        f"WeasyPrint alone (target <= 0.65; {render_processes()} render processes on "
        f"{os.cpu_count()} cores)"
    )
    print(
        f"rebuild after editing 1 report:  {warm:6.2f} s  = {100 * warm / cold:.0f}% of cold "
        "(target <= 20%)"
    )
    print(
        f"peak RSS of the build's process: {peak_rss_mb():6.0f} MB, of a render process "
        f"{peak_child_rss_mb():.0f} MB (target < 300 MB each)"
    )
    pack.refresh_from_db()  # the rebuild wrote a new file
    with pack.file.open("rb") as handle:
        marked, plain = watermark_timings(handle.read())
    print(
        f"watermark the pack for a reader: {marked:6.2f} s  = {marked / plain:.1f} x a plain "
        f"pikepdf open and save of it ({plain:.2f} s)"
    )


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def watermark_timings(data: bytes) -> tuple[float, float]:
    """Seconds to watermark the pack for one reader, and to open and save it with
    pikepdf and do nothing else: the floor any marking that writes the file stands on."""
    import pikepdf

    from exempt.watermark import watermark

    text = (
        "EXEMPT - NOT FOR PUBLICATION - Schedule 12A paragraph 3 - issued to Councillor "
        "D J Mote on 21 February 2030 at 19:05"
    )

    def open_and_save():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.save(io.BytesIO())

    return best_of(3, lambda: watermark(data, text)), best_of(3, open_and_save)


def large_scenario(pages: int):
    from meetings.services import agenda_item_add
    from packs.models import Pack, PackKind
    from packs.services import packs_build

    meeting = setup_meeting()
    items = [agenda_item_add(meeting=meeting, title=f"Item {n + 1}") for n in range(20)]
    pdf = text_pdf(20, "Appendix")
    add_uploads(meeting, items, pages_each=20, count=pages // 20, pdf=pdf)
    mark_published(meeting)
    before = peak_rss_mb()
    started = time.perf_counter()
    packs_build(meeting_id=meeting.pk)
    seconds = time.perf_counter() - started
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    print(
        f"{pack.page_count:5d}-page pack: {seconds:6.2f} s, {pack.size / 1e6:6.1f} MB file, "
        f"peak RSS {peak_rss_mb():5.0f} MB (before the build {before:.0f} MB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int)
    args = parser.parse_args()
    if args.large:
        large_scenario(args.large)
    else:
        main_scenario()
        for pages in (240, 1000):
            command = [sys.executable, __file__, "--large", str(pages)]
            subprocess.run(command, check=True)  # noqa: S603 (our own script)
