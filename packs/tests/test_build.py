"""Agenda packs, checked from the text of the PDFs they produce."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from packs import build as pack_build
from packs.models import BuildState, Pack, PackKind
from packs.services import packs_build, packs_request_build
from papers.models import Document, DocumentVersion
from papers.services import document_upload, report_revise, report_write
from scrutiny.testing import ooxml_bytes, queued_work, upload

pytestmark = pytest.mark.django_db


def text_pdf(text: str, pages: int = 1) -> bytes:
    body = "".join(
        f'<section style="break-after: page"><p>{text} (sheet {n + 1})</p></section>'
        for n in range(pages)
    )
    return pack_build.render_pdf(f"<html lang='en'><body>{body}</body></html>")


@pytest.fixture
def meeting(committee, coordinator, report_content):
    import datetime
    import zoneinfo

    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Council Chamber",
    )
    reg9 = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    document_upload(
        item=reg9,
        title="Regulation 9 Notice",
        user=coordinator,
        uploaded_file=upload(text_pdf("Forward plan of key decisions", pages=3)),
    )
    csp = agenda_item_add(meeting=meeting, title="CSP Performance Report")
    report_write(
        item=csp,
        title="Community Safety Performance Report",
        content=report_content,
        user=coordinator,
    )
    document_upload(
        item=csp,
        title="Appendix A - Performance figures",
        user=coordinator,
        uploaded_file=upload(text_pdf("SECRET-APPENDIX partner data", pages=2)),
        is_exempt=True,
        exempt_paragraph=3,
    )
    document_upload(
        item=csp,
        title="Appendix B - Slides",
        user=coordinator,
        uploaded_file=upload(ooxml_bytes("pptx"), "slides.pptx"),
    )
    assessment = agenda_item_add(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        full_title="Operation Nightjar strategic assessment",
        exempt_paragraph=3,
        exempt_reason="Confidence",
    )
    document_upload(
        item=assessment,
        title="Nightjar assessment",
        user=coordinator,
        uploaded_file=upload(text_pdf("SECRET-NIGHTJAR named suspects", pages=4)),
    )
    return agenda_publish(meeting=meeting, now=timezone.now())


def read(pack: Pack) -> PdfReader:
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_front_sheet_ranges_match_the_numbered_pages(meeting):
    assert packs_build(meeting_id=meeting.pk) == "built"
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    reader = read(public)
    front = reader.pages[0].extract_text()
    found = [(int(a), int(b or a)) for a, b in re.findall(r"\(Pages? (\d+)(?: - (\d+))?\)", front)]
    assert "(Page 4)" in front  # one page: "Page 4", not "Pages 4 - 4"
    assert found[:2] == [(1, 3), (4, 4)]  # item 6 (3 pages) and item 7's report
    assert found[2] == (5, 8)  # exempt item A, numbered after the public pages
    front_pages = len(reader.pages) - public.page_count
    for first, last in found[:2]:
        for number in (first, last):
            assert f"Page {number}" in reader.pages[front_pages + number - 1].extract_text()
    assert public.page_count == 4
    assert (public.first_page, public.last_page) == (1, 4)


def test_exempt_numbering_continues_after_the_public_pack(meeting):
    packs_build(meeting_id=meeting.pk)
    exempt = Pack.objects.get(meeting=meeting, kind=PackKind.EXEMPT)
    reader = read(exempt)
    assert exempt.first_page == 5
    assert exempt.page_count == 6  # the 4-page assessment and the 2-page appendix
    body = reader.pages[len(reader.pages) - exempt.page_count :]
    assert "Page 5" in body[0].extract_text()
    assert "SECRET-NIGHTJAR" in body[0].extract_text()
    assert "Page 10" in body[-1].extract_text()
    front = reader.pages[0].extract_text()
    assert "EXEMPT AGENDA: NOT FOR PUBLICATION" in front
    assert "Operation Nightjar strategic assessment" in front
    assert "Exempt appendix to CSP Performance Report" in front


def test_no_exempt_byte_reaches_the_public_pack(meeting):
    packs_build(meeting_id=meeting.pk)
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    text = all_text(read(public))
    for secret in ("SECRET-NIGHTJAR", "SECRET-APPENDIX", "Nightjar", "Performance figures"):
        assert secret not in text
    with public.file.open("rb") as handle:
        raw = handle.read()
    assert b"Nightjar" not in raw
    assert "CSP Strategic Assessment 2017" in text  # the public title, as on the agenda


def test_outline_lists_every_item_and_document(meeting):
    packs_build(meeting_id=meeting.pk)
    reader = read(Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC))
    flat = []
    for entry in reader.outline:
        if isinstance(entry, list):
            flat.extend(f"  {child.title}" for child in entry)
        else:
            flat.append(entry.title)
    assert flat == [
        "Agenda",
        "6. Regulation 9 Notice",
        "  Regulation 9 Notice",
        "7. CSP Performance Report",
        "  Community Safety Performance Report",
    ]
    exempt = read(Pack.objects.get(meeting=meeting, kind=PackKind.EXEMPT))
    titles = [e.title for e in exempt.outline if not isinstance(e, list)]
    assert titles == [
        "Agenda",
        "A. Operation Nightjar strategic assessment",
        "7. CSP Performance Report",
    ]


def test_pack_metadata_names_it_and_its_language(meeting):
    packs_build(meeting_id=meeting.pk)
    reader = read(Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC))
    assert reader.metadata.title.endswith("20 February 2030: Public agenda pack")
    assert reader.metadata.author == "Dartford Borough Council"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_office_documents_wait_for_conversion(meeting):
    packs_build(meeting_id=meeting.pk)
    text = all_text(read(Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)))
    assert "Appendix B - Slides" not in text


def test_a_rebuild_renders_only_what_changed(meeting, monkeypatch, coordinator, report_content):
    packs_build(meeting_id=meeting.pk)
    rendered = []
    original = pack_build.render_pdf
    monkeypatch.setattr(
        pack_build, "render_pdf", lambda html: rendered.append(html) or original(html)
    )
    packs_build(meeting_id=meeting.pk)
    assert rendered == []  # nothing changed: the front sheets too come from the cache
    rendered.clear()
    report = Document.objects.get(is_report=True)
    report_revise(
        document=report,
        user=coordinator,
        change_note="Figures",
        based_on=1,
        content=dict(report_content, summary="A revised summary."),
    )
    packs_build(meeting_id=meeting.pk)
    # Only the edited report: its page count is unchanged, so the front sheets are too.
    assert len(rendered) == 1
    assert "A revised summary." in rendered[0]


def test_a_broken_document_fails_the_build_and_keeps_the_good_pack(meeting):
    packs_build(meeting_id=meeting.pk)
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    good = public.file.name
    version = DocumentVersion.objects.get(document__title="Regulation 9 Notice")
    version.file.save("broken.pdf", ContentFile(b"%PDF-1.7 this is not really a PDF"))
    assert packs_build(meeting_id=meeting.pk) == "failed"
    public.refresh_from_db()
    assert public.state == BuildState.FAILED
    assert "“Regulation 9 Notice” could not be read" in public.error
    assert public.file.name == good
    assert public.file.storage.exists(good)


def test_quick_edits_coalesce_into_one_build(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = packs_request_build(meeting=meeting)
        second = packs_request_build(meeting=meeting)
    assert len(queued_work(callbacks)) == 2
    assert packs_build(meeting_id=meeting.pk, token=str(first)) == "superseded"
    assert packs_build(meeting_id=meeting.pk, token=str(second)) == "built"


def test_drafts_get_no_pack(committee):
    import datetime

    draft = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Chamber",
    )
    assert packs_request_build(meeting=draft) is None
    assert packs_build(meeting_id=draft.pk) == "not published"


def test_items_added_after_publication_get_a_supplementary_pack(meeting, coordinator):
    late = agenda_item_add(meeting=meeting, title="Fairfield Pool encampment")
    document_upload(
        item=late,
        title="Briefing note",
        user=coordinator,
        uploaded_file=upload(text_pdf("LATE-BRIEFING", pages=2)),
    )
    packs_build(meeting_id=meeting.pk)
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    supplement = Pack.objects.get(meeting=meeting, kind=PackKind.SUPPLEMENT)
    reader = read(supplement)
    front = reader.pages[0].extract_text()
    assert "SUPPLEMENTARY AGENDA" in front
    assert "Fairfield Pool encampment" in front
    assert "Regulation 9 Notice" not in front
    # The late item's pages carry the same numbers as in the full public pack.
    assert (supplement.first_page, supplement.page_count) == (5, 2)
    assert "Page 5" in reader.pages[-2].extract_text()
    assert "LATE-BRIEFING" in reader.pages[-2].extract_text()
    assert "LATE-BRIEFING" in all_text(read(public))
    assert "SECRET" not in all_text(reader)


def test_no_supplementary_pack_without_late_items(meeting):
    packs_build(meeting_id=meeting.pk)
    assert not Pack.objects.get(meeting=meeting, kind=PackKind.SUPPLEMENT).file


def test_a_build_stopped_by_its_time_limit_ends_failed_and_keeps_the_good_pack(
    meeting, monkeypatch
):
    from celery.exceptions import SoftTimeLimitExceeded

    from packs import services

    packs_build(meeting_id=meeting.pk)
    good = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC).file.name

    def too_slow(meeting, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_packs", too_slow)
    with pytest.raises(SoftTimeLimitExceeded):
        packs_build(meeting_id=meeting.pk)
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    assert public.state == BuildState.FAILED
    assert public.file.name == good


def test_a_build_lost_with_its_worker_is_marked_failed_when_next_looked_at(
    meeting, coordinator, settings
):
    import datetime

    from django.urls import reverse

    from scrutiny.testing import client_for, text_of

    packs_build(meeting_id=meeting.pk)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.SCRUTINY_PACK_STALE_AFTER + 60)
    Pack.objects.filter(meeting=meeting).update(state=BuildState.BUILDING, requested_at=long_ago)
    page = text_of(client_for(coordinator).get(meeting.get_absolute_url()))
    public = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    assert public.state == BuildState.FAILED
    assert "The build did not finish" in page
    assert "Try the build again" in page
    assert public.file  # the last good pack is still offered
    assert (
        client_for(coordinator)
        .get(reverse("packs:pack_download", args=[meeting.pk, PackKind.PUBLIC]))
        .status_code
        == 200
    )


def test_a_recent_build_is_not_taken_for_lost(meeting, coordinator):
    from scrutiny.testing import client_for

    packs_build(meeting_id=meeting.pk)
    Pack.objects.filter(meeting=meeting).update(state=BuildState.BUILDING)
    client_for(coordinator).get(meeting.get_absolute_url())
    assert Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC).state == BuildState.BUILDING


def test_renderings_no_build_uses_are_pruned_with_their_files(meeting, settings):
    import datetime
    import io as stdio

    from django.core.management import call_command

    from packs.models import RenderedDocument

    packs_build(meeting_id=meeting.pk)
    cached = list(RenderedDocument.objects.all())
    assert cached
    stale, fresh = cached[0], cached[1:]
    old = timezone.now() - datetime.timedelta(days=settings.SCRUTINY_RENDER_CACHE_DAYS + 1)
    RenderedDocument.objects.filter(pk=stale.pk).update(used_at=old)
    out = stdio.StringIO()
    call_command("prune_render_cache", stdout=out)
    assert "Pruned 1 cached rendering." in out.getvalue()
    assert not RenderedDocument.objects.filter(pk=stale.pk).exists()
    assert not stale.file.storage.exists(stale.file.name)
    assert RenderedDocument.objects.count() == len(fresh)


def test_a_rebuild_marks_the_renderings_it_used(meeting):
    import datetime

    from packs.models import RenderedDocument

    packs_build(meeting_id=meeting.pk)
    old = timezone.now() - datetime.timedelta(days=3)
    RenderedDocument.objects.update(used_at=old)
    packs_request_build(meeting=meeting)
    packs_build(meeting_id=meeting.pk)
    assert not RenderedDocument.objects.filter(used_at=old).exists()


def test_a_slow_build_is_logged(meeting, settings, caplog):
    import logging

    settings.SCRUTINY_SLOW_BUILD_SECONDS = 0
    with caplog.at_level(logging.WARNING, logger="packs.services"):
        packs_build(meeting_id=meeting.pk)
    assert "to build" in caplog.text
