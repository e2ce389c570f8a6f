"""Assembling an agenda pack: render what is written in the browser, take uploaded
PDFs as they are, number every page, and merge them behind the front sheet with an
outline entry for each item and document.

Rendered documents are cached by a hash of their content and template, so a rebuild
after one change renders only that document. The front sheet is rendered last,
once the page ranges are known, and is itself unnumbered.
"""

import contextlib
import ctypes
import dataclasses
import hashlib
import importlib.metadata
import io
import json
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

import billiard
import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaSection, ItemKind
from meetings.selectors import number_agenda
from papers.models import DocumentFormat
from papers.reports import BACKGROUND_PAPER_COLUMNS, numbered_sections
from scrutiny.notices import absolute_url
from scrutiny.pdf import render_pdf

from .models import PackKind, RenderedDocument
from .tagged import Outline, TaggedPack, UnmergeablePdf

# Renderings are keyed by the HTML they come from, so a changed template or markup
# renders afresh by itself; a different renderer might draw the same HTML differently.
RENDERER_VERSION = f"weasyprint {importlib.metadata.version('weasyprint')}"


class PackBuildError(Exception):
    """A document could not go into the pack; the message names it."""


@dataclasses.dataclass
class Source:
    item: object
    title: str
    document: object | None
    pdf: Callable[[], bytes] | None = None  # reads an uploaded PDF's bytes
    html: str = ""  # what a rendered source is rendered from
    key: str = ""
    data: bytes = b""
    minutes_of: int | None = None  # the meeting whose minutes it prints for confirmation
    first_page: int = 0
    page_count: int = 0


@dataclasses.dataclass
class BuiltPack:
    pdf: bytes
    page_count: int
    first_page: int
    entries: list[Source]
    omitted: list[str]
    minutes_hash: str = ""
    minutes_of: list[int] = dataclasses.field(default_factory=list)


def _hash(*parts) -> str:
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _report_source(item, document, meeting) -> Source:
    version = document.current_version
    context = {
        "document": document,
        "meeting": meeting,
        "committee": meeting.committee,
        "sections": numbered_sections(version.report),
        "background_papers": version.report.get("background_papers", []),
        "paper_columns": BACKGROUND_PAPER_COLUMNS,
        "council_name": settings.COUNCIL_NAME,
    }
    html = render_to_string("papers/pdf/report.html", context)
    return Source(
        item=item,
        title=document.title,
        document=document,
        key=_hash("report", html),
        html=html,
    )


def _upload_source(item, document, field: str = "file") -> Source:
    version = document.current_version

    def read() -> bytes:
        with getattr(version, field).open("rb") as handle:
            return handle.read()

    return Source(item=item, title=document.title, document=document, pdf=read)


def _minutes_source(item, previous_minutes, kind: str) -> Source | None:
    """The previous meeting's minutes as they stand for confirmation: not the stored PDF,
    which once they are confirmed says so and is signed. The public pack prints them as
    the public reads them; the exempt pack prints, in full, what that withholds (None
    if nothing)."""
    from minutes.pdf import exempt_minutes_html, minutes_html

    if kind == PackKind.EXEMPT:
        html = exempt_minutes_html(previous_minutes)
        if html is None:
            return None
        title = f"Exempt minutes: {item.title}"
    else:
        html = minutes_html(previous_minutes, for_confirmation=True)
        title = item.title
    return Source(
        item=item,
        title=title,
        document=None,
        key=_hash("minutes for confirmation", kind, html),
        html=html,
        minutes_of=previous_minutes.meeting_id,
    )


def _minutes_sources(item, kind: str) -> list[Source]:
    from minutes.models import Minutes

    if item.kind != ItemKind.MINUTES or not item.previous_meeting_id:
        return []
    previous = (
        Minutes.objects.filter(meeting_id=item.previous_meeting_id)
        .select_related("meeting__committee")
        .first()
    )
    if previous is None or not previous.is_public:
        return []
    source = _minutes_source(item, previous, kind)
    return [] if source is None else [source]


def minutes_hash(sources: list[Source]) -> str:
    """What a pack's minutes for confirmation say, as one hash ("" if it has none): kept
    with the pack, so that a change to those minutes can tell whether the pack still
    prints them as they now stand."""
    keys = [source.key for source in sources if source.minutes_of]
    return _hash("minutes", *keys) if keys else ""


