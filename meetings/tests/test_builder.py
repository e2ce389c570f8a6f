"""The co-ordinator's agenda builder through the web: forms, errors, order, publishing."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, AgendaSection, ItemKind, Meeting, MeetingStatus
from meetings.services import agenda_item_add, agenda_publish, meeting_create
from scrutiny.testing import numbered_agenda, text_of

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def meeting(draft_meeting):
    return draft_meeting


agenda = numbered_agenda


def url(name, meeting, item=None):
    kwargs = {"meeting_pk": meeting.pk}
    if item is not None:
        kwargs["pk"] = item.pk
    return reverse(f"meetings:{name}", kwargs=kwargs)


def test_coordinator_creates_a_meeting_with_the_standard_items(coordinator_client, committee):
    response = coordinator_client.post(
        reverse("meeting_create", args=[committee.slug]),
        {"date": "2030-07-24", "time": "19:00", "venue": "Council Chamber"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("agenda_builder", meeting)
    assert timezone.localtime(meeting.starts_at) == datetime.datetime(
        2030, 7, 24, 19, tzinfo=LONDON
    )
    assert [item.kind for item in meeting.items.order_by("position")] == [
        ItemKind.APOLOGIES,
        ItemKind.DECLARATIONS,
        ItemKind.MINUTES,
        ItemKind.URGENT,
        ItemKind.REFERENCES,
    ]
    assert meeting.status == MeetingStatus.DRAFT


def test_meeting_form_gives_gds_errors_and_saves_nothing(coordinator_client, committee):
    response = coordinator_client.post(
        reverse("meeting_create", args=[committee.slug]), {"date": "", "time": "7pm"}
    )
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter the meeting date" in page
    assert "Enter the start time as hours and minutes, like 19:00" in page
    assert "Enter the venue" in page
    assert not Meeting.objects.exists()


def test_a_second_meeting_at_the_same_time_is_refused(coordinator_client, committee, meeting):
    response = coordinator_client.post(
        reverse("meeting_create", args=[committee.slug]),
        {"date": "20/02/2030", "time": "19:00", "venue": "Civic Centre"},
    )
    assert "This committee already has a meeting at that date and time" in text_of(response)
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anon_client", 302),
        ("councillor_client", 403),
        ("member_client", 403),
        ("officer_client", 403),
    ],
)
def test_only_the_committees_coordinators_build_agendas(request, role, status, committee):
    client = request.getfixturevalue(role)
    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=LONDON),
        venue="Chamber",
    )
    agenda_publish(meeting=meeting, now=timezone.now())  # published, so visible to all
    item = meeting.items.first()
    gets = [
        reverse("meeting_create", args=[committee.slug]),
        url("agenda_builder", meeting),
        url("item_add", meeting),
        url("item_edit", meeting, item),
        url("item_remove", meeting, item),
        url("publish", meeting),
    ]
    for address in gets:
        assert client.get(address).status_code == status, address
    before = agenda(meeting)
    posts = [
        (url("item_add", meeting), {"title": "Smuggled item"}),
        (url("item_move", meeting, item), {"direction": "down"}),
        (url("item_remove", meeting, item), {}),
        (url("agenda_reorder", meeting), {"section": "1", "item": []}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == status, address
    assert agenda(meeting) == before


def test_coordinator_of_another_committee_is_refused(client, make_user, make_committee, meeting):
    from scrutiny.access import Role

    other = make_user(role=Role.COORDINATOR)
    make_committee().coordinators.add(other)
    client.force_login(other)
    # The draft does not exist as far as they can tell.
    assert client.get(url("agenda_builder", meeting)).status_code == 404


def test_adding_an_exempt_item_brings_the_exclusion_resolution(coordinator_client, meeting):
    response = coordinator_client.post(
        url("item_add", meeting),
        {
            "title": "CSP Strategic Assessment 2017",
            "purpose": "To consider the assessment.",
            "is_exempt": "on",
            "exempt_paragraph": "3",
            "full_title": "Dartford and Gravesham CSP Strategic Assessment 2017",
            "exempt_reason": "Supplied in confidence",
            "public_interest_reasoning": "Disclosure would harm the flow of partner data.",
        },
    )
    item = meeting.items.get(section=AgendaSection.EXEMPT)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    assert agenda(meeting)[-2:] == [
        ("", "Exclusion of the Press and Public"),
        ("A", "CSP Strategic Assessment 2017"),
    ]
    exclusion = meeting.items.get(kind=ItemKind.EXCLUSION)
    assert "paragraph 3 of Part 1 of Schedule 12A" in exclusion.purpose


def test_exempt_item_form_names_every_missing_answer(coordinator_client, meeting):
    response = coordinator_client.post(
        url("item_add", meeting), {"title": "", "purpose": "", "is_exempt": "on"}
    )
    page = text_of(response)
    for message in (
        "Enter the item's title",
        "Select a Schedule 12A paragraph",
        "Enter the reason the item is exempt",
        "Enter why the public interest favours exemption",
    ):
        assert message in page
    assert 'href="#id_exempt_paragraph_0"' in response.content.decode()
    assert meeting.items.count() == 5


def test_editing_an_item_and_making_it_public_again(coordinator_client, meeting):
    item = agenda_item_add(
        meeting=meeting, title="Assessment", exempt_paragraph=3, exempt_reason="Confidence"
    )
    response = coordinator_client.post(
        url("item_edit", meeting, item),
        {"title": "Assessment (public summary)", "purpose": "To note the summary."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.section == AgendaSection.PUBLIC
    assert item.exempt_paragraph is None
    assert not meeting.items.filter(kind=ItemKind.EXCLUSION).exists()
    assert agenda(meeting)[-1] == ("6", "Assessment (public summary)")


def test_standard_items_keep_their_place_and_are_never_exempt(coordinator_client, meeting):
    apologies = meeting.items.get(kind=ItemKind.APOLOGIES)
    form = coordinator_client.get(url("item_edit", meeting, apologies))
    assert "is_exempt" not in form.context["form"].fields
    coordinator_client.post(
        url("item_edit", meeting, apologies),
        {"title": "Apologies for Absence", "purpose": "To note apologies from Mr Scott."},
    )
    apologies.refresh_from_db()
    assert apologies.purpose == "To note apologies from Mr Scott."


def test_move_buttons_reorder_without_javascript(coordinator_client, meeting):
    first = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_item_add(meeting=meeting, title="PCP Update")
    response = coordinator_client.post(url("item_move", meeting, first), {"direction": "down"})
    assert response.status_code == 302
    assert agenda(meeting)[5:] == [("6", "PCP Update"), ("7", "Regulation 9 Notice")]
    coordinator_client.post(url("item_move", meeting, first), {"direction": "up"})
    assert agenda(meeting)[5:] == [("6", "Regulation 9 Notice"), ("7", "PCP Update")]
    assert coordinator_client.post(url("item_move", meeting, first), {}).status_code == 400


def test_drag_and_drop_posts_the_new_order_and_gets_the_renumbered_builder(
    coordinator_client, meeting
):
    added = [agenda_item_add(meeting=meeting, title=t) for t in ("Six", "Seven", "Eight")]
    public = list(meeting.items.filter(section=AgendaSection.PUBLIC).order_by("position"))
    order = [public[0], added[2], *public[1:5], added[0], added[1]]
    response = coordinator_client.post(
        url("agenda_reorder", meeting),
        {"section": "1", "item": [item.pk for item in order]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the builder's parts only
    assert "2. Eight" in text_of(response)
    assert [title for _, title in agenda(meeting)][:3] == [
        "Apologies for Absence",
        "Eight",
        "Declarations of Interest",
    ]


def test_a_stale_drag_and_drop_is_refused(coordinator_client, meeting):
    items = list(meeting.items.order_by("position"))
    stale = [item.pk for item in items[:4]]  # one item missing: the page was out of date
    response = coordinator_client.post(
        url("agenda_reorder", meeting), {"section": "1", "item": stale}
    )
    assert response.status_code == 409
    assert [item.pk for item in meeting.items.order_by("position")] == [i.pk for i in items]


def test_removing_an_item_asks_first_then_closes_the_gap(coordinator_client, meeting):
    item = agenda_item_add(meeting=meeting, title="Withdrawn report")
    agenda_item_add(meeting=meeting, title="Next Meeting")
    page = text_of(coordinator_client.get(url("item_remove", meeting, item)))
    assert "Remove “Withdrawn report”?" in page
    coordinator_client.post(url("item_remove", meeting, item))
    assert agenda(meeting)[-1] == ("6", "Next Meeting")


def test_published_items_are_not_removed(coordinator_client, meeting):
    item = agenda_item_add(meeting=meeting, title="Regulation 9 Notice")
    agenda_publish(meeting=meeting, now=timezone.now())
    response = coordinator_client.post(url("item_remove", meeting, item), follow=True)
    assert "Record it as withdrawn in the minutes" in text_of(response)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_publishing_on_time(coordinator_client, meeting, anon_client):
    page = text_of(coordinator_client.get(url("publish", meeting)))
    assert "Publish by Tuesday 12 February 2030" in page
    response = coordinator_client.post(url("publish", meeting), {"late_reason": ""})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED
    assert anon_client.get(meeting.get_absolute_url()).status_code == 200
    # The audit log says who published it, and when.
    from exempt.models import AccessEvent, AccessLog

    logged = AccessLog.objects.get(event=AccessEvent.AGENDA_PUBLISHED)
    assert logged.username == "coordinator" and logged.meeting == meeting
    assert "published with" in logged.what and "clear days' notice" in logged.what
    log_page = text_of(coordinator_client.get("/exempt/log/"))
    assert "Agenda published" in log_page


def test_publishing_late_needs_the_chairs_reason(coordinator_client, committee):
    soon = timezone.localtime() + datetime.timedelta(days=2)
    meeting = meeting_create(committee=committee, starts_at=soon, venue="Chamber")
    response = coordinator_client.post(url("publish", meeting), {"late_reason": ""})
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter the chair's reason for taking the agenda late" in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    coordinator_client.post(
        url("publish", meeting),
        {"late_reason": "The Chairman agreed the urgency: the PCC's figures arrived late."},
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED
    public = text_of(coordinator_client.get(meeting.get_absolute_url()))
    assert "Published with less than five clear days' notice" in public
    assert "the PCC's figures arrived late" in public


def test_publishing_a_past_meeting_needs_confirmation(coordinator_client, committee):
    past = meeting_create(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        venue="Chamber",
    )
    page = text_of(coordinator_client.post(url("publish", past), {}))
    assert "This meeting has already taken place" in page
    coordinator_client.post(url("publish", past), {"confirm_past": "on"})
    past.refresh_from_db()
    assert past.status == MeetingStatus.AGENDA_PUBLISHED


def test_an_item_added_after_publication_is_supplementary_on_the_page(
    coordinator_client, meeting, anon_client
):
    agenda_publish(meeting=meeting, now=timezone.now())
    coordinator_client.post(url("item_add", meeting), {"title": "Urgent: Fairfield Pool"})
    page = text_of(anon_client.get(meeting.get_absolute_url()))
    assert "6. Urgent: Fairfield Pool Supplementary item published" in page
    assert "Changes since the agenda was published" in page
    assert "Item added" in page


def test_builder_query_count_does_not_grow_with_items(
    coordinator_client, meeting, django_assert_max_num_queries
):
    agenda_item_add(meeting=meeting, title="Item", exempt_paragraph=1, exempt_reason="x")
    with django_assert_max_num_queries(20) as few:
        coordinator_client.get(url("agenda_builder", meeting))
    for n in range(20):
        agenda_item_add(meeting=meeting, title=f"Item {n}")
        agenda_item_add(meeting=meeting, title=f"Exempt {n}", exempt_paragraph=2, exempt_reason="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(url("agenda_builder", meeting))
    assert "U. Exempt 19" in text_of(response)


def test_an_item_records_where_it_comes_from(coordinator_client, meeting, anon_client):
    agenda_publish(meeting=meeting, now=timezone.now())
    coordinator_client.post(
        url("item_add", meeting),
        {
            "title": "Fly-tipping in Darenth",
            "origin": "reference",
            "origin_detail": "General Assembly of the Council, 18 July 2030, Min. No. 36",
        },
    )
    item = meeting.items.get(title="Fly-tipping in Darenth")
    page = text_of(anon_client.get(reverse("meetings:item_detail", args=[meeting.pk, item.pk])))
    assert (
        "Comes from A resolution of another committee: General Assembly of the Council, "
        "18 July 2030, Min. No. 36" in page
    )


def test_a_new_meeting_starts_from_the_venue_and_time_of_the_last(
    coordinator_client, committee, make_meeting
):
    make_meeting(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 18, 30, tzinfo=LONDON),
        venue="Council Chamber, Civic Centre, Home Gardens, Dartford",
    )
    response = coordinator_client.get(reverse("meeting_create", args=[committee.slug]))
    form = response.context["form"]
    assert form.initial == {
        "venue": "Council Chamber, Civic Centre, Home Gardens, Dartford",
        "time": datetime.time(18, 30),
    }
    page = response.content.decode()
    assert 'value="Council Chamber, Civic Centre, Home Gardens, Dartford"' in page
    assert 'value="18:30"' in page
    assert "those of the last meeting, on 20 February 2030" in text_of(response)


def test_a_committees_first_meeting_starts_empty(coordinator_client, committee):
    response = coordinator_client.get(reverse("meeting_create", args=[committee.slug]))
    assert response.context["form"].initial == {}
    assert "last meeting" not in text_of(response)


def builder_item(page: str, item) -> str:
    """The builder's markup for one item."""
    start = page.index(f'id="item-{item.pk}"')
    following = page.find('<li class="builder-item', start)
    return page[start : following if following != -1 else page.index("</ol>", start)]


