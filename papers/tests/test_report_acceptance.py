"""The co-ordinator accepts the version of a report they read: a correction the officer
saved after the page was opened is never accepted unread."""

import pytest
from django.core.exceptions import ValidationError

from papers.models import ReportRequestStatus
from papers.services import (
    report_request_accept,
    report_request_correct,
    report_request_create,
    report_request_submit,
)
from scrutiny.access import Role
from scrutiny.testing import client_for, pdf_bytes, text_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(committee, make_meeting, make_item, make_document, officer, coordinator):
    item = make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    document = make_document(item=item, title="D-TAC Progress Report", user=officer, is_draft=True)
    return report_request_submit(request=request, document=document)


def correct(report_request, officer):
    return report_request_correct(
        request=report_request,
        user=officer,
        uploaded_file=upload(pdf_bytes(3)),
        change_note="Figures changed at the last minute",
    )


def test_the_accept_button_carries_the_version_on_the_page(coordinator_client, submitted):
    page = coordinator_client.get(submitted.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="version" value="1">' in page
    assert "Accept version 1: put it on the agenda" in text_of(
        coordinator_client.get(submitted.get_absolute_url())
    )


def test_a_correction_saved_after_the_page_was_opened_is_not_accepted_unseen(
    coordinator_client, submitted, officer
):
    coordinator_client.get(submitted.get_absolute_url())  # the co-ordinator reads version 1
    correct(submitted, officer)  # the officer corrects it meanwhile
    response = coordinator_client.post(
        submitted.get_absolute_url(), {"action": "accept", "version": "1"}, follow=True
    )
    page = text_of(response)
    assert (
        "The officer saved version 2 of the report after you opened it (you read version 1). "
        "Nothing has been accepted: read version 2, then accept it or send it back." in page
    )
    assert "Report accepted" not in page
    assert "(version 2)" in page  # the new version is shown to be read
    assert '<input type="hidden" name="version" value="2">' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ReportRequestStatus.SUBMITTED
    assert submitted.document.is_draft

    response = coordinator_client.post(
        submitted.get_absolute_url(), {"action": "accept", "version": "2"}, follow=True
    )
    assert "Report accepted: it is now on the agenda." in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == ReportRequestStatus.ACCEPTED
    assert not submitted.document.is_draft


@pytest.mark.parametrize("version", [None, "", "x", "99"])
def test_an_acceptance_without_the_version_read_is_refused(coordinator_client, submitted, version):
    data = {"action": "accept"} if version is None else {"action": "accept", "version": version}
    response = coordinator_client.post(submitted.get_absolute_url(), data, follow=True)
    assert "Nothing has been accepted: read version 1" in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == ReportRequestStatus.SUBMITTED


def test_the_service_refuses_a_stale_version(submitted, officer):
    correct(submitted, officer)
    with pytest.raises(ValidationError, match="saved version 2 of the report"):
        report_request_accept(request=submitted, version=1)
    report_request_accept(request=submitted, version=2)
    submitted.refresh_from_db()
    assert submitted.status == ReportRequestStatus.ACCEPTED


@pytest.fixture
def other_coordinator_client(make_user, make_committee):
    user = make_user(role=Role.COORDINATOR, username="other-coordinator")
    make_committee().coordinators.add(user)
    return client_for(user)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("member_client", 403),
        ("councillor_client", 403),
        ("officer_client", 403),
        ("other_coordinator_client", 403),
    ],
)
def test_only_the_committees_coordinators_accept(request, role, status, submitted):
    response = request.getfixturevalue(role).post(
        submitted.get_absolute_url(), {"action": "accept", "version": "1"}
    )
    assert response.status_code == status
    submitted.refresh_from_db()
    assert submitted.status == ReportRequestStatus.SUBMITTED
