"""What the site's own pages show: a speaker, an article with its statements marked, search
results and overviews, read from the database ``store`` writes.

Plain functions over a ``sqlite3.Connection`` that return dicts for the templates in
``templates/``; the Datasette plugin (``plugins/quotetrack_pages.py``) routes URLs to them.
No Datasette here, so they are tested and timed on their own. Speaker search goes through
``names.name_key``, as the resolver and the ``statements_by_speaker`` query do; statement
search through the folded full-text index (``fold``).
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
from collections import Counter, defaultdict
from typing import Any

from quotetrack.fold import fts_query
from quotetrack.names import name_gender, name_key
from quotetrack.romanize import romanize_name

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ckb", "dv"})
PAGE_SIZE = 100  # statements per page of a speaker; search results per page
SPEAKER_MATCHES = 20  # speakers shown for one search
RANKED_MAX = 20_000  # statements a search ranks by how well they match; more: latest first
MAX_MATCHED_SPEAKERS = 500  # a common surname: rank this many by statements, show the top
OVERVIEW_MONTHS = 12  # most-quoted speakers: for this many recent months
TOP_PER_MONTH = 5
MAX_BAR_STEP = 48  # pixels per month at most, so a short timeline does not draw slabs
GENDERS = {"m": "men", "f": "women", None: "not known"}
_ARABIC = re.compile("[\u0600-\u06ff]")

STATEMENT_COLUMNS = """
  id, article_id, speaker_id, speaker, speaker_type, kind, cue, content, content_2, role,
  title, outlet, published, url, language
"""


def direction(language: str | None, text: str = "") -> str:
    """``rtl`` for a right-to-left language (or Arabic letters when the language is
    unknown), else ``ltr``."""
    if language:
        return "rtl" if language in RTL_LANGUAGES else "ltr"
    return "rtl" if _ARABIC.search(text) else "ltr"


def rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Run ``sql`` and return its rows as dicts, whatever the connection's row factory."""
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _statement(row: dict[str, Any]) -> dict[str, Any]:
    """A statement row with the text to show and its direction."""
    quote = row["content"] if not row.get("content_2") else f"{row['content']} … {row['content_2']}"
    return {**row, "quote": quote, "dir": direction(row.get("language"), quote)}


# --- speaker page --------------------------------------------------------------------------


