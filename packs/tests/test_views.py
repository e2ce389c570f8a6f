"""Pack downloads ask the access policy; co-ordinators rebuild; the operator's command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from packs.models import Pack, PackKind
from packs.services import packs_build
from scrutiny.testing import ROLES, body_of, pdf_bytes, queued_work, text_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, coordinator):
    import datetime
    import zoneinfo

    from papers.services import document_upload

    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    document_upload(item=item, title="Notice", uploaded_file=upload(pdf_bytes(2)), user=coordinator)
    exempt = agenda_item_add(
        meeting=meeting, title="Assessment", exempt_paragraph=3, exempt_reason="x"
    )
    document_upload(
        item=exempt, title="Assessment", uploaded_file=upload(pdf_bytes(3)), user=coordinator
    )
    agenda_publish(meeting=meeting)
    packs_build(meeting_id=meeting.pk)
    return meeting


EXPECTED = {
    PackKind.PUBLIC: (200, 200, 200, 200, 200),
    PackKind.EXEMPT: (302, 403, 403, 200, 200),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_pack_downloads_ask_the_access_policy(request, role, kind, meeting):
    client = request.getfixturevalue(role)
    response = client.get(reverse("packs:pack_download", args=[meeting.pk, kind]))
    assert response.status_code == EXPECTED[kind][ROLES.index(role)]
    if response.status_code == 200:
        assert body_of(response).startswith(b"%PDF-")
        if kind == PackKind.EXEMPT:
            assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ROLES)
def test_meeting_page_offers_only_the_packs_the_reader_may_have(request, role, meeting):
    page = text_of(request.getfixturevalue(role).get(meeting.get_absolute_url()))
    assert "Download the public agenda pack" in page
    entitled = role in ("member_client", "coordinator_client")
    assert ("Download the exempt agenda pack" in page) is entitled
    assert "(Pages 1 - 2)" in page  # item 6, from the same build
    assert "(Pages 3 - 5)" in page  # exempt item A, its public title only for the public


def test_item_page_shows_its_pages(anon_client, meeting):
    item = meeting.items.get(title="Regulation 9 Notice")
    page = text_of(anon_client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk])))
    assert "Agenda pack Pages 1 - 2" in page


def test_a_draft_meetings_pack_is_not_there(anon_client, committee):
    import datetime

    from django.utils import timezone

    draft = meeting_create(
        committee=committee, venue="Chamber", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    url = reverse("packs:pack_download", args=[draft.pk, PackKind.PUBLIC])
    assert anon_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("councillor_client", 403),
        ("member_client", 403),
        ("officer_client", 403),
        ("coordinator_client", 302),
    ],
)
def test_only_coordinators_rebuild(
    request, role, status, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = request.getfixturevalue(role).post(reverse("packs:rebuild", args=[meeting.pk]))
    assert response.status_code == status
    assert len(queued_work(callbacks)) == (1 if role == "coordinator_client" else 0)


def test_build_pack_command_prints_pages_and_time(meeting):
    out = io.StringIO()
    call_command("build_pack", str(meeting.pk), stdout=out)
    text = out.getvalue()
    assert "built in" in text
    assert "Public agenda pack: pages 1-2 (2 pages)" in text
    assert "Exempt agenda pack: pages 3-5 (3 pages)" in text
    out = io.StringIO()
    call_command("build_pack", "--all", stdout=out)
    assert "Public agenda pack" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("build_pack", "999999", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("build_pack", stdout=io.StringIO())


def test_the_exempt_pack_is_built_only_with_exempt_business(committee):
    import datetime

    from django.utils import timezone

    plain = meeting_create(
        committee=committee, venue="Chamber", starts_at=timezone.now() + datetime.timedelta(days=40)
    )
    agenda_publish(meeting=plain)
    packs_build(meeting_id=plain.pk)
    assert Pack.objects.get(meeting=plain, kind=PackKind.PUBLIC).file
    assert not Pack.objects.get(meeting=plain, kind=PackKind.EXEMPT).file


def test_the_public_pack_is_not_sent_again_until_it_is_rebuilt(meeting):
    from django.test import Client

    from meetings.services import agenda_item_add

    url = reverse("packs:pack_download", args=[meeting.pk, PackKind.PUBLIC])
    first = Client().get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache" and first["Last-Modified"]
    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "no-cache"
    agenda_item_add(meeting=meeting, title="Late item")
    packs_build(meeting_id=meeting.pk)
    rebuilt = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert rebuilt.status_code == 200 and body_of(rebuilt).startswith(b"%PDF-")
    assert rebuilt["ETag"] != etag


def test_the_exempt_pack_is_refused_whatever_etag_is_sent(meeting, councillor, member):
    from django.test import Client

    from scrutiny.testing import client_for

    public = Client().get(reverse("packs:pack_download", args=[meeting.pk, PackKind.PUBLIC]))
    url = reverse("packs:pack_download", args=[meeting.pk, PackKind.EXEMPT])
    for client, refused in ((Client(), 302), (client_for(councillor), 403)):
        for sent in (public["ETag"], "*"):
            response = client.get(url, HTTP_IF_NONE_MATCH=sent)
            assert response.status_code == refused
            assert "ETag" not in response and "Last-Modified" not in response
    # Each entitled reader's copy carries their name and the minute: never conditional.
    marked = client_for(member).get(url, HTTP_IF_NONE_MATCH="*")
    assert marked.status_code == 200 and "ETag" not in marked
