"""Grants, need-to-know requests, the access log and watermarks."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from exempt.models import AccessEvent, AccessLog, AccessRequestStatus, Grant
from exempt.services import access_request_create, access_request_decide, grant_create, grant_revoke
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from packs.models import PackKind
from packs.services import packs_build
from papers.services import document_upload
from scrutiny import access
from scrutiny.testing import body_of, client_for, pdf_bytes, text_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    item = agenda_item_add(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        full_title="Operation Nightjar assessment",
        exempt_paragraph=7,
        exempt_reason="Crime",
    )
    document_upload(
        item=item, title="Nightjar targets", uploaded_file=upload(pdf_bytes(3)), user=coordinator
    )
    return agenda_publish(meeting=meeting)


@pytest.fixture
def item(meeting):
    return meeting.items.get(section=3)


def reads_item(user, item) -> bool:
    access.forget(user)
    page = text_of(client_for(user).get(item.meeting.get_absolute_url()))
    return "Operation Nightjar" in page


def test_an_item_grant_opens_that_item_until_it_expires(councillor, coordinator, item):
    assert not reads_item(councillor, item)
    grant = grant_create(
        user=councillor,
        granted_by=coordinator,
        reason="Ward member for Darenth",
        expires_on=timezone.localdate(),
        item=item,
    )
    assert reads_item(councillor, item)
    document = item.documents.get()
    assert client_for(councillor).get(document.get_absolute_url()).status_code == 200
    # An item grant is not the whole meeting: no exempt pack.
    assert not access.can_see_exempt_of_meeting(councillor, item.meeting)
    Grant.objects.filter(pk=grant.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not reads_item(councillor, item)


def test_revoking_a_grant_ends_access_at_once(councillor, coordinator, item):
    grant = grant_create(
        user=councillor,
        granted_by=coordinator,
        reason="Need to know",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        meeting=item.meeting,
    )
    assert reads_item(councillor, item)
    assert access.can_see_exempt_of_meeting(councillor, item.meeting)
    grant_revoke(grant=grant, revoked_by=coordinator)
    assert not reads_item(councillor, item)
    events = list(AccessLog.objects.filter(user=councillor).values_list("event", flat=True))
    assert set(events) >= {AccessEvent.GRANTED, AccessEvent.REVOKED}


def test_a_committee_grant_opens_everything_of_that_committee(councillor, coordinator, item):
    grant_create(
        user=councillor,
        granted_by=coordinator,
        reason="Monitoring Officer",
        expires_on=timezone.localdate() + datetime.timedelta(days=365),
        committee=item.meeting.committee,
    )
    assert reads_item(councillor, item)


def test_grants_are_validated(councillor, coordinator, item):
    with pytest.raises(ValidationError) as refused:
        grant_create(
            user=councillor,
            granted_by=coordinator,
            reason=" ",
            expires_on=timezone.localdate() - datetime.timedelta(days=1),
            item=item,
            meeting=item.meeting,
        )
    assert set(refused.value.message_dict) == {"scope", "reason", "expires_on"}


def test_membership_ending_ends_access_at_once(member, item):
    from scrutiny.models import Membership

    assert reads_item(member, item)
    Membership.objects.filter(person__user=member).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not reads_item(member, item)


def test_a_member_of_another_committee_reads_nothing(
    make_user, make_person, make_membership, make_committee, item
):
    from scrutiny.access import Role

    other = make_user(role=Role.MEMBER)
    make_membership(committee=make_committee(), person=make_person(user=other))
    assert not reads_item(other, item)


def test_a_substitute_reads_the_meeting_they_attend(
    make_user, make_person, item, committee, make_membership
):
    from minutes.models import Attendance
    from scrutiny.access import Role

    regular = make_person(surname="Lees")
    make_membership(committee=committee, person=regular)
    user = make_user(role=Role.MEMBER)
    substitute = make_person(user=user, surname="Stand-in")
    assert not reads_item(user, item)
    Attendance.objects.create(
        meeting=item.meeting,
        person=substitute,
        capacity="member",
        status="present",
        substitute_for=regular,
    )
    assert reads_item(user, item)


def test_need_to_know_request_approved(
    councillor, coordinator, item, django_capture_on_commit_callbacks
):
    coordinator.email = "memberservices@example.gov.uk"
    coordinator.save()
    councillor.email = "kite@example.gov.uk"
    councillor.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(councillor).post(
            reverse("exempt:request_create", args=[item.pk]), {"reason": "It concerns my ward."}
        )
    assert response.status_code == 302
    request = item.access_requests.get()
    assert len(mail.outbox) == 1  # once, after the request was committed
    assert mail.outbox[0].to == ["memberservices@example.gov.uk"]
    assert "CSP Strategic Assessment 2017" in mail.outbox[0].subject
    # An absolute link, in the plain text and in the HTML part.
    assert "https://committees.example.gov.uk/exempt/requests/" in mail.outbox[0].body
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://committees.example.gov.uk/exempt/requests/"' in html
    coordinator_client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("exempt:request_list"),
            {"request": request.pk, "decision": "approve", "note": ""},
        )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED
    assert request.grant.item == item
    assert reads_item(councillor, item)
    assert mail.outbox[-1].to == ["kite@example.gov.uk"]
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = message.subject + message.body + message.alternatives[0][0]
        assert "Nightjar" not in text  # public title only
        assert not message.attachments


def test_need_to_know_request_refused_needs_a_note(councillor, coordinator, item):
    request = access_request_create(user=councillor, item=item, reason="Curious")
    with pytest.raises(ValidationError):
        access_request_decide(request=request, decided_by=coordinator, approve=False)
    access_request_decide(
        request=request, decided_by=coordinator, approve=False, note="No ward interest"
    )
    assert not reads_item(councillor, item)
    assert AccessLog.objects.filter(event=AccessEvent.REQUEST_REFUSED).exists()


def test_every_exempt_reading_is_logged(member, councillor, item):
    member_client = client_for(member)
    member_client.get(item.meeting.get_absolute_url())
    document = item.documents.get()
    member_client.get(reverse("papers:document_download", args=[document.pk]))
    client_for(councillor).get(reverse("papers:document_download", args=[document.pk]))
    # The readings, after the item's addition and the publication the fixture made
    # (also in the log).
    log = AccessLog.objects.exclude(
        event__in=[AccessEvent.AGENDA_PUBLISHED, AccessEvent.ITEM_ADDED_EXEMPT]
    ).order_by("at")
    assert [(e.username, e.event) for e in log] == [
        ("member", AccessEvent.VIEWED),
        ("member", AccessEvent.DOWNLOADED),
        ("councillor", AccessEvent.REFUSED),
    ]
    assert log[0].ip_address == "127.0.0.1"


def test_coordinators_read_and_export_the_log(coordinator, member, councillor, item):
    client_for(member).get(item.meeting.get_absolute_url())
    coordinator_client = client_for(coordinator)
    page = text_of(coordinator_client.get(reverse("exempt:access_log"), {"item": item.pk}))
    assert "member" in page and "Viewed" in page
    csv = coordinator_client.get(reverse("exempt:access_log"), {"format": "csv"})
    rows = csv.content.decode().splitlines()
    assert rows[0] == "when,who,event,meeting,item,what,path,ip"
    assert any(",member,Viewed," in row for row in rows[1:])
    for outsider in (member, councillor):
        assert client_for(outsider).get(reverse("exempt:access_log")).status_code == 403


def test_exempt_pdfs_carry_the_readers_watermark_on_every_page(member, item, make_person):
    from scrutiny.models import Person

    Person.objects.filter(user=member).update(forenames="D J", surname="Mote")
    document = item.documents.get()
    response = client_for(member).get(reverse("papers:document_download", args=[document.pk]))
    reader = PdfReader(io.BytesIO(body_of(response)))
    assert len(reader.pages) == 3
    for page in reader.pages:
        text = page.extract_text()
        assert "EXEMPT - NOT FOR PUBLICATION - Schedule 12A paragraph 7" in text
        assert "issued to Councillor D J Mote on" in text
    assert response["Cache-Control"] == "private, no-store"


def test_the_exempt_pack_is_watermarked_for_its_reader(member, item):
    packs_build(meeting_id=item.meeting_id)
    response = client_for(member).get(
        reverse("packs:pack_download", args=[item.meeting_id, PackKind.EXEMPT])
    )
    reader = PdfReader(io.BytesIO(body_of(response)))
    assert all("issued to" in page.extract_text() for page in reader.pages)
    assert AccessLog.objects.filter(
        event=AccessEvent.DOWNLOADED, what="the exempt agenda pack"
    ).exists()


def test_pages_showing_exempt_material_are_private(member, councillor, item):
    shown = client_for(member).get(item.meeting.get_absolute_url())
    assert shown["Cache-Control"] == "private, no-store"
    assert "noindex" in shown["X-Robots-Tag"]
    # Whatever a signed-in user receives depends on who they are: private too.
    signed_in = client_for(councillor).get(item.meeting.get_absolute_url())
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "Cookie" in signed_in["Vary"]
    # Anonymous readers get the public page, which carries nothing private.
    public = Client().get(item.meeting.get_absolute_url())
    assert "no-store" not in public.get("Cache-Control", "")
    assert "X-Robots-Tag" not in public


def test_the_admin_lists_only_the_coordinators_own_meetings(
    coordinator, make_committee, make_meeting, item, verified_client_for
):
    other = make_meeting(committee=make_committee(name="Licensing Committee"))
    page = verified_client_for(coordinator).get("/admin/meetings/meeting/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Crime and Disorder Committee" in text
    assert str(other) not in text


def test_the_monitoring_officer_decides_for_any_committee(
    make_user, councillor, item, django_capture_on_commit_callbacks
):
    from scrutiny.access import Role

    monitoring = make_user(role=Role.MONITORING_OFFICER, email="mo@example.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        request = access_request_create(user=councillor, item=item, reason="Ward matter")
    assert "mo@example.gov.uk" in mail.outbox[-1].to
    client = client_for(monitoring)
    page = text_of(client.get(reverse("exempt:request_list")))
    assert "asks to read" in page
    client.post(
        reverse("exempt:request_list"), {"request": request.pk, "decision": "approve", "note": ""}
    )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED
    # The Monitoring Officer does not co-ordinate the committee: a second person confirms.
    assert request.grant.is_awaiting_approval
    assert not reads_item(councillor, item)
    # Deciding is not reading: the Monitoring Officer is not thereby entitled.
    assert not reads_item(monitoring, item)


def test_other_roles_cannot_manage_exempt_access(member, officer, councillor):
    for user in (member, officer, councillor):
        for name in ("exempt:request_list", "exempt:grant_list", "exempt:access_log"):
            assert client_for(user).get(reverse(name)).status_code == 403


def test_no_notice_is_sent_for_a_change_that_is_rolled_back(councillor, coordinator, item):
    from django.db import transaction

    coordinator.email = "memberservices@example.gov.uk"
    coordinator.save()

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        access_request_create(user=councillor, item=item, reason="Ward matter")
        raise Abandoned
    assert mail.outbox == []
