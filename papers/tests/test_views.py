"""Papers through the web, per role, tried as an attacker would."""

import datetime
import re

import pytest
from django.urls import reverse

from meetings.models import MeetingStatus
from papers.models import Document, ReportRequest, ReportRequestStatus
from papers.services import document_upload, report_request_create, report_write
from scrutiny.testing import ROLES, body_of, client_for, pdf_bytes, text_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, make_meeting):
    return make_meeting(committee=committee)


@pytest.fixture
def papers(meeting, make_item, make_document, coordinator, report_content, make_user):
    """A published agenda with one paper of every kind of visibility."""
    from scrutiny.access import Role

    public_item = make_item(meeting=meeting, title="CSP Performance Report")
    exempt_item = make_item(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        full_title="Strategic Assessment: Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    other_officer = make_user(role=Role.OFFICER, username="other-officer")
    return {
        "public": make_document(item=public_item, title="Covering letter"),
        "report": report_write(
            item=public_item, title="Performance Report", content=report_content, user=coordinator
        ),
        "exempt_appendix": make_document(
            item=public_item, title="Named suspects list", is_exempt=True, exempt_paragraph=7
        ),
        "exempt_item": make_document(item=exempt_item, title="Nightjar target list"),
        "draft": make_document(
            item=public_item, title="Unaccepted draft", user=other_officer, is_draft=True
        ),
    }


EXPECTED = {
    #                  anon  councillor officer member coordinator
    "public": (200, 200, 200, 200, 200),
    "report": (200, 200, 200, 200, 200),
    "exempt_appendix": (302, 403, 403, 200, 200),
    "exempt_item": (302, 403, 403, 200, 200),
    "draft": (404, 404, 404, 404, 200),
}


@pytest.mark.parametrize("paper", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_every_paper_asks_the_access_policy(request, role, paper, papers):
    client = request.getfixturevalue(role)
    document = papers[paper]
    expected = EXPECTED[paper][ROLES.index(role)]
    detail = client.get(document.get_absolute_url())
    assert detail.status_code == expected
    if not document.is_report:
        download = client.get(reverse("papers:document_download", args=[document.pk]))
        assert download.status_code == expected
        version = client.get(reverse("papers:version_download", args=[document.pk, 1]))
        assert version.status_code == expected
        if expected == 200:
            assert body_of(download).startswith(b"%PDF-")
    if expected != 200:
        assert document.title.encode() not in detail.content


@pytest.mark.parametrize("role", ROLES[:3])
def test_meeting_page_never_names_exempt_papers_to_the_unentitled(request, role, papers, meeting):
    page = text_of(request.getfixturevalue(role).get(meeting.get_absolute_url()))
    assert "Covering letter" in page
    assert "Performance Report" in page
    for secret in ("Named suspects", "Nightjar", "Unaccepted draft"):
        assert secret not in page
    assert "Exempt: paragraph 7 An exempt document is not available to the public" in page


def test_member_sees_exempt_papers_marked_on_the_same_page(member_client, papers, meeting):
    page = text_of(member_client.get(meeting.get_absolute_url()))
    assert "Named suspects list" in page
    assert "Nightjar target list" in page
    assert "Exempt - not for publication" in page
    assert "Unaccepted draft" not in page


def test_drafts_of_an_unpublished_meeting_stay_hidden(
    request, committee, make_meeting, make_item, make_document
):
    draft_meeting = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    document = make_document(item=make_item(meeting=draft_meeting), title="Early paper")
    for role in ROLES[:4]:
        response = request.getfixturevalue(role).get(document.get_absolute_url())
        assert response.status_code == 404, role


def test_exempt_downloads_are_private_and_named_without_their_title(member_client, papers):
    response = member_client.get(
        reverse("papers:document_download", args=[papers["exempt_appendix"].pk])
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert "suspects" not in response["Content-Disposition"].lower()
    assert response["Content-Type"] == "application/pdf"


def test_report_reads_as_a_numbered_web_page(anon_client, papers):
    page = text_of(anon_client.get(papers["report"].get_absolute_url()))
    assert "1. Summary 1.1 To note the Quarterly Performance Report." in page
    assert "2. Recommendations 2.1 That the Committee notes the report. 2.2 That officers" in page
    assert "3. Background and Discussion 3.1 First paragraph. 3.2 Second paragraph." in page
    assert "Financial Implications None" in page
    # An empty optional section is left out, and the numbers close up.
    assert "Obligation of Confidence" not in page
    assert "6. Appendices" in page


# --- uploading -------------------------------------------------------------------------


@pytest.fixture
def item(meeting, make_item):
    return make_item(meeting=meeting, title="D-TAC Progress Report")


def test_coordinator_uploads_a_document(coordinator_client, item):
    response = coordinator_client.post(
        reverse("papers:upload", args=[item.pk]),
        {"title": "Appendix A - Business Plan", "file": upload(pdf_bytes(3))},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.current_version.page_count) == (
        "Appendix A - Business Plan",
        3,
    )


def test_a_bad_upload_shows_the_reason_and_saves_nothing(coordinator_client, item):
    response = coordinator_client.post(
        reverse("papers:upload", args=[item.pk]),
        {"title": "Appendix A", "file": upload(b"MZ\x90 not a document", "plan.pdf")},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The selected file must be a PDF, Word (DOCX or DOC), RTF, Excel" in page
    assert "<title>Error:" in response.content.decode()
    assert not Document.objects.exists()


def test_upload_form_names_what_is_missing(coordinator_client, item):
    response = coordinator_client.post(
        reverse("papers:upload", args=[item.pk]), {"title": "", "is_exempt": "on"}
    )
    page = text_of(response)
    assert "Enter the document's title" in page
    assert "Select a file to upload" in page
    assert "Select a Schedule 12A paragraph" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("councillor_client", 403),
        ("member_client", 403),
        ("officer_client", 403),
    ],
)
def test_only_coordinators_add_papers(request, role, status, item):
    client = request.getfixturevalue(role)
    for name in ("papers:upload", "papers:report_write", "papers:request_create"):
        assert client.get(reverse(name, args=[item.pk])).status_code == status
    response = client.post(
        reverse("papers:upload", args=[item.pk]), {"title": "X", "file": upload(pdf_bytes())}
    )
    assert response.status_code == status
    assert not Document.objects.exists()


def report_form_data(**overrides):
    data = {
        "title": "D-TAC Progress Report",
        "summary": "To note the progress made by the D-TAC scheme.",
        "recommendations": "That Members note the progress made.",
        "background": "The scheme has grown.",
        "corporate_plan": "",
        "implication_risk": "None",
        "papers-TOTAL_FORMS": "2",
        "papers-INITIAL_FORMS": "0",
        "papers-MIN_NUM_FORMS": "0",
        "papers-MAX_NUM_FORMS": "30",
        "papers-0-document": "D-TAC Business Plan 2016-18",
        "papers-0-date": "July 2017",
        "papers-0-author": "Lewis Kirnon",
    }
    data.update(overrides)
    return data


def test_coordinator_writes_and_revises_a_covering_report(coordinator_client, item, anon_client):
    response = coordinator_client.post(
        reverse("papers:report_write", args=[item.pk]), report_form_data()
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.current_version.report["background_papers"][0]["author"] == "Lewis Kirnon"
    edit_url = reverse("papers:report_edit", args=[document.pk])
    form = coordinator_client.get(edit_url)
    assert "To note the progress made by the D-TAC scheme." in form.content.decode()
    response = coordinator_client.post(
        edit_url,
        report_form_data(
            summary="To note the D-TAC scheme's progress in 2016-17.",
            change_note="Summary reworded",
            based_on="1",
        ),
    )
    assert response.status_code == 302
    page = text_of(anon_client.get(document.get_absolute_url()))
    assert "To note the D-TAC scheme's progress in 2016-17." in page
    assert "Summary reworded" in page
    assert "D-TAC Business Plan 2016-18" in page


def test_a_stale_revision_is_refused_and_loses_nothing(coordinator_client, item, coordinator):
    from papers.services import report_revise

    coordinator_client.post(reverse("papers:report_write", args=[item.pk]), report_form_data())
    document = Document.objects.get()
    content = dict(document.current_version.report, summary="Saved by a colleague.")
    report_revise(document=document, content=content, user=coordinator, change_note="x", based_on=1)
    response = coordinator_client.post(
        reverse("papers:report_edit", args=[document.pk]),
        report_form_data(summary="My late edit.", change_note="Mine", based_on="1"),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "Someone else saved version 2" in page
    assert "My late edit." in page  # the writer's text is still in the form
    document.refresh_from_db()
    assert document.current_version.report["summary"] == "Saved by a colleague."


@pytest.mark.parametrize(
    ("field", "hint"),
    [
        ("title", "As it heads the report"),
        ("summary", "What the report is about, in a sentence or two"),
        ("recommendations", "One recommendation per line"),
        ("background", "What members need to know to decide"),
        ("corporate_plan", "The Corporate Plan objective the report serves"),
        ("implication_risk", "What could go wrong"),
        ("confidence", "Only where information in the report"),
        ("appendices", "One appendix per line"),
    ],
)
def test_each_section_of_the_report_form_has_its_hint(coordinator_client, item, field, hint):
    page = coordinator_client.get(reverse("papers:report_write", args=[item.pk])).content.decode()
    control = re.search(rf'<(?:input|textarea)[^>]*id="id_{field}"[^>]*>', page)[0]
    assert f'aria-describedby="id_{field}_helptext"' in control
    assert re.search(rf'id="id_{field}_helptext"[^>]*>\s*{re.escape(hint)}', page)


def test_each_background_paper_is_a_fieldset_of_its_own(coordinator_client, item):
    page = coordinator_client.get(reverse("papers:report_write", args=[item.pk])).content.decode()
    assert re.search(
        r'<fieldset[^>]*aria-describedby="background-papers-hint">\s*'
        r'<legend[^>]*>Background papers</legend>\s*<p[^>]*id="background-papers-hint"',
        page,
    )
    for number in (1, 2):
        assert re.search(
            rf"<fieldset[^>]*>\s*<legend[^>]*>Background paper {number}</legend>", page
        )
    # A legend floats: anything but a box straight after it (the formset's hidden inputs
    # once) lets the next box sit beside it, squeezed into a column a few pixels wide.
    assert not re.search(r'</legend>\s*<input type="hidden"', page)


# --- report requests ---------------------------------------------------------------


def test_the_report_request_round_trip(item, officer, coordinator, anon_client):
    coordinator_client = client_for(coordinator)
    response = coordinator_client.get(reverse("papers:request_create", args=[item.pk]))
    assert response.context["form"].initial["deadline"] < item.meeting.starts_at.date()
    response = coordinator_client.post(
        reverse("papers:request_create", args=[item.pk]),
        {"officer": officer.pk, "deadline": "", "instructions": "Cover 2016-17"},
    )
    assert "Enter the deadline" in text_of(response)
    deadline = item.meeting.starts_at.date() - datetime.timedelta(days=14)
    coordinator_client.post(
        reverse("papers:request_create", args=[item.pk]),
        {"officer": officer.pk, "deadline": deadline.isoformat(), "instructions": "Cover 2016"},
    )
    report_request = ReportRequest.objects.get()

    client = client_for(officer)
    tasks = text_of(client.get(reverse("papers:request_list")))
    assert "D-TAC Progress Report" in tasks
    client.post(
        reverse("papers:request_upload", args=[report_request.pk]),
        {"title": "D-TAC Progress Report", "file": upload(pdf_bytes(4))},
    )
    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.SUBMITTED
    document = report_request.document
    assert document.is_draft
    # Not on the public agenda until the co-ordinator accepts it.
    listed = "D-TAC Progress Report (download) (PDF, "
    assert listed not in text_of(anon_client.get(item.meeting.get_absolute_url()))
    assert listed in text_of(coordinator_client.get(item.meeting.get_absolute_url()))

    detail = reverse("papers:request_detail", args=[report_request.pk])
    response = coordinator_client.post(detail, {"action": "return", "comment": ""})
    assert "Enter what the officer needs to change" in text_of(response)
    coordinator_client.post(detail, {"action": "return", "comment": "Add the June figures"})
    page = text_of(client.get(detail))
    assert "Sent back because Add the June figures" in page
    client.post(
        reverse("papers:request_upload", args=[report_request.pk]),
        {"file": upload(pdf_bytes(5)), "change_note": "June figures added"},
    )
    coordinator_client.post(detail, {"action": "accept", "version": "2"})
    report_request.refresh_from_db()
    assert report_request.status == ReportRequestStatus.ACCEPTED
    public = text_of(anon_client.get(item.meeting.get_absolute_url()))
    assert listed in public
    assert "5 pages, version 2" in public


def test_an_officer_cannot_work_on_anothers_request(client, item, officer, coordinator, make_user):
    from scrutiny.access import Role

    report_request = report_request_create(item=item, officer=officer, requested_by=coordinator)
    client.force_login(make_user(role=Role.OFFICER))
    assert client.get(report_request.get_absolute_url()).status_code == 403
    response = client.post(
        reverse("papers:request_upload", args=[report_request.pk]),
        {"title": "Mine", "file": upload(pdf_bytes())},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()
    client.force_login(officer)
    accept = client.post(report_request.get_absolute_url(), {"action": "accept"})
    assert accept.status_code == 403


def test_overdue_requests_are_marked_in_words(item, officer, coordinator):
    report_request_create(
        item=item,
        officer=officer,
        requested_by=coordinator,
        deadline=datetime.date(2020, 1, 6),
    )
    tasks = text_of(client_for(officer).get(reverse("papers:request_list")))
    assert "Overdue Requested" in tasks
    page = text_of(client_for(coordinator).get(item.meeting.get_absolute_url()))
    assert "Reports requested from officers" in page
    assert "Overdue Requested" in page


def test_meeting_page_lists_changes_after_publication(anon_client, meeting, item, coordinator):
    from papers.services import document_replace

    document = document_upload(
        item=item, title="Business Plan", uploaded_file=upload(pdf_bytes()), user=coordinator
    )
    document_replace(
        document=document,
        uploaded_file=upload(pdf_bytes(2)),
        user=coordinator,
        change_note="Corrected figures",
    )
    page = text_of(anon_client.get(meeting.get_absolute_url()))
    assert "Changes since the agenda was published" in page
    assert "Version 2: Corrected figures" in page
    assert "Document added" in page


def test_meeting_page_queries_do_not_grow_with_items_and_papers(
    member_client, meeting, make_item, make_document, django_assert_max_num_queries
):
    def add_items(n):
        item = make_item(meeting=meeting, title=f"Item {n}")
        make_document(item=item, title=f"Report {n}")
        make_document(item=item, title=f"Exempt appendix {n}", is_exempt=True, exempt_paragraph=3)
        exempt = make_item(
            meeting=meeting, title=f"Exempt {n}", exempt_paragraph=1, exempt_reason="x"
        )
        make_document(item=exempt, title=f"Exempt paper {n}")

    url = meeting.get_absolute_url()
    add_items(0)
    with django_assert_max_num_queries(13) as few:
        member_client.get(url)
    for n in range(1, 11):
        add_items(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(url)
    page = text_of(response)
    assert "Exempt appendix 10" in page and "Exempt paper 10" in page


def test_report_notices_are_sent_once_on_commit_and_the_page_says_to_whom(
    item, officer, coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail

    officer.email, coordinator.email = "henley@example.gov.uk", "hook@example.gov.uk"
    officer.save()
    coordinator.save()
    coordinator_client, officer_client = client_for(coordinator), client_for(officer)
    deadline = item.meeting.starts_at.date() - datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(
            reverse("papers:request_create", args=[item.pk]),
            {"officer": officer.pk, "deadline": deadline.isoformat(), "instructions": ""},
            follow=True,
        )
    assert "An e-mail is on its way to" in text_of(page)
    report_request = ReportRequest.objects.get()
    link = f"https://committees.example.gov.uk{report_request.get_absolute_url()}"
    assert [m.to for m in mail.outbox] == [["henley@example.gov.uk"]]
    assert link in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        page = officer_client.post(
            reverse("papers:request_upload", args=[report_request.pk]),
            {"title": "D-TAC Progress Report", "file": upload(pdf_bytes(2))},
            follow=True,
        )
    assert "An e-mail is on its way to" in text_of(page)
    assert mail.outbox[-1].to == ["hook@example.gov.uk"]
    assert "submitted" in mail.outbox[-1].subject

    detail = reverse("papers:request_detail", args=[report_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(detail, {"action": "return", "comment": "Add the June figures"})
    assert mail.outbox[-1].to == ["henley@example.gov.uk"]
    assert "Add the June figures" in mail.outbox[-1].body
    assert len(mail.outbox) == 3  # each notice once


def test_the_page_says_when_nobody_could_be_e_mailed(item, officer, coordinator):
    officer.email = ""
    officer.save()
    deadline = item.meeting.starts_at.date() - datetime.timedelta(days=14)
    page = client_for(coordinator).post(
        reverse("papers:request_create", args=[item.pk]),
        {"officer": officer.pk, "deadline": deadline.isoformat(), "instructions": ""},
        follow=True,
    )
    assert "No e-mail was sent" in text_of(page)


def test_the_officers_accepted_reports_page_by_25_in_a_fixed_number_of_queries(
    meeting, make_item, officer, coordinator, django_assert_max_num_queries
):
    def ask(first, count):
        for number in range(first, first + count):
            item = make_item(meeting=meeting, title=f"Report {number:02d}")
            request = report_request_create(item=item, officer=officer, requested_by=coordinator)
            ReportRequest.objects.filter(pk=request.pk).update(status=ReportRequestStatus.ACCEPTED)

    client = client_for(officer)
    url = reverse("papers:request_list")
    ask(0, 3)
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    ask(3, 27)
    with django_assert_max_num_queries(few):
        first = text_of(client.get(url))
    assert "Page 1 of 2" in first
    second = text_of(client.get(url, {"page": 2}))
    assert "Page 2 of 2" in second
    shown = re.findall(r"Report \d\d", first + second)
    assert len(set(shown)) == 30
