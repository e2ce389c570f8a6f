"""Assembling an agenda pack: render what is written in the browser, take uploaded
PDFs as they are, number every page, and merge them behind the front sheet with an
outline entry for each item and document.

Rendered documents are cached by a hash of their content and template, so a rebuild
after one change renders only that document. The front sheet is rendered last,
once the page ranges are known, and is itself unnumbered.
"""

import dataclasses
import hashlib
import importlib.metadata
import io
import json
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject

from meetings.models import AgendaSection, ItemKind
from meetings.selectors import number_agenda
from papers.models import DocumentFormat
from papers.reports import BACKGROUND_PAPER_COLUMNS, numbered_sections
from scrutiny.notices import absolute_url
from scrutiny.pdf import render_pdf
from scrutiny.pdf_overlay import HELVETICA, PageOverlay, PageView, artifact

from .models import PackKind, RenderedDocument

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
    pdf: Callable[[], bytes] | None = None  # renders or reads the PDF bytes
    key: str = ""
    reader: PdfReader | None = None
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
        pdf=lambda: render_pdf(html),
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
        pdf=lambda: render_pdf(html),
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


def _open(source: Source) -> PdfReader:
    """The source as a PDF reader, from the render cache where the content is unchanged."""
    from django.core.files.storage import default_storage

    if source.key:
        cached = RenderedDocument.objects.filter(key=source.key).first()
        if cached is not None and default_storage.exists(cached.file.name):
            _used(cached)
            with cached.file.open("rb") as handle:
                return PdfReader(io.BytesIO(handle.read()))
    try:
        data = source.pdf()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PackBuildError(
                f"\u201c{source.title}\u201d is protected by a password: upload a copy without one."
            )
        page_count = len(reader.pages)
    except PackBuildError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as error:
        raise PackBuildError(f"\u201c{source.title}\u201d could not be read: {error}") from error
    if source.key:
        RenderedDocument.objects.update_or_create(
            key=source.key,
            defaults={
                "file": ContentFile(data, name=f"{source.key}.pdf"),
                "page_count": page_count,
                "used_at": timezone.now(),
            },
        )
    return reader


class PageNumberer:
    """Writes "Page N" at the foot of pages already in a writer, centred on the page
    as it is shown (inside its crop box, upright after its /Rotate)."""

    def __init__(self, writer: PdfWriter):
        self.overlay = PageOverlay(writer, font_name="FPackNumber", base_font=HELVETICA.base_font)

    def number(self, page: PageObject, text: str) -> None:
        view = PageView.of(page)
        line = view.line(text, font=HELVETICA, resource="FPackNumber", size=9, y=18, centre=True)
        self.overlay.add(page, view.draw(artifact(line, "Footer")))


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
    RenderedDocument.objects.update_or_create(
        key=key,
        defaults={
            "file": ContentFile(data, name=f"{key}.pdf"),
            "page_count": len(PdfReader(io.BytesIO(data)).pages),
            "used_at": timezone.now(),
        },
    )
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


def _merge(meeting, kind, items, front: bytes, sources: list[Source]) -> bytes:
    writer = PdfWriter()
    numberer = PageNumberer(writer)
    for front_page in PdfReader(io.BytesIO(front)).pages:
        writer.add_page(front_page)
    writer.add_outline_item(title="Agenda", page_number=0)
    numbers = {item.pk: item.number for item in items}
    item_outlines = {}
    for source in sources:
        start_index = len(writer.pages)
        for number, source_page in enumerate(source.reader.pages, start=source.first_page):
            numberer.number(writer.add_page(source_page), f"Page {number}")
        item = source.item
        if item.pk not in item_outlines:
            exempt_title = kind == PackKind.EXEMPT and item.full_title
            shown = item.full_title if exempt_title else item.title
            item_outlines[item.pk] = writer.add_outline_item(
                title=f"{numbers[item.pk]}. {shown}", page_number=start_index
            )
        if source.document is not None:
            writer.add_outline_item(
                title=source.title, page_number=start_index, parent=item_outlines[item.pk]
            )
    title = (
        f"{meeting.committee.name}, {timezone.localdate(meeting.starts_at):%-d %B %Y}: "
        f"{PackKind(kind).label}"
    )
    writer.add_metadata(
        {"/Title": title, "/Author": settings.COUNCIL_NAME, "/Subject": PackKind(kind).label}
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_packs(meeting, *, progress: Callable[[int], None] | None = None) -> dict:
    """Build the public pack and, when there is exempt business, the exempt pack, in
    memory. Exempt page numbers continue after the last public page, and both front
    sheets show the page ranges of this one build. Raise PackBuildError naming a
    document that fails."""
    items, public, omitted_public = collect_sources(meeting, PackKind.PUBLIC)
    _, exempt, omitted_exempt = collect_sources(meeting, PackKind.EXEMPT)
    everything = [*public, *exempt]
    page = 1
    exempt_first_page = 1
    for done, source in enumerate(everything, start=1):
        if source is (exempt[0] if exempt else None):
            exempt_first_page = page
        source.reader = _open(source)
        source.first_page = page
        source.page_count = len(source.reader.pages)
        page += source.page_count
        if progress:
            progress(int(70 * done / max(len(everything), 1)))
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
