"""Rebuild while serving (issue 25): readers keep getting answers and see each build once it ends.

1. Builds a database of ``--articles`` synthetic English articles (real extractor) in a
   temporary folder, and starts ``quotetrack serve`` on it (loopback, free port, from ``/``).
2. While 4 clients poll the claims page, a facet click, a full-text search and a speaker's
   statements (HTML and JSON), runs ``--builds`` builds (default 3), each adding
   ``--add`` articles with a word of their own; after each build ends, polls the search for
   that word until the build's quotes all show up; while it runs, the count of those quotes
   readers see must be 0 or all of them, never a part.
3. Prints per build how long the build took and how long after its end its quotes were
   visible, then the errors (non-2xx or failed requests: the target is zero) and the p50/p95
   latency of the pages. Bounded: the clients stop when the last build is visible.

Usage:
    .venv/bin/python benchmarks/serve_during_build.py [--articles 200] [--add 50] [--builds 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import Tally, fetch, reader_pages, running_server

VISIBLE_WITHIN = 5.0  # seconds, the target
SPEAKER = "Mustafa Al-Mujie"


def write_corpus(path: Path, first: int, count: int, word: str) -> None:
    """``count`` articles with two quotes each (one by SPEAKER), the second holding ``word``."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(first, first + count):
            text = (
                f'"We will hold district {i}," said {SPEAKER}, the spokesman for the operation. '
                f"Fayez al-Sarraj told reporters that the {word} unit {i} had withdrawn from the city."
            )
            f.write(json.dumps({"id": f"art-{i:05d}", "text": text, "published": "2020-06-05"}) + "\n")


def build(folder: Path, db: Path, watch=None) -> tuple[float, set]:
    """Run ``quotetrack build``; returns its seconds and the values ``watch()`` gave while it ran."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "quotetrack", "build", str(folder), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen = set()
    while proc.poll() is None:
        if watch:
            seen.add(watch())
        time.sleep(0.1)
    if proc.returncode != 0:
        raise SystemExit(f"build failed with status {proc.returncode}")
    return time.perf_counter() - start, seen


def search_count(base: str, word: str) -> int:
    data = httpx.get(f"{base}/quotes/quotes.json?_search={word}&_size=0&_nofacet=1", timeout=30).json()
    return data["filtered_table_rows_count"]


def time_to_visible(base: str, word: str, expected: int, ended: float) -> float:
    """Seconds from ``ended`` until the search for ``word`` finds ``expected`` quotes (inf after 30 s)."""
    while time.perf_counter() - ended < 30:
        if search_count(base, word) == expected:
            return time.perf_counter() - ended
        time.sleep(0.05)
    return float("inf")


def poll(pages, tally: Tally, stop: threading.Event, offset: int) -> None:
    with httpx.Client(timeout=30) as http:
        i = offset
        while not stop.is_set():
            fetch(http, *pages[i % len(pages)], tally)
            i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="articles of the first build")
    parser.add_argument("--add", type=int, default=50, help="articles each later build adds")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "corpus", Path(tmp) / "quotes.db"
        folder.mkdir()
        write_corpus(folder / "base.jsonl", 0, args.articles, "base")
        print(f"first build, {args.articles} articles: {build(folder, db)[0]:.1f} s", flush=True)
        with running_server(db) as base:
            tally, stop = Tally(), threading.Event()
            pages = reader_pages(base, [SPEAKER, "Fayez al-Sarraj"], ["district", "unit"])
            clients = [threading.Thread(target=poll, args=(pages, tally, stop, n)) for n in range(args.clients)]
            for c in clients:
                c.start()
            results = []
            try:
                for n in range(1, args.builds + 1):
                    word = f"zebra{n}"
                    write_corpus(folder / f"add{n}.jsonl", args.articles + (n - 1) * args.add, args.add, word)
                    seconds, seen = build(folder, db, watch=lambda word=word: search_count(base, word))
                    visible = time_to_visible(base, word, args.add, time.perf_counter())
                    results.append((n, seconds, seen, visible))
            finally:
                stop.set()
                for c in clients:
                    c.join()
        for n, seconds, seen, visible in results:
            print(
                f"build {n}: +{args.add} articles in {seconds:.1f} s; its quotes seen while it ran: "
                f"{sorted(seen)} (0 or all {args.add}, never part); visible {visible:.2f} s after it ended "
                f"({'ok' if visible <= VISIBLE_WITHIN else 'TOO SLOW'})"
            )
        print(f"{args.clients} clients during the builds:")
        print(tally.report())


if __name__ == "__main__":
    main()
