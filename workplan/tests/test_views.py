"""The work programme's pages for each role: the public programme and item pages,
and the co-ordinator's forms, which everyone else is refused."""

import pytest
from django.urls import reverse

from minutes.models import Resolution
from scrutiny.access import Role
from scrutiny.testing import text_of
from workplan.models import ChangeKind, Status, WorkPlanItem
from workplan.services import work_plan_item_from_resolution, work_plan_item_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coordinator(make_user, make_committee):
    user = make_user(role=Role.COORDINATOR, username="othercoordinator")
    make_committee().coordinators.add(user)
    return user


@pytest.fixture
def plan(make_plan_item, next_meeting, later_meeting):
    return {
        "scheduled": make_plan_item(target_meeting=next_meeting, topic="PCP Update"),
        "later": make_plan_item(target_meeting=later_meeting, topic="Trading Standards"),
        "unscheduled": make_plan_item(topic="Gangs in Dartford"),
        "withdrawn": work_plan_item_withdraw(
            item=make_plan_item(target_meeting=next_meeting, topic="Dropped topic"),
            user=None,
            reason="Covered elsewhere",
        ),
    }


def programme(committee):
    return reverse("workplan:programme", kwargs={"slug": committee.slug})


def item_url(name, item):
    return reverse(f"workplan:{name}", kwargs={"slug": item.committee.slug, "pk": item.pk})


# --- the public pages ----------------------------------------------------------------


def test_the_public_reads_the_programme_grouped_by_meeting(client, committee, plan):
    page = text_of(client.get(programme(committee)))
    assert (
        page.index("PCP Update") < page.index("Trading Standards") < page.index("To be scheduled")
    )
    assert page.index("To be scheduled") < page.index("Gangs in Dartford")
    # Withdrawn items come last, under their own heading.
    assert page.index("Gangs in Dartford") < page.index("Withdrawn") < page.index("Dropped topic")
    assert "Add an item" not in page
    # Draft meetings are named by their date, not linked.
    html = client.get(programme(committee)).content.decode()
    assert plan["scheduled"].target_meeting.get_absolute_url() not in html


def test_the_coordinator_also_sees_the_actions(client, coordinator, committee, plan):
    client.force_login(coordinator)
    response = client.get(programme(committee))
    html = response.content.decode()
    assert reverse("workplan:item_add", kwargs={"slug": committee.slug}) in html
    assert plan["scheduled"].target_meeting.get_absolute_url() in html


def test_an_item_page_shows_its_history_with_reasons(client, plan, coordinator):
    item = plan["withdrawn"]
    page = text_of(client.get(item_url("item_detail", item)))
    assert "Covered elsewhere" in page
    assert "Withdrawn" in page
    # Who made each change is the co-ordinators' to see.
    assert "By" not in page.split("History", 1)[1].split("Back to")[0].split()


def test_a_missing_item_or_another_committees_is_404(client, plan, make_committee):
    other = make_committee()
    url = reverse("workplan:item_detail", kwargs={"slug": other.slug, "pk": plan["scheduled"].pk})
    assert client.get(url).status_code == 404


def test_the_year_picker_ignores_nonsense(client, committee, plan):
    for value in ("abc", "99999999999999999999", "0", "-1"):
        assert client.get(programme(committee), {"from": value}).status_code == 200


def test_the_programme_asks_a_fixed_number_of_queries(
    client,
    coordinator,
    committee,
    make_plan_item,
    make_future_meeting,
    django_assert_max_num_queries,
):
    client.force_login(coordinator)
    meeting = make_future_meeting(committee, 30)
    make_plan_item(target_meeting=meeting)
    client.get(programme(committee))
    with django_assert_max_num_queries(14) as few:
        client.get(programme(committee))
    for days in range(40, 200, 10):
        meeting = make_future_meeting(committee, days)
        for _ in range(3):
            make_plan_item(target_meeting=meeting)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(programme(committee))


# --- the co-ordinator's forms, and everyone else ---------------------------------------

COORDINATOR_PAGES = ["item_edit", "item_move", "item_withdraw"]


