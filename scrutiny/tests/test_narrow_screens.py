"""No page scrolls sideways on a phone (WCAG 1.4.10 Reflow): every page type of the
demo, at 390 by 844 CSS pixels, as each kind of reader who can open it.

A wide data table may scroll inside its own focusable region; the page itself never
does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def site(demo_data):
    """The demo, with what its exempt-access pages list (a grant, a request waiting and
    one decided, and their lines in the access log) and a report the officer has still
    to write."""
    from django.contrib.auth import get_user_model

    from exempt.services import access_request_create, access_request_decide, grant_create
    from meetings.models import AgendaSection, ItemKind, Meeting
    from papers.services import report_request_create

    users = {user.username: user for user in get_user_model().objects.all()}
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    item_a = february.items.get(section=AgendaSection.EXEMPT)
    grant_create(
        user=users["officer"],
        granted_by=users["coordinator"],
        reason="Presents the Strategic Assessment to the committee on behalf of the CSP.",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        meeting=february,
    )
    decided = access_request_create(
        user=users["councillor"],
        item=item_a,
        reason="The Strategic Assessment covers Bean & Darenth, my ward.",
    )
    access_request_decide(
        request=decided,
        decided_by=users["coordinator"],
        approve=False,
        note="Ask the Chairman to take it to the committee instead.",
    )
    access_request_create(
        user=users["councillor"],
        item=item_a,
        reason="A resident of my ward asked about the assessment's findings on Swanscombe.",
    )
    unreported = (
        february.items.filter(section=AgendaSection.PUBLIC, kind=ItemKind.BUSINESS)
        .exclude(documents__isnull=False)
        .exclude(report_requests__isnull=False)
        .first()
    )
    report_request_create(
        item=unreported,
        officer=users["officer"],
        requested_by=users["coordinator"],
        instructions="An update on the Safer Streets Policy review, with Kent Police.",
    )
    return february


def addresses(role: str) -> list[str]:
    """Every page type the role can open, one address each."""
    from meetings.models import AgendaSection, Meeting
    from minutes.models import Minute
    from papers.models import Document, ReportRequest, ReportRequestStatus
    from scrutiny.models import Committee, Person

    committee = Committee.objects.get()
    july = Meeting.objects.get(starts_at__year=2017)
    february = Meeting.objects.get(starts_at__year=2018, starts_at__month=2)
    report = Document.objects.filter(is_report=True, item__meeting=february).first()
    item = report.item
    item_a = february.items.get(section=AgendaSection.EXEMPT)
    uploaded = Document.objects.filter(
        is_report=False, is_exempt=False, item__section=AgendaSection.PUBLIC
    ).first()
    minute = Minute.objects.filter(minutes__meeting=july).first()
    person = Person.objects.filter(memberships__committee=committee).first()
    public = [
        reverse("home"),
        reverse("meetings:meeting_list"),
        reverse("meetings:calendar"),
        reverse("meetings:calendar_month", args=[2018, 2]),
        reverse("meetings:calendar_month", args=[2017, 7]),
        february.get_absolute_url(),
        july.get_absolute_url(),
        reverse("meetings:item_detail", args=[february.pk, item.pk]),
        reverse("meetings:item_detail", args=[february.pk, item_a.pk]),
        reverse("meetings:reasons_restricted", args=[february.pk, item_a.pk]),
        reverse("minutes:minutes_detail", args=[july.pk]),
        reverse("decision_list", args=[committee.slug]),
        committee.get_absolute_url(),
        person.get_absolute_url(),
        report.get_absolute_url(),
        uploaded.get_absolute_url(),
        reverse("accessibility"),
        f"{reverse('search:search')}?q=Strategic+Assessment",
        reverse("alerts:subscribe", args=[committee.slug]),
    ]
    if role == "anonymous":
        return [*public, reverse("login"), reverse("password_reset")]
    entitled = [
        *public,
        item_a.documents.first().get_absolute_url(),
        reverse("my_meetings"),
        reverse("notes:note_list"),
    ]
    if role == "member":
        return entitled
    if role == "officer":
        request = ReportRequest.objects.filter(status=ReportRequestStatus.REQUESTED).get()
        return [
            reverse("papers:request_list"),
            request.get_absolute_url(),
            reverse("papers:request_write", args=[request.pk]),
            reverse("papers:request_upload", args=[request.pk]),
        ]
    return [
        *entitled,
        reverse("meeting_create", args=[committee.slug]),
        reverse("meetings:agenda_builder", args=[february.pk]),
        reverse("meetings:agenda_builder", args=[july.pk]),
        reverse("meetings:item_add", args=[february.pk]),
        reverse("meetings:item_edit", args=[february.pk, item.pk]),
        reverse("meetings:item_edit", args=[february.pk, item_a.pk]),
        reverse("meetings:item_remove", args=[february.pk, item.pk]),
        reverse("meetings:publish", args=[february.pk]),
        reverse("papers:report_write", args=[item.pk]),
        reverse("papers:report_edit", args=[report.pk]),
        reverse("papers:upload", args=[item.pk]),
        reverse("papers:request_create", args=[item.pk]),
        reverse("papers:document_replace", args=[uploaded.pk]),
        reverse("papers:document_exemption", args=[uploaded.pk]),
        reverse("papers:document_remove", args=[uploaded.pk]),
        *[request.get_absolute_url() for request in ReportRequest.objects.all()],
        reverse("minutes:minutes_edit", args=[february.pk]),
        reverse("minutes:attendance", args=[july.pk]),
        reverse("minutes:minute_edit", args=[july.pk, minute.pk]),
        reverse("minutes:minute_history", args=[july.pk, minute.pk]),
        reverse("exempt:grant_list"),
        reverse("exempt:request_list"),
        reverse("exempt:access_log"),
    ]


def overflow(page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 when it does not)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("role", ["anonymous", "member", "officer", "coordinator"])
def test_no_page_scrolls_sideways_on_a_phone(page, live_server, site, login_page, role):
    page.set_viewport_size(PHONE)
    if role != "anonymous":
        login_page(role, DEMO_PASSWORD)
    wide = []
    for address in addresses(role):
        response = page.goto(live_server.url + address)
        if response.status != 200:
            wide.append(f"{address} answered {response.status}")
        elif (extra := overflow(page)) > 0:
            wide.append(f"{address} ({extra}px too wide)")
    assert not wide, f"Pages that scroll sideways at 390px as {role}:\n" + "\n".join(wide)


def test_pages_that_reflow_on_a_phone_stay_accessible(
    page, live_server, site, login_page, axe_check
):
    """Tables stacked into boxes, the builder's item menus and the report form, at 390
    pixels, checked with axe."""
    from meetings.models import ItemKind, Meeting

    july = Meeting.objects.get(starts_at__year=2017)
    page.set_viewport_size(PHONE)
    login_page("coordinator", DEMO_PASSWORD)
    for address in [
        reverse("meetings:meeting_list"),
        reverse("meetings:calendar_month", args=[2018, 2]),
        reverse("exempt:access_log"),
        reverse("exempt:grant_list"),
        reverse("exempt:request_list"),
        reverse("minutes:attendance", args=[july.pk]),
        reverse("minutes:minutes_detail", args=[july.pk]),
        reverse("papers:report_write", args=[site.items.filter(kind=ItemKind.BUSINESS)[0].pk]),
    ]:
        assert page.goto(live_server.url + address).status == 200, address
        axe_check(page)
    page.goto(live_server.url + reverse("meetings:agenda_builder", args=[site.pk]))
    page.get_by_text("More actions for item 10", exact=True).click()
    axe_check(page)
    assert overflow(page) <= 0


def test_a_decision_with_a_long_web_address_fits_a_phone(page, live_server, site, axe_check):
    """A resolution that cites a web address, on the decisions page of its meeting: the
    table stacks and the address breaks, where it used to push the page sideways."""
    from minutes.models import Minute
    from minutes.services import ResolutionInput, minute_save
    from scrutiny.models import Committee

    address = (
        "https://www.dartford.gov.uk/community-safety/strategic-assessment-2017-18/"
        "appendix-a-crime-and-disorder-priorities.pdf"
    )
    minute = Minute.objects.filter(minutes__meeting=site, resolutions__isnull=False).first()
    minute_save(
        minute=minute,
        user=None,
        based_on=minute.version,
        title=minute.title,
        text=minute.text,
        resolutions=[
            *(ResolutionInput(r.text, r.is_free_text) for r in minute.resolutions.all()),
            ResolutionInput(f"That the priorities published at {address} be noted."),
        ],
    )
    committee = Committee.objects.get()
    page.set_viewport_size(PHONE)
    url = reverse("decision_list", args=[committee.slug]) + f"?meeting={site.pk}"
    assert page.goto(live_server.url + url).status == 200
    assert page.get_by_role("link", name=address).is_visible()
    assert overflow(page) <= 0
    axe_check(page)
