"""Every privileged change to a paper goes into its committee's exempt access log:
made exempt or public, a withheld version released, replaced, removed; who, when and
what changed, in words."""

import pytest
from django.urls import reverse

from exempt.models import AccessEvent, AccessLog
from papers.services import (
    document_exemption_set,
    document_remove,
    document_replace,
    document_version_release,
)
from scrutiny.testing import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(committee, make_meeting, make_item):
    return make_item(meeting=make_meeting(committee=committee), title="Budget monitoring")


@pytest.fixture
def paper(item, make_document):
    return make_document(item=item, title="Named tenants")


@pytest.fixture
def draft_paper(committee, draft_meeting, make_item, make_document):
    return make_document(item=make_item(meeting=draft_meeting, title="CCTV"), title="Site list")


def logged(event):
    """The one row of the event: a second one would be a change recorded twice."""
    (row,) = AccessLog.objects.filter(event=event)
    return row


def assert_row(row, *, by, document, what):
    assert row.user == by and row.username == by.get_username()
    assert row.committee == document.item.meeting.committee
    assert row.meeting == document.item.meeting
    assert row.item == document.item
    assert row.what == what


def test_making_a_paper_exempt_public_and_changing_its_paragraph(paper, coordinator):
    document_exemption_set(document=paper, is_exempt=True, exempt_paragraph=3, by=coordinator)
    assert_row(
        logged(AccessEvent.PAPER_MADE_EXEMPT),
        by=coordinator,
        document=paper,
        what=f"Paper {paper.pk}: public \u2192 exempt in itself under paragraph 3, of the item",
    )
    document_exemption_set(document=paper, is_exempt=True, exempt_paragraph=7, by=coordinator)
    assert logged(AccessEvent.PAPER_PARAGRAPH).what.endswith(
        "exempt paragraph 3 \u2192 7, of the item"
    )
    document_exemption_set(document=paper, is_exempt=False, by=coordinator)
    assert "exempt under paragraph 7 \u2192 public (current version)" in (
        logged(AccessEvent.PAPER_MADE_PUBLIC).what
    )
    # Saved as it was: nothing changed, nothing logged.
    document_exemption_set(document=paper, is_exempt=False, by=coordinator)
    assert AccessLog.objects.filter(event__startswith="paper_").count() == 3


def test_releasing_a_withheld_version(paper, coordinator):
    document_exemption_set(document=paper, is_exempt=True, exempt_paragraph=3)
    document_replace(
        document=paper, uploaded_file=upload(pdf_bytes(1)), user=coordinator, change_note="Cut"
    )
    document_exemption_set(document=paper, is_exempt=False)
    document_version_release(version=paper.versions.get(number=1), released_by=coordinator)
    assert_row(
        logged(AccessEvent.VERSION_RELEASED),
        by=coordinator,
        document=paper,
        what=f"Version 1 of paper {paper.pk} released to the public, of the item",
    )


def test_replacing_a_paper(paper, coordinator):
    document_replace(
        document=paper,
        uploaded_file=upload(pdf_bytes(3)),
        user=coordinator,
        change_note="Figures for March added",
    )
    assert_row(
        logged(AccessEvent.PAPER_REPLACED),
        by=coordinator,
        document=paper,
        what=f"Paper {paper.pk} replaced with version 2, of the item",
    )


def test_removing_a_paper(draft_paper, coordinator):
    item, pk = draft_paper.item, draft_paper.pk
    document_remove(document=draft_paper, by=coordinator)
    row = logged(AccessEvent.PAPER_REMOVED)
    assert (row.user, row.committee, row.meeting, row.item) == (
        coordinator,
        item.meeting.committee,
        item.meeting,
        item,
    )
    assert row.what == f"Paper {pk} removed, with its 1 version, of the item"


def test_a_refused_change_logs_nothing(paper, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        document_remove(document=paper, by=coordinator)  # published: replace it instead
    with pytest.raises(ValidationError):
        document_version_release(version=paper.versions.get(), released_by=coordinator)
    assert not AccessLog.objects.filter(event__startswith="paper_").exists()
    assert not AccessLog.objects.filter(event=AccessEvent.VERSION_RELEASED).exists()


def test_the_views_name_the_coordinator(coordinator_client, coordinator, paper, draft_paper):
    coordinator_client.post(
        reverse("papers:document_exemption", args=[paper.pk]),
        {"is_exempt": "on", "exempt_paragraph": "3"},
    )
    coordinator_client.post(
        reverse("papers:document_replace", args=[paper.pk]),
        {"file": upload(pdf_bytes(1)), "change_note": "Names removed"},
    )
    coordinator_client.post(reverse("papers:document_exemption", args=[paper.pk]), {})
    coordinator_client.post(reverse("papers:version_release", args=[paper.pk, 1]))
    coordinator_client.post(reverse("papers:document_remove", args=[draft_paper.pk]))
    events = {
        AccessEvent.PAPER_MADE_EXEMPT,
        AccessEvent.PAPER_REPLACED,
        AccessEvent.PAPER_MADE_PUBLIC,
        AccessEvent.VERSION_RELEASED,
        AccessEvent.PAPER_REMOVED,
    }
    rows = AccessLog.objects.filter(event__in=events)
    assert {row.event for row in rows} == events
    assert {row.user for row in rows} == {coordinator}


def test_only_the_committees_log_shows_them(
    paper, coordinator, make_user, make_committee, committee
):
    from scrutiny.access import Role
    from scrutiny.testing import client_for, text_of

    document_exemption_set(document=paper, is_exempt=True, exempt_paragraph=3, by=coordinator)
    own = text_of(client_for(coordinator).get(reverse("exempt:access_log")))
    assert "Paper made exempt" in own
    # Named by number, and its item as the reader may see it now: never a stored title.
    assert (
        f"Paper {paper.pk}: public \u2192 exempt in itself under paragraph 3, of the item: "
        "\u201cBudget monitoring\u201d" in own
    )
    assert "Named tenants" not in own
    other = make_user(role=Role.COORDINATOR, username="other-coordinator", is_staff=True)
    make_committee(name="Health Scrutiny Committee", slug="health").coordinators.add(other)
    theirs = text_of(client_for(other).get(reverse("exempt:access_log")))
    assert "Budget monitoring" not in theirs and "Paper made exempt" not in theirs


def test_revising_a_report_on_the_agenda(item, coordinator, report_content):
    from papers.services import report_revise, report_write

    report = report_write(
        item=item, title="Budget report", content=report_content, user=coordinator
    )
    assert not AccessLog.objects.filter(event=AccessEvent.PAPER_REPLACED).exists()
    report_content["summary"] = "A revised summary."
    report_revise(
        document=report, content=report_content, user=coordinator, change_note="", based_on=1
    )
    assert_row(
        logged(AccessEvent.PAPER_REPLACED),
        by=coordinator,
        document=report,
        what=f"Paper {report.pk} revised as version 2, of the item",
    )