@pytest.mark.parametrize("role", ["member", "councillor", "officer", "other_coordinator"])
def test_only_the_committees_coordinators_change_the_plan(request, client, role, plan, committee):
    client.force_login(request.getfixturevalue(role))
    item = plan["scheduled"]
    for name in COORDINATOR_PAGES:
        assert client.get(item_url(name, item)).status_code == 403
        assert client.post(item_url(name, item), {"reason": "x", "version": 1}).status_code == 403
    assert client.post(item_url("item_agree", item)).status_code == 403
    add = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    assert client.post(add, {"topic": "Sneaky", "category": "discretionary"}).status_code == 403
    roll = reverse("workplan:roll_forward", kwargs={"slug": committee.slug})
    assert client.post(roll, {"year": "2030"}).status_code == 403
    place = reverse("workplan:place", kwargs={"meeting_pk": item.target_meeting_id})
    assert client.post(place, {"items": [item.pk]}).status_code in (403, 404)
    item.refresh_from_db()
    assert item.status == Status.SCHEDULED
    assert not WorkPlanItem.objects.filter(topic="Sneaky").exists()


def test_anonymous_users_are_sent_to_sign_in(client, plan):
    response = client.get(item_url("item_move", plan["scheduled"]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_adding_an_item_with_errors_keeps_what_was_typed(client, coordinator, committee):
    client.force_login(coordinator)
    url = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    response = client.post(url, {"topic": "", "description": "Kent Police on gangs"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the topic" in html and "Select the kind of business" in html
    assert "Kent Police on gangs" in html


def test_adding_an_item_for_a_meeting(client, coordinator, committee, next_meeting):
    client.force_login(coordinator)
    url = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    response = client.post(
        url,
        {
            "topic": "Gangs in Dartford",
            "category": "draw_down",
            "requested_how": "chairman",
            "target_meeting": next_meeting.pk,
        },
        follow=True,
    )
    item = WorkPlanItem.objects.get(topic="Gangs in Dartford")
    assert (item.target_meeting, item.status) == (next_meeting, Status.SCHEDULED)
    assert "added to the work programme for the meeting of" in text_of(response)


def test_a_past_meeting_is_not_offered_and_is_refused(client, coordinator, committee, held_meeting):
    client.force_login(coordinator)
    url = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    assert f'value="{held_meeting.pk}"' not in client.get(url).content.decode()
    response = client.post(
        url, {"topic": "Late", "category": "discretionary", "target_meeting": held_meeting.pk}
    )
    assert "Select a meeting from the list" in response.content.decode()
    assert not WorkPlanItem.objects.exists()


def test_postponing_through_the_form(client, coordinator, plan, later_meeting):
    client.force_login(coordinator)
    item = plan["scheduled"]
    url = item_url("item_move", item)
    response = client.post(
        url, {"action": "postpone", "to_meeting": later_meeting.pk, "reason": ""}
    )
    assert "Enter the reason" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "postpone",
            "to_meeting": later_meeting.pk,
            "reason": "Postponed until July at the Chairman's request",
            "version": item.version,
        },
        follow=True,
    )
    item.refresh_from_db()
    assert (item.status, item.target_meeting) == (Status.POSTPONED, later_meeting)
    page = text_of(response)
    assert "postponed to the meeting of" in page
    assert "Postponed until July at the Chairman's request" in page


def test_a_stale_form_is_refused_and_keeps_the_typed_reason(
    client, coordinator, plan, later_meeting
):
    client.force_login(coordinator)
    item = plan["scheduled"]
    stale = item.version
    client.post(
        item_url("item_edit", item),
        {
            "topic": "PCP Update",
            "category": "standing",
            "requested_how": "work_programme",
            "lead": "Cllr Wells",
            "version": stale,
        },
    )
    response = client.post(
        item_url("item_move", item),
        {
            "action": "move",
            "to_meeting": later_meeting.pk,
            "reason": "My typed reason",
            "version": stale,
        },
    )
    html = response.content.decode()
    assert "Someone else changed this item" in html and "My typed reason" in html
    item.refresh_from_db()
    assert (item.lead, item.target_meeting_id) == (
        "Cllr Wells",
        plan["scheduled"].target_meeting_id,
    )


def test_the_agenda_builder_pulls_in_the_planned_items(client, coordinator, plan):
    client.force_login(coordinator)
    meeting = plan["scheduled"].target_meeting
    builder = reverse("meetings:agenda_builder", kwargs={"meeting_pk": meeting.pk})
    html = client.get(builder).content.decode()
    assert "From the work programme" in html and "PCP Update" in html
    assert "Dropped topic" not in html
    response = client.post(
        reverse("workplan:place", kwargs={"meeting_pk": meeting.pk}),
        {"items": [plan["scheduled"].pk]},
        follow=True,
    )
    assert "1 work plan item added to the agenda" in text_of(response)
    agenda_item = meeting.items.get(title="PCP Update")
    assert agenda_item.work_plan_item == plan["scheduled"]
    # The item's page says where it came from.
    item_page = client.get(
        reverse("meetings:item_detail", kwargs={"meeting_pk": meeting.pk, "pk": agenda_item.pk})
    ).content.decode()
    assert plan["scheduled"].get_absolute_url() in item_page
    assert "From the work programme" not in client.get(builder).content.decode()


def test_an_item_made_from_a_resolution_links_back(client, coordinator, committee, held_meeting):
    client.force_login(coordinator)
    minutes_url = reverse("minutes:minutes_detail", kwargs={"meeting_pk": held_meeting.pk})
    html = client.get(minutes_url).content.decode()
    resolution = Resolution.objects.get(text__contains="crime data expert")
    add = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    assert f"{add}?resolution={resolution.pk}" in html
    form = client.get(add, {"resolution": resolution.pk}).content.decode()
    assert "a presentation by a crime data expert be added to the Work Plan" in form
    client.post(
        f"{add}?resolution={resolution.pk}",
        {"topic": "Crime data", "category": "discretionary", "requested_how": "resolution"},
    )
    item = WorkPlanItem.objects.get(topic="Crime data")
    assert item.source_resolution == resolution
    assert item.changes.get().kind == ChangeKind.ADDED
    # The public reads where it was asked for, and the resolution.
    client.logout()
    page = text_of(client.get(item.get_absolute_url()))
    assert "crime data expert" in page and "Minute" in page
    # Readers of the minutes do not get the co-ordinator's table.
    assert "Resolutions and the work programme" not in text_of(client.get(minutes_url))


def test_a_resolution_of_an_exempt_minute_is_not_shown_to_the_public(
    client, coordinator, committee, held_meeting, member
):
    resolution = Resolution.objects.get(text__contains="Nightjar")
    item = work_plan_item_from_resolution(
        resolution=resolution,
        user=coordinator,
        topic="A returning witness",
        category="discretionary",
    )
    client.force_login(coordinator)
    add = reverse("workplan:item_add", kwargs={"slug": committee.slug})
    assert (
        "This resolution is in exempt minutes"
        in client.get(add, {"resolution": resolution.pk}).content.decode()
    )
    for reader in (None, "councillor"):
        client.logout()
        if reader:
            client.force_login(member.__class__.objects.create_user(username="reader"))
        for url in (item.get_absolute_url(), programme(committee)):
            html = client.get(url).content.decode()
            assert "Nightjar" not in html, url
            assert "informant" not in html, url
    # A member entitled to the committee's exempt papers reads it.
    client.force_login(member)
    assert "informant" in client.get(item.get_absolute_url()).content.decode()


def test_a_resolution_of_another_committee_is_404(
    client, coordinator, held_meeting, make_committee
):
    client.force_login(coordinator)
    other = make_committee()
    other.coordinators.add(coordinator)
    resolution = Resolution.objects.get(text__contains="crime data expert")
    add = reverse("workplan:item_add", kwargs={"slug": other.slug})
    assert client.get(add, {"resolution": resolution.pk}).status_code == 404


def test_rolling_forward_says_what_it_added(
    client, coordinator, committee, make_plan_item, next_meeting
):
    from django.utils import timezone

    from minutes.numbering import municipal_year_start

    make_plan_item(target_meeting=next_meeting, topic="Annual Report", recurrence="annual")
    client.force_login(coordinator)
    url = reverse("workplan:roll_forward", kwargs={"slug": committee.slug})
    assert "Annual Report" in text_of(client.get(url))
    year = municipal_year_start(timezone.localdate(next_meeting.starts_at)).year + 1
    response = client.post(url, {"year": str(year)}, follow=True)
    assert "1 item of recurring business added" in text_of(response)
    response = client.post(url, {"year": str(year)}, follow=True)
    assert "Nothing added for" in text_of(response)
    response = client.post(url, {"year": "1900"})
    assert "Select a municipal year from the list" in response.content.decode()
