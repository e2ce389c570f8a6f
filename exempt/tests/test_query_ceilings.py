"""Pages whose query count must not grow with the data behind them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exempt.services import access_request_create, grant_create
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from papers.services import report_request_create
from scrutiny.testing import client_for

pytestmark = pytest.mark.django_db


def count_queries(client, url, django_assert_max_num_queries, *, ceiling=30):
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.fixture
def meeting(committee):
    meeting = meeting_create(
        committee=committee, venue="Chamber", starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    return agenda_publish(meeting=meeting)


def grow(committee, meeting, coordinator, councillor, officer, make_meeting, make_document, n):
    for step in range(n):
        make_meeting(
            committee=committee,
            starts_at=timezone.now() + datetime.timedelta(days=3 + step, hours=step),
        )
        item = agenda_item_add(
            meeting=meeting, title=f"Exempt {step}", exempt_paragraph=3, exempt_reason="x"
        )
        make_document(item=item, title=f"Paper {step}")
        grant_create(
            user=councillor,
            granted_by=coordinator,
            reason="Need to know",
            expires_on=timezone.localdate(),
            item=item,
        )
        report_request_create(item=item, officer=officer, requested_by=coordinator)
        access_request_create(user=officer, item=item, reason="Ward")


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("anon", "meeting_list"),
        ("anon", "calendar"),
        ("coordinator", "grants"),
        ("coordinator", "requests"),
        ("coordinator", "log"),
        ("officer", "reports_to_write"),
        ("coordinator", "builder"),
    ],
)
def test_page_queries_do_not_grow(
    who,
    page,
    request,
    committee,
    meeting,
    coordinator,
    councillor,
    officer,
    make_meeting,
    make_document,
    django_assert_max_num_queries,
):
    users = {"coordinator": coordinator, "officer": officer}
    client = client_for(users[who]) if who in users else request.getfixturevalue("client")
    starts = timezone.localtime(meeting.starts_at)
    urls = {
        "meeting_list": reverse("meetings:meeting_list"),
        "calendar": reverse("meetings:calendar_month", args=[starts.year, starts.month]),
        "grants": reverse("exempt:grant_list"),
        "requests": reverse("exempt:request_list"),
        "log": reverse("exempt:access_log"),
        "reports_to_write": reverse("papers:request_list"),
        "builder": reverse("meetings:agenda_builder", args=[meeting.pk]),
    }
    grow(committee, meeting, coordinator, councillor, officer, make_meeting, make_document, 1)
    client_for(coordinator).get(meeting.get_absolute_url())  # some log entries
    few = count_queries(client, urls[page], django_assert_max_num_queries)
    grow(committee, meeting, coordinator, councillor, officer, make_meeting, make_document, 12)
    client_for(coordinator).get(meeting.get_absolute_url())
    many = count_queries(client, urls[page], django_assert_max_num_queries)
    assert many <= few, f"{page}: {few} queries, then {many} with more data"