def speaker_page(conn: sqlite3.Connection, speaker_id: str, page: int = 1) -> dict[str, Any] | None:
    """A speaker with spellings, outlets, statements per month and one page of statements
    (newest first); ``None`` when there is no such speaker."""
    found = rows(conn, "select * from speakers where id = ?", [speaker_id])
    if not found:
        return None
    speaker = found[0]
    speaker["roles"] = json.loads(speaker["roles"] or "[]")
    if speaker["speaker_type"] == "person":
        speaker["gender"] = {"m": "man", "f": "woman"}.get(name_gender(speaker["name"]) or "")
    total = conn.execute("select count(*) from quotes where speaker_id = ?", [speaker_id]).fetchone()[0]
    page = max(1, min(page, (total + PAGE_SIZE - 1) // PAGE_SIZE or 1))
    statements = rows(
        conn,
        f"select {STATEMENT_COLUMNS} from quotes where speaker_id = ?"
        " order by published desc, article_id, content_start limit ? offset ?",
        [speaker_id, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return {
        "speaker": speaker,
        "dir": direction(None, speaker["name"]),
        "aliases": rows(
            conn,
            "select name, rule, score, count from aliases where speaker_id = ? order by count desc, name",
            [speaker_id],
        ),
        "outlets": rows(
            conn,
            "select outlet, count(*) as count from quotes where speaker_id = ?"
            " group by outlet order by count desc, outlet",
            [speaker_id],
        ),
        "months": month_bars(
            rows(
                conn,
                "select substr(published, 1, 7) as month, count(*) as count"
                " from quotes where speaker_id = ? and published is not null"
                " group by month order by month",
                [speaker_id],
            )
        ),
        "statements": [_statement(r) for r in statements],
        "total": total,
        "page": page,
        "pages": (total + PAGE_SIZE - 1) // PAGE_SIZE,
    }


def month_bars(counts: list[dict[str, Any]], width: float = 720, height: int = 140) -> dict[str, Any]:
    """Geometry of an SVG bar chart of statements per month, months with none included.

    ``counts``: rows of ``month`` (``YYYY-MM``) and ``count``. Values that are not a
    ``YYYY-MM`` month (a date kept as written) are left out of the chart.
    """
    by_month = {r["month"]: r["count"] for r in counts if re.fullmatch(r"\d{4}-\d{2}", r["month"] or "")}
    if not by_month:
        return {"bars": [], "width": width, "height": height, "max": 0}
    months = _month_range(min(by_month), max(by_month))
    top = max(by_month.values())
    step = min(width / len(months), MAX_BAR_STEP)
    width = round(step * len(months), 1)
    bars = []
    for i, month in enumerate(months):
        count = by_month.get(month, 0)
        bar_height = round(count / top * (height - 20), 1)
        bars.append(
            {
                "month": month,
                "count": count,
                "x": round(i * step, 1),
                "width": round(max(step - 2, 1), 1),
                "y": round(height - 16 - bar_height, 1),
                "height": bar_height,
                "label": month if len(months) <= 12 or month.endswith("-01") or i == 0 else "",
            }
        )
    return {"bars": bars, "width": width, "height": height, "max": top}


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- article page --------------------------------------------------------------------------


def article_page(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """An article, its text cut into segments with the statements, cues and speaker
    mentions marked, and its statements in reading order; ``None`` when there is none."""
    found = rows(
        conn,
        "select id, title, outlet, url, published, language, text, quote_count from articles where id = ?",
        [article_id],
    )
    if not found:
        return None
    article = found[0]
    # a link only to a web page: a javascript: or data: URL from the input would run
    article["link"] = article["url"] if re.match(r"https?://", article["url"] or "", re.I) else None
    quotes = rows(conn, "select * from quotes where article_id = ? order by content_start", [article_id])
    return {
        "article": article,
        "dir": direction(article["language"], article["text"] or ""),
        "segments": _readable(marked_segments(article["text"] or "", quotes)),
        "statements": [_statement(q) for q in quotes],
    }


# span kinds in the order they claim text: a statement wins over a cue or a mention inside it
_SPAN_FIELDS = [("statement", "content"), ("statement", "content_2"), ("cue", "cue"), ("mention", "mention")]


def marked_segments(text: str, quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut ``text`` into plain and marked segments.

    Each segment is ``{"kind", "text", "quote", "first"}`` with ``kind`` one of ``text``,
    ``statement``, ``cue``, ``mention`` or ``anchor`` (an empty segment where a statement
    starts whose words were all marked by an earlier one, so its link still lands).
    ``first`` is true on the segment that carries a statement's anchor. Spans with offsets
    outside the text, and spans that overlap one already marked, are left unmarked.
    """
    taken: list[tuple[int, int]] = []  # marked so far: sorted, never overlapping
    spans: list[tuple[int, int, str, dict[str, Any], bool]] = []
    anchored: set[str] = set()
    for kind, field in _SPAN_FIELDS:
        for quote in quotes:
            start, end = quote.get(f"{field}_start"), quote.get(f"{field}_end")
            if start is None or end is None or not 0 <= start < end <= len(text):
                continue
            if _overlaps(taken, start, end):
                continue
            first = kind == "statement" and quote["id"] not in anchored
            if first:
                anchored.add(quote["id"])
            bisect.insort(taken, (start, end))
            spans.append((start, end, kind, quote, first))
    for quote in quotes:  # statements hidden under another one still get their anchor
        start = quote.get("content_start")
        if quote["id"] not in anchored and start is not None and 0 <= start <= len(text):
            spans.append((start, start, "anchor", quote, True))
    segments: list[dict[str, Any]] = []
    at = 0
    for start, end, kind, quote, first in sorted(spans, key=lambda s: (s[0], s[1])):
        start = max(start, at)
        if start > at:
            segments.append({"kind": "text", "text": text[at:start], "quote": None, "first": False})
        segments.append({"kind": kind, "text": text[start:end], "quote": quote, "first": first})
        at = max(at, end)
    if at < len(text):
        segments.append({"kind": "text", "text": text[at:], "quote": None, "first": False})
    return segments


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of ``taken`` (sorted, disjoint): only the spans
    on either side of where it would go can."""
    i = bisect.bisect_left(taken, (start, end))
    return (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end)


def _readable(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the blank lines the reader left where headers and boilerplate were (only the
    display changes: the offsets were used already)."""
    for i, segment in enumerate(segments):
        if segment["kind"] == "text":
            text = re.sub(r"\n[ \t]+(?=\n)", "\n", segment["text"])
            text = re.sub(r"\n{3,}", "\n\n", text)
            segment["text"] = text.lstrip() if i == 0 else text
    return segments


# --- search --------------------------------------------------------------------------------


def name_keys(query: str) -> list[str]:
    """The ``name_key``s a typed name stands for: its own, and for an Arabic-script name
    those of its likely Latin spellings too (``حفتر`` finds Haftar)."""
    keys = [name_key(query)]
    keys += [name_key(spelling) for spelling in romanize_name(query)]
    return [k for k in dict.fromkeys(keys) if k]


def find_speakers(conn: sqlite3.Connection, query: str) -> list[dict[str, Any]]:
    """Speakers one of whose spellings has the query's name key, else whose surname it is,
    else whose spelling is the query's surname; most quoted first, with the spellings that
    matched. The same tiers as the ``statements_by_speaker`` canned query, plus the last."""
    keys = name_keys(query)
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    tiers = [
        f"key in ({marks})",
        " or ".join(["substr(' ' || key, -length(' ' || ?)) = ' ' || ?"] * len(keys)),
        " or ".join(["substr(' ' || ?, -length(' ' || key)) = ' ' || key"] * len(keys)),
    ]
    params = [keys, [k for k in keys for _ in (0, 1)], keys]
    for where, values in zip(tiers, params):
        found = rows(conn, f"select speaker_id, name from aliases where key != '' and ({where})", values)
        if found:
            break
    else:
        return []
    spellings = defaultdict(list)
    for row in found:
        spellings[row["speaker_id"]].append(row["name"])
    ids = list(spellings)[:MAX_MATCHED_SPEAKERS]
    speakers = rows(
        conn,
        f"select id, name, speaker_type, quote_count, first_published, last_published"
        f" from speakers where id in ({','.join('?' * len(ids))})"
        f" order by quote_count desc, name limit ?",
        [*ids, SPEAKER_MATCHES],
    )
    return [{**s, "matched": spellings[s["id"]], "dir": direction(None, s["name"])} for s in speakers]


def find_statements(conn: sqlite3.Connection, query: str, page: int = 1) -> dict[str, Any]:
    """Statements whose words (folded) hold every word of the query, best match first; when
    more than ``RANKED_MAX`` match, the latest written first (``ranked`` False)."""
    match = fts_query(query)
    if not match:
        return {"total": 0, "statements": [], "page": 1, "pages": 0, "ranked": True}
    total = conn.execute("select count(*) from quotes_folded_fts where quotes_folded_fts match ?", [match]).fetchone()[
        0
    ]
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(1, min(page, pages or 1))
    # ranking scores every match before the first is shown (840 ms for "the", 521,829
    # statements at a million); in rowid order the index stops after the page's rows
    ranked = total <= RANKED_MAX
    inner, outer = ("rank", "rank") if ranked else ("rowid desc", "hit desc")
    found = rows(
        conn,
        f"select {STATEMENT_COLUMNS} from quotes join"
        " (select rowid as hit, rank from quotes_folded_fts where quotes_folded_fts match ?"
        f"  order by {inner} limit ? offset ?) on quotes.rowid = hit order by {outer}",
        [match, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return {
        "total": total,
        "statements": [_statement(r) for r in found],
        "page": page,
        "pages": pages,
        "ranked": ranked,
    }


def search_page(conn: sqlite3.Connection, query: str, page: int = 1) -> dict[str, Any]:
    """Speakers first, then statements, for one query."""
    query = " ".join(query.split())
    if not query:
        return {"query": "", "speakers": [], "statements": find_statements(conn, "")}
    return {
        "query": query,
        "speakers": find_speakers(conn, query) if page == 1 else [],
        "statements": find_statements(conn, query, page),
    }


# --- overview ------------------------------------------------------------------------------


def overview_page(conn: sqlite3.Connection) -> dict[str, Any]:
    """The figures of the overview page: most-quoted speakers per recent month, statements
    by outlet, by speaker type and by gender (of persons whose given name tells it)."""
    return {
        "months": top_speakers_by_month(conn),
        "outlets": _shares(
            rows(
                conn,
                "select coalesce(outlet, '(unknown)') as label, count(*) as count"
                " from quotes group by outlet order by count desc limit 25",
            )
        ),
        # from speakers, which hold their quote counts: 18,000 rows instead of a million
        "types": _shares(
            rows(
                conn,
                "select speaker_type as label, sum(quote_count) as count from speakers"
                " group by speaker_type having count > 0 order by count desc",
            )
        ),
        "genders": _shares(gender_counts(conn)),
    }


def top_speakers_by_month(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The most-quoted speakers of each of the last ``OVERVIEW_MONTHS`` months with dates."""
    latest = conn.execute(
        "select max(published) from quotes where published glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
    ).fetchone()[0]
    if not latest:
        return []
    months: list[str] = []
    year, month = int(latest[:4]), int(latest[5:7])
    for _ in range(OVERVIEW_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    found = rows(
        conn,
        "select substr(published, 1, 7) as month, speaker_id, speaker, count(*) as count"
        " from quotes where published >= ? and speaker_id is not null"
        " group by month, speaker_id order by month desc, count desc, speaker",
        [months[-1]],
    )
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in found:
        if row["month"] in months and len(by_month[row["month"]]) < TOP_PER_MONTH:
            by_month[row["month"]].append({**row, "dir": direction(None, row["speaker"] or "")})
    return [{"month": m, "speakers": by_month[m]} for m in months if by_month[m]]


def gender_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Statements by persons counted by the gender their given name marks (``names``)."""
    counts: Counter[str] = Counter()
    for name, count in conn.execute("select name, quote_count from speakers where speaker_type = 'person'"):
        counts[GENDERS[name_gender(name)]] += count or 0
    return [{"label": label, "count": n} for label, n in counts.most_common()]


def _shares(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each item's share of the largest, in percent, for a bar's width."""
    top = max((i["count"] for i in items), default=0) or 1
    return [{**i, "percent": round(100 * i["count"] / top, 1), "dir": direction(None, str(i["label"]))} for i in items]
