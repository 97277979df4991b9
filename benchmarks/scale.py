"""Datasette on a database of a million quotes: how long the pages readers use take.

1. Generates a database of ``--rows`` quotes (default 1,000,000) through ``quotetrack.store``
   (so the schema, indexes, full-text index and view are the real ones): PolNeAR articles
   (train + dev) and their gold attributions, repeated under new article ids, publishers and
   dates, with speakers drawn from a pool of generated people, organizations and unnamed
   sources, most quotes going to few speakers (Zipf), as in news.
2. Starts Datasette in process (``publish.make_datasette`` with the project's
   ``metadata.yml``, through ``ds.client``: no network) and times, as the median of
   ``--repeat`` requests each: the quotes page with its facets, a speaker facet click, a
   full-text search, the claims page with its facets (the readers' main page), a
   streamed CSV of 100,000 quotes, and the site's own pages (issue 26): the top speaker's
   page, an article page, the search page for a name and for a word, the overview.
   Pages whose facets ran out of time are flagged. ``--immutable`` opens the file as
   ``serve`` did before issue 25 (immutable, so it never saw a new build), to compare with
   today's read-only connection.

Targets (issue 7): facet page < 500 ms, search < 200 ms; (issue 26) speaker page of the top
speaker and article page < 500 ms.

Usage:
    .venv/bin/python benchmarks/scale.py [--rows N] [--db PATH] [--reuse] [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import random
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from quotetrack import publish, store
from quotetrack.types import Alias, Article, Quote, Speaker

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "bench" / "polnear"
FIRST_DAY, DAYS = dt.date(2010, 1, 1), 15 * 365
CSV_ROWS = 100_000
SEARCH_WORD = "economy"
FRESH = {"cache-control": "no-cache"}  # time the queries, not serve's page cache
SITE_PAGES = ("/quotes/speakers/", "/quotes/articles/", "/-/")  # the plugin's pages: no JSON twin
ANONYMOUS = (
    "a senior official",
    "sources",
    "a source close to the campaign",
    "analysts",
    "a spokesperson",
    "officials",
    "aides",
    "people familiar with the matter",
)
ROLES = ("senator", "governor", "spokesman", "campaign manager", "minister", "analyst", None, None, None)


def load_polnear() -> list[dict]:
    """PolNeAR train and dev articles with their gold attributions."""
    articles = []
    for name in ("train.jsonl", "dev.jsonl"):
        with open(POLNEAR / name, encoding="utf-8") as f:
            articles += [json.loads(line) for line in f if line.strip()]
    return articles


def speaker_pool(articles: list[dict], size: int, rnd: random.Random) -> list[Speaker]:
    """Generated speakers: people (PolNeAR first names × surnames), organizations, unnamed sources.

    Surnames come from PolNeAR speaker strings of two capitalised words ("Hillary Clinton");
    organizations from the publishers in the article ids.
    """
    pairs = {
        tuple(q["speaker"].split())
        for a in articles
        for q in a["quotes"]
        if q["speaker"] and len(q["speaker"].split()) == 2 and q["speaker"].istitle()
    }
    firsts, lasts = sorted({f for f, _ in pairs}), sorted({s for _, s in pairs})
    names = {f"{rnd.choice(firsts)} {rnd.choice(lasts)}" for _ in range(size * 2)}
    people = [(n, "person") for n in sorted(names)[: size - size // 10]]
    outlets = sorted({a["id"].split("_")[0].title() for a in articles})
    others = [(n, "organization") for n in outlets] + [(n, "anonymous") for n in ANONYMOUS]
    chosen = people + others
    rnd.shuffle(chosen)  # Zipf rank must not follow the alphabet or the type
    return [
        Speaker(
            id=f"s{i:06d}", name=n, speaker_type=t, aliases=[Alias(name=n, speaker_id=f"s{i:06d}", rule="canonical")]
        )
        for i, (n, t) in enumerate(chosen)
    ]


def zipf_picker(count: int, rnd: random.Random, exponent: float = 1.0):
    """A function drawing indexes in ``range(count)``, index i with weight 1 / (i + 1)^exponent."""
    cumulative = list(itertools.accumulate(1 / (i + 1) ** exponent for i in range(count)))
    return lambda: bisect.bisect(cumulative, rnd.random() * cumulative[-1])


def unique_spans(quotes: list[dict]) -> list[dict]:
    """Gold attributions with distinct offsets: a quote's id is a hash of them."""
    return list({(q["start"], q["end"]): q for q in quotes}.values())


