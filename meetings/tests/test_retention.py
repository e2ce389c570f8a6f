"""Retention: the statutory inspection clocks, archiving papers once their period has
ended (kept, read by co-ordinators only), legal holds, and the co-ordinator's list."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from exempt.models import AccessEvent, AccessLog
from meetings import services
from meetings.law import inspection_ends
from meetings.selectors import RetentionView, retention_counts, retention_list
from scrutiny.access import Role

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 11, 24)


def test_inspection_lasts_six_years_beginning_with_the_meeting_day():
    assert inspection_ends(datetime.date(2018, 2, 21)) == datetime.date(2024, 2, 20)
    assert inspection_ends(datetime.date(2018, 2, 21), background_papers=True) == (
        datetime.date(2022, 2, 20)
    )


def test_a_meeting_on_29_february_is_not_cut_short():
    assert inspection_ends(datetime.date(2016, 2, 29)) == datetime.date(2022, 2, 28)
    assert inspection_ends(datetime.date(2016, 2, 29), background_papers=True) == (
        datetime.date(2020, 2, 28)
    )


@pytest.fixture
def old_meeting(committee, make_item, make_document, coordinator, make_exempt_item):
    """Factory: a published meeting on `day` (7 pm), with a public paper and an exempt
    item with a paper."""
    from meetings.services import agenda_item_add, agenda_publish, meeting_create

    def make(day=datetime.date(2018, 2, 21)):
        meeting = meeting_create(
            committee=committee,
            starts_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=LONDON),
            venue="Council Chamber",
        )
        item = make_item(meeting=meeting, title="Community Safety Performance Report")
        public = make_document(item=item, title="Performance appendix")
        exempt_item = agenda_item_add(
            meeting=meeting,
            title="Exempt item",
            full_title="Tasking of the Kestrel team",
            exempt_paragraph=7,
            exempt_reason="Crime prevention",
        )
        exempt = make_document(item=exempt_item, title="Kestrel tasking plan")
        agenda_publish(meeting=meeting, confirm_past=True, by=coordinator)
        meeting.refresh_from_db()
        meeting.public_paper, meeting.exempt_paper = public, exempt
        meeting.public_item, meeting.exempt_item = item, exempt_item
        return meeting

    return make


# --- services ------------------------------------------------------------------------


@pytest.mark.django_db
def test_papers_cannot_be_archived_on_the_last_day_of_their_period(old_meeting, coordinator):
    meeting = old_meeting(datetime.date(2018, 2, 21))
    with pytest.raises(ValidationError, match="open to inspection until 20 February 2024"):
        services.papers_archive(meeting=meeting, by=coordinator, today=datetime.date(2024, 2, 20))
    meeting.refresh_from_db()
    assert not meeting.papers_archived
    archived = services.papers_archive(
        meeting=meeting, by=coordinator, today=datetime.date(2024, 2, 21)
    )
    assert archived.papers_archived_by == coordinator
    entry = AccessLog.objects.get(event=AccessEvent.PAPERS_ARCHIVED)
    assert (entry.user, entry.meeting, entry.committee) == (coordinator, meeting, meeting.committee)
    assert "20 February 2024" in entry.what


@pytest.mark.django_db
def test_a_legal_hold_needs_a_reason_and_stops_archiving(old_meeting, coordinator):
    meeting = old_meeting()
    with pytest.raises(ValidationError) as missing:
        services.legal_hold_place(meeting=meeting, by=coordinator, reason="   ")
    assert "reason" in missing.value.error_dict
    services.legal_hold_place(meeting=meeting, by=coordinator, reason="Judicial review claim")
    with pytest.raises(ValidationError, match="legal hold"):
        services.papers_archive(meeting=meeting, by=coordinator, today=TODAY)
    with pytest.raises(ValidationError, match="already under a legal hold"):
        services.legal_hold_place(meeting=meeting, by=coordinator, reason="Again")
    services.legal_hold_lift(meeting=meeting, by=coordinator)
    services.papers_archive(meeting=meeting, by=coordinator, today=TODAY)
    events = list(
        AccessLog.objects.filter(meeting=meeting)
        .exclude(event__in=[AccessEvent.AGENDA_PUBLISHED, AccessEvent.ITEM_ADDED_EXEMPT])
        .order_by("pk")
        .values_list("event", "what")
    )
    assert [event for event, _ in events] == [
        AccessEvent.LEGAL_HOLD_PLACED,
        AccessEvent.LEGAL_HOLD_LIFTED,
        AccessEvent.PAPERS_ARCHIVED,
    ]
    assert "Judicial review claim" in events[0][1] and "Judicial review claim" in events[1][1]


@pytest.mark.django_db
def test_holding_archived_papers_restores_them(old_meeting, coordinator):
    meeting = services.papers_archive(meeting=old_meeting(), by=coordinator, today=TODAY)
    held = services.legal_hold_place(meeting=meeting, by=coordinator, reason="FOI review")
    held.refresh_from_db()
    assert held.on_legal_hold and not held.papers_archived
    assert AccessLog.objects.filter(meeting=meeting, event=AccessEvent.PAPERS_RESTORED).exists()


@pytest.mark.django_db
def test_archiving_many_is_all_or_nothing(old_meeting, coordinator):
    ended = old_meeting(datetime.date(2018, 2, 21))
    held = old_meeting(datetime.date(2018, 6, 20))
    services.legal_hold_place(meeting=held, by=coordinator, reason="Claim")
    with pytest.raises(ValidationError) as refused:
        services.papers_archive_many(meetings=[ended, held], by=coordinator, today=TODAY)
    assert any("20 June 2018" in message for message in refused.value.messages)
    ended.refresh_from_db()
    assert not ended.papers_archived
    assert not AccessLog.objects.filter(event=AccessEvent.PAPERS_ARCHIVED).exists()


@pytest.mark.django_db
def test_archived_papers_leave_the_search_index_and_return_on_restore(old_meeting, coordinator):
    from search.models import EntryKind, SearchEntry

    meeting = old_meeting()
    papers = SearchEntry.objects.filter(meeting=meeting, kind=EntryKind.PAPER)
    assert papers.count() == 2
    services.papers_archive(meeting=meeting, by=coordinator, today=TODAY)
    assert papers.count() == 0
    assert SearchEntry.objects.filter(meeting=meeting, kind=EntryKind.ITEM).exists()
    services.papers_restore(meeting=meeting, by=coordinator)
    assert papers.count() == 2


# --- selectors -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_retention_lists(committee, make_meeting, coordinator):
    def on(day):
        return make_meeting(
            committee=committee,
            starts_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=LONDON),
        )

    ended = on(datetime.date(2020, 11, 24))  # period ended yesterday, 23 November 2026
    last_day = on(datetime.date(2020, 11, 25))  # period ends today: still open
    due = on(datetime.date(2021, 11, 25))  # ends 24 November 2027: a year from today
    on(datetime.date(2021, 11, 26))  # ends 25 November 2027: more than a year ahead
    held = on(datetime.date(2019, 1, 9))
    services.legal_hold_place(meeting=held, by=coordinator, reason="Claim")
    archived = on(datetime.date(2019, 3, 13))
    services.papers_archive(meeting=archived, by=coordinator, today=TODAY)

    def listed(view):
        return list(retention_list(committee=committee, view=view, today=TODAY))

    assert listed(RetentionView.ENDED) == [ended]
    assert listed(RetentionView.DUE) == [last_day, due]
    assert listed(RetentionView.HELD) == [held]
    assert listed(RetentionView.ARCHIVED) == [archived]
    assert retention_counts(committee=committee, today=TODAY) == {
        "due": 2,
        "ended": 1,
        "held": 1,
        "archived": 1,
    }


# --- what each reader sees once the papers are archived ----------------------------


@pytest.fixture
def archived(old_meeting, coordinator):
    meeting = old_meeting()
    return services.papers_archive(meeting=meeting, by=coordinator, today=TODAY) and meeting


def _papers_urls(meeting):
    from django.urls import reverse

    urls = []
    for document in (meeting.public_paper, meeting.exempt_paper):
        urls.append(document.get_absolute_url())
        urls.append(reverse("papers:document_download", kwargs={"pk": document.pk}))
        urls.append(reverse("papers:version_download", kwargs={"pk": document.pk, "number": 1}))
    for kind in ("public", "exempt"):
        urls.append(reverse("packs:pack_download", kwargs={"meeting_pk": meeting.pk, "kind": kind}))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reader", ["anonymous", "councillor", "member", "other_coordinator", "monitoring_officer"]
)
def test_archived_papers_are_gone_for_everyone_but_the_coordinators(
    reader, archived, client, make_user, make_committee, councillor, member
):
    # The member sits on the committee: entitled to its exempt papers until archived.
    if reader == "member":
        client.force_login(member)
    elif reader == "councillor":
        client.force_login(councillor)
    elif reader == "monitoring_officer":
        client.force_login(make_user(role=Role.MONITORING_OFFICER, username="monitoring"))
    elif reader == "other_coordinator":
        other = make_user(role=Role.COORDINATOR, username="elsewhere", is_staff=True)
        make_committee().coordinators.add(other)
        client.force_login(other)
    for url in _papers_urls(archived):
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 410, url
        body = response.content.decode()
        assert "archived on" in body
        assert "Kestrel" not in body and "Performance appendix" not in body
        assert response.get("Content-Type", "").startswith("text/html")
    page = client.get(archived.get_absolute_url(), HTTP_HOST="127.0.0.1").content.decode()
    assert "Papers archived" in page
    assert archived.public_paper.get_absolute_url() not in page
    assert "agenda-pack" not in page and "/packs/" not in page
    item_page = client.get(
        f"/meetings/{archived.pk}/items/{archived.public_item.pk}/", HTTP_HOST="127.0.0.1"
    ).content.decode()
    assert "Performance appendix" not in item_page
    assert "Agenda pack" not in item_page


@pytest.mark.django_db
def test_coordinators_still_read_archived_papers(archived, coordinator_client):
    from django.urls import reverse

    for document in (archived.public_paper, archived.exempt_paper):
        download = reverse("papers:document_download", kwargs={"pk": document.pk})
        response = coordinator_client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content])
    page = coordinator_client.get(archived.get_absolute_url()).content.decode()
    assert "Only the committee's co-ordinators can read them" in page
    assert archived.public_paper.get_absolute_url() in page


@pytest.mark.django_db
def test_the_api_lists_no_archived_papers(archived, client):
    response = client.get("/api/v1/agenda-items/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert "Performance appendix" not in response.content.decode()


# --- the co-ordinator's page ---------------------------------------------------------


@pytest.mark.django_db
def test_only_the_committees_coordinators_reach_retention(
    client, committee, member, make_user, make_committee, coordinator
):
    url = f"/committees/{committee.slug}/retention/"
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 302
    client.force_login(member)
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 403
    other = make_user(role=Role.COORDINATOR, username="elsewhere", is_staff=True)
    make_committee().coordinators.add(other)
    client.force_login(other)
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 403
    assert client.post(f"{url}archive/", HTTP_HOST="127.0.0.1").status_code == 403
    client.force_login(coordinator)
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200


@pytest.mark.django_db
def test_coordinator_archives_restores_and_holds_through_the_pages(
    old_meeting, coordinator_client, committee
):
    meeting = old_meeting()
    url = f"/committees/{committee.slug}/retention/"
    listed = coordinator_client.get(url).content.decode()
    assert f'value="{meeting.pk}"' in listed and "20 February 2024" in listed
    response = coordinator_client.post(f"{url}archive/", {"meeting": [meeting.pk]}, follow=True)
    assert "The papers of 1 meeting were archived" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.papers_archived
    response = coordinator_client.post(f"{url}{meeting.pk}/restore/", follow=True)
    meeting.refresh_from_db()
    assert not meeting.papers_archived
    form = coordinator_client.post(f"{url}{meeting.pk}/hold/", {"reason": ""})
    assert form.status_code == 200
    assert "There is a problem" in form.content.decode()
    assert "Enter why the papers are held" in form.content.decode()
    coordinator_client.post(f"{url}{meeting.pk}/hold/", {"reason": "Ombudsman complaint"})
    meeting.refresh_from_db()
    assert meeting.legal_hold_reason == "Ombudsman complaint"
    held = coordinator_client.get(f"{url}?show=held").content.decode()
    assert "Ombudsman complaint" in held
    refused = coordinator_client.post(f"{url}archive/", {"meeting": [meeting.pk]}, follow=True)
    assert "Nothing was archived" in refused.content.decode()
    coordinator_client.post(f"{url}{meeting.pk}/hold/lift/")
    meeting.refresh_from_db()
    assert not meeting.on_legal_hold


@pytest.mark.django_db
def test_another_committees_meeting_cannot_be_archived_from_here(
    coordinator_client, make_committee, make_meeting, committee
):
    other = make_meeting(
        committee=make_committee(),
        starts_at=datetime.datetime(2015, 1, 7, 19, tzinfo=LONDON),
    )
    url = f"/committees/{committee.slug}/retention/"
    coordinator_client.post(f"{url}archive/", {"meeting": [other.pk]})
    other.refresh_from_db()
    assert not other.papers_archived
    assert coordinator_client.post(f"{url}{other.pk}/hold/", {"reason": "x"}).status_code == 404


@pytest.mark.django_db
def test_the_retention_page_queries_do_not_grow_with_meetings(
    coordinator_client, committee, make_meeting, coordinator, django_assert_max_num_queries
):
    def add(count, year):
        for n in range(count):
            meeting = make_meeting(
                committee=committee,
                starts_at=datetime.datetime(year, 1, 1, 19, tzinfo=LONDON)
                + datetime.timedelta(days=n),
            )
            if n % 3 == 0:
                services.legal_hold_place(meeting=meeting, by=coordinator, reason="Claim")

    url = f"/committees/{committee.slug}/retention/"
    add(3, 2015)
    with django_assert_max_num_queries(12) as few:
        coordinator_client.get(url + "?show=held")
    add(30, 2016)
    with django_assert_max_num_queries(len(few)):
        coordinator_client.get(url + "?show=held")


@pytest.mark.django_db
def test_the_officer_who_wrote_an_archived_report_is_not_shown_it_on_the_request(
    old_meeting, coordinator, officer, submit_written_report, client
):
    from papers.services import report_request_accept

    meeting = old_meeting()
    report_request = report_request_accept(
        request=submit_written_report(meeting.public_item), version=1
    )
    services.papers_archive(meeting=meeting, by=coordinator, today=TODAY)
    client.force_login(officer)
    page = client.get(report_request.get_absolute_url(), HTTP_HOST="127.0.0.1")
    assert page.status_code == 200
    body = page.content.decode()
    assert "D-TAC Progress Report" not in body
    assert report_request.document.get_absolute_url() not in body
    assert "Archived with the papers of this meeting" in body


@pytest.mark.django_db
def test_asking_for_archived_exempt_papers_is_logged_as_a_refusal(archived, member):
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    document = archived.exempt_paper
    assert client.get(document.get_absolute_url()).status_code == 410
    pack = reverse("packs:pack_download", kwargs={"meeting_pk": archived.pk, "kind": "exempt"})
    assert client.get(pack).status_code == 410
    refused = AccessLog.objects.filter(event=AccessEvent.REFUSED, user=member)
    assert set(refused.values_list("what", flat=True)) == {
        f"exempt document {document.pk}",
        "the exempt agenda pack",
    }
    # The public paper is not exempt material: its 410 is not an exempt refusal.
    client.get(archived.public_paper.get_absolute_url())
    assert refused.count() == 2
