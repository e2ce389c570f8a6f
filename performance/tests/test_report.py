"""The quarterly performance report: what it carries for whom (exempt with confidential
indicators and small numbers in full, or public without them), its PDF, putting it on an
agenda item in one action, and its pages role by role."""

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from exempt.models import AccessEvent, AccessLog
from meetings.models import AgendaSection, MeetingStatus
from performance import selectors
from performance.models import Area, PeriodKey, SeriesBreak
from performance.reports import quarterly_report, report_pdf
from performance.services import (
    REPORT_EXEMPT_REASON,
    REPORT_PUBLIC_INTEREST,
    performance_report_attach,
    report_target_items,
)
from scrutiny.testing import client_for, pdf_text, text_of

from .helpers import ENTITLED, Q1, ROLES, SECRET_NAME, SECRET_NOTE, SECRET_VALUES, client_as

pytestmark = pytest.mark.django_db


def report_for(user, committee, *, period=Q1, public=False):
    return quarterly_report(
        user=user,
        committee=committee,
        area=Area.objects.get(code="dartford"),
        period=period,
        include_confidential=not public,
    )


def names(report) -> list[str]:
    return [section.indicator.name for section in report.sections]


def section(report, code):
    return next(s for s in report.sections if s.indicator.code == code)


@pytest.fixture
def next_meeting(committee, make_meeting, make_item):
    """A meeting after the quarter, with a public item and the standard items."""
    meeting = make_meeting(committee=committee, status=MeetingStatus.DRAFT)
    make_item(meeting=meeting, title="Regulation 9 Notice")
    make_item(meeting=meeting, title="CSP Performance Report")
    return meeting


def item_titled(meeting, title):
    return meeting.items.get(title=title)


def attach_exempt(coordinator, committee, item):
    """The full report on a public item, made exempt under paragraph 7."""
    return performance_report_attach(
        report=report_for(coordinator, committee),
        item=item,
        user=coordinator,
        exempt_paragraph=7,
        exempt_reason=REPORT_EXEMPT_REASON,
        public_interest_reasoning=REPORT_PUBLIC_INTEREST,
    )


# --- what the report carries -----------------------------------------------------------


def test_an_entitled_readers_report_is_exempt_and_shows_small_numbers(
    committee, coordinator, figures
):
    report = report_for(coordinator, committee)
    assert report.is_exempt and not report.withheld
    assert report.confidential_count == 1
    assert SECRET_NAME in names(report)
    hate = section(report, "hate-crime")
    assert hate.summary.figures.value.text == "3"  # in full: the report is exempt
    assert report.title == "Community Safety Partnership Performance Report: Dartford, 2017-18 Q1"


@pytest.mark.parametrize("role", ["anonymous", "councillor", "officer", "other_coordinator"])
def test_a_report_for_anyone_else_is_the_public_version(request, role, committee, figures):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    report = report_for(user, committee)
    assert not report.is_exempt and report.withheld
    assert SECRET_NAME not in names(report)
    assert section(report, "hate-crime").summary.figures.value.text == "fewer than 5"


def test_the_public_version_leaves_out_confidential_figures_even_for_the_entitled(
    committee, coordinator, figures
):
    report = report_for(coordinator, committee, public=True)
    assert not report.is_exempt and report.withheld
    assert SECRET_NAME not in names(report)
    assert section(report, "hate-crime").summary.figures.value.text == "fewer than 5"


def test_a_report_with_nothing_confidential_is_public_output_for_everyone(
    committee, coordinator, crime, district, county, upload_rows, make_indicator
):
    make_indicator(code="hate", name="Hate", suppress_below=5)
    upload_rows("all-crime,dartford,2017-18 Q1,100,,", "hate,dartford,2017-18 Q1,2,,")
    report = report_for(coordinator, committee)
    assert not report.is_exempt and not report.withheld
    assert section(report, "hate").summary.figures.value.text == "fewer than 5"


def test_each_indicator_has_up_to_eight_quarters_newest_first_with_its_breaks(
    committee, coordinator, figures
):
    SeriesBreak.objects.create(
        date=datetime.date(2016, 10, 1), title="Counting rules changed", indicator=None
    )
    report = report_for(coordinator, committee)
    crime = section(report, "all-crime")
    assert [row.summary.period for row in crime.rows] == [Q1.shifted(-n) for n in range(6)]
    assert crime.rows[0].summary.figures.value.text == "2,526"
    # The break (1 October 2016) falls before 2016-17 Q3, and nowhere else.
    marked = {row.summary.period.label: [b.title for b in row.breaks_before] for row in crime.rows}
    assert marked["2016-17 Q3"] == ["Counting rules changed"]
    assert sum(len(titles) for titles in marked.values()) == 1
    assert [b.title for b in report.breaks] == ["Counting rules changed"]
    assert crime.series_chart.startswith("<svg")
    assert section(report, "crime-rate").group_chart.startswith("<svg")  # ranked among peers
    assert section(report, "all-crime").group_chart == ""  # a count is not ranked


