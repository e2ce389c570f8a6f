"""Two papers generated from the record: the actions tracker the committee notes at a
meeting, and the committee's annual report of a municipal year with the co-ordinator's
narrative. Both are public papers, so nothing exempt is ever in them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add
from minutes.models import Attendance
from minutes.numbering import municipal_year_start
from scrutiny.access import Role
from scrutiny.testing import pdf_text, text_of
from workplan.annual import annual_report_attach, annual_report_draft, annual_report_save
from workplan.documents import action_tracker, tracker_attach
from workplan.models import ActionStatus, AnnualReport, TrackedAction
from workplan.services import action_update, work_plan_item_withdraw

pytestmark = pytest.mark.django_db


def _close(action, *, on, status=ActionStatus.IMPLEMENTED):
    return action_update(
        action=action,
        user=None,
        based_on=action.version,
        description=action.description,
        owner_name=action.owner_name,
        due_date=action.due_date,
        status=status,
        response="Done: the figures were circulated.",
        today=on,
    )


@pytest.fixture
def actions(resolution, exempt_resolution, make_action):
    """Four actions asked at the meeting held a week ago: one overdue, one due next
    month, one closed today, one closed before that meeting; and one asked in its
    exempt minute."""
    overdue = make_action(resolution, description="Circulate the crime figures")
    TrackedAction.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    make_action(resolution, description="Invite the crime data expert", due_in_days=30)
    _close(make_action(resolution, description="Answer Cllr Lees on CCTV"), on=None)
    _close(
        make_action(resolution, description="Report the 2016 figures"),
        on=timezone.localdate() - datetime.timedelta(days=30),
    )
    make_action(exempt_resolution, description="Invite Operation Nightjar's informant back")


def test_the_tracker_reports_outstanding_actions_and_those_closed_since_the_last_meeting(
    committee, actions, next_meeting
):
    tracker = action_tracker(committee=committee, for_meeting=next_meeting)
    outstanding = {row.description: row.is_overdue for row in tracker.outstanding}
    assert outstanding == {
        "Circulate the crime figures": True,
        "Invite the crime data expert": False,
    }
    assert tracker.overdue == 1
    # Closed since the meeting held a week ago: reported once; closed before it: gone.
    assert [row.description for row in tracker.closed] == ["Answer Cllr Lees on CCTV"]
    assert tracker.closed[0].status == "Implemented"
    assert tracker.outstanding[0].reference.startswith("Minute ")


def test_the_tracker_for_the_meeting_where_an_action_was_asked_does_not_list_it(
    committee, actions, held_meeting
):
    tracker = action_tracker(committee=committee, for_meeting=held_meeting)
    assert tracker.outstanding == [] and tracker.closed == []


def test_an_action_closed_after_the_last_papers_went_out_is_reported_next_time(
    committee, resolution, make_action, held_meeting, next_meeting
):
    # Closed after the held meeting's papers were published, before it met.
    action = make_action(resolution, description="Answer Cllr Wells on CCTV")
    _close(action, on=held_meeting.publish_by + datetime.timedelta(days=1))
    # Closed on a day no one recorded: not reported as if it were new.
    forgotten = make_action(resolution, description="An old question")
    _close(forgotten, on=None)
    TrackedAction.objects.filter(pk=forgotten.pk).update(closed_on=None)
    tracker = action_tracker(committee=committee, for_meeting=next_meeting)
    assert [row.description for row in tracker.closed] == ["Answer Cllr Wells on CCTV"]


def test_the_window_runs_from_the_day_the_previous_tracker_was_made(
    committee, resolution, make_action, held_meeting, next_meeting
):
    item = agenda_item_add(meeting=held_meeting, title="Actions tracker")
    tracker_attach(committee=committee, item=item, confirm_past=True)  # made today
    # Closed yesterday: that tracker reported it already.
    reported = make_action(resolution, description="Already reported")
    _close(reported, on=timezone.localdate() - datetime.timedelta(days=1))
    fresh = make_action(resolution, description="Closed today")
    _close(fresh, on=timezone.localdate())
    tracker = action_tracker(committee=committee, for_meeting=next_meeting)
    assert [row.description for row in tracker.closed] == ["Closed today"]


def test_closing_an_action_keeps_the_day_and_reopening_clears_it(resolution, make_action):
    action = make_action(resolution)
    day = timezone.localdate() - datetime.timedelta(days=3)
    action = _close(action, on=day, status=ActionStatus.ACCEPTED)
    assert action.closed_on == day
    # Moving between closed states keeps the day it closed.
    action = _close(action, on=timezone.localdate(), status=ActionStatus.IMPLEMENTED)
    assert action.closed_on == day
    action = action_update(
        action=action,
        user=None,
        based_on=action.version,
        description=action.description,
        owner_name=action.owner_name,
        due_date=action.due_date,
        status=ActionStatus.RESPONDED,
        response="Reopened: the figures were wrong.",
    )
    assert action.closed_on is None and not action.is_closed


def test_the_tracker_paper_goes_on_an_agenda_without_exempt_actions(
    committee, actions, next_meeting
):
    item = agenda_item_add(meeting=next_meeting, title="Actions tracker")
    document = tracker_attach(committee=committee, item=item)
    text = pdf_text(document.current_version.file)
    assert "Recommendations and Actions Tracker" in text
    assert "Circulate the crime figures" in text and "Overdue" in text
    assert "Nightjar" not in text
    assert not document.is_exempt
    document = tracker_attach(committee=committee, item=item)
    assert document.versions.count() == 2
    assert item.documents.count() == 1


def test_the_tracker_page_is_public_and_only_coordinators_put_it_on_an_agenda(
    client, committee, actions, next_meeting, coordinator, member, make_committee, make_user
):
    url = reverse("workplan:tracker", kwargs={"slug": committee.slug})
    page = text_of(client.get(url, {"for": next_meeting.pk}))
    assert "Circulate the crime figures" in page and "Overdue" in page
    assert "Nightjar" not in page and "Put it on an agenda" not in page
    pdf = client.get(reverse("workplan:tracker_pdf", kwargs={"slug": committee.slug}))
    assert pdf["Content-Type"] == "application/pdf" and b"Nightjar" not in pdf.content
    item = agenda_item_add(meeting=next_meeting, title="Actions tracker")
    assert client.post(url, {"item": item.pk}).status_code == 302  # to sign in
    client.force_login(member)
    assert client.post(url, {"item": item.pk}).status_code == 403
    other = make_user(role=Role.COORDINATOR, username="other-coordinator")
    make_committee(name="Licensing Committee").coordinators.add(other)
    client.force_login(other)
    assert client.post(url, {"item": item.pk}).status_code == 403
    assert not item.documents.exists()
    client.force_login(coordinator)
    response = client.post(url, {"item": item.pk}, follow=True)
    assert "The actions tracker for" in text_of(response)
    assert item.documents.count() == 1


# --- the annual report -------------------------------------------------------------------


@pytest.fixture
def year_start(held_meeting):
    return municipal_year_start(timezone.localdate(held_meeting.starts_at))


@pytest.fixture
def attended(held_meeting, make_person):
    lees = make_person(surname="Lees", forenames="R")
    wells = make_person(surname="Wells", forenames="R J")
    kelly = make_person(surname="Kelly", forenames="M B")
    Attendance.objects.create(meeting=held_meeting, person=lees, capacity="member")
    Attendance.objects.create(
        meeting=held_meeting, person=wells, capacity="member", status="apologies"
    )
    Attendance.objects.create(
        meeting=held_meeting, person=kelly, capacity="member", substitute_for=wells
    )
    return held_meeting


@pytest.fixture
def programme(make_plan_item, next_meeting, later_meeting):
    make_plan_item(target_meeting=next_meeting, topic="Safer Streets review")
    make_plan_item(target_meeting=later_meeting, topic="Community Safety Plan refresh")
    make_plan_item(topic="Gangs in Dartford (draw-down)")
    withdrawn = make_plan_item(topic="Street lighting")
    work_plan_item_withdraw(item=withdrawn, user=None, reason="Taken by Cabinet")


def test_the_annual_report_is_drafted_from_the_record_without_anything_exempt(
    committee, actions, attended, programme, year_start, held_meeting
):
    report = annual_report_draft(committee=committee, year_start=year_start)
    assert [record.meeting for record in report.meetings] == [held_meeting]
    topics = {topic.title: topic.resolutions for topic in report.meetings[0].topics}
    assert any("crime data expert" in text for text in topics["Performance"])
    # The exempt minute appears by the item's public title, without its resolution.
    assert topics["Closed business"] == []
    assert report.topics_considered == 2 and report.resolutions == 2
    attendance = {row.name: row for row in report.attendance}
    assert attendance["Councillor R Lees"].present == 1
    assert attendance["Councillor R J Wells"].apologies == 1
    assert attendance["Councillor M B Kelly"].as_substitute == 1
    recommendations = {row.description: row.status for row in report.recommendations}
    assert recommendations["Circulate the crime figures"] == "Overdue"
    assert recommendations["Answer Cllr Lees on CCTV"] == "Implemented"
    assert not any("Nightjar" in text for text in recommendations)
    # Carried forward: what is not planned for a meeting of this year, except withdrawn.
    carried = " ".join(report.carried_forward)
    assert "Community Safety Plan refresh" in carried
    assert "Gangs in Dartford (draw-down) (to be scheduled)" in carried
    assert "Safer Streets review" not in carried and "Street lighting" not in carried


def test_a_year_whose_minutes_are_not_published_lists_the_meeting_without_its_record(
    committee, make_meeting
):
    meeting = make_meeting(
        committee=committee, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    # A meeting whose agenda never went out did not take place.
    make_meeting(
        committee=committee, status="draft", starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    year_start = municipal_year_start(timezone.localdate(meeting.starts_at))
    report = annual_report_draft(committee=committee, year_start=year_start)
    assert [(r.meeting, r.minutes_published, r.topics) for r in report.meetings] == [
        (meeting, False, [])
    ]
    assert report.unpublished == 1


def test_the_papers_take_a_fixed_number_of_queries(
    committee,
    actions,
    attended,
    programme,
    year_start,
    next_meeting,
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(10):
        annual_report_draft(committee=committee, year_start=year_start)
    with django_assert_max_num_queries(3):
        action_tracker(committee=committee, for_meeting=next_meeting)


def test_the_narrative_is_saved_in_versions_and_a_stale_form_is_refused(
    committee, coordinator, year_start
):
    saved = annual_report_save(
        committee=committee,
        year_start=year_start,
        user=coordinator,
        based_on=0,
        foreword="A year of partnership.",
        highlights="  Members pressed for better crime data.  ",
    )
    assert saved.version == 1 and saved.highlights == "Members pressed for better crime data."
    with pytest.raises(ValidationError, match="Someone else saved this report"):
        annual_report_save(committee=committee, year_start=year_start, user=coordinator, based_on=0)
    with pytest.raises(ValidationError, match="starts on 1 May"):
        annual_report_save(
            committee=committee,
            year_start=year_start + datetime.timedelta(days=1),
            user=coordinator,
            based_on=1,
        )
    report = annual_report_draft(committee=committee, year_start=year_start)
    assert report.narrative.foreword == "A year of partnership."
    assert AnnualReport.objects.get().updated_by == coordinator


def test_the_report_goes_on_an_agenda_as_a_public_paper(
    committee, actions, attended, programme, year_start, next_meeting, coordinator
):
    annual_report_save(
        committee=committee,
        year_start=year_start,
        user=coordinator,
        based_on=0,
        foreword="A year of partnership.",
    )
    item = agenda_item_add(meeting=next_meeting, title="Annual Report")
    document = annual_report_attach(committee=committee, year_start=year_start, item=item)
    text = pdf_text(document.current_version.file)
    assert "Annual Report of the" in text and "A year of partnership." in text
    assert "Circulate the crime figures" in text and "Community Safety Plan refresh" in text
    assert "Nightjar" not in text and "informant" not in text
    assert not document.is_exempt and document.created_by_id is None


def test_the_draft_is_the_coordinators_alone(
    client, committee, year_start, held_meeting, coordinator, member, make_committee, make_user
):
    url = reverse("workplan:annual_report", kwargs={"slug": committee.slug})
    edit = reverse(
        "workplan:annual_report_edit", kwargs={"slug": committee.slug, "year": year_start.year}
    )
    pdf = reverse(
        "workplan:annual_report_pdf", kwargs={"slug": committee.slug, "year": year_start.year}
    )
    for address in (url, edit, pdf):
        assert client.get(address).status_code == 302  # to sign in
    client.force_login(member)
    for address in (url, edit, pdf):
        assert client.get(address).status_code == 403
    other = make_user(role=Role.COORDINATOR, username="other-coordinator")
    make_committee(name="Licensing Committee").coordinators.add(other)
    client.force_login(other)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert client.get(pdf)["Content-Type"] == "application/pdf"
    for year in (1999, 0):
        missing = reverse(
            "workplan:annual_report_edit", kwargs={"slug": committee.slug, "year": year}
        )
        assert client.get(missing).status_code == 404
        assert client.post(missing, {"foreword": "Lost", "version": "0"}).status_code == 404
    assert not AnnualReport.objects.exists()


def test_editing_the_narrative_keeps_what_was_typed_when_someone_saved_first(
    client, committee, year_start, held_meeting, coordinator
):
    client.force_login(coordinator)
    edit = reverse(
        "workplan:annual_report_edit", kwargs={"slug": committee.slug, "year": year_start.year}
    )
    response = client.post(
        edit, {"foreword": "First words", "introduction": "", "highlights": "", "version": "0"}
    )
    assert response.status_code == 302
    assert "First words" in text_of(client.get(response["Location"]))
    # A second form read before that save.
    response = client.post(edit, {"foreword": "Second words", "version": "0"})
    page = text_of(response)
    assert "Someone else saved this report" in page
    assert "As saved by someone else" in page and "First words" in page
    assert 'value="1"' in response.content.decode()  # saving again now works
    assert "Second words" in response.content.decode()
    response = client.post(edit, {"foreword": "Second words", "version": "1"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().foreword == "Second words"
    # A form without its version is refused too.
    response = client.post(edit, {"foreword": "Third words"})
    assert "Someone else saved this report" in text_of(response)
    assert AnnualReport.objects.get().foreword == "Second words"


def test_the_coordinator_puts_the_report_on_an_agenda_from_its_page(
    client, committee, year_start, held_meeting, next_meeting, coordinator
):
    client.force_login(coordinator)
    item = agenda_item_add(meeting=next_meeting, title="Annual Report")
    url = reverse("workplan:annual_report", kwargs={"slug": committee.slug})
    response = client.post(f"{url}?year={year_start.year}", {"item": "nonsense"})
    assert "Select an agenda item from the list" in response.content.decode()
    response = client.post(f"{url}?year={year_start.year}", {"item": item.pk}, follow=True)
    assert "is on item" in text_of(response)
    assert item.documents.get().title.startswith("Annual Report of the")


def test_a_committee_that_has_not_met_gets_an_empty_report_not_an_error(
    client, make_committee, make_user
):
    committee = make_committee(name="Licensing Committee")
    coordinator = make_user(role=Role.COORDINATOR, username="licensing-coordinator")
    committee.coordinators.add(coordinator)
    client.force_login(coordinator)
    url = reverse("workplan:annual_report", kwargs={"slug": committee.slug})
    for year in ("", "0", "-1", "99999", "nonsense"):
        response = client.get(url, {"year": year})
        assert response.status_code == 200
        assert "The Committee has not met in the" in text_of(response)
