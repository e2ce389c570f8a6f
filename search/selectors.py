"""Searching: the access filter is part of every query that matches, counts, orders and
quotes, so that an exempt match is never counted, quoted or ordered for anyone not
entitled to it. Title matches first, then the rest, each newest first. PostgreSQL:
websearch_to_tsquery against GIN-indexed tsvectors (the whole entry's and the title's),
snippets made here around the matched words; SQLite: FTS5 MATCH and snippet()."""

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from snowballstemmer import stemmer

from scrutiny import access

from .models import SearchEntry

START, STOP = "\x02", "\x03"
PAGE = 20
# Matches are counted up to here ("more than 1,000 results"), as counting every match of
# a common word would read every one of them, and no reader pages past the fiftieth.
COUNT_LIMIT = 1000
HEADLINE_CHARACTERS = 50_000
WORDS = re.compile(r"\w+", re.UNICODE)
# PostgreSQL's "english" configuration stems with Snowball's English stemmer.
STEMMER = stemmer("english")


def entries_for(user) -> QuerySet[SearchEntry]:
    """The entries this user may find: every public one, and the exempt ones of
    committees whose exempt papers they may read, or of meetings and items a grant
    opens to them; where they may read an exempt entry, not its public stand-in too."""
    entries = SearchEntry.objects.all()
    if not user.is_authenticated:
        return entries.filter(is_exempt=False)
    meetings, items = access._narrow_grants(user)
    entitled = (
        Q(committee__in=access.committees_with_exempt_access(user))
        | Q(meeting_id__in=meetings)
        | Q(item_id__in=items)
    )
    return entries.filter(
        (Q(is_exempt=False) & ~(Q(has_exempt_version=True) & entitled))
        | (Q(is_exempt=True) & entitled)
    )


def _terms(text: str) -> tuple[list[str], list[str]]:
    """The reader's wanted and unwanted terms, each quoted for FTS5: every word
    required, "a phrase" in quotes, -word left out."""
    wanted, unwanted = [], []
    for phrase, word in re.findall(r'(-?"[^"]*"?)|(\S+)', text)[:24]:
        raw = phrase or word
        words = WORDS.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        (unwanted if raw.startswith("-") else wanted).append(term)
    return wanted[:12], unwanted[:6]


def fts5_query(text: str) -> str:
    """The reader's words as an FTS5 query that cannot be malformed, read as PostgreSQL's
    websearch syntax reads them. Each word is quoted, so no character of the input is
    FTS5 syntax."""
    wanted, unwanted = _terms(text)
    if not wanted:
        return ""
    return " ".join(wanted) + "".join(f" NOT {term}" for term in unwanted)


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
    # More than COUNT_LIMIT matched: `count` is COUNT_LIMIT and the pages stop there.
    more: bool = False


def _snippet(raw: str | None, fallback: str) -> SafeString:
    """The engine's snippet, escaped, with its matched words marked."""
    text = raw if raw and START in raw else (fallback or "")[:240]
    escaped = html.escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 escaped above


def search(
    *, user, text: str, committee=None, year: int | None = None, kind: str = "", page: int = 1
) -> Results:
    return search_entries(
        entries_for(user), text=text, committee=committee, year=year, kind=kind, page=page
    )


def search_entries(
    entries: QuerySet[SearchEntry],
    *,
    text: str,
    committee=None,
    year: int | None = None,
    kind: str = "",
    page: int = 1,
) -> Results:
    """Search within the given entries (`search` passes those the user may find).
    Entries whose title holds the words come first, then the rest; each newest first.
    The order is decided row by row, never by statistics of the whole index, which would
    count exempt entries too."""
    text = (text or "").strip()[:200]
    entries = entries.select_related("committee", "meeting").defer("vector", "title_vector")
    if committee is not None:
        entries = entries.filter(committee=committee)
    if year:
        entries = entries.filter(year=year)
    if kind:
        entries = entries.filter(kind=kind)
    if connection.vendor == "postgresql":
        return _postgres(entries, text, page)
    return _sqlite(entries, text, page)