def test_eight_quarters_of_every_indicator_are_read_in_a_fixed_number_of_queries(
    committee, coordinator, figures, make_indicator, upload_rows, django_assert_num_queries
):
    area = Area.objects.get(code="dartford")

    def read():
        return selectors.indicator_series(
            user=coordinator, committee=committee, area=area, period=Q1, quarters=8
        )

    read()  # what the access policy caches on the user, cached
    with django_assert_num_queries(4) as few:
        read()
    for n in range(6):
        make_indicator(code=f"extra-{n}", name=f"Extra {n}")
    upload_rows(
        *[
            f"extra-{n},dartford,{Q1.shifted(-q).label},{q + 1},,"
            for n in range(6)
            for q in range(8)
        ]
    )
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(read()) == 10


# --- the PDF ----------------------------------------------------------------------------


def test_the_exempt_pdf_says_so_on_every_page_and_carries_the_confidential_figures(
    committee, coordinator, figures
):
    data = report_pdf(report_for(coordinator, committee))
    pages = PdfReader(io.BytesIO(data)).pages
    text = pdf_text(data)
    assert "Community Safety Partnership Performance Report: Dartford, 2017-18 Q1" in text
    assert SECRET_NAME in text and "9,281" in text
    assert all("EXEMPT INFORMATION: NOT FOR PUBLICATION" in p.extract_text() for p in pages)
    assert f"Page 1 of {len(pages)}" in pages[0].extract_text()


def test_the_public_pdf_has_no_confidential_figure(committee, coordinator, figures):
    text = pdf_text(report_pdf(report_for(coordinator, committee, public=True)))
    assert "public version of the report" in text
    assert "fewer than 5" in text
    assert SECRET_NAME not in text and SECRET_NOTE not in text
    assert not any(value in text for value in SECRET_VALUES)
    assert "NOT FOR PUBLICATION" not in text


# --- on an agenda item ------------------------------------------------------------------


def test_the_items_a_report_can_go_to_are_of_later_meetings_numbered(
    committee, figures, next_meeting, make_meeting, make_item
):
    earlier = make_meeting(
        committee=committee, starts_at=timezone.make_aware(datetime.datetime(2017, 6, 1, 19))
    )
    make_item(meeting=earlier, title="Too early")
    cancelled = make_meeting(committee=committee, status=MeetingStatus.CANCELLED)
    make_item(meeting=cancelled, title="Cancelled meeting's item")
    targets = report_target_items(committee=committee, period=Q1)
    assert [(item.number, item.title) for item in targets] == [
        ("1", "Regulation 9 Notice"),
        ("2", "CSP Performance Report"),
    ]


def test_the_coordinator_puts_the_exempt_report_on_an_item_which_becomes_exempt(
    committee, coordinator, figures, next_meeting
):
    item = item_titled(next_meeting, "CSP Performance Report")
    document = attach_exempt(coordinator, committee, item)
    item.refresh_from_db()
    assert item.section == AgendaSection.EXEMPT and item.exempt_paragraph == 7
    assert item.exempt_reason == REPORT_EXEMPT_REASON
    assert item.public_interest_reasoning == REPORT_PUBLIC_INTEREST
    version = document.current_version
    assert document.item == item and document.is_restricted
    # Exempt in itself, not only through its item; and no one's own paper to read.
    assert document.is_exempt and document.exempt_paragraph == 7
    assert document.created_by is None and version.created_by is None
    assert version.change_note.startswith("Put on the agenda by coordinator, from figures imported")
    assert version.format == "pdf" and version.page_count >= 2 and version.withheld
    with version.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert SECRET_NAME in text
    assert "paragraph 7 of Part 1 of Schedule 12A" in text

    # Again (the figures revised): the next version of the same document.
    again = performance_report_attach(
        report=report_for(coordinator, committee), item=item, user=coordinator, exempt_paragraph=7
    )
    assert again.pk == document.pk
    assert again.versions.count() == 2
    assert again.current_version.change_note.startswith("The report again by coordinator, from")


