"""Searching: the access filter, the match, the count, the ranking and the snippets are
one query, so that an exempt match is never counted, quoted or timed for anyone not
entitled to it. PostgreSQL: websearch_to_tsquery against the GIN-indexed tsvector, with
ts_rank and ts_headline; SQLite: FTS5 MATCH and snippet(), newest first."""

import html
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from scrutiny import access

from .models import SearchEntry

START, STOP = "\x02", "\x03"
PAGE = 20
HEADLINE_CHARACTERS = 50_000
WORDS = re.compile(r"\w+", re.UNICODE)


def entries_for(user) -> QuerySet[SearchEntry]:
    """The entries this user may find: every public one, and the exempt ones of
    committees whose exempt papers they may read, or of meetings and items a grant
    opens to them."""
    entries = SearchEntry.objects.all()
    if not user.is_authenticated:
        return entries.filter(is_exempt=False)
    meetings, items = access._narrow_grants(user)
    return entries.filter(
        Q(is_exempt=False)
        | Q(committee__in=access.committees_with_exempt_access(user))
        | Q(meeting_id__in=meetings)
        | Q(item_id__in=items)
    )


def fts5_query(text: str) -> str:
    """The reader's words as an FTS5 query that cannot be malformed, read as PostgreSQL's
    websearch syntax reads them: every word required, "a phrase" in quotes, -word left
    out. Each word is quoted, so no character of the input is FTS5 syntax."""
    wanted, unwanted = [], []
    for phrase, word in re.findall(r'(-?"[^"]*"?)|(\S+)', text)[:24]:
        raw = phrase or word
        words = WORDS.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        (unwanted if raw.startswith("-") else wanted).append(term)
    if not wanted:
        return ""
    return " ".join(wanted[:12]) + "".join(f" NOT {term}" for term in unwanted[:6])


@dataclass
class Result:
    entry: SearchEntry
    snippet: SafeString


@dataclass
class Results:
    query: str
    count: int
    page: int
    pages: int
    results: list[Result]


def _snippet(raw: str | None, fallback: str) -> SafeString:
    """The engine's snippet, escaped, with its matched words marked."""
    text = raw if raw and START in raw else (fallback or "")[:240]
    escaped = html.escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 escaped above


def search(
    *, user, text: str, committee=None, year: int | None = None, kind: str = "", page: int = 1
) -> Results:
    text = (text or "").strip()[:200]
    entries = entries_for(user).select_related("committee", "meeting")
    if committee is not None:
        entries = entries.filter(committee=committee)
    if year:
        entries = entries.filter(year=year)
    if kind:
        entries = entries.filter(kind=kind)
    if connection.vendor == "postgresql":
        matched, ranked = _postgres(entries, text)
    else:
        matched, ranked = _sqlite(entries, text)
    if matched is None:
        return Results(text, 0, 1, 0, [])
    count = matched.count()
    pages = max(1, -(-count // PAGE))
    page = min(max(page, 1), pages)
    rows = list(ranked[(page - 1) * PAGE : page * PAGE])
    results = [Result(row, _snippet(row.snippet, row.text)) for row in rows]
    return Results(text, count, page, pages if count else 0, results)


def _postgres(entries, text):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db.models import F
    from django.db.models.functions import Left

    if not WORDS.search(text):
        return None, None
    query = SearchQuery(text, search_type="websearch", config="english")
    matched = entries.filter(vector=query)
    ranked = matched.annotate(
        rank=SearchRank(F("vector"), query),
        snippet=SearchHeadline(
            Left("text", HEADLINE_CHARACTERS),
            query,
            config="english",
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
        ),
    ).order_by("-rank", "-date", "pk")
    return matched, ranked


def _sqlite(entries, text):
    query = fts5_query(text)
    if not query:
        return None, None
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (query,))
    matched = entries.filter(pk__in=matching)
    # Newest first. FTS5's bm25() would rank with statistics of the whole table, exempt
    # rows included, so the order of public results could tell how many exempt ones
    # hold a word; and ranking every match costs one MATCH per row. The snippet is made
    # for the page's rows only.
    ranked = matched.annotate(
        snippet=RawSQL(
            "SELECT snippet(search_fts, 1, %s, %s, '…', 24) FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid = search_searchentry.id",
            (START, STOP, query),
        ),
    ).order_by("-date", "kind", "pk")
    return matched, ranked
