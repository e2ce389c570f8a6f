"""Revising or correcting a covering report changes its text, and the form offers only
that: the title and the exemption stay as they are, and the page says where the
co-ordinator changes the exemption."""

import pytest
from django.urls import reverse

from papers.models import Document
from papers.services import report_write
from papers.tests.test_views import report_form_data
from scrutiny.testing import client_for, text_of

pytestmark = pytest.mark.django_db

SNEAKED_IN = {"title": "ZZ New title", "is_exempt": "on", "exempt_paragraph": "3"}


@pytest.fixture
def item(committee, make_meeting, make_item):
    return make_item(meeting=make_meeting(committee=committee), title="D-TAC Progress Report")


@pytest.fixture
def report(item, coordinator, report_content):
    return report_write(
        item=item, title="D-TAC Progress Report", content=report_content, user=coordinator
    )


@pytest.fixture
def submitted(item, submit_written_report):
    """A covering report the officer wrote and submitted, waiting to be accepted."""
    return submit_written_report(item)


def edit_url(document) -> str:
    return reverse("papers:report_edit", args=[document.pk])


def correct_url(report_request) -> str:
    return reverse("papers:request_write", args=[report_request.pk])


def fields_offered(response) -> set[str]:
    page = response.content.decode()
    return {name for name in ("title", "is_exempt", "exempt_paragraph") if f'name="{name}"' in page}


def test_writing_a_report_offers_the_title_and_the_exemption(coordinator_client, item):
    response = coordinator_client.get(reverse("papers:report_write", args=[item.pk]))
    assert fields_offered(response) == {"title", "is_exempt", "exempt_paragraph"}


def test_revising_offers_neither_title_nor_exemption_and_says_where_to_change_it(
    coordinator_client, report
):
    response = coordinator_client.get(edit_url(report))
    assert response.status_code == 200
    assert fields_offered(response) == set()
    page = text_of(response)
    assert "Report title D-TAC Progress Report A new version keeps the report's title." in page
    assert "This report is not exempt" in page
    exemption = reverse("papers:document_exemption", args=[report.pk])
    assert f'href="{exemption}">mark the report exempt</a>' in response.content.decode()


def test_a_revision_posting_title_and_exemption_changes_only_the_text(coordinator_client, report):
    response = coordinator_client.post(
        edit_url(report),
        report_form_data(
            summary="A revised summary.", change_note="Summary revised", based_on="1", **SNEAKED_IN
        ),
        follow=True,
    )
    page = text_of(response)
    assert "A new version of the report is saved." in page
    assert "exempt" not in page.split("A new version of the report is saved.")[0][-200:]
    report.refresh_from_db()
    assert report.current_version.number == 2
    assert report.current_version.report["summary"] == "A revised summary."
    assert report.title == "D-TAC Progress Report"
    assert (report.is_exempt, report.exempt_paragraph) == (False, None)
    assert "ZZ New title" not in page
    assert "Exempt - not for publication" not in page


def test_a_revision_changing_only_title_and_exemption_saves_nothing_and_says_so(
    coordinator_client, report
):
    coordinator_client.post(
        edit_url(report), report_form_data(change_note="v2", based_on="1"), follow=True
    )
    response = coordinator_client.post(
        edit_url(report),
        report_form_data(change_note="Retitled and exempt", based_on="2", **SNEAKED_IN),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Nothing has changed since the last version." in page
    assert "saved" not in page
    # The form shown again does not pretend to hold a new title or an exemption.
    assert "ZZ New title" not in page
    assert 'name="is_exempt"' not in response.content.decode()
    report.refresh_from_db()
    assert report.current_version.number == 2
    assert (report.title, report.is_exempt) == ("D-TAC Progress Report", False)


def test_an_exempt_report_says_so_and_stays_exempt_when_revised(coordinator_client, report):
    from papers.services import document_exemption_set

    document_exemption_set(document=report, is_exempt=True, exempt_paragraph=3)
    response = coordinator_client.get(edit_url(report))
    assert fields_offered(response) == set()
    assert "This report is exempt (Schedule 12A paragraph 3)" in text_of(response)
    assert "change the report's exemption" in text_of(response)
    # The old form sent no tick when the box was left as the page showed it.
    coordinator_client.post(
        edit_url(report),
        report_form_data(summary="Revised.", change_note="Revised", based_on="1"),
    )
    report.refresh_from_db()
    assert report.current_version.number == 2
    assert (report.is_exempt, report.exempt_paragraph) == (True, 3)


def test_on_an_exempt_item_no_exemption_box_is_offered(
    coordinator_client, make_exempt_item, coordinator, report_content
):
    item = make_exempt_item(title="CSP Strategic Assessment", full_title="Operation Nightjar")
    write = coordinator_client.get(reverse("papers:report_write", args=[item.pk]))
    assert fields_offered(write) == {"title"}
    document = report_write(item=item, title="Nightjar", content=report_content, user=coordinator)
    response = coordinator_client.get(edit_url(document))
    assert fields_offered(response) == set()
    page = text_of(response)
    assert "its papers are exempt with it" in page
    assert "mark the report exempt" not in page


def test_the_officer_correcting_is_offered_neither_and_is_told_who_decides(officer, submitted):
    client = client_for(officer)
    response = client.get(correct_url(submitted))
    assert response.status_code == 200
    assert fields_offered(response) == set()
    page = text_of(response)
    assert "Only the committee's co-ordinator decides whether a report is exempt." in page
    assert reverse("papers:document_exemption", args=[submitted.document_id]) not in (
        response.content.decode()
    )


def test_a_correction_posting_title_and_exemption_changes_only_the_text(officer, submitted):
    response = client_for(officer).post(
        correct_url(submitted),
        report_form_data(
            summary="Corrected summary.", change_note="Fixed", based_on="1", **SNEAKED_IN
        ),
        follow=True,
    )
    assert "Your corrected report is saved." in text_of(response)
    document = Document.objects.get(pk=submitted.document_id)
    assert document.current_version.report["summary"] == "Corrected summary."
    assert (document.title, document.is_exempt) == ("D-TAC Progress Report", False)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anon_client", 302), ("member_client", 403), ("officer_client", 403)],
)
def test_only_coordinators_revise_a_report(request, role, status, report):
    response = request.getfixturevalue(role).post(
        edit_url(report), report_form_data(summary="Mine.", change_note="x", based_on="1")
    )
    assert response.status_code == status
    report.refresh_from_db()
    assert report.current_version.number == 1


def test_the_exemption_page_shows_the_papers_exemption_as_it_is(
    coordinator_client, report, coordinator
):
    """An exempt appendix opens as exempt, under its paragraph: saved unchanged, it stays
    exempt (an empty form would have said "public")."""
    from papers.services import document_exemption_set

    document_exemption_set(document=report, is_exempt=True, exempt_paragraph=3)
    url = reverse("papers:document_exemption", args=[report.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'name="is_exempt" checked' in page or (
        'name="is_exempt"' in page and "checked" in page.split('name="is_exempt"')[1][:200]
    )
    assert '<option value="3" selected>' in page