def test_an_exempt_item_keeps_its_paragraph_and_reason(
    committee, coordinator, figures, make_exempt_item
):
    item = make_exempt_item(title="Item A", full_title="CSP report", paragraph=1)
    document = performance_report_attach(
        report=report_for(coordinator, committee), item=item, user=coordinator, exempt_paragraph=7
    )
    item.refresh_from_db()
    assert item.exempt_paragraph == 1
    assert item.exempt_reason == "Information relating to crime prevention"
    # The paper takes the item's paragraph, which the exclusion resolution cites.
    assert document.is_exempt and document.exempt_paragraph == 1
    assert item.documents.count() == 1


def test_the_public_version_goes_on_a_public_item_and_stays_public(
    committee, coordinator, figures, next_meeting
):
    item = item_titled(next_meeting, "CSP Performance Report")
    document = performance_report_attach(
        report=report_for(coordinator, committee, public=True), item=item, user=coordinator
    )
    item.refresh_from_db()
    assert item.section == AgendaSection.PUBLIC
    assert document.title.endswith("(public version)")
    assert not document.is_restricted and not document.current_version.withheld


@pytest.mark.parametrize("paragraph", [None, 1])
def test_an_exempt_report_needs_paragraph_3_or_7_and_nothing_changes_without(
    paragraph, committee, coordinator, figures, next_meeting
):
    item = item_titled(next_meeting, "CSP Performance Report")
    with pytest.raises(ValidationError) as error:
        performance_report_attach(
            report=report_for(coordinator, committee),
            item=item,
            user=coordinator,
            exempt_paragraph=paragraph,
            exempt_reason="Confidential",
            public_interest_reasoning="Outweighs",
        )
    assert "exempt_paragraph" in error.value.message_dict
    item.refresh_from_db()
    assert item.section == AgendaSection.PUBLIC and not item.documents.exists()


@pytest.mark.parametrize(
    "role", ["member", "data_officer", "officer", "councillor", "other_coordinator"]
)
def test_only_the_committees_coordinators_put_the_report_on_an_agenda(
    request, role, committee, coordinator, figures, next_meeting
):
    item = item_titled(next_meeting, "CSP Performance Report")
    with pytest.raises(PermissionDenied):
        performance_report_attach(
            report=report_for(coordinator, committee),
            item=item,
            user=request.getfixturevalue(role),
            exempt_paragraph=7,
            exempt_reason="Confidential",
        )
    item.refresh_from_db()
    assert item.section == AgendaSection.PUBLIC and not item.documents.exists()


def test_an_item_of_another_committee_or_a_cancelled_meeting_is_refused(
    committee, coordinator, figures, make_committee, make_meeting, make_item
):
    other = make_meeting(committee=make_committee(name="Licensing", slug="licensing"))
    cancelled = make_meeting(committee=committee, status=MeetingStatus.CANCELLED)
    for meeting in (other, cancelled):
        item = make_item(meeting=meeting)
        with pytest.raises(ValidationError) as error:
            performance_report_attach(
                report=report_for(coordinator, committee, public=True),
                item=item,
                user=coordinator,
            )
        assert "item" in error.value.message_dict
        assert not item.documents.exists()


# --- the pages --------------------------------------------------------------------------


def url(name, committee):
    return reverse(f"performance:{name}", kwargs={"slug": committee.slug})


QUERY = {"area": "dartford", "quarter": Q1.label}


