"""An officer corrects the report they submitted until the co-ordinator accepts it;
the co-ordinator is told, once and on commit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from papers.models import ReportRequestStatus
from papers.services import (
    report_request_accept,
    report_request_correct,
    report_request_create,
    report_request_submit,
)
from papers.tests.test_views import report_form_data
from scrutiny.access import Role
from scrutiny.testing import SITE_URL, client_for, pdf_bytes, text_of, upload

pytestmark = pytest.mark.django_db

SITE = SITE_URL


@pytest.fixture
def item(committee, make_meeting, make_item):
    return make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")


@pytest.fixture
def people(officer, coordinator):
    officer.email, coordinator.email = "henley@example.gov.uk", "hook@example.gov.uk"
    officer.save()
    coordinator.save()


@pytest.fixture
def uploaded(item, officer, coordinator, make_document, people):
    """A request whose report the officer uploaded and submitted."""
    request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    document = make_document(item=item, title="D-TAC Progress Report", user=officer, is_draft=True)
    return report_request_submit(request=request, document=document)


@pytest.fixture
def written(item, make_item, submit_written_report, people):
    """A request whose covering report the officer wrote in the browser and submitted."""
    return submit_written_report(make_item(meeting=item.meeting, title="CSP Performance Report"))


def upload_url(request) -> str:
    return reverse("papers:request_upload", args=[request.pk])


def write_url(request) -> str:
    return reverse("papers:request_write", args=[request.pk])


def test_the_officer_corrects_an_uploaded_report_and_the_coordinator_is_told(
    officer, uploaded, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    detail = text_of(client.get(uploaded.get_absolute_url()))
    assert "Correct your report" in detail
    assert "Upload a corrected version" in detail
    assert client.get(upload_url(uploaded)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url(uploaded),
            {"file": upload(pdf_bytes(3)), "change_note": "Page 3 added"},
            follow=True,
        )
    page = text_of(response)
    assert "Your corrected report is saved. An e-mail is on its way to" in page
    uploaded.refresh_from_db()
    assert uploaded.status == ReportRequestStatus.SUBMITTED
    document = uploaded.document
    assert document.is_draft  # still waiting to be accepted
    assert document.current_version.number == 2
    assert document.current_version.page_count == 3
    assert document.current_version.change_note == "Page 3 added"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hook@example.gov.uk"]
    assert message.subject == "Report corrected: D-TAC Progress Report"
    link = f"{SITE}{uploaded.get_absolute_url()}"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_the_officer_corrects_a_covering_report(
    officer, written, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    assert "Correct the covering report" in text_of(client.get(written.get_absolute_url()))
    form = client.get(write_url(written))
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            write_url(written),
            report_form_data(
                summary="To note the D-TAC scheme's progress in 2016-17.",
                change_note="Summary corrected",
                based_on="1",
            ),
        )
    assert response.status_code == 302
    written.refresh_from_db()
    version = written.document.current_version
    assert version.number == 2
    assert version.report["summary"] == "To note the D-TAC scheme's progress in 2016-17."
    assert written.status == ReportRequestStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["hook@example.gov.uk"]]


def test_a_correction_needs_a_change_note(officer, uploaded):
    response = client_for(officer).post(upload_url(uploaded), {"file": upload(pdf_bytes(3))})
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    uploaded.refresh_from_db()
    assert uploaded.document.current_version.number == 1


def test_once_accepted_the_report_is_the_coordinators(officer, uploaded, written):
    client = client_for(officer)
    for request in (uploaded, written):
        report_request_accept(request=request, version=1)
        assert client.get(upload_url(request)).status_code == 403
        assert client.get(write_url(request)).status_code == 403
        assert "Correct your report" not in text_of(client.get(request.get_absolute_url()))
    response = client.post(
        upload_url(uploaded), {"file": upload(pdf_bytes(3)), "change_note": "Too late"}
    )
    assert response.status_code == 403
    uploaded.refresh_from_db()
    assert uploaded.document.current_version.number == 1
    with pytest.raises(ValidationError, match="accepted onto the agenda"):
        report_request_correct(
            request=uploaded,
            user=officer,
            uploaded_file=upload(pdf_bytes(3)),
            change_note="Too late",
        )


def test_acceptance_between_opening_and_saving_refuses_the_correction(
    officer, uploaded, monkeypatch
):
    """The officer opened the form while the report was submitted; it was accepted
    before they saved: nothing is written, and the form says why."""
    from papers import services

    client = client_for(officer)
    assert client.get(upload_url(uploaded)).status_code == 200
    correct = services.report_request_correct

    def accepted_meanwhile(**kwargs):
        report_request_accept(request=kwargs["request"], version=1)
        return correct(**kwargs)

    monkeypatch.setattr(services, "report_request_correct", accepted_meanwhile)
    response = client.post(
        upload_url(uploaded), {"file": upload(pdf_bytes(3)), "change_note": "Late"}
    )
    assert "accepted onto the agenda: ask the committee" in text_of(response)
    uploaded.refresh_from_db()
    assert uploaded.document.current_version.number == 1


def test_only_the_officer_asked_corrects(make_user, uploaded, coordinator):
    other = make_user(role=Role.OFFICER, username="other-officer")
    assert client_for(other).get(upload_url(uploaded)).status_code == 403
    for user in (other, coordinator):
        with pytest.raises(ValidationError, match="Only the officer"):
            report_request_correct(
                request=uploaded, user=user, uploaded_file=upload(pdf_bytes(3)), change_note="x"
            )


def test_a_correction_rolled_back_sends_nothing(
    officer, uploaded, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        report_request_correct(
            request=uploaded,
            user=officer,
            uploaded_file=upload(pdf_bytes(3)),
            change_note="Page 3 added",
        )
        raise RuntimeError("the change is undone")
    assert mail.outbox == []