def synthetic_corpus(rows: int, seed: int) -> tuple[list[Speaker], Iterator[tuple[Article, list[Quote]]]]:
    """The speakers and a stream of (article, quotes) holding ``rows`` quotes in all.

    Deterministic for a seed, so the stream can be replayed.
    """
    rnd = random.Random(seed)
    sources = [a for a in load_polnear() if a["quotes"]]
    speakers = speaker_pool(sources, 20_000, rnd)
    pick = zipf_picker(len(speakers), rnd)

    def stream() -> Iterator[tuple[Article, list[Quote]]]:
        left = rows
        for number in itertools.count():
            source = sources[number % len(sources)]
            article = Article(
                id=f"a{number:07d}",
                text=source["text"],
                language="en",
                title=source["text"].split("\n", 1)[0][:200],
                outlet=source["id"].split("_")[0].title(),
                url=f"https://example.org/{source['id']}/{number}",
                published=(FIRST_DAY + dt.timedelta(days=rnd.randrange(DAYS))).isoformat(),
            )
            quotes = []
            for q in unique_spans(source["quotes"])[:left]:
                speaker = speakers[pick()]
                quotes.append(
                    Quote(
                        article_id=article.id,
                        kind=q["kind"],
                        content=q["content"],
                        content_start=q["start"],
                        content_end=q["end"],
                        cue=q["cue"],
                        cue_lemma=(q["cue"] or "").split()[-1].lower() if q["cue"] else None,
                        speaker_mention=q["speaker_mention"],
                        speaker=speaker.name,
                        article_speaker=speaker.name,
                        speaker_type=speaker.speaker_type,
                        speaker_id=speaker.id,
                        role=rnd.choice(ROLES) if speaker.speaker_type == "person" else None,
                        language="en",
                    )
                )
            left -= len(quotes)
            yield article, quotes
            if left <= 0:
                return

    return speakers, stream()


def generate(path: Path, rows: int, seed: int) -> None:
    """Write the synthetic corpus through ``store``: articles in large transactions, then speakers."""
    db = store.open_db(path, rebuild=True)
    # a 1 GB page cache for this throwaway connection: inserts into the hashed-id and FTS
    # indexes land all over the file, and SQLite's 2 MB default rereads it from disk
    db.execute("PRAGMA cache_size = -1000000")
    speakers, corpus = synthetic_corpus(rows, seed)
    written: list[Quote] = []  # their texts are the PolNeAR strings, shared, not copied
    while chunk := list(itertools.islice(corpus, 2000)):
        with db.atomic():  # one commit per 2,000 articles; store's own transactions nest
            for article, quotes in chunk:
                store.write_article(db, article, quotes, [], status="extracted")
                written += quotes
    store.write_resolution(db, speakers, written)  # links each quote to its speaker
    db.close()


def row_count(path: Path) -> int:
    """Quotes in an existing database (0 when there is none)."""
    return store.counts(store.open_db(path))["quotes"] if path.exists() else 0