def _counted(matched) -> tuple[int, bool]:
    count = matched[: COUNT_LIMIT + 1].count()
    return min(count, COUNT_LIMIT), count > COUNT_LIMIT


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def _postgres(entries, text, page):
    from django.contrib.postgres.search import SearchQuery
    from django.db import transaction

    if not WORDS.search(text):
        return Results(text, 0, 1, 0, [])
    query = SearchQuery(text, search_type="websearch", config="english")
    matched = entries.filter(vector=query)
    in_title = matched.filter(title_vector=query).order_by("-date", "-pk")
    in_text = matched.exclude(title_vector=query).order_by("-date", "-pk")
    with transaction.atomic(), connection.cursor() as cursor:
        # Each step is answered from an index, never by reading every text's vector:
        # the planner does not price that, and a scan of the table would read them all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            count, more = _counted(matched)
            page = min(max(page, 1), _pages(count))
            start = (page - 1) * PAGE
            titled = in_title[: start + PAGE].count() if count else 0
            rows = list(in_title[start : start + PAGE]) if start < titled else []
            if count and len(rows) < PAGE:
                skip = max(start - titled, 0)
                rows += list(in_text[skip : skip + PAGE - len(rows)])
            cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [text])
            lexemes = set(cursor.fetchone()[0]) - set(_unwanted_lexemes(cursor, text))
        finally:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    results = [Result(row, highlight(row.text, lexemes)) for row in rows]
    return Results(text, count, page, _pages(count) if count else 0, results, more)


def _unwanted_lexemes(cursor, text: str) -> list[str]:
    unwanted = " ".join(raw[1:] for raw in re.findall(r'(?:^|(?<=\s))(-"[^"]*"?|-\S+)', text))
    if not WORDS.search(unwanted):
        return []
    cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [unwanted])
    return cursor.fetchone()[0]


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return STEMMER.stemWord(word)


def highlight(text: str, lexemes: set[str]) -> SafeString:
    """A passage of the text around the words matched (as PostgreSQL's English
    dictionary stems them), escaped, with those words marked. PostgreSQL's ts_headline
    would parse the whole of every paper on the page, the slowest part of a search."""
    text = (text or "")[:HEADLINE_CHARACTERS]
    # Single letters would make every word a candidate; a dozen words are plenty.
    lexemes = set(sorted(lexeme for lexeme in lexemes if len(lexeme) > 1)[:12])
    hits = []
    if lexemes:
        # A Snowball stem is the start of its word, but for a final y made i.
        starts = sorted({lexeme[:-1] if lexeme.endswith("i") else lexeme for lexeme in lexemes})
        candidates = re.compile(r"\b(?:" + "|".join(map(re.escape, starts)) + r")\w*", re.I)
        for match in candidates.finditer(text):
            if _stem(match.group().lower()) in lexemes:
                hits.append(match)
                if len(hits) >= 60:
                    break
    if not hits:
        return _snippet(None, text)
    best = max(
        hits,
        key=lambda first: len(
            {h.group().lower() for h in hits if first.start() <= h.start() < first.start() + 200}
        ),
    )
    begin = text.rfind(" ", 0, max(best.start() - 60, 0)) + 1 if best.start() > 60 else 0
    end = text.find(" ", best.start() + 200)
    end = len(text) if end == -1 else end
    marked, position = [], begin
    for hit in hits:
        if begin <= hit.start() and hit.end() <= end:
            marked.append(html.escape(text[position : hit.start()]))
            marked.append(f"<mark>{html.escape(hit.group())}</mark>")
            position = hit.end()
    marked.append(html.escape(text[position:end]))
    passage = ("…" if begin else "") + "".join(marked) + ("…" if end < len(text) else "")
    return mark_safe(passage)  # noqa: S308 every piece escaped above


def _sqlite(entries, text, page):
    query = fts5_query(text)
    if not query:
        return Results(text, 0, 1, 0, [])
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", (query,))
    matched = entries.filter(pk__in=matching)
    # FTS5's bm25() would rank with statistics of the whole table, exempt rows included,
    # so the order of public results could tell how many exempt ones hold a word; and it
    # costs one MATCH per row. The snippet is made for the page's rows only.
    wanted = " ".join(_terms(text)[0])
    ranked = matched.annotate(
        in_title=RawSQL(
            "search_searchentry.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            (f"title : ({wanted})",),
        ),
        snippet=RawSQL(
            "SELECT snippet(search_fts, 1, %s, %s, '…', 24) FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid = search_searchentry.id",
            (START, STOP, query),
        ),
    ).order_by("-in_title", "-date", "-pk")
    count, more = _counted(matched)
    page = min(max(page, 1), _pages(count))
    rows = list(ranked[(page - 1) * PAGE : page * PAGE]) if count else []
    results = [Result(row, _snippet(row.snippet, row.text)) for row in rows]
    return Results(text, count, page, _pages(count) if count else 0, results, more)
