"""The reader's watermark shows where a viewer shows the page, and cannot be taken off
apart from the page. Checked with poppler, as a reader's viewer would draw it."""

import io
import re

import pikepdf
import pytest
from django.urls import reverse

from exempt.watermark import watermark
from meetings.models import AgendaSection
from meetings.services import agenda_publish
from packs.models import PackKind
from packs.services import packs_build
from papers.services import document_upload
from scrutiny.testing import body_of, client_for, pdf_bytes, upload
from scrutiny.tests.test_pdf_overlay import (
    ORIGINAL,
    cropped_pdf,
    drawn_text,
    marked_rows,
    visible_text,
)

TEXT = (
    "EXEMPT - NOT FOR PUBLICATION - Schedule 12A paragraph 3 - issued to Councillor "
    "D J Mote on 21 February 2030 at 19:05"
)
TURNS = (0, 90, 180, 270)


def test_the_mark_shows_in_full_inside_an_inset_crop_box_whichever_way_the_page_turns():
    pages = visible_text(watermark(cropped_pdf(TURNS), TEXT))
    assert len(pages) == len(TURNS)
    for words in pages:
        assert words.count(TEXT) == 2  # along the top and along the bottom
        assert ORIGINAL in words


def test_the_mark_runs_along_the_top_and_bottom_of_the_page_as_shown():
    # 50 dpi: the crop box of A4 shows 313 x 485 pixels, or 485 x 313 turned.
    for rows in marked_rows(watermark(cropped_pdf(TURNS), TEXT)):
        edge = len(rows) // 10
        assert any(rows[:edge]), "no mark along the top"
        assert any(rows[-edge:]), "no mark along the bottom"
        # The word across the middle is light enough to read the paper through.
        assert not any(rows[edge:-edge])


def test_a_marked_page_is_one_content_stream_holding_the_page_and_the_mark():
    marked = watermark(cropped_pdf(split_contents=True), TEXT)
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        for page in pdf.pages:
            assert isinstance(page.obj.Contents, pikepdf.Stream)
            content = page.obj.Contents.read_bytes()
            assert b"0 0 1 rg" in content  # the page's first stream
            assert b"(%s) Tj" % ORIGINAL.encode() in content  # and its second
            assert content.count(b"issued to Councillor D J Mote") == 2


def test_the_mark_is_a_pagination_artifact_and_the_page_text_is_not():
    marked = watermark(cropped_pdf(), TEXT)
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        for page in pdf.pages:
            assert drawn_text(page) == [
                (ORIGINAL, False),
                ("EXEMPT", True),  # lightly across the middle
                (TEXT, True),
                (TEXT, True),
            ]


def test_the_word_across_the_middle_is_drawn_through_transparency():
    with pikepdf.open(io.BytesIO(watermark(cropped_pdf((0,)), TEXT))) as pdf:
        states = pdf.pages[0].obj.Resources.ExtGState
        assert [float(state.ca) for state in states.values()] == [0.15]


def test_a_long_line_on_a_narrow_page_is_shrunk_to_fit_it():
    pdf = pikepdf.open(io.BytesIO(cropped_pdf((0, 90))))
    for page in pdf.pages:
        page.obj.CropBox = pikepdf.Array([200, 72, 395, 770])  # 195 pt wide
    out = io.BytesIO()
    pdf.save(out)
    text = TEXT.replace("D J Mote", "Alexandra Featherstonehaugh-Montgomery")
    for words in visible_text(watermark(out.getvalue(), text)):
        assert words.count(text) == 2


def test_a_pdf_locked_only_against_changes_is_marked_and_opens_without_a_password():
    pages = visible_text(watermark(pdf_bytes(2, password=""), TEXT))
    assert [words.count(TEXT) for words in pages] == [2, 2]


# --- downloads ------------------------------------------------------------------


@pytest.fixture
def meeting(make_exempt_item, coordinator):
    item = make_exempt_item(
        title="CSP Strategic Assessment 2017",
        full_title="Operation Nightjar assessment",
        paragraph=3,
        publish=False,
    )
    meeting = item.meeting
    document_upload(
        item=item,
        title="Nightjar targets, scanned",
        uploaded_file=upload(cropped_pdf(TURNS)),
        user=coordinator,
    )
    agenda_publish(meeting=meeting)
    packs_build(meeting_id=meeting.pk)
    return meeting


@pytest.mark.django_db
def test_the_exempt_pack_shows_its_page_numbers_and_the_mark_inside_crop_boxes(member, meeting):
    response = client_for(member).get(
        reverse("packs:pack_download", args=[meeting.pk, PackKind.EXEMPT])
    )
    marked = body_of(response)
    pages = visible_text(marked)
    issued = f"issued to {member.person.display_name} on"
    assert all(issued in words for words in pages)
    scanned = pages[-len(TURNS) :]
    numbers = [int(re.search(r"\bPage (\d+)\b", words)[1]) for words in scanned]
    assert numbers == list(range(numbers[0], numbers[0] + len(TURNS)))
    assert all(ORIGINAL in words for words in scanned)
    with pikepdf.open(io.BytesIO(marked)) as pdf:
        for page in pdf.pages:
            assert isinstance(page.obj.Contents, pikepdf.Stream)
        for page in pdf.pages[-len(TURNS) :]:
            shown = drawn_text(page)
            assert (ORIGINAL, False) in shown
            assert all(artifact for text, artifact in shown if text.startswith("Page "))


@pytest.mark.django_db
def test_a_downloaded_exempt_document_shows_the_mark_inside_its_crop_boxes(member, meeting):
    document = meeting.items.get(section=AgendaSection.EXEMPT).documents.get()
    response = client_for(member).get(reverse("papers:document_download", args=[document.pk]))
    pages = visible_text(body_of(response))
    assert len(pages) == len(TURNS)
    assert all(words.count("EXEMPT - NOT FOR PUBLICATION") == 2 for words in pages)
