"""Search: published agendas, papers (written reports and the words of uploaded PDFs)
and minutes, filtered by committee, year and type, with snippets; exempt words found
only by those entitled, and never counted or quoted for anyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.services import agenda_item_add, agenda_item_update, agenda_publish, meeting_create
from scrutiny.testing import text_of
from search.models import SearchEntry
from search.selectors import fts5_query, highlight, search

pytestmark = pytest.mark.django_db

SECRET = "Operation Nightjar"


@pytest.fixture
def published(committee):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        venue="Council Chamber",
    )
    agenda_item_add(
        meeting=meeting,
        title="Dartford and Gravesham Strategic Assessment 2017",
        purpose="To note the partnership's priorities: gangs, domestic abuse and burglary.",
    )
    agenda_item_add(
        meeting=meeting,
        title="Closed business",
        full_title=f"{SECRET}: covert policing in the town centre",
        purpose="Arrangements for the Kingfisher handlers.",
        exempt_paragraph=7,
        exempt_reason="Crime prevention",
    )
    agenda_publish(meeting=meeting)
    return meeting


def _published_meeting(committee, *, days: int, title: str, purpose: str = ""):
    """A meeting in `days` days with one item, its agenda published."""
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        venue="Council Chamber",
    )
    agenda_item_add(meeting=meeting, title=title, purpose=purpose)
    agenda_publish(meeting=meeting)
    return meeting


def _titles(results) -> list[str]:
    return [result.entry.title for result in results.results]


def test_the_public_find_published_items_by_their_words(published, councillor):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), councillor):
        results = search(user=user, text="strategic assessment")
        assert results.count == 1
        assert "Strategic Assessment 2017" in _titles(results)[0]
        assert "<mark>" in str(search(user=user, text="domestic abuse").results[0].snippet)


def test_exempt_words_reach_only_the_entitled(published, member, councillor):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), councillor):
        for words in ("Nightjar", "covert policing", "Kingfisher"):
            results = search(user=user, text=words)
            assert results.count == 0 and results.results == []
        # The public title is public.
        assert search(user=user, text="closed business").count == 1
    entitled = search(user=member, text="Nightjar")
    assert entitled.count == 1 and SECRET in _titles(entitled)[0]
    assert search(user=member, text="Kingfisher").count == 1


def test_the_entitled_find_an_exempt_item_once_by_its_full_title(published, member, councillor):
    """An exempt item has a public stand-in (its public title) and its exempt entry: the
    entitled find the exempt one only; everyone else the stand-in only."""
    assert _titles(search(user=councillor, text="closed")) == ["A. Closed business"]
    # The entitled find the exempt entry by the public title as well.
    assert _titles(search(user=member, text="closed")) == [
        f"A. {SECRET}: covert policing in the town centre"
    ]
    entitled = search(user=member, text="covert")
    assert entitled.count == 1 and SECRET in _titles(entitled)[0]
    assert search(user=member, text=f'"{SECRET}"').count == 1


def test_title_matches_come_first_then_the_newest(committee, councillor):
    for days, title, purpose in (
        (10, "Night-time economy review", "Licensing and late-night levy."),
        (20, "Budget monitoring", "Includes the night-time economy grant."),
        (30, "Parking", "Enforcement of the night-time economy zone."),
        (40, "Night-time economy: the second review", "Taxi marshals."),
    ):
        _published_meeting(committee, days=days, title=title, purpose=purpose)
    results = search(user=councillor, text="night-time economy")
    assert [title.split(". ", 1)[1] for title in _titles(results)] == [
        "Night-time economy: the second review",
        "Night-time economy review",
        "Parking",
        "Budget monitoring",
    ]


def test_the_passage_marks_every_form_of_the_words_and_escapes_the_rest():
    text = (
        "Opening words. " * 30
        + "Safer <b>Communities</b> & the community safety partnership's plans. "
        + "Closing words. " * 30
    )
    passage = str(highlight(text, {"communiti", "safeti"}))
    assert "<mark>Communities</mark>" in passage and "<mark>community</mark>" in passage
    assert "<mark>safety</mark>" in passage
    assert "&lt;b&gt;" in passage and "&amp;" in passage and "<b>" not in passage
    assert passage.startswith("…") and passage.endswith("…")
    assert "Opening" not in str(highlight("Opening words only.", {"communiti"})).replace(
        "Opening words only.", ""
    )


def test_a_draft_agenda_is_not_searchable(committee, coordinator):
    meeting = meeting_create(
        committee=committee,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        venue="Civic Centre",
    )
    agenda_item_add(meeting=meeting, title="Street lighting review")
    assert not SearchEntry.objects.filter(meeting=meeting).exists()
    assert search(user=coordinator, text="street lighting").count == 0


def test_an_item_made_exempt_is_not_found_by_its_words_even_before_any_worker_runs(
    published, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    item = published.items.get(title__startswith="Dartford and Gravesham")
    with django_capture_on_commit_callbacks(execute=False):
        agenda_item_update(
            item=item,
            exempt_paragraph=3,
            exempt_reason="Commercial",
            title="Exempt item",
            full_title=item.title,
        )
    assert search(user=AnonymousUser(), text="domestic abuse").count == 0
    assert search(user=AnonymousUser(), text="strategic assessment").count == 0


def test_minutes_and_their_resolutions_are_found_exempt_minutes_by_summary(held_meeting, member):
    from django.contrib.auth.models import AnonymousUser

    public = AnonymousUser()
    results = search(user=public, text="crime data expert")
    assert results.count == 1 and results.results[0].entry.kind == "minute"
    assert "#minute-" in results.results[0].entry.url
    assert search(user=public, text="Nightjar").count == 0
    assert search(user=public, text="confidential matter").count == 1
    # The entitled find the exempt minute itself by the published summary.
    (found,) = search(user=member, text="confidential matter").results
    assert found.entry.is_exempt


def test_papers_are_found_by_their_words_reports_and_pdfs(
    published, make_document, coordinator, report_content, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    from packs.build import render_cached
    from papers.services import document_upload, report_write
    from scrutiny.testing import upload

    item = published.items.get(title__startswith="Dartford and Gravesham")
    report_content["background"] = "The partnership met the Kestrel steering group twice."
    report_write(item=item, title="Covering report", content=report_content, user=coordinator)
    pdf = render_cached("<p>Appendix: figures for the Wilmington ward, 2017.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        document_upload(item=item, title="Appendix A", uploaded_file=upload(pdf), user=coordinator)
    public = AnonymousUser()
    assert _titles(search(user=public, text="Kestrel steering")) == ["Covering report"]
    assert _titles(search(user=public, text="Wilmington")) == ["Appendix A"]
    exempt = published.items.get(title="Closed business")
    pdf = render_cached("<p>The informant codename is Magpie.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        document_upload(item=exempt, title="Briefing", uploaded_file=upload(pdf), user=coordinator)
    assert search(user=public, text="Magpie").count == 0
    assert search(user=coordinator, text="Magpie").count == 1


def test_filters_by_committee_year_and_type(published, make_committee):
    from django.contrib.auth.models import AnonymousUser

    other = make_committee(name="Licensing Committee")
    meeting = meeting_create(
        committee=other, starts_at=timezone.now() + datetime.timedelta(days=30), venue="Hall"
    )
    agenda_item_add(meeting=meeting, title="Strategic Assessment of taxi licensing")
    agenda_publish(meeting=meeting)
    public = AnonymousUser()
    assert search(user=public, text="strategic assessment").count == 2
    assert search(user=public, text="strategic assessment", committee=other).count == 1
    entry = SearchEntry.objects.filter(meeting=meeting).first()
    assert search(user=public, text="strategic", year=entry.year).count == 2
    assert search(user=public, text="strategic", year=entry.year - 5).count == 0
    assert search(user=public, text="strategic", kind="minute").count == 0


@pytest.mark.parametrize(
    "words",
    [
        '"',
        "*",
        "AND",
        "NEAR(a b)",
        'a"b',
        "-only",
        "x" * 500,
        "\x00",
        "' OR 1=1 --",
        '"is NOT strategic"',
        'strategic "x NOT y"',
        "a or b or c or d or strategic",
    ],
)
def test_hostile_queries_are_answered_not_errors(client, published, words):
    response = client.get(reverse("search:search"), {"q": words})
    assert response.status_code == 200


def test_fts5_queries_follow_web_search_syntax():
    assert fts5_query('domestic "crime data" -burglary') == (
        '"domestic" "crime data" NOT "burglary"'
    )
    assert fts5_query("-only") == ""
    assert fts5_query('NEAR("x")') == '"NEAR x"'


def test_the_page_counts_and_pages_results_in_a_fixed_number_of_queries(
    client, committee, published, django_assert_max_num_queries
):
    url = reverse("search:search")
    with django_assert_max_num_queries(12) as captured:
        page = text_of(client.get(url, {"q": "strategic"}))
    assert "1 result" in page
    few = len(captured.captured_queries)
    for number in range(25):
        _published_meeting(committee, days=30 + number, title=f"Strategic review {number}")
    with django_assert_max_num_queries(few):
        page = text_of(client.get(url, {"q": "strategic"}))
    assert "26 results, page 1 of 2" in page
    assert "Next page" in page


def test_the_search_box_on_every_page_finds_the_strategic_assessment_in_the_demo(client, demo_data):
    home = client.get(reverse("home")).content.decode()
    assert 'role="search"' in home and 'name="q"' in home
    page = text_of(client.get(reverse("search:search"), {"q": "Strategic Assessment"}))
    assert "Strategic Assessment 2017" in page


def test_a_huge_paper_never_stops_a_change_to_its_meeting(published, make_document):
    from django.contrib.auth.models import AnonymousUser

    from search.models import VersionText
    from search.services import search_index_meeting

    item = published.items.get(title__startswith="Dartford and Gravesham")
    document = make_document(item=item, title="Data appendix")
    words = " ".join(f"ref{number}" for number in range(150_000))  # over 1 MB of tokens
    VersionText.objects.create(version=document.current_version, text=words)
    search_index_meeting(meeting=published)
    agenda_item_update(
        item=item,
        exempt_paragraph=3,
        exempt_reason="Commercial",
        title="Exempt item",
        full_title=item.title,
    )
    assert search(user=AnonymousUser(), text="domestic abuse").count == 0
    assert search(user=AnonymousUser(), text="ref7").count == 0  # the paper is exempt now


def test_renumbered_minutes_are_found_by_their_new_numbers(held_meeting):
    from django.contrib.auth.models import AnonymousUser

    from minutes.models import Minute
    from minutes.services import minute_move

    minute = Minute.objects.get(minutes__meeting=held_meeting, title="Performance")
    before = minute.number
    minute_move(minute=minute, offset=-1)
    minute.refresh_from_db()
    assert minute.number == before - 1
    (result,) = search(user=AnonymousUser(), text="crime data expert").results
    assert result.entry.title.startswith(f"Minute {minute.number}:")
    assert result.entry.url.endswith(f"#minute-{minute.number}")


def test_the_whole_index_can_be_built_again(published):
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    call_command("search_reindex")
    from django.contrib.auth.models import AnonymousUser

    assert search(user=AnonymousUser(), text="strategic assessment").count == 1


def test_a_common_word_is_counted_up_to_a_limit(committee, councillor, client, monkeypatch):
    from search import selectors

    for number in range(4):
        _published_meeting(committee, days=30 + number, title=f"Strategic review {number}")
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    results = search(user=councillor, text="strategic")
    assert (results.count, results.more, len(results.results)) == (3, True, 4)
    assert _titles(results)[0].endswith("Strategic review 3")  # newest first
    page = text_of(client.get(reverse("search:search"), {"q": "strategic"}))
    assert "More than 3 results" in page
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 4)
    assert search(user=councillor, text="strategic").more is False


def test_papers_whose_words_could_not_be_read_are_tried_again_on_request(
    published, coordinator, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command

    from packs.build import render_cached
    from papers.services import document_upload
    from scrutiny.testing import upload
    from search.models import VersionText

    item = published.items.get(title__startswith="Dartford and Gravesham")
    pdf = render_cached("<p>Figures for the Swanscombe ward.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        document_upload(item=item, title="Appendix B", uploaded_file=upload(pdf), user=coordinator)
    text = VersionText.objects.get(version__document__title="Appendix B")
    VersionText.objects.filter(pk=text.pk).update(text="", error="Timed out")  # as a failure
    call_command("search_reindex")
    assert search(user=AnonymousUser(), text="Swanscombe").count == 0  # not retried unasked
    with django_capture_on_commit_callbacks(execute=True):
        call_command("search_reindex", "--retry-failed")
    assert _titles(search(user=AnonymousUser(), text="Swanscombe")) == ["Appendix B"]
    assert VersionText.objects.get(version__document__title="Appendix B").error == ""


def test_a_phrase_holding_not_is_a_phrase(committee, client):
    _published_meeting(committee, days=20, title="Why CCTV is not strategic")
    response = client.get(reverse("search:search"), {"q": '"is NOT strategic"'})
    assert response.status_code == 200
    assert "Why CCTV is not strategic" in text_of(response)
