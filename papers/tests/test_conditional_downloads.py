"""Downloads revalidate cheaply: an ETag from the stored file's name and hash, a 304
to a reader whose copy is current, never before the access check, and never for a
copy marked with its reader's name."""

import pytest
from django.test import Client
from django.urls import reverse

from exempt.models import AccessEvent, AccessLog
from papers.services import document_exemption_set, document_replace, document_upload
from scrutiny.testing import body_of, client_for, docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, make_meeting):
    return make_meeting(committee=committee)


@pytest.fixture
def public_paper(meeting, make_item, make_document):
    return make_document(item=make_item(meeting=meeting, title="CSP Performance Report"))


def download_url(document):
    return reverse("papers:document_download", args=[document.pk])


def test_a_public_paper_is_not_sent_again_to_a_reader_who_has_it(anon_client, public_paper):
    first = anon_client.get(download_url(public_paper))
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    assert first["Cache-Control"] == "private, max-age=0, must-revalidate"
    again = anon_client.get(download_url(public_paper), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, max-age=0, must-revalidate"
    # The numbered version's address has the same bytes, and says so.
    version = anon_client.get(
        reverse("papers:version_download", args=[public_paper.pk, 1]), HTTP_IF_NONE_MATCH=etag
    )
    assert version.status_code == 304


def test_a_new_version_has_a_new_etag(anon_client, public_paper, coordinator):
    etag = anon_client.get(download_url(public_paper))["ETag"]
    document_replace(
        document=public_paper,
        uploaded_file=upload(pdf_bytes(3)),
        user=coordinator,
        change_note="Figures for March added",
    )
    response = anon_client.get(download_url(public_paper), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert body_of(response).startswith(b"%PDF-")
    assert response["ETag"] != etag
    # The first version, still at its own address, is still what the reader has.
    first = anon_client.get(
        reverse("papers:version_download", args=[public_paper.pk, 1]), HTTP_IF_NONE_MATCH=etag
    )
    assert first.status_code == 304


def test_a_paper_made_exempt_is_refused_whatever_etag_the_reader_holds(councillor, public_paper):
    etag = Client().get(download_url(public_paper))["ETag"]
    document_exemption_set(document=public_paper, is_exempt=True, exempt_paragraph=3)
    for client, refused in ((Client(), 302), (client_for(councillor), 403)):
        for sent in (etag, "*"):
            response = client.get(download_url(public_paper), HTTP_IF_NONE_MATCH=sent)
            assert response.status_code == refused
            assert "ETag" not in response and "Last-Modified" not in response


@pytest.fixture
def exempt_office_paper(meeting, make_item, coordinator):
    item = make_item(meeting=meeting, title="Budget monitoring")
    return document_upload(
        item=item,
        title="Named tenants",
        uploaded_file=upload(docx_bytes("Named tenants"), "tenants.docx"),
        user=coordinator,
        is_exempt=True,
        exempt_paragraph=3,
    )


def test_an_entitled_readers_etag_opens_nothing_to_anyone_else(
    request, coordinator_client, exempt_office_paper
):
    # The co-ordinator's copy of an exempt Office original is the same for every
    # co-ordinator, so it is conditional; it stays private and unstored.
    first = coordinator_client.get(download_url(exempt_office_paper))
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-store"
    downloads = AccessLog.objects.filter(event=AccessEvent.DOWNLOADED)
    assert downloads.count() == 1
    assert (
        coordinator_client.get(
            download_url(exempt_office_paper), HTTP_IF_NONE_MATCH=etag
        ).status_code
        == 304
    )
    assert downloads.count() == 1  # nothing was sent: the log says only what was
    for reader, refused in (
        (None, 302),
        ("councillor", 403),
        ("officer", 403),
        ("member", 403),  # a member reads the marked PDF, not the original
    ):
        client = Client() if reader is None else client_for(request.getfixturevalue(reader))
        response = client.get(download_url(exempt_office_paper), HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == refused, reader
        assert "ETag" not in response and "Last-Modified" not in response


def test_copies_marked_with_their_readers_name_are_never_conditional(
    meeting, make_item, make_document, member, coordinator, make_user, make_person, make_membership
):
    from scrutiny.access import Role

    paper = make_document(
        item=make_item(meeting=meeting), title="Named suspects", is_exempt=True, exempt_paragraph=7
    )
    other = make_user(role=Role.MEMBER, username="second-member")
    make_membership(committee=meeting.committee, person=make_person(user=other))
    for user in (member, other, coordinator):
        client = client_for(user)
        first = client.get(download_url(paper))
        assert first.status_code == 200
        # The mark names the reader and the minute: no validator could be right for long.
        assert "ETag" not in first and "Last-Modified" not in first
        assert first["Cache-Control"] == "private, no-store"
        again = client.get(download_url(paper), HTTP_IF_NONE_MATCH="*")
        assert again.status_code == 200
        assert body_of(again).startswith(b"%PDF-")
