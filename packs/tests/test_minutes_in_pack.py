"""The minutes a pack asks the committee to confirm, and the front sheet that lists them."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ItemKind
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.models import MinutesStatus
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_confirm,
    minutes_pdf_build,
    minutes_prefill,
    minutes_update,
)
from packs import build as pack_build
from packs.models import Pack, PackKind
from packs.services import packs_build
from papers.services import report_write
from scrutiny.models import MembershipRole

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the Committee discussed the Community Safety Partnership's quarterly "
    "figures for anti-social behaviour, criminal damage and domestic abuse at some length."
    for n in range(40)
)
LONG_TITLE = (
    "Dartford and Gravesham Community Safety Partnership Strategic Assessment 2017 and the "
    "Partnership's Response to the Inspection of Crime Data Integrity"
)


@pytest.fixture
def previous(committee, make_person, make_membership):
    """A meeting held last month whose minutes are published as a draft."""
    chair = make_person(surname="Wells", forenames="R J")
    make_membership(
        committee=committee,
        person=chair,
        role=MembershipRole.CHAIR,
        start_date=timezone.localdate() - datetime.timedelta(days=90),
    )
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="CSP Performance Report")
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    entry = minutes.entries.get(title="CSP Performance Report")
    minute_save(
        minute=entry,
        user=None,
        based_on=entry.version,
        title=entry.title,
        text=LONG_TEXT,
        resolutions=[ResolutionInput("That the Quarterly Performance Report be noted.")],
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    minutes_pdf_build(minutes_id=minutes.pk)  # the published record, as its page offers it
    return meeting


@pytest.fixture
def meeting(previous, committee, coordinator, report_content):
    """The next meeting, which confirms them, with a covering report under a long title."""
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title=LONG_TITLE)
    report_write(item=item, title="Strategic Assessment", content=report_content, user=coordinator)
    return agenda_publish(meeting=meeting, confirm_past=True)


def public_pack(meeting) -> PdfReader:
    assert packs_build(meeting_id=meeting.pk) == "built"
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    with pack.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def body_pages(reader: PdfReader, meeting) -> list[str]:
    """The text of each numbered page, after the front sheet."""
    count = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC).page_count
    return [page.extract_text() for page in reader.pages[len(reader.pages) - count :]]


def confirm(meeting):
    """Confirm the previous minutes at this meeting, and render their signed record."""
    minutes = minutes_prefill(meeting=meeting)
    confirmed = minutes_confirm(minute=minutes.entries.get(item__kind=ItemKind.MINUTES))
    minutes_pdf_build(minutes_id=confirmed.pk)
    confirmed.refresh_from_db()
    return confirmed


def test_a_pack_built_after_confirmation_still_carries_the_minutes_unsigned(previous, meeting):
    before = body_pages(public_pack(meeting), meeting)
    confirmed = confirm(meeting)
    assert confirmed.status == MinutesStatus.CONFIRMED
    after = body_pages(public_pack(meeting), meeting)
    minutes_pages = [page for page in after if "CSP PERFORMANCE REPORT" in page]
    assert minutes_pages
    text = "\n".join(after)
    assert "Confirmed as a correct record" not in text
    assert "signed by" not in text
    assert "CHAIRMAN ....." in text  # the line the Chairman signs at the meeting
    assert after == before  # confirmation changes nothing in the pack
    # The minutes' own PDF is the confirmed record.
    record = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(confirmed.pdf.read())).pages
    )
    assert "Confirmed as a correct record at the meeting held on" in record
    assert "signed by Councillor R J Wells" in record


def test_the_minutes_for_confirmation_are_cached_apart_from_the_record(
    previous, meeting, monkeypatch
):
    public_pack(meeting)
    confirm(meeting)
    rendered = []
    original = pack_build.render_pdf
    monkeypatch.setattr(
        pack_build, "render_pdf", lambda html: rendered.append(html) or original(html)
    )
    public_pack(meeting)
    # The copy for confirmation is unchanged by the confirmation: it comes from the cache.
    assert not [html for html in rendered if "CSP PERFORMANCE REPORT" in html]


def test_every_page_of_the_pack_carries_one_page_number(previous, meeting):
    pages = body_pages(public_pack(meeting), meeting)
    assert len(pages) >= 3  # the minutes run to more than a page, then the report
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"\bPage \d+", text) == [f"Page {number}"]
        assert "CHAIRMAN'S INITIALS" not in text


def front_sheet_lines(reader: PdfReader) -> list[str]:
    return reader.pages[0].extract_text(extraction_mode="layout").splitlines()


def test_front_sheet_ranges_sit_on_the_item_line_and_titles_keep_their_indent(previous, meeting):
    lines = front_sheet_lines(public_pack(meeting))
    ranges = [line for line in lines if re.search(r"\(Pages? \d+", line)]
    assert len(ranges) == 2  # the minutes (item 3) and the report (item 6)
    for line in ranges:
        # On the item's own line, after its number and title, apart from the title.
        assert re.match(r"\s*\d+\.\s+\S.*\S\s{2,}\(Pages? \d+( - \d+)?\)\s*$", line), line
    heading = next(i for i, line in enumerate(lines) if "Dartford and Gravesham" in line)
    title_column = lines[heading].index("Dartford")
    wrapped = lines[heading + 1]
    assert wrapped.strip() and not re.match(r"\s*\d+\.", wrapped)
    assert len(wrapped) - len(wrapped.lstrip()) == title_column  # the hanging indent


def test_the_confirmation_item_links_to_the_minutes_online(previous, meeting, settings):
    reader = public_pack(meeting)
    url = f"{settings.SCRUTINY_SITE_URL}{previous.minutes.get_absolute_url()}"
    assert url in reader.pages[0].extract_text()
    links = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in reader.pages[0].get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert url in links
    minutes_line = next(
        line for line in front_sheet_lines(reader) if line.lstrip().startswith("3.")
    )
    assert "(Pages 1 - " in minutes_line  # and shows where the minutes are in the pack


def test_a_meeting_with_no_papers_says_so(committee, coordinator):
    from scrutiny.testing import client_for, text_of

    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 3, 6, 19, tzinfo=LONDON),
        venue="Council Chamber",
    )
    agenda_publish(meeting=meeting, now=timezone.now())
    reader = public_pack(meeting)
    assert "There are no papers for this meeting" in reader.pages[0].extract_text()
    page = text_of(client_for(coordinator).get(meeting.get_absolute_url()))
    assert "pages 1 to 0" not in page
    assert "the agenda only: no papers" in page


# --- exempt minutes for confirmation -------------------------------------------------


def pack_text(meeting, kind) -> str:
    pack = Pack.objects.get(meeting=meeting, kind=kind)
    with pack.file.open("rb") as handle:
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(handle).pages)


@pytest.fixture
def exempt_minute(previous, coordinator):
    """A minute of the previous meeting marked exempt after its minutes were published."""
    minute = previous.minutes.entries.get(title="CSP Performance Report")
    return minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title=minute.title,
        text="Operation Nightjar: the partner's figures named three suspects.",
        resolutions=[ResolutionInput("That the Quarterly Performance Report be noted.")],
        is_exempt=True,
        public_summary="The Committee considered the partnership's figures.",
    )


def test_the_exempt_pack_carries_the_exempt_minutes_for_confirmation_in_full(
    previous, exempt_minute, meeting
):
    assert packs_build(meeting_id=meeting.pk) == "built"
    public = pack_text(meeting, PackKind.PUBLIC)
    assert "The Committee considered the partnership's figures." in public
    assert "Nightjar" not in public and "EXEMPT MINUTES" not in public
    exempt = pack_text(meeting, PackKind.EXEMPT)
    assert "EXEMPT: NOT FOR PUBLICATION" in exempt
    assert "EXEMPT MINUTES of the meeting" in exempt
    assert "Operation Nightjar: the partner's figures named three suspects." in exempt
    assert "That the Quarterly Performance Report be noted." in exempt
    # Only what the public minutes withhold: not the register, nor the public minutes.
    assert "PRESENT:" not in exempt and "DECLARATIONS" not in exempt
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.EXEMPT)
    assert pack.minutes_of == [previous.pk]


def test_the_exempt_pack_carries_the_heading_an_exempt_items_minute_withholds(
    previous, committee, coordinator
):
    from meetings.services import agenda_item_update

    item = previous.items.get(title="CSP Performance Report")
    agenda_item_update(
        item=item,
        title="Item of business",
        full_title="Operation Nightjar performance report",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    following = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        venue="Council Chamber",
    )
    agenda_publish(meeting=following)
    assert packs_build(meeting_id=following.pk) == "built"
    public = pack_text(following, PackKind.PUBLIC)
    assert "ITEM OF BUSINESS" in public and "CSP PERFORMANCE REPORT" not in public
    exempt = pack_text(following, PackKind.EXEMPT)
    assert "Exempt minutes: Confirmation of the Minutes" in exempt  # the front sheet
    assert "CSP PERFORMANCE REPORT Paragraph 0" in exempt  # the minute, under its heading


def test_minutes_that_withhold_nothing_add_nothing_to_the_exempt_pack(previous, meeting):
    assert packs_build(meeting_id=meeting.pk) == "built"
    assert not Pack.objects.get(meeting=meeting, kind=PackKind.EXEMPT).file
    assert "CSP PERFORMANCE REPORT" in pack_text(meeting, PackKind.PUBLIC)


def test_exempt_minutes_reach_only_readers_entitled_to_the_earlier_meeting(
    previous, exempt_minute, meeting, coordinator, member, councillor
):
    from django.urls import reverse

    from exempt.services import grant_create
    from scrutiny import access
    from scrutiny.testing import client_for

    assert packs_build(meeting_id=meeting.pk) == "built"
    # A need-to-know grant to this meeting alone does not open the meeting before.
    grant_create(
        user=councillor,
        granted_by=coordinator,
        reason="Ward member",
        expires_on=timezone.localdate(),
        meeting=meeting,
    )
    access.forget(councillor)
    url = reverse("packs:pack_download", args=[meeting.pk, PackKind.EXEMPT])
    assert client_for(councillor).get(url).status_code == 403
    assert client_for(member).get(url).status_code == 200  # the committee's member
    page = client_for(councillor).get(meeting.get_absolute_url()).content.decode()
    assert url not in page


def test_cross_references_in_the_minutes_for_confirmation_link_to_the_site(
    previous, meeting, coordinator, settings
):
    minute = previous.minutes.entries.get(title="CSP Performance Report")
    earlier = previous.minutes.entries.filter(order__lt=minute.order).first()
    minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title=minute.title,
        text=f"As resolved earlier [Min. No. {earlier.number} refers].",
        resolutions=[ResolutionInput("That the Quarterly Performance Report be noted.")],
    )
    reader = public_pack(meeting)
    links = [
        annotation.get_object()["/A"].get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    path = f"{previous.minutes.get_absolute_url()}#minute-{earlier.number}"
    assert f"{settings.SCRUTINY_SITE_URL}{path}" in links