def test_each_item_shows_edit_and_moves_and_keeps_the_rest_in_its_menu(coordinator_client, meeting):
    item = agenda_item_add(meeting=meeting, title="Recording of Kent Crime Data")
    page = coordinator_client.get(url("agenda_builder", meeting)).content.decode()
    markup = builder_item(page, item)
    menu_start = markup.index('<details class="builder-more">')
    in_view, menu = markup[:menu_start], markup[menu_start:]

    assert 'class="drag-handle"' in in_view
    assert url("item_edit", meeting, item) in in_view
    assert in_view.count('name="direction"') == 2  # Move up and Move down
    assert 'More actions<span class="visually-hidden"> for item 6</span>' in menu
    for address in [
        reverse("papers:upload", args=[item.pk]),
        reverse("papers:report_write", args=[item.pk]),
        reverse("papers:request_create", args=[item.pk]),
        url("item_remove", meeting, item),
    ]:
        assert address not in in_view
        assert address in menu


def test_the_exempt_fields_show_without_javascript_and_name_their_checkbox(
    coordinator_client, meeting
):
    page = coordinator_client.get(url("item_add", meeting)).content.decode()
    opening = re.search(r'<div class="exempt-details"[^>]*>', page)[0]
    # Not hidden in the markup: reveal.js hides them, so without it every field shows.
    assert "hidden" not in opening
    assert 'data-reveal-when-checked="id_is_exempt"' in opening
    details = page[page.index(opening) :]
    for field in ["exempt_paragraph", "full_title", "exempt_reason", "public_interest_reasoning"]:
        assert f'name="{field}"' in details
    assert "js/reveal.js" in page
