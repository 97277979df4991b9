"""Load test of ``quotetrack serve``: CLIENTS threads send REQUESTS requests in all over loopback.

Starts ``quotetrack serve`` on 127.0.0.1 (a free port) for ``--db`` (default: the million-quote
database ``benchmarks/scale.py`` writes), then each client requests, round-robin from its own
offset, the pages readers use: the claims page with its facets, the speakers overview, for
each of the ``--speakers`` most quoted speakers a facet click and their statements (canned
query), a full-text search for each of ``--words`` (two of them words nearly every quote
holds), and the JSON of each (188 distinct pages by default). Prints the count of errors
(non-2xx statuses and failed connections), how many answers came from the server's page
cache, the p50/p95/max latency of the HTML and the JSON pages, and the slowest requests.
Bounded: ``--requests`` in all (default 2,000). The server's log (one line per request) goes
to ``<db>.serve.log``.

Usage:
    .venv/bin/python benchmarks/load.py [--db PATH] [--clients 8] [--requests 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
SLOWEST = 5  # requests listed at the end


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, *extra: str) -> Iterator[str]:
    """``quotetrack serve`` on a free loopback port for the ``with`` block; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(f"{db}.serve.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "quotetrack", "serve", "--db", str(db), "--port", str(port), *extra],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd="/",
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(base + "/-/settings.json", timeout=5).status_code == 200:
                        break
                time.sleep(0.2)
            else:
                raise SystemExit(f"server did not start; see {log.name}")
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def reader_pages(base: str, speakers: list[str], words: list[str]) -> list[tuple[str, str]]:
    """(kind, URL) of the pages readers use, HTML and JSON: the claims page, the speakers
    overview, and for each speaker a facet click and their statements, for each word a search."""
    pages = ["/quotes/claims", "/quotes/speakers_overview"]
    for speaker in speakers:
        pages += [
            "/quotes/claims?" + urlencode({"speaker": speaker}),
            "/quotes/statements_by_speaker?" + urlencode({"name": speaker.split()[-1]}),
        ]
    pages += ["/quotes/quotes?" + urlencode({"_search": word}) for word in words]
    html = [("html", base + p) for p in pages]
    json = [("json", base + p.replace("?", ".json?", 1) if "?" in p else base + p + ".json") for p in pages]
    return html + json


class Tally:
    """Latencies by page kind, and errors, from several threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.hits = 0
        self.requests: list[tuple[float, str, bool]] = []  # seconds, URL, from the cache

    def add(self, kind: str, seconds: float, error: str | None, hit: bool = False, url: str = "") -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            self.requests.append((seconds, url, hit))
            self.hits += hit
            if error:
                self.errors.append(error)

    def report(self) -> str:
        lines = []
        for kind, times in sorted(self.times.items()):
            times = sorted(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            lines.append(
                f"{kind:<5} {len(times):>6,} requests  p50 {statistics.median(times) * 1000:6.0f} ms  "
                f"p95 {p95 * 1000:6.0f} ms  max {times[-1] * 1000:6.0f} ms"
            )
        total = sum(len(t) for t in self.times.values())
        lines.append(f"answered from the page cache: {self.hits:,} of {total:,}")
        lines.append(f"errors: {len(self.errors)}" + (f" (first: {self.errors[0]})" if self.errors else ""))
        lines.append("slowest:")
        for seconds, url, hit in sorted(self.requests, reverse=True)[:SLOWEST]:
            lines.append(
                f"  {seconds * 1000:6.0f} ms  {urlsplit(url)._replace(scheme='', netloc='').geturl()}"
                + ("  (from the cache, after waiting for it)" if hit else "")
            )
        return "\n".join(lines)


def fetch(client: httpx.Client, kind: str, url: str, tally: Tally) -> None:
    start = time.perf_counter()
    hit = False
    try:
        response = client.get(url)
        error = None if response.status_code < 400 else f"HTTP {response.status_code} {url}"
        hit = response.headers.get("x-quotetrack-cache") == "hit"
    except httpx.HTTPError as e:
        error = f"{type(e).__name__} {url}"
    tally.add(kind, time.perf_counter() - start, error, hit, url)


def run_clients(pages: list[tuple[str, str]], clients: int, requests: int, tally: Tally) -> None:
    """``clients`` threads, ``requests`` requests in all, each thread cycling through ``pages``."""

    def client(offset: int, count: int) -> None:
        with httpx.Client(timeout=30) as http:
            for i in range(count):
                fetch(http, *pages[(offset + i) % len(pages)], tally)

    # each client starts at its own place in the list, as readers do not move in step
    threads = [
        threading.Thread(
            target=client, args=(n * len(pages) // clients, requests // clients + (n < requests % clients))
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def top_speakers(base: str, count: int) -> list[str]:
    url = f"{base}/quotes/speakers.json?_shape=array&_size={count}&_sort_desc=quote_count"
    return [row["name"] for row in httpx.get(url, timeout=60).json()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "scale.db")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--speakers", type=int, default=40, help="most quoted speakers whose pages are read")
    parser.add_argument(
        "--words",
        default="economy,tax,war,vote,health,jobs,debate,poll,campaign,court,said,the",
        help="full-text search words, comma-separated",
    )
    parser.add_argument(
        "--setting",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a Datasette setting for the server, as `quotetrack serve --setting` takes it",
    )
    args = parser.parse_args()
    if not args.db.is_file():
        raise SystemExit(f"{args.db} not found: run benchmarks/scale.py first")
    extra = [part for name, value in args.setting for part in ("--setting", name, value)]
    with running_server(args.db, *extra) as base:
        pages = reader_pages(base, top_speakers(base, args.speakers), args.words.split(","))
        tally = Tally()
        start = time.perf_counter()
        run_clients(pages, args.clients, args.requests, tally)
        wall = time.perf_counter() - start
    print(
        f"{args.requests:,} requests from {args.clients} clients on {args.db} in {wall:.0f} s "
        f"({args.requests / wall:.1f}/s), over {len(pages)} distinct pages"
    )
    print(tally.report())


if __name__ == "__main__":
    main()
