"""Separation of duties: the Monitoring Officer decides others' requests and sees public
titles only; a grant to oneself, or by anyone who does not co-ordinate the committee,
waits for a second person."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exempt.models import AccessEvent, AccessLog, Grant
from exempt.services import (
    access_request_create,
    access_request_decide,
    grant_approve,
    grant_create,
)
from scrutiny import access
from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db

FULL_TITLE = "Operation Nightjar assessment"
DRAFT_FULL_TITLE = "Operation Kestrel: named suspects"
DRAFT_PUBLIC_TITLE = "Kestrel briefing"


@pytest.fixture
def item(make_exempt_item):
    return make_exempt_item(title="Strategic Assessment", full_title=FULL_TITLE)


@pytest.fixture
def draft_item(make_exempt_item, coordinator, member):
    item = make_exempt_item(
        title=DRAFT_PUBLIC_TITLE, full_title=DRAFT_FULL_TITLE, days_ahead=60, publish=False
    )
    # A co-ordinator's reading of the draft is in the log.
    client_for(coordinator).get(item.meeting.get_absolute_url())
    return item


@pytest.fixture
def monitoring(make_user):
    return make_user(role=access.Role.MONITORING_OFFICER, email="mo@example.gov.uk")


def until():
    return timezone.localdate() + datetime.timedelta(days=30)


def test_the_grant_form_shows_public_titles_and_no_draft_items(monitoring, item, draft_item):
    page = text_of(client_for(monitoring).get(reverse("exempt:grant_list")))
    assert "Strategic Assessment" in page
    assert FULL_TITLE not in page
    assert DRAFT_PUBLIC_TITLE not in page and DRAFT_FULL_TITLE not in page


def test_the_coordinator_sees_full_titles_and_drafts_in_the_grant_form(
    coordinator, item, draft_item
):
    page = text_of(client_for(coordinator).get(reverse("exempt:grant_list")))
    assert FULL_TITLE in page and DRAFT_FULL_TITLE in page


def test_the_access_log_names_no_draft_item_to_the_monitoring_officer(
    monitoring, coordinator, draft_item
):
    assert AccessLog.objects.filter(item=draft_item).exists()
    client = client_for(monitoring)
    page = text_of(client.get(reverse("exempt:access_log")))
    assert DRAFT_PUBLIC_TITLE not in page
    assert "an item of an agenda not yet published" in page
    # Nor that the draft meeting exists: no date, no item number, no address.
    assert str(draft_item.meeting) not in page
    export = client.get(reverse("exempt:access_log") + "?format=csv").content.decode()
    assert DRAFT_PUBLIC_TITLE not in export
    assert str(draft_item.meeting) not in export
    assert f"/items/{draft_item.pk}/" not in export
    # The co-ordinator, who reads the draft, sees the item named in full.
    assert DRAFT_FULL_TITLE in text_of(client_for(coordinator).get(reverse("exempt:access_log")))


def test_requests_list_public_titles_to_the_monitoring_officer(monitoring, councillor, item):
    access_request_create(user=councillor, item=item, reason="Ward matter")
    page = text_of(client_for(monitoring).get(reverse("exempt:request_list")))
    assert "Strategic Assessment" in page and FULL_TITLE not in page


def test_a_self_grant_is_not_in_force_until_a_second_person_approves(
    monitoring, coordinator, committee, item
):
    client = client_for(monitoring)
    response = client.post(
        reverse("exempt:grant_list"),
        {
            "user": monitoring.pk,
            "committee": committee.pk,
            "reason": "Standards investigation",
            "expires_on": until().strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert "not in force until a second person approves it" in text_of(response)
    grant = Grant.objects.get(user=monitoring)
    assert grant.is_awaiting_approval
    access.forget(monitoring)
    assert not access.can_see_exempt_item(monitoring, item)
    assert FULL_TITLE not in text_of(client.get(item.meeting.get_absolute_url()))
    assert AccessLog.objects.filter(event=AccessEvent.GRANT_PROPOSED).exists()
    # They cannot approve it themselves, by the page or the service.
    client.post(reverse("exempt:grant_list"), {"approve": grant.pk})
    grant.refresh_from_db()
    assert grant.is_awaiting_approval
    with pytest.raises(ValidationError):
        grant_approve(grant=grant, approved_by=monitoring)
    # The committee's co-ordinator approves: it is in force at once.
    client_for(coordinator).post(reverse("exempt:grant_list"), {"approve": grant.pk})
    grant.refresh_from_db()
    assert not grant.is_awaiting_approval and grant.approved_by == coordinator
    access.forget(monitoring)
    assert access.can_see_exempt_item(monitoring, item)


def test_a_coordinator_grant_to_someone_else_is_in_force_at_once(coordinator, councillor, item):
    grant = grant_create(
        user=councillor, granted_by=coordinator, reason="Ward", expires_on=until(), item=item
    )
    assert not grant.is_awaiting_approval
    assert access.can_see_exempt_item(councillor, item)


def test_a_grant_by_the_monitoring_officer_to_another_needs_a_second_person(
    monitoring, councillor, coordinator, item, make_user
):
    grant = grant_create(
        user=councillor, granted_by=monitoring, reason="Ward", expires_on=until(), item=item
    )
    assert grant.is_awaiting_approval
    assert not access.can_see_exempt_item(councillor, item)
    # The grantee is not a second person either, even if they manage exempt access.
    with pytest.raises(ValidationError):
        grant_approve(grant=grant, approved_by=councillor)
    deputy = make_user(role=access.Role.MONITORING_OFFICER)
    grant_approve(grant=grant, approved_by=deputy)
    access.forget(councillor)
    assert access.can_see_exempt_item(councillor, item)


def test_the_monitoring_officer_cannot_grant_an_item_of_a_draft_agenda(
    monitoring, councillor, draft_item
):
    with pytest.raises(ValidationError):
        grant_create(
            user=councillor,
            granted_by=monitoring,
            reason="Ward",
            expires_on=until(),
            item=draft_item,
        )


def test_a_request_approved_by_the_monitoring_officer_waits_for_a_coordinator(
    monitoring, coordinator, councillor, item
):
    request = access_request_create(user=councillor, item=item, reason="Ward matter")
    decided = access_request_decide(request=request, decided_by=monitoring, approve=True)
    assert decided.grant.is_awaiting_approval
    assert not access.can_see_exempt_item(councillor, item)
    grant_approve(grant=decided.grant, approved_by=coordinator)
    access.forget(councillor)
    assert access.can_see_exempt_item(councillor, item)


def test_no_one_decides_their_own_request(monitoring, item):
    request = access_request_create(user=monitoring, item=item, reason="Curious")
    with pytest.raises(ValidationError):
        access_request_decide(request=request, decided_by=monitoring, approve=True)
