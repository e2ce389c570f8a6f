"""Packs tagged end to end: the structure of every tagged part survives the merge,
page numbers and watermarks stay out of it, and untagged uploads are named in it.
Checked as a screen reader's software sees it, with poppler's `pdfinfo -struct-text`."""

import datetime
import io
import re
import zoneinfo

import pikepdf
import pytest
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from packs.models import Pack, PackKind
from packs.services import packs_build
from packs.tagged import TaggedPack, pdf_is_tagged
from papers.services import document_upload, report_write
from scrutiny.testing import (
    page_words,
    struct_strings,
    tagged_pdf,
    untagged_pdf,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, coordinator, report_content):
    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Council Chamber",
    )
    reg9 = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    document_upload(
        item=reg9,
        title="Forward plan",
        user=coordinator,
        uploaded_file=upload(tagged_pdf("Forward plan of key decisions", pages=3)),
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
        title="Scanned letter",
        user=coordinator,
        uploaded_file=upload(untagged_pdf("SCANNED-LETTER from the police")),
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
        uploaded_file=upload(tagged_pdf("Nightjar named suspects", pages=2)),
    )
    agenda_publish(meeting=meeting, now=timezone.now())
    assert packs_build(meeting_id=meeting.pk) == "built"
    return meeting


def pack_bytes(meeting, kind=PackKind.PUBLIC) -> bytes:
    pack = Pack.objects.get(meeting=meeting, kind=kind)
    with pack.file.open("rb") as handle:
        return handle.read()


def test_the_pack_is_one_tagged_document_of_parts(meeting):
    data = pack_bytes(meeting)
    assert pdf_is_tagged(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title).endswith("20 February 2030: Public agenda pack")
        document = root.StructTreeRoot.K[0]
        assert pikepdf.Name.Document == document.S
        parts = [(str(part.S), str(part.T)) for part in document.K]
        assert parts == [
            ("/Part", "Agenda"),
            ("/Part", "Forward plan"),
            ("/Part", "Community Safety Performance Report"),
            ("/Part", "Scanned letter"),
        ]
        for part in document.K:
            assert part.P.objgen == document.objgen
            for kid in part.K:
                assert kid.P.objgen == part.objgen
                # A part's own Document element gives way to the part.
                assert pikepdf.Name.Document != kid.S
        # The untagged upload is named, with nothing under it.
        assert len(document.K[3].K) == 0
        with pdf.open_metadata() as metadata:
            assert metadata["dc:title"] == str(pdf.docinfo.Title)


def test_every_page_of_a_tagged_part_is_read_through_the_structure_in_order(meeting):
    data = pack_bytes(meeting)
    strings = struct_strings(data)
    reading = " ".join(strings)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_count = len(pdf.pages)
    scanned = {
        index + 1
        for index in range(page_count)
        if "SCANNED-LETTER" in " ".join(page_words(data, index + 1))
    }
    assert len(scanned) == 1
    for number in range(1, page_count + 1):
        if number in scanned:
            continue
        words = [w for w in page_words(data, number) if w]
        # The footer is the page's last line: "Page N" (the front sheet has none).
        if words[-2:-1] == ["Page"]:
            words = words[:-2]
        for word in words:
            assert word in reading, f"page {number}: {word!r} is not in the structure"
    # Reading order: the front sheet, then each paper's pages in turn.
    positions = [
        reading.index(text)
        for text in (
            "AGENDA",
            "Forward plan of key decisions sheet 1",
            "Forward plan of key decisions sheet 2",
            "Forward plan of key decisions sheet 3",
            "To note the Quarterly Performance Report.",
            "Any reduction in service would harm the Borough.",
        )
    ]
    assert positions == sorted(positions)


def test_page_numbers_and_untagged_text_are_not_in_the_structure(meeting):
    strings = struct_strings(pack_bytes(meeting))
    assert not [s for s in strings if re.fullmatch(r"Page \d+", s.strip())]
    assert not [s for s in strings if "SCANNED-LETTER" in s]


def test_each_pages_marked_content_finds_its_element_in_the_parent_tree(meeting):
    with pikepdf.open(io.BytesIO(pack_bytes(meeting))) as pdf:
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        keys = []
        for page in pdf.pages:
            if pikepdf.Name.StructParents not in page.obj:
                continue
            key = int(page.obj.StructParents)
            keys.append(key)
            elements = parents[key]
            mcids = {
                int(operands[1].MCID)
                for operands, operator in pikepdf.parse_content_stream(page)
                if operator == pikepdf.Operator("BDC")
                and isinstance(operands[1], pikepdf.Dictionary)
                and pikepdf.Name.MCID in operands[1]
            }
            assert mcids and max(mcids) < len(elements)
            for mcid in mcids:
                assert elements[mcid].Pg.objgen == page.obj.objgen
            for annotation in page.obj.get(pikepdf.Name.Annots, []):
                link = parents[int(annotation.StructParent)]
                assert any(
                    isinstance(kid, pikepdf.Dictionary)
                    and kid.get(pikepdf.Name.Obj) is not None
                    and kid.Obj.objgen == annotation.objgen
                    for kid in link.K
                )
                keys.append(int(annotation.StructParent))
        assert len(keys) == len(set(keys))  # no two parts share a key
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(keys)


def test_the_watermark_on_an_exempt_copy_is_not_read_as_text(meeting):
    from exempt.watermark import watermark

    marked = watermark(pack_bytes(meeting, PackKind.EXEMPT), "EXEMPT - issued to Cllr Reader")
    strings = struct_strings(marked)
    assert any("Nightjar named suspects sheet 1" in s for s in strings)
    assert not [s for s in strings if "EXEMPT" in s and "issued to" in s]
    assert "issued to Cllr Reader" in " ".join(page_words(marked, 2))


def test_a_pack_of_untagged_parts_alone_still_names_them():
    pack = TaggedPack()
    try:
        first = pack.add(untagged_pdf("ONE"), title="First")
        second = pack.add(untagged_pdf("TWO"), title="Second")
        assert (first, second) == (0, 1)
        assert pack.untagged_parts == ["First", "Second"]
        data = pack.save(title="T", author="A", subject="S", outline=[])
    finally:
        pack.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert [str(p.T) for p in pdf.Root.StructTreeRoot.K[0].K] == ["First", "Second"]


def test_the_front_sheet_links_to_each_covering_report_on_the_web(meeting):
    from papers.models import Document
    from scrutiny.notices import absolute_url

    report = Document.objects.get(title="Community Safety Performance Report")
    with pikepdf.open(io.BytesIO(pack_bytes(meeting))) as pdf:
        addresses = [
            str(annotation.A.URI)
            for annotation in pdf.pages[0].obj.get(pikepdf.Name.Annots, [])
            if pikepdf.Name.A in annotation and pikepdf.Name.URI in annotation.A
        ]
    assert absolute_url(report.get_absolute_url()) in addresses
    assert "Covering report online" in " ".join(struct_strings(pack_bytes(meeting)))


def test_the_pack_says_it_is_pdf_1_7_like_its_parts(meeting):
    """Tags, a language and marked content are PDF 1.4 and later: a header of 1.3 (a
    new PDF's) would say the pack is older than what it holds."""
    for kind in (PackKind.PUBLIC, PackKind.EXEMPT):
        with pikepdf.open(io.BytesIO(pack_bytes(meeting, kind))) as pdf:
            assert pdf.pdf_version >= "1.7"