async def time_request(ds, path: str, repeat: int) -> tuple[float, float, int, str]:
    """Median wall and CPU milliseconds of ``repeat`` GETs of ``path``, the last status and body.

    CPU time is this process's (Datasette runs SQL in its threads): on a shared machine it
    shows the work a request takes when the wall clock also counts other jobs.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        response = await ds.client.get(path, headers=FRESH)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return statistics.median(wall), statistics.median(cpu), response.status_code, response.text


def csv_limit(path: Path, rows: int) -> str:
    """The id of the ``rows``-th quote in id order (or the last): ``id__lte`` streams that many."""
    db = store.open_db(path)
    row = db.execute("select id from quotes order by id limit 1 offset ?", [rows - 1]).fetchone()
    return row[0] if row else db.execute("select max(id) from quotes").fetchone()[0]


def biggest_article(path: Path) -> dict:
    """The id and quote count of the article with the most quotes (the article page's worst case)."""
    top = "select id, quote_count from articles order by quote_count desc limit 1"
    row = store.open_db(path).execute(top).fetchone()
    return {"id": row[0], "quote_count": row[1]}


async def page_note(ds, path: str, html: str) -> str:
    """Rows the page matched (from its JSON), and the facets that ran out of time (from its HTML)."""
    json_path = path.replace("?", ".json?", 1) if "?" in path else path + ".json"
    data = (await ds.client.get(json_path + ("&" if "?" in path else "?") + "_nofacet=1&_size=1", headers=FRESH)).json()
    count = data.get("filtered_table_rows_count")
    note = f"{count:,} rows" if count is not None else "count timed out"
    timed_out = re.search(r"These facets timed out: ([^<]*)", html)
    return note + (f"; facets timed out: {timed_out.group(1)}" if timed_out else "")


async def measure(path: Path, repeat: int, immutable: bool = False) -> list[tuple[str, float, float, str]]:
    """Time the pages; returns (name, median wall ms, median CPU ms, note) rows."""
    ds = publish.make_datasette(path)
    if immutable:  # as served before issue 25, for comparison
        from datasette.database import Database

        ds.remove_database(publish.DATABASE_NAME)
        ds.add_database(Database(ds, path=str(path), is_mutable=False), name=publish.DATABASE_NAME)
    ranked = (await ds.client.get("/quotes/speakers.json?_shape=array&_size=100&_sort_desc=quote_count")).json()
    top, hundredth = ranked[0]["name"], ranked[-1]["name"]
    article = biggest_article(path)
    pages = [
        ("quotes page, facets", "/quotes/quotes"),
        ("speaker click (top speaker)", f"/quotes/quotes?{urlencode({'speaker': top})}"),
        (f"speaker click ({len(ranked)}th speaker)", f"/quotes/quotes?{urlencode({'speaker': hundredth})}"),
        (f"search {SEARCH_WORD!r}", f"/quotes/quotes?{urlencode({'_search': SEARCH_WORD})}"),
        ("claims page, facets", "/quotes/claims"),
        ("claims speaker click (top)", f"/quotes/claims?{urlencode({'speaker': top})}"),
        # what the page's "Advanced export" form sends with "stream all rows" ticked
        (
            f"CSV stream, {CSV_ROWS:,} quotes",
            "/quotes/quotes.csv?"
            + urlencode({"id__lte": csv_limit(path, CSV_ROWS), "_labels": "on", "_stream": "on", "_size": "max"}),
        ),
        ("speaker page (top speaker)", f"/quotes/speakers/{ranked[0]['id']}"),
        (f"article page ({article['quote_count']} quotes)", f"/quotes/articles/{article['id']}"),
        ("site search, a surname", "/-/search?" + urlencode({"q": top.split()[-1]})),
        (f"site search {SEARCH_WORD!r}", "/-/search?" + urlencode({"q": SEARCH_WORD})),
        ("overview", "/-/overview"),
    ]
    results = []
    for name, page in pages:
        ms, cpu_ms, status, body = await time_request(ds, page, repeat)
        if status != 200:
            note = f"HTTP {status}" + (": SQL time limit" if "took too long" in body else "")
        elif page.startswith(SITE_PAGES):
            note = f"{len(body) / 1e3:.0f} kB of HTML"
        elif ".csv" in page:
            note = f"{sum(1 for _ in csv.reader(io.StringIO(body))) - 1:,} rows, {len(body) / 1e6:.0f} MB"
        else:
            note = await page_note(ds, page, body)
        results.append((name, ms, cpu_ms, note))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="quotes to generate")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "scale.db")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it has --rows quotes")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--immutable",
        action="store_true",
        help="open the file immutable, as serve did before it followed builds (comparison)",
    )
    args = parser.parse_args()

    if not (args.reuse and row_count(args.db) == args.rows):
        start = time.perf_counter()
        generate(args.db, args.rows, args.seed)
        print(f"generated {args.db} in {time.perf_counter() - start:.0f} s", flush=True)
    counts = store.counts(store.open_db(args.db))
    print(", ".join(f"{n:,} {t}" for t, n in counts.items()) + f"; {args.db.stat().st_size / 1e9:.2f} GB")
    print(f"\n{'page (median of ' + str(args.repeat) + ')':<32}{'wall ms':>9}{'CPU ms':>8}   note", flush=True)
    # Datasette prints a traceback for every query over its time limit; the notes say which
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = asyncio.run(measure(args.db, args.repeat, args.immutable))
    for name, ms, cpu_ms, note in results:
        print(f"{name:<32}{ms:>9.0f}{cpu_ms:>8.0f}   {note}")
    print("\ntargets: facet page < 500 ms, search < 200 ms, speaker and article pages < 500 ms")


if __name__ == "__main__":
    main()