@pytest.mark.parametrize("role", ROLES)
def test_the_report_page_by_role(request, role, committee, figures, next_meeting):
    response = client_as(request, role).get(url("report", committee), QUERY)
    assert response.status_code == 200
    text = text_of(response)
    assert "Community Safety Partnership Performance Report: Dartford, 2017-18 Q1" in text
    assert "2,526" in text
    if role in ENTITLED:
        assert SECRET_NAME in text and "9,281" in text
        assert "Read the public version" in text
    else:
        page = response.content.decode()
        assert SECRET_NAME not in page and SECRET_NOTE not in page
        assert not any(value in page for value in SECRET_VALUES)
        assert "public version of the report" in text
    assert ("Put this report on an agenda" in text) == (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_the_report_pdf_by_role(request, role, committee, figures):
    response = client_as(request, role).get(url("report_pdf", committee), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    version = "exempt" if role in ENTITLED else "public"
    name = f"performance-report-dartford-2017-18-q1-{version}.pdf"
    assert name in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert (SECRET_NAME in text) == (role in ENTITLED)


def test_reading_the_exempt_report_is_logged_and_never_cached(committee, member, figures):
    client = client_for(member)
    response = client.get(url("report", committee), QUERY)
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    client.get(url("report_pdf", committee), QUERY)
    events = list(
        AccessLog.objects.filter(what__contains="quarterly performance report").values_list(
            "event", flat=True
        )
    )
    assert sorted(events) == sorted([AccessEvent.VIEWED, AccessEvent.DOWNLOADED])
    # The public version is not exempt: nothing to log.
    client.get(url("report", committee), {**QUERY, "version": "public"})
    assert AccessLog.objects.filter(what__contains="quarterly performance report").count() == 2


def test_a_bad_quarter_is_an_error_on_the_page_and_no_pdf(client, committee, figures):
    response = client.get(url("report", committee), {"area": "dartford", "quarter": "1999 Q9"})
    assert response.status_code == 200
    assert "Select a quarter from the list" in text_of(response)
    assert client.get(url("report_pdf", committee), {"quarter": "1999 Q9"}).status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
def test_no_one_else_may_post_the_attach_form(request, role, committee, figures, next_meeting):
    item = item_titled(next_meeting, "CSP Performance Report")
    response = client_as(request, role).post(
        url("report_attach", committee),
        {**QUERY, "item": item.pk, "exempt_paragraph": 7, "exempt_reason": "x"},
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not item.documents.exists()


def test_the_coordinator_attaches_in_one_action(committee, coordinator, figures, next_meeting):
    client = client_for(coordinator)
    item = item_titled(next_meeting, "CSP Performance Report")
    response = client.post(
        url("report_attach", committee),
        {
            **QUERY,
            "item": item.pk,
            "exempt_paragraph": 7,
            "exempt_reason": REPORT_EXEMPT_REASON,
            "public_interest_reasoning": REPORT_PUBLIC_INTEREST,
        },
        follow=True,
    )
    document = item.documents.get()
    assert response.redirect_chain[-1][0] == document.get_absolute_url()
    text = text_of(response)
    assert "The report was put on \u201cCSP Performance Report\u201d of the meeting of" in text
    assert "the item is now exempt under paragraph 7" in text


def test_the_attach_form_says_what_is_missing_and_keeps_the_choice(
    committee, coordinator, figures, next_meeting
):
    client = client_for(coordinator)
    item = item_titled(next_meeting, "CSP Performance Report")
    response = client.post(url("report_attach", committee), {**QUERY, "item": item.pk})
    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text
    assert "Select paragraph 3 or 7: the report is exempt information" in text
    assert f'<option value="{item.pk}" selected' in response.content.decode()
    assert not item.documents.exists()
    response = client.post(url("report_attach", committee), QUERY)
    assert "Select the agenda item the report goes to" in text_of(response)


def test_the_demo_report_is_exempt_item_a_of_26_july_2017(demo_data):
    from meetings.models import Meeting

    meeting = Meeting.objects.get(starts_at__date=datetime.date(2017, 7, 26))
    item = meeting.items.get(section=AgendaSection.EXEMPT)
    document = item.documents.get(title__startswith="Community Safety Partnership Performance")
    assert document.title.endswith("Dartford, 2016-17 Q4")
    with document.current_version.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Domestic abuse: victim withdrawals" in text
    assert "Illustrative figures" in text
    assert "13th" in text  # Dartford 13th of 15 on crimes per 1,000 population
    assert "paragraph 3 of Part 1 of Schedule 12A" in text
    assert PeriodKey(2016, 4).label in text


def test_a_public_item_needs_a_reason_and_a_public_interest_test(
    committee, coordinator, figures, next_meeting
):
    item = item_titled(next_meeting, "CSP Performance Report")
    with pytest.raises(ValidationError) as error:
        performance_report_attach(
            report=report_for(coordinator, committee),
            item=item,
            user=coordinator,
            exempt_paragraph=3,
        )
    assert set(error.value.message_dict) == {"exempt_reason", "public_interest_reasoning"}
    assert not item.documents.exists()


def test_the_report_stays_exempt_when_its_item_is_made_public(
    client, committee, coordinator, figures, next_meeting
):
    from meetings.services import agenda_item_update, agenda_publish

    item = item_titled(next_meeting, "CSP Performance Report")
    document = attach_exempt(coordinator, committee, item)
    agenda_publish(meeting=next_meeting)
    agenda_item_update(item=item, exempt_paragraph=None)
    document.refresh_from_db()
    item.refresh_from_db()
    assert not item.is_exempt
    assert document.is_restricted and document.current_version.withheld
    download = reverse("papers:document_download", kwargs={"pk": document.pk})
    assert client.get(download).status_code in (302, 403, 404)


def test_a_coordinator_moved_to_another_committee_no_longer_reads_the_report(
    committee, coordinator, figures, next_meeting, make_committee
):
    from meetings.services import agenda_publish

    item = item_titled(next_meeting, "CSP Performance Report")
    document = attach_exempt(coordinator, committee, item)
    agenda_publish(meeting=next_meeting)
    committee.coordinators.remove(coordinator)
    make_committee(name="Licensing", slug="licensing").coordinators.add(coordinator)
    client = client_for(coordinator)
    for name, kwargs in [
        ("papers:document_download", {"pk": document.pk}),
        ("papers:version_download", {"pk": document.pk, "number": 1}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code in (403, 404), name


def test_a_meeting_already_held_is_refused_unless_history_is_being_rebuilt(
    committee, coordinator, figures, make_meeting, make_item
):
    held = make_meeting(
        committee=committee,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=MeetingStatus.HELD,
    )
    item = make_item(meeting=held)
    report = report_for(coordinator, committee, public=True)
    with pytest.raises(ValidationError) as error:
        performance_report_attach(report=report, item=item, user=coordinator)
    assert error.value.message_dict["item"] == [
        "That meeting has been held: its papers are part of the record"
    ]
    assert not report_target_items(committee=committee, period=Q1)
    performance_report_attach(report=report, item=item, user=None, confirm_past=True)
    assert item.documents.count() == 1


def test_no_rank_is_given_among_suppressed_values(client, committee, figures):
    from performance.models import Indicator

    Indicator.objects.filter(code="crime-rate").update(suppress_below=25)
    public = report_for(AnonymousUser(), committee)
    rate = section(public, "crime-rate")
    assert rate.summary.figures.value.text == "fewer than 25"
    assert rate.summary.rank is None


def test_reading_a_confidential_indicator_logs_no_code(member, committee, figures):
    client_for(member).get(
        reverse("performance:indicator", kwargs={"slug": committee.slug, "code": "da-withdrawals"})
    )
    entry = AccessLog.objects.get(what__contains="confidential performance figures")
    assert "da-withdrawals" not in entry.path and "da-withdrawals" not in entry.what
    assert "/indicators/(indicator " in entry.path


def test_the_attach_error_page_links_to_the_report_not_to_the_form(
    committee, coordinator, figures, next_meeting
):
    response = client_for(coordinator).post(url("report_attach", committee), QUERY)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="?' not in page
    assert f'href="{url("report", committee)}?area=dartford' in page


def test_the_county_shares_a_chart_only_where_the_figures_compare(
    committee, coordinator, figures, upload_rows
):
    upload_rows(
        "crime-rate,kent,2017-18 Q1,20.5,,",
        "crime-rate,dartford,2016-17 Q4,22.5,,",
        "crime-rate,kent,2016-17 Q4,19.5,,",
    )
    report = report_for(coordinator, committee)
    rate, crime = section(report, "crime-rate"), section(report, "all-crime")
    assert rate.county_drawn and "Kent" in rate.series_chart
    assert not crime.county_drawn and "Kent" not in crime.series_chart


def test_attached_again_after_being_made_public_the_report_is_exempt_again(
    client, committee, coordinator, figures, next_meeting
):
    from meetings.services import agenda_item_update, agenda_publish
    from papers.services import document_exemption_set

    item = item_titled(next_meeting, "CSP Performance Report")
    attach = {
        "item": item,
        "user": coordinator,
        "exempt_paragraph": 7,
        "exempt_reason": REPORT_EXEMPT_REASON,
        "public_interest_reasoning": REPORT_PUBLIC_INTEREST,
    }
    document = performance_report_attach(report=report_for(coordinator, committee), **attach)
    agenda_publish(meeting=next_meeting)
    agenda_item_update(item=item, exempt_paragraph=None)
    document_exemption_set(document=document, is_exempt=False)  # a deliberate choice
    item.refresh_from_db()
    again = performance_report_attach(report=report_for(coordinator, committee), **attach)
    assert again.pk == document.pk and again.versions.count() == 2
    again.refresh_from_db()
    assert again.is_exempt and again.exempt_paragraph == 7
    assert not again.versions.filter(withheld=False).exists()
    agenda_item_update(item=item, exempt_paragraph=None)  # public again: the paper is not
    for number in (1, 2):
        download = reverse("papers:version_download", kwargs={"pk": again.pk, "number": number})
        assert client.get(download).status_code in (302, 403, 404)