def current_minutes_hashes(meeting) -> dict[str, str]:
    """The minutes hash of each pack of this meeting, were it built now."""
    items = (
        meeting.items.filter(kind=ItemKind.MINUTES, previous_meeting__isnull=False)
        .exclude(section=AgendaSection.EXCLUSION)
        .order_by("section", "position")
    )
    return {
        kind: minutes_hash([s for item in items for s in _minutes_sources(item, kind)])
        for kind in (PackKind.PUBLIC, PackKind.EXEMPT)
    }


def collect_sources(meeting, kind: str) -> tuple[list, list[Source], list[str]]:
    """The numbered items and, in agenda order, the papers that go into this pack."""
    items = number_agenda(
        list(
            meeting.items.select_related("previous_meeting")
            .prefetch_related("documents__current_version")
            .order_by("section", "position")
        )
    )
    sources, omitted = [], []
    exempt = kind == PackKind.EXEMPT
    for item in items:
        item.minutes_url = ""
        item.report_links = []  # (title, address) of the covering reports' web pages
        if item.section == AgendaSection.EXCLUSION:
            continue
        minutes = _minutes_sources(item, kind)
        sources.extend(minutes)
        if minutes and not exempt:
            # The front sheet links to the minutes it asks the committee to confirm.
            minutes_page = reverse("minutes:minutes_detail", args=[item.previous_meeting_id])
            item.minutes_url = absolute_url(minutes_page)
        for document in item.documents.all():
            if document.is_draft or document.current_version is None:
                continue
            if document.is_restricted != exempt:
                continue
            version = document.current_version
            if version.format == DocumentFormat.REPORT:
                sources.append(_report_source(item, document, meeting))
                # The front sheet links to the report as a web page, which reads better
                # than any PDF with a screen reader or on a phone.
                item.report_links.append(
                    (document.title, absolute_url(document.get_absolute_url()))
                )
            elif version.format == DocumentFormat.PDF:
                sources.append(_upload_source(item, document))
            elif version.converted_pdf:
                sources.append(_upload_source(item, document, field="converted_pdf"))
            else:
                omitted.append(document.title)
    if exempt:
        # Exempt appendices of public reports follow the exempt items' own papers.
        sources.sort(key=lambda s: s.item.section != AgendaSection.EXEMPT)
    return items, sources, omitted


def _used(cached: RenderedDocument) -> None:
    """Note that a build used this rendering: what no build uses is pruned."""
    RenderedDocument.objects.filter(pk=cached.pk).update(used_at=timezone.now())


def _page_count(data: bytes, title: str) -> int:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except pikepdf.PasswordError as error:
        raise PackBuildError(
            f"\u201c{title}\u201d is protected by a password: upload a copy without one."
        ) from error
    except (pikepdf.PdfError, OSError, ValueError) as error:
        raise PackBuildError(f"\u201c{title}\u201d could not be read: {error}") from error


def _cached_rendering(key: str) -> tuple[bytes, int] | None:
    from django.core.files.storage import default_storage

    cached = RenderedDocument.objects.filter(key=key).first()
    if cached is None or not default_storage.exists(cached.file.name):
        return None
    _used(cached)
    with cached.file.open("rb") as handle:
        return handle.read(), cached.page_count


def _keep_rendering(key: str, data: bytes, page_count: int) -> None:
    RenderedDocument.objects.update_or_create(
        key=key,
        defaults={
            "file": ContentFile(data, name=f"{key}.pdf"),
            "page_count": page_count,
            "used_at": timezone.now(),
        },
    )


def _open(source: Source) -> tuple[bytes, int]:
    """The source's PDF and its page count: rendered already (`_render_in_parallel`),
    from the render cache where the content is unchanged, or rendered or read now."""
    if source.data:
        return source.data, source.page_count
    if source.key:
        cached = _cached_rendering(source.key)
        if cached is not None:
            return cached
    if source.html:
        data = _rendered(source.title, lambda: render_pdf(source.html))
    else:
        try:
            data = source.pdf()
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PackBuildError(
                f"\u201c{source.title}\u201d could not be read: {error}"
            ) from error
    page_count = _page_count(data, source.title)
    if source.key:
        _keep_rendering(source.key, data, page_count)
    return data, page_count


