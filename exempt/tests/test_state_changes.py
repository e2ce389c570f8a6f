"""Exempt information after state changes, with tasks queued and no worker running: the
public packs and minutes PDF stop being served in the same transaction; old versions
stay restricted; build errors name nothing exempt to readers."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.services import (
    agenda_item_add,
    agenda_item_update,
    agenda_publish,
    meeting_create,
)
from minutes.models import Minutes
from minutes.services import (
    ResolutionInput,
    minute_save,
    minutes_advance,
    minutes_pdf_build,
    minutes_prefill,
    minutes_update,
)
from packs.models import BuildState, Pack, PackKind
from packs.services import packs_build
from papers.models import DocumentVersion
from papers.services import (
    document_exemption_set,
    document_replace,
    document_upload,
    document_version_release,
    report_request_create,
)
from scrutiny.testing import body_of, client_for, pdf_bytes, text_of, upload

pytestmark = pytest.mark.django_db

SECRET = "Operation Nightjar"


def pdf_with_text(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture(autouse=True)
def no_worker(monkeypatch):
    """Tasks are queued and nothing runs them: the state a dead or slow worker leaves."""
    from minutes import tasks as minutes_tasks
    from packs import tasks as pack_tasks

    queued = []
    monkeypatch.setattr(
        pack_tasks.build_meeting_packs, "apply_async", lambda *a, **k: queued.append(a)
    )
    monkeypatch.setattr(
        minutes_tasks.build_minutes_pdf, "apply_async", lambda *a, **k: queued.append(a)
    )
    return queued


@pytest.fixture
def meeting(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="Gangs in the town centre")
    document_upload(
        item=item,
        title="Gangs report",
        uploaded_file=upload(pdf_with_text(f"{SECRET} version one")),
        user=coordinator,
    )
    meeting = agenda_publish(meeting=meeting, confirm_past=True)
    packs_build(meeting_id=meeting.pk)
    return meeting


@pytest.fixture
def item(meeting):
    return meeting.items.get(title="Gangs in the town centre")


def make_exempt(item):
    """The co-ordinator moves a published item into the exempt part."""
    return agenda_item_update(
        item=item,
        title="Item of business",
        full_title="Gangs in the town centre",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )


def make_minute_exempt(minute, *, by):
    """The co-ordinator marks a published minute exempt, with its public summary."""
    return minute_save(
        minute=minute,
        user=by,
        based_on=minute.version,
        title=minute.title,
        text=minute.text,
        resolutions=[ResolutionInput(r.text) for r in minute.resolutions.all()],
        is_exempt=True,
        public_summary="The Committee considered an exempt matter.",
    )


def public_pack(meeting):
    return Client().get(reverse("packs:pack_download", args=[meeting.pk, PackKind.PUBLIC]))


def test_the_public_pack_carries_the_paper_before_anything_changes(meeting):
    response = public_pack(meeting)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"  # shared caches revalidate
    assert SECRET in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(body_of(response))).pages
    )


def test_an_item_made_exempt_withdraws_the_public_pack_at_once(
    meeting, item, no_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_exempt(item)
    assert no_worker, "a rebuild was queued, and no worker ran it"
    assert public_pack(meeting).status_code == 404
    pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    assert not pack.file and pack.state == BuildState.QUEUED
    page = text_of(Client().get(meeting.get_absolute_url()))
    assert "Being rebuilt" in page
    assert "Gangs" not in page


def test_a_document_made_exempt_withdraws_the_public_pack(meeting, item, no_worker):
    document = item.documents.get()
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    assert public_pack(meeting).status_code == 404
    anonymous = Client().get(reverse("papers:document_download", args=[document.pk]))
    assert anonymous.status_code == 302  # to sign in: no longer public


def test_a_replaced_document_withdraws_the_public_pack(meeting, item, coordinator):
    document_replace(
        document=item.documents.get(),
        uploaded_file=upload(pdf_with_text("Redacted version")),
        user=coordinator,
        change_note="Names removed",
    )
    assert public_pack(meeting).status_code == 404


def test_adding_a_paper_keeps_the_public_pack_while_it_is_rebuilt(meeting, item, coordinator):
    document_upload(
        item=item, title="Appendix", uploaded_file=upload(pdf_bytes(1)), user=coordinator
    )
    assert public_pack(meeting).status_code == 200


def test_a_failed_build_names_nothing_to_readers(meeting, item, coordinator, monkeypatch):
    from packs import build

    def broken(source):
        raise build.PackBuildError(f"\u201c{SECRET} appendix\u201d could not be read: /var/x.pdf")

    monkeypatch.setattr(build, "_open", broken)
    agenda_item_update(item=item, title="Gangs in the town centre (revised)")
    assert packs_build(meeting_id=meeting.pk) == "failed"
    public_page = text_of(Client().get(meeting.get_absolute_url()))
    assert SECRET not in public_page and "/var/" not in public_page
    assert "Not available at the moment" in public_page
    assert public_pack(meeting).status_code == 404  # nothing stale is served
    coordinator_page = text_of(client_for(coordinator).get(meeting.get_absolute_url()))
    assert f"{SECRET} appendix" in coordinator_page


# --- the minutes PDF -------------------------------------------------------------------


@pytest.fixture
def published_minutes(meeting, item, coordinator):
    minutes = minutes_prefill(meeting=meeting)
    minute = minutes.entries.get(item=item)
    minute_save(
        minute=minute,
        user=coordinator,
        based_on=minute.version,
        title=item.title,
        text=f"{SECRET} was discussed.",
        resolutions=[ResolutionInput("That the report be noted.")],
    )
    minutes_update(minutes=minutes, closing_time=datetime.time(21, 25))
    minutes_advance(minutes=minutes)
    minutes_advance(minutes=minutes)
    assert minutes_pdf_build(minutes_id=minutes.pk)
    minutes.refresh_from_db()
    assert minutes.pdf
    return minutes


def minutes_pdf(meeting):
    return Client().get(reverse("minutes:minutes_pdf", args=[meeting.pk]))


def test_a_minute_made_exempt_withdraws_the_minutes_pdf_at_once(published_minutes, coordinator):
    assert minutes_pdf(published_minutes.meeting).status_code == 200
    minute = published_minutes.entries.get(text__contains=SECRET)
    make_minute_exempt(minute, by=coordinator)
    assert minutes_pdf(published_minutes.meeting).status_code == 503
    assert not Minutes.objects.get(pk=published_minutes.pk).pdf


def test_an_item_made_exempt_withdraws_the_minutes_pdf_and_renames_its_minute(
    published_minutes, item
):
    make_exempt(item)
    meeting = published_minutes.meeting
    assert minutes_pdf(meeting).status_code == 503
    public = text_of(Client().get(reverse("minutes:minutes_detail", args=[meeting.pk])))
    assert "ITEM OF BUSINESS" in public
    assert "GANGS IN THE TOWN CENTRE" not in public


def test_an_unchanged_save_keeps_the_minutes_pdf(published_minutes, coordinator):
    from minutes.services import schedule_minutes_pdf

    schedule_minutes_pdf(published_minutes)
    assert minutes_pdf(published_minutes.meeting).status_code == 200


def test_the_next_meetings_pack_is_withdrawn_with_the_minutes_it_carries(
    published_minutes, committee, coordinator
):
    following = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    agenda_publish(meeting=following)
    packs_build(meeting_id=following.pk)
    assert public_pack(following).status_code == 200
    minute = published_minutes.entries.get(text__contains=SECRET)
    make_minute_exempt(minute, by=coordinator)
    assert public_pack(following).status_code == 404


@pytest.fixture
def following(published_minutes, committee):
    """The next meeting, whose public pack prints the minutes above for confirmation,
    while their own PDF is still to be built (the worker is late, or the build failed)."""
    following = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=30),
        venue="Council Chamber",
    )
    agenda_publish(meeting=following)
    Minutes.objects.filter(pk=published_minutes.pk).update(
        pdf="", pdf_built_at=None, pdf_source_hash=""
    )
    assert packs_build(meeting_id=following.pk) == "built"
    assert SECRET in pack_text(following)
    return following


def pack_text(meeting, kind=PackKind.PUBLIC) -> str:
    pack = Pack.objects.get(meeting=meeting, kind=kind)
    with pack.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


def edit_minute_text(minute, *, by):
    return minute_save(
        minute=minute,
        user=by,
        based_on=minute.version,
        title=minute.title,
        text="The Committee discussed the report.",
        resolutions=[ResolutionInput(r.text) for r in minute.resolutions.all()],
    )


@pytest.mark.parametrize(
    ("change", "gone"),
    [
        (lambda minute, item, by: make_minute_exempt(minute, by=by), SECRET),
        (lambda minute, item, by: make_exempt(item), "GANGS IN THE TOWN CENTRE"),
        (lambda minute, item, by: edit_minute_text(minute, by=by), SECRET),
    ],
    ids=["minute made exempt", "item made exempt", "text edited"],
)
def test_the_next_pack_is_withdrawn_though_the_minutes_pdf_is_not_built(
    published_minutes,
    following,
    item,
    coordinator,
    no_worker,
    change,
    gone,
    django_capture_on_commit_callbacks,
):
    minute = published_minutes.entries.get(text__contains=SECRET)
    assert gone in pack_text(following)
    no_worker.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(minute, item, coordinator)
    assert public_pack(following).status_code == 404
    pack = Pack.objects.get(meeting=following, kind=PackKind.PUBLIC)
    assert not pack.file and pack.state == BuildState.QUEUED
    assert no_worker, "a rebuild was queued, and no worker ran it"
    assert packs_build(meeting_id=following.pk) == "built"
    assert gone not in pack_text(following)


def test_an_unchanged_save_keeps_the_next_pack_though_the_minutes_pdf_is_not_built(
    published_minutes, following
):
    from minutes.services import schedule_minutes_pdf

    published_minutes.refresh_from_db()
    assert not published_minutes.pdf
    schedule_minutes_pdf(published_minutes)
    assert public_pack(following).status_code == 200


# --- versions ----------------------------------------------------------------------------


@pytest.fixture
def exempt_then_public(meeting, item, coordinator):
    """An exempt paper whose unredacted version 1 is replaced by a redacted version 2,
    then made public: the common way a redacted paper is released."""
    document = item.documents.get()
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    document_replace(
        document=document,
        uploaded_file=upload(pdf_with_text("Redacted")),
        user=coordinator,
        change_note="Redacted",
    )
    document_exemption_set(document=document, is_exempt=False)
    document.refresh_from_db()
    return document


def version_url(document, number):
    return reverse("papers:version_download", args=[document.pk, number])


def test_old_versions_stay_restricted_when_a_paper_is_made_public(
    exempt_then_public, councillor, member
):
    document = exempt_then_public
    anonymous = Client()
    assert anonymous.get(version_url(document, 2)).status_code == 200
    assert anonymous.get(version_url(document, 1)).status_code == 302
    assert client_for(councillor).get(version_url(document, 1)).status_code == 403
    page = text_of(anonymous.get(document.get_absolute_url()))
    assert "Download version 2" in page and "Download version 1" not in page
    # Entitled members still read the earlier version, watermarked.
    response = client_for(member).get(version_url(document, 1))
    assert response.status_code == 200
    assert "issued to" in PdfReader(io.BytesIO(body_of(response))).pages[0].extract_text()


def test_a_withheld_word_version_is_refused_and_logged_like_any_other(
    item, coordinator, councillor
):
    from exempt.models import AccessEvent, AccessLog
    from scrutiny.testing import docx_bytes

    document = document_upload(
        item=item,
        title="Word appendix",
        uploaded_file=upload(docx_bytes("Unredacted names"), "appendix.docx"),
        user=coordinator,
    )
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    document_replace(
        document=document,
        uploaded_file=upload(docx_bytes("Redacted"), "appendix.docx"),
        user=coordinator,
        change_note="Redacted",
    )
    document_exemption_set(document=document, is_exempt=False)
    # Not entitled: sent to sign in, or refused, and the refusal logged; never told
    # to fetch a PDF version meant for readers entitled to it.
    assert Client().get(version_url(document, 1)).status_code == 302
    refused = client_for(councillor).get(version_url(document, 1))
    assert refused.status_code == 403
    assert "PDF version" not in refused.content.decode()
    assert (
        AccessLog.objects.filter(
            event=AccessEvent.REFUSED, what=f"version 1 of document {document.pk}"
        ).count()
        == 2
    )


def test_the_coordinator_releases_an_old_version_one_by_one(exempt_then_public, coordinator):
    document = exempt_then_public
    client = client_for(coordinator)
    assert "Release version 1" in text_of(client.get(document.get_absolute_url()))
    client.post(reverse("papers:version_release", args=[document.pk, 1]))
    version = DocumentVersion.objects.get(document=document, number=1)
    assert not version.withheld and version.released_by == coordinator
    assert Client().get(version_url(document, 1)).status_code == 200


def test_a_version_of_an_exempt_document_cannot_be_released(meeting, item, coordinator):
    document = item.documents.get()
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    with pytest.raises(Exception, match="exempt"):
        document_version_release(version=document.versions.get(number=1), released_by=coordinator)


def test_an_item_made_public_again_keeps_its_earlier_versions_restricted(
    meeting, item, coordinator
):
    make_exempt(item)
    document = item.documents.get()
    document_replace(
        document=document,
        uploaded_file=upload(pdf_with_text("Redacted")),
        user=coordinator,
        change_note="Redacted",
    )
    item.refresh_from_db()
    agenda_item_update(item=item, title="Gangs in the town centre", exempt_paragraph=None)
    assert Client().get(version_url(document, 2)).status_code == 200
    assert Client().get(version_url(document, 1)).status_code == 302


def test_an_officer_reads_only_the_versions_they_wrote(meeting, item, coordinator, officer):
    report_request_create(
        item=item,
        officer=officer,
        requested_by=coordinator,
        deadline=timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1),
    )
    document = document_upload(
        item=item,
        title="Officer's paper",
        uploaded_file=upload(pdf_with_text("Officer draft")),
        user=officer,
    )
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    document_replace(
        document=document,
        uploaded_file=upload(pdf_with_text(f"{SECRET} added by the co-ordinator")),
        user=coordinator,
        change_note="Exempt detail added",
    )
    client = client_for(officer)
    assert client.get(version_url(document, 1)).status_code == 200
    assert client.get(version_url(document, 2)).status_code == 403
    assert client.get(reverse("papers:document_download", args=[document.pk])).status_code == 403
    page = text_of(client.get(document.get_absolute_url()))
    assert "Download version 1" in page and "Download version 2" not in page


# --- races: a change made while a build renders ---------------------------------------


def test_a_minutes_pdf_rendered_before_a_change_is_not_stored_after_it(
    published_minutes, coordinator, monkeypatch
):
    from minutes import pdf as minutes_pdf_module

    minute = published_minutes.entries.get(text__contains=SECRET)
    Minutes.objects.filter(pk=published_minutes.pk).update(pdf_source_hash="stale")
    real_render = minutes_pdf_module.render_pdf

    def render_while_the_minute_is_made_exempt(html):
        rendered = real_render(html)
        make_minute_exempt(minute, by=coordinator)
        return rendered

    monkeypatch.setattr(minutes_pdf_module, "render_pdf", render_while_the_minute_is_made_exempt)
    assert minutes_pdf_build(minutes_id=published_minutes.pk) is False
    assert minutes_pdf(published_minutes.meeting).status_code == 503


def test_a_pack_built_by_command_gives_way_to_a_change_made_while_it_ran(
    meeting, item, monkeypatch
):
    from packs import services as pack_services

    real_build = pack_services.build_packs

    def build_while_the_item_is_made_exempt(meeting, **kwargs):
        built = real_build(meeting, **kwargs)
        make_exempt(item)
        return built

    monkeypatch.setattr(pack_services, "build_packs", build_while_the_item_is_made_exempt)
    assert packs_build(meeting_id=meeting.pk) == "superseded"
    assert public_pack(meeting).status_code == 404


def test_a_pack_that_printed_the_minutes_before_a_minute_was_made_exempt_gives_way(
    published_minutes, following, coordinator, monkeypatch
):
    from packs import services as pack_services

    minute = published_minutes.entries.get(text__contains=SECRET)
    real_build = pack_services.build_packs

    def build_while_the_minute_is_made_exempt(meeting, **kwargs):
        built = real_build(meeting, **kwargs)
        make_minute_exempt(minute, by=coordinator)
        return built

    monkeypatch.setattr(pack_services, "build_packs", build_while_the_minute_is_made_exempt)
    token = str(Pack.objects.get(meeting=following, kind=PackKind.PUBLIC).build_token)
    assert packs_build(meeting_id=following.pk, token=token) == "superseded"
    assert public_pack(following).status_code == 404


def test_a_pack_rechecks_the_minutes_it_printed_before_it_is_stored(
    published_minutes, following, no_worker, monkeypatch, django_capture_on_commit_callbacks
):
    """However the minutes changed while the pack was built, even by a way that asked
    for no rebuild, the build does not store what they said before."""
    from minutes.models import Minute
    from packs import services as pack_services

    real_build = pack_services.build_packs

    def build_while_the_minute_is_changed_quietly(meeting, **kwargs):
        built = real_build(meeting, **kwargs)
        Minute.objects.filter(text__contains=SECRET).update(
            is_exempt=True, public_summary="The Committee considered an exempt matter."
        )
        return built

    monkeypatch.setattr(pack_services, "build_packs", build_while_the_minute_is_changed_quietly)
    before = Pack.objects.get(meeting=following, kind=PackKind.PUBLIC).built_at
    no_worker.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert packs_build(meeting_id=following.pk) == "superseded"
    assert Pack.objects.get(meeting=following, kind=PackKind.PUBLIC).built_at == before
    assert no_worker, "it asked for a fresh build"
    monkeypatch.setattr(pack_services, "build_packs", real_build)
    assert packs_build(meeting_id=following.pk) == "built"
    text = pack_text(following)
    assert SECRET not in text and "an exempt matter" in text


# --- Office originals and officers' report texts ---------------------------------------


def test_an_exempt_office_original_reaches_readers_only_as_a_marked_pdf(
    meeting, item, coordinator, member
):
    from scrutiny.testing import docx_bytes

    document = document_upload(
        item=item,
        title="Exempt appendix",
        uploaded_file=upload(docx_bytes(SECRET), name="appendix.docx"),
        user=coordinator,
        is_exempt=True,
        exempt_paragraph=3,
    )
    url = reverse("papers:document_download", args=[document.pk])
    refused = client_for(member).get(url)
    assert refused.status_code == 403
    page = text_of(client_for(member).get(document.get_absolute_url()))
    assert "read as a PDF that carries your name" in page
    assert "Download Word document" not in page
    assert client_for(coordinator).get(url).status_code == 200


def test_an_officer_revising_their_report_starts_from_their_own_text(
    meeting, item, coordinator, officer
):
    from papers.models import ReportRequestStatus
    from papers.services import (
        report_request_return,
        report_request_submit,
        report_revise,
        report_write,
    )

    request = report_request_create(
        item=item,
        officer=officer,
        requested_by=coordinator,
        deadline=timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1),
    )
    document = report_write(
        item=item,
        title="Gangs report",
        content={"summary": "The officer's summary.", "recommendations": "That it be noted."},
        user=officer,
        is_draft=True,
    )
    report_request_submit(request=request, document=document)
    report_revise(
        document=document,
        content={
            "summary": f"{SECRET} added by the co-ordinator.",
            "recommendations": "That it be noted.",
        },
        user=coordinator,
        change_note="Added detail",
        based_on=1,
    )
    request.refresh_from_db()
    assert request.status == ReportRequestStatus.SUBMITTED
    report_request_return(request=request, comment="Please add the figures")
    page = client_for(officer).get(reverse("papers:request_write", args=[request.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The officer&#x27;s summary." in text or "The officer's summary." in text
    assert SECRET not in text


def test_making_an_item_exempt_warns_that_its_published_minute_is_public(
    published_minutes, item, coordinator
):
    response = client_for(coordinator).post(
        reverse("meetings:item_edit", args=[item.meeting_id, item.pk]),
        {
            "title": "Item of business",
            "is_exempt": "on",
            "full_title": "Gangs in the town centre",
            "exempt_paragraph": "7",
            "exempt_reason": "Crime prevention",
            "public_interest_reasoning": "Naming the groups would prejudice enforcement.",
            "purpose": "",
            "origin": "",
            "origin_detail": "",
        },
        follow=True,
    )
    assert "mark the minute exempt with a public summary" in text_of(response)


def test_only_the_committees_coordinator_changes_a_papers_exemption(
    meeting, item, coordinator, member, officer
):
    document = item.documents.get()
    url = reverse("papers:document_exemption", args=[document.pk])
    assert Client().get(url).status_code == 302  # to sign in
    for reader in (member, officer):
        assert (
            client_for(reader).post(url, {"is_exempt": "on", "exempt_paragraph": "3"}).status_code
            == 403
        )
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    refused = client.post(url, {"is_exempt": "on"})
    assert "Select a Schedule 12A paragraph" in text_of(refused)
    document.refresh_from_db()
    assert not document.is_exempt
    client.post(url, {"is_exempt": "on", "exempt_paragraph": "3"})
    document.refresh_from_db()
    assert document.is_exempt and document.exempt_paragraph == 3


def test_a_version_uploaded_while_its_item_is_made_exempt_is_withheld(meeting, item, coordinator):
    from papers.models import Document

    loaded_before = Document.objects.get(item=item)  # the upload page loaded it earlier
    make_exempt(item)
    document_replace(
        document=loaded_before,
        uploaded_file=upload(pdf_with_text("Written while exempt")),
        user=coordinator,
        change_note="New figures",
    )
    assert DocumentVersion.objects.get(document=loaded_before, number=2).withheld


def test_the_log_names_an_item_by_its_title_now_not_when_it_was_logged(
    meeting, item, coordinator, councillor, make_user
):
    from scrutiny.access import Role

    document = item.documents.get()
    document_exemption_set(document=document, is_exempt=True, exempt_paragraph=3)
    download = reverse("papers:document_download", args=[document.pk])
    assert client_for(councillor).get(download).status_code == 403  # logged as refused
    make_exempt(item)  # its old title is now its full, exempt title
    monitoring = make_user(role=Role.MONITORING_OFFICER)
    client = client_for(monitoring)
    page = text_of(client.get(reverse("exempt:access_log")))
    assert "Refused" in page
    assert "Gangs in the town centre" not in page
    assert "Item of business" in page
    export = client.get(reverse("exempt:access_log") + "?format=csv").content.decode()
    assert "Gangs in the town centre" not in export
