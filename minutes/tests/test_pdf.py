"""The minutes PDF: the council's format, the public record only, built in the background."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from minutes.models import Minutes
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_pdf_build,
    minutes_prefill,
    minutes_update,
)
from scrutiny.testing import body_of

pytestmark = pytest.mark.django_db

LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the Committee discussed the Community Safety Partnership's quarterly "
    "figures for anti-social behaviour, criminal damage and domestic abuse at some length."
    for n in range(40)
)


@pytest.fixture
def minutes(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title="CSP Performance Report")
    agenda_item_add(
        meeting=meeting, title="Strategic Assessment", exempt_paragraph=3, exempt_reason="x"
    )
    agenda_publish(meeting=meeting, confirm_past=True)
    minutes = minutes_prefill(meeting=meeting)
    report = minutes.entries.get(title="CSP Performance Report")
    minute_save(
        minute=report,
        user=coordinator,
        based_on=report.version,
        title="CSP Performance Report",
        text=LONG_TEXT,
        resolutions=[ResolutionInput("That the Quarterly Performance Report be noted.")],
    )
    secret = minutes.entries.get(title="Strategic Assessment")
    minute_save(
        minute=secret,
        user=coordinator,
        based_on=secret.version,
        title="Strategic Assessment",
        text="Operation Nightjar targets were named.",
        resolutions=[],
        is_exempt=True,
        public_summary="The Committee noted the Strategic Assessment.",
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    return minutes


def pdf_text(minutes) -> list[str]:
    minutes.refresh_from_db()
    reader = PdfReader(io.BytesIO(minutes.pdf.read()))
    return [page.extract_text() for page in reader.pages]


def test_publishing_builds_the_pdf_in_the_council_format(
    minutes, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes_advance(minutes=minutes)
        minutes_advance(minutes=minutes)
    pages = pdf_text(minutes)
    assert len(pages) >= 2
    header = committee.name.upper()
    assert header in pages[1]  # the running header from the second page on
    for page in pages:
        assert "CHAIRMAN'S INITIALS" in page
    text = "\n".join(pages)
    assert "6. CSP PERFORMANCE REPORT" in text
    assert "8. STRATEGIC ASSESSMENT" in text
    assert "RESOLVED:" in text
    assert "The meeting closed at 9.25 pm." in text
    assert "CHAIRMAN ....." in text
    # The PDF is the public record: the exempt minute is its summary only.
    assert "The Committee noted the Strategic Assessment." in text
    assert "Nightjar" not in text


def test_unchanged_minutes_are_not_rendered_again(minutes):
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    assert minutes_pdf_build(minutes_id=minutes.pk) is True
    first = Minutes.objects.get(pk=minutes.pk).pdf.name
    assert minutes_pdf_build(minutes_id=minutes.pk) is False
    assert Minutes.objects.get(pk=minutes.pk).pdf.name == first


def test_draft_minutes_get_no_pdf(minutes):
    assert minutes_pdf_build(minutes_id=minutes.pk) is False
    minutes.refresh_from_db()
    assert not minutes.pdf


def test_pdf_download_follows_publication(anon_client, minutes):
    url = reverse("minutes:minutes_pdf", args=[minutes.meeting_id])
    assert anon_client.get(url).status_code == 404
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    pending = anon_client.get(url)
    assert pending.status_code == 503
    assert pending["Retry-After"] == "30"
    minutes_pdf_build(minutes_id=minutes.pk)
    response = anon_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body_of(response).startswith(b"%PDF-")


def link_targets(pdf: bytes) -> list[str]:
    return [
        annotation.get_object()["/A"].get("/URI", "")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]


def test_cross_references_link_to_the_site_from_the_pdf_and_within_it_on_the_page(
    minutes, coordinator, anon_client, settings
):
    report = minutes.entries.get(title="CSP Performance Report")
    earlier = minutes.entries.filter(order__lt=report.order, is_exempt=False).first()
    minute_save(
        minute=report,
        user=coordinator,
        based_on=report.version,
        title=report.title,
        text=f"The Committee recalled its decision [Min. No. {earlier.number} refers].",
        resolutions=[ResolutionInput("That the Quarterly Performance Report be noted.")],
    )
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    assert minutes_pdf_build(minutes_id=minutes.pk)
    minutes.refresh_from_db()
    path = f"{minutes.get_absolute_url()}#minute-{earlier.number}"
    # A PDF is read away from the site: its links carry the site's address.
    assert f"{settings.SCRUTINY_SITE_URL}{path}" in link_targets(minutes.pdf.read())
    page = anon_client.get(minutes.get_absolute_url()).content.decode()
    assert f'href="{path}"' in page
    assert settings.SCRUTINY_SITE_URL not in page