def _rendered(title: str, render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except Exception as error:  # noqa: BLE001 (whatever the renderer raised)
        raise PackBuildError(f"\u201c{title}\u201d could not be rendered: {error}") from error


def render_processes() -> int:
    """How many documents a build renders at once: one process each, up to the cores."""
    configured = settings.SCRUTINY_PACK_RENDER_PROCESSES
    return configured if configured > 0 else (os.cpu_count() or 1)


PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int) -> None:
    """In each render process, first: end when the worker that started it ends (killed
    at its hard time limit, say), rather than render on and then wait for ever on a pipe
    that no one reads."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before this process could ask
        os._exit(1)


def _render_in_parallel(sources: list[Source]) -> None:
    """Render at once, in a pool of processes, the documents the render cache does not
    hold; each source keeps its PDF. WeasyPrint holds one core per document, so a cold
    build on two cores takes about as long as its longest documents, not all of them.
    The first failure ends the build, naming its document."""
    wanted: dict[str, list[Source]] = {}
    for source in sources:
        if not source.html:
            continue
        if source.key in wanted:
            wanted[source.key].append(source)
            continue
        cached = _cached_rendering(source.key)
        if cached is None:
            wanted[source.key] = [source]
        else:
            source.data, source.page_count = cached
    processes = min(render_processes(), len(wanted))
    if processes < 2:
        return  # one at a time, as `_open` reaches them
    # Forked: the workers start at once with WeasyPrint already loaded, and touch
    # nothing of the parent's but the HTML they are given. Through billiard (Celery's
    # fork of multiprocessing): a prefork worker's processes are daemons, which the
    # standard library forbids to have children.
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=billiard.get_context("fork"),
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        # Longest first, so that no long document is left to render alone at the end.
        order = sorted(wanted.values(), key=lambda same: -len(same[0].html))
        futures = {pool.submit(render_pdf, same[0].html): same for same in order}
        for future in as_completed(futures):
            same = futures[future]
            title = same[0].title
            data = _rendered(title, future.result)
            page_count = _page_count(data, title)
            _keep_rendering(same[0].key, data, page_count)
            for source in same:
                source.data, source.page_count = data, page_count
    except BaseException:
        # A document that failed, or the task's soft time limit: the renders still
        # running are not waited for (one could take longer than the hard limit).
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ranges(sources: list[Source]) -> dict[int, tuple[int, int]]:
    ranges = {}
    for source in sources:
        last = source.first_page + source.page_count - 1
        first = ranges.get(source.item.pk, (source.first_page, last))[0]
        ranges[source.item.pk] = (first, last)
    return ranges


def render_cached(html: str) -> bytes:
    """Render HTML that may not have changed since it was last rendered (a front sheet,
    a quarterly performance report downloaded again), from the render cache."""
    key = _hash("html", html)
    cached = RenderedDocument.objects.filter(key=key).first()
    if cached is not None:
        try:
            with cached.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            pass
        else:
            _used(cached)
            return data
    data = render_pdf(html)
    _keep_rendering(key, data, _page_count(data, "The rendered document"))
    return data


def _front_sheet(
    meeting, items, *, exempt_pack: bool, first_page: int, supplement: bool = False
) -> bytes:
    if exempt_pack:
        has_papers = any(item.page_range or item.appendix_range for item in items)
    else:
        has_papers = any(item.page_range for item in items if not item.is_exempt)
    return render_cached(
        render_to_string(
            "packs/pdf/front_sheet.html",
            {
                "meeting": meeting,
                "committee": meeting.committee,
                "items": items,
                "exempt_pack": exempt_pack,
                "supplement": supplement,
                "has_papers": has_papers,
                "council_name": settings.COUNCIL_NAME,
                "first_page": first_page,
            },
        )
    )


def _add_part(pack: TaggedPack, source: Source) -> int:
    """Add a source to the pack; a PDF whose pages cannot be merged is named."""
    try:
        return pack.add(source.data, title=source.title, rendered_here=bool(source.html))
    except (
        UnmergeablePdf,
        pikepdf.PdfError,
        TypeError,
        ValueError,
        KeyError,
        OverflowError,
        RecursionError,
    ) as error:
        raise PackBuildError(
            f"\u201c{source.title}\u201d could not be put in the pack: {error}"
        ) from error


def _merge(meeting, kind, items, front: bytes, sources: list[Source]) -> bytes:
    """The pack: the front sheet, then each source numbered from its first page, tagged
    end to end (packs/tagged.py), with an outline entry for each item and document."""
    pack = TaggedPack()
    try:
        pack.add(front, title="Agenda", rendered_here=True)
        outline = [Outline("Agenda", 0)]
        numbers = {item.pk: item.number for item in items}
        item_outlines: dict[int, Outline] = {}
        for source in sources:
            start_index = _add_part(pack, source)
            for offset in range(source.page_count):
                pack.number_page(start_index + offset, f"Page {source.first_page + offset}")
            item = source.item
            if item.pk not in item_outlines:
                exempt_title = kind == PackKind.EXEMPT and item.full_title
                shown = item.full_title if exempt_title else item.title
                item_outlines[item.pk] = Outline(f"{numbers[item.pk]}. {shown}", start_index)
                outline.append(item_outlines[item.pk])
            if source.document is not None:
                item_outlines[item.pk].children.append(Outline(source.title, start_index))
        title = (
            f"{meeting.committee.name}, {timezone.localdate(meeting.starts_at):%-d %B %Y}: "
            f"{PackKind(kind).label}"
        )
        return pack.save(
            title=title,
            author=settings.COUNCIL_NAME,
            subject=PackKind(kind).label,
            outline=outline,
        )
    finally:
        pack.close()


def build_packs(meeting, *, progress: Callable[[int], None] | None = None) -> dict:
    """Build the public pack and, when there is exempt business, the exempt pack, in
    memory. Exempt page numbers continue after the last public page, and both front
    sheets show the page ranges of this one build. Raise PackBuildError naming a
    document that fails."""
    items, public, omitted_public = collect_sources(meeting, PackKind.PUBLIC)
    exempt_items, exempt, omitted_exempt = collect_sources(meeting, PackKind.EXEMPT)
    exempt_links = {item.pk: item.report_links for item in exempt_items}
    for item in items:
        item.exempt_report_links = exempt_links.get(item.pk, [])
    everything = [*public, *exempt]
    _render_in_parallel(everything)
    if progress:
        progress(50)
    page = 1
    exempt_first_page = 1
    for done, source in enumerate(everything, start=1):
        if source is (exempt[0] if exempt else None):
            exempt_first_page = page
        source.data, source.page_count = _open(source)
        source.first_page = page
        page += source.page_count
        if progress:
            progress(50 + int(20 * done / max(len(everything), 1)))
    if not exempt:
        exempt_first_page = page
    public_ranges, exempt_ranges = _ranges(public), _ranges(exempt)
    for item in items:
        if item.section == AgendaSection.EXEMPT:
            item.page_range = exempt_ranges.get(item.pk)
            item.appendix_range = None
        else:
            item.page_range = public_ranges.get(item.pk)
            item.appendix_range = exempt_ranges.get(item.pk)
    built = {
        PackKind.PUBLIC: BuiltPack(
            pdf=_merge(
                meeting,
                PackKind.PUBLIC,
                items,
                _front_sheet(meeting, items, exempt_pack=False, first_page=1),
                public,
            ),
            page_count=exempt_first_page - 1,
            first_page=1,
            entries=public,
            omitted=omitted_public,
        )
    }
    if progress:
        progress(85)
    has_exempt_business = any(item.section == AgendaSection.EXEMPT for item in items)
    if exempt or has_exempt_business:
        built[PackKind.EXEMPT] = BuiltPack(
            pdf=_merge(
                meeting,
                PackKind.EXEMPT,
                items,
                _front_sheet(meeting, items, exempt_pack=True, first_page=exempt_first_page),
                exempt,
            ),
            page_count=page - exempt_first_page,
            first_page=exempt_first_page,
            entries=exempt,
            omitted=omitted_exempt,
        )
    supplementary = [s for s in public if s.item.is_supplementary]
    if supplementary:
        built[PackKind.SUPPLEMENT] = BuiltPack(
            pdf=_merge(
                meeting,
                PackKind.SUPPLEMENT,
                items,
                _front_sheet(meeting, items, exempt_pack=False, first_page=1, supplement=True),
                supplementary,
            ),
            page_count=sum(s.page_count for s in supplementary),
            first_page=supplementary[0].first_page,
            entries=supplementary,
            omitted=[],
        )
    for pack in built.values():
        pack.minutes_hash = minutes_hash(pack.entries)
        pack.minutes_of = sorted({s.minutes_of for s in pack.entries if s.minutes_of})
    if progress:
        progress(100)
    return built
