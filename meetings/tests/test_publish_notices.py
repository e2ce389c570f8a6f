"""Publishing an agenda: who is e-mailed, once and on commit, and the warning about
reports not yet on the agenda."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_publish, meeting_create
from papers.services import (
    report_request_accept,
    report_request_create,
    report_request_return,
    report_request_submit,
)
from scrutiny.access import Role
from scrutiny.models import MembershipRole
from scrutiny.testing import SITE_URL, text_of

pytestmark = pytest.mark.django_db

SITE = SITE_URL


@pytest.fixture
def people(committee, make_user, make_person, make_membership, make_committee):
    """Who sits on the committee, as e-mail addresses: some without one, one who has
    left, and a member of another committee."""

    def on(committee, username, role=MembershipRole.MEMBER, email=None, **fields):
        user = make_user(
            role=Role.MEMBER,
            username=username,
            email=f"{username}@example.gov.uk" if email is None else email,
        )
        make_membership(
            committee=committee,
            person=make_person(user=user, surname=username.title()),
            role=role,
            **fields,
        )
        return user

    on(committee, "wells", MembershipRole.CHAIR)
    on(committee, "mote")
    on(committee, "lloyd", MembershipRole.SUBSTITUTE)
    on(committee, "scott", MembershipRole.INVITEE)
    on(committee, "noaddress", email="")
    on(
        committee,
        "former",
        start_date=timezone.localdate() - datetime.timedelta(days=400),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    on(make_committee(), "elsewhere")
    return ["lloyd", "mote", "scott", "wells"]


@pytest.fixture
def meeting(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting,
        title="CSP Strategic Assessment 2017",
        full_title="Strategic Assessment: Operation Nightjar",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    return meeting


def publish_url(meeting) -> str:
    return reverse("meetings:publish", kwargs={"meeting_pk": meeting.pk})


def test_publishing_emails_the_committee_once_on_commit_and_says_to_whom(
    coordinator_client, meeting, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(publish_url(meeting), {"late_reason": ""}, follow=True)
    page = text_of(response)
    assert "The agenda is published. An e-mail is on its way to" in page
    for name in ("Councillor A B Wells", "Councillor A B Mote", "Councillor A B Lloyd"):
        assert name in page
    assert "Noaddress" not in page
    assert sorted(address for m in mail.outbox for address in m.to) == [
        f"{username}@example.gov.uk" for username in people
    ]
    link = f"{SITE}{meeting.get_absolute_url()}"
    for message in mail.outbox:
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert link in message.body
        assert f'href="{link}"' in html
        assert "Crime and Disorder Committee" in message.subject
        for text in (message.subject, message.body, html):
            assert "Nightjar" not in text  # the meeting only, never an item
            assert "Strategic Assessment" not in text
        assert not message.attachments


def test_a_publication_rolled_back_sends_nothing(
    meeting, people, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        agenda_publish(meeting=meeting)
        raise RuntimeError("the change is undone")
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert not meeting.is_public


def test_an_agenda_published_for_the_record_summons_no_one(
    coordinator_client, committee, people, django_capture_on_commit_callbacks
):
    past = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Council Chamber",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(publish_url(past), {"confirm_past": "on"}, follow=True)
    assert "No one is e-mailed about a meeting that has taken place." in text_of(response)
    assert mail.outbox == []


def test_the_page_says_when_nobody_could_be_e_mailed(coordinator_client, meeting):
    response = coordinator_client.post(publish_url(meeting), {"late_reason": ""}, follow=True)
    assert "No e-mail was sent: nobody to tell has an e-mail address" in text_of(response)


# --- reports not on the agenda yet ------------------------------------------------------


@pytest.fixture
def requests(meeting, make_item, make_document, make_user, coordinator):
    def officer(username, name):
        return make_user(role=Role.OFFICER, username=username, first_name=name, last_name="Officer")

    deadline = timezone.localdate() + datetime.timedelta(days=5)
    public = make_item(meeting=meeting, title="CSP Performance Report")
    exempt = meeting.items.get(title="CSP Strategic Assessment 2017")
    asked = report_request_create(
        item=public, officer=officer("henley", "Tony"), requested_by=coordinator, deadline=deadline
    )
    returned = report_request_create(
        item=exempt, officer=officer("fox", "Emma"), requested_by=coordinator, deadline=deadline
    )
    report_request_submit(
        request=returned,
        document=make_document(item=exempt, title="Draft", user=returned.officer, is_draft=True),
    )
    report_request_return(request=returned, comment="Add the June figures")
    submitted = report_request_create(
        item=public, officer=officer("gray", "Sam"), requested_by=coordinator, deadline=deadline
    )
    report_request_submit(
        request=submitted,
        document=make_document(item=public, title="Report", user=submitted.officer, is_draft=True),
    )
    accepted = report_request_create(
        item=public, officer=officer("done", "Ada"), requested_by=coordinator, deadline=deadline
    )
    report_request_submit(
        request=accepted,
        document=make_document(item=public, title="Done", user=accepted.officer, is_draft=True),
    )
    report_request_accept(request=accepted, version=1)
    return {"asked": asked, "returned": returned, "submitted": submitted, "accepted": accepted}


def test_the_publish_page_warns_of_reports_not_on_the_agenda(coordinator_client, meeting, requests):
    page = text_of(coordinator_client.get(publish_url(meeting)))
    assert "3 reports not on the agenda yet" in page
    assert "CSP Performance Report : Tony Officer, requested, due" in page
    # The co-ordinator may read the exempt item's full title.
    assert "Strategic Assessment: Operation Nightjar : Emma Officer, sent back, due" in page
    assert "CSP Performance Report : Sam Officer, submitted, waiting for you to accept it" in page
    assert "Ada Officer" not in page


def test_the_warning_does_not_stop_publication(coordinator_client, meeting, requests):
    response = coordinator_client.post(publish_url(meeting), {"late_reason": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_public


def test_no_warning_when_every_report_is_in(coordinator_client, meeting):
    assert "not on the agenda yet" not in text_of(coordinator_client.get(publish_url(meeting)))
