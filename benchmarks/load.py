"""Load test of ``quotetrack serve``: CLIENTS threads send REQUESTS requests in all over loopback.

Starts ``quotetrack serve`` on 127.0.0.1 (a free port) for ``--db`` (default: the million-quote
database ``benchmarks/scale.py`` writes), then each client requests, round-robin from its own
offset, the pages readers use: the claims page with its facets, a speaker click, a full-text
search, a speaker's statements (canned query), the speakers overview, and the JSON of each.
Prints the count of errors (non-2xx statuses and failed connections) and the p50/p95/max
latency of the HTML and the JSON pages. Bounded: ``--requests`` in all (default 2,000).

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
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, *extra: str) -> Iterator[str]:
    """``quotetrack serve`` on a free loopback port for the ``with`` block; yields its base URL."""
    port = free_port()
    log = open(f"{db}.serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "quotetrack", "serve", "--db", str(db), "--port", str(port),
                             *extra], stdout=log, stderr=subprocess.STDOUT, cwd="/")
    base = f"http://127.0.0.1:{port}"
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
        log.close()


def reader_pages(base: str, speaker: str, word: str) -> list[tuple[str, str]]:
    """(kind, URL) of the pages readers use, HTML and JSON."""
    pages = [
        "/quotes/claims",
        "/quotes/claims?" + urlencode({"speaker": speaker}),
        "/quotes/quotes?" + urlencode({"_search": word}),
        "/quotes/statements_by_speaker?" + urlencode({"name": speaker.split()[-1]}),
        "/quotes/speakers",
    ]
    html = [("html", base + p) for p in pages]
    json = [("json", base + p.replace("?", ".json?", 1) if "?" in p else base + p + ".json") for p in pages]
    return html + json


class Tally:
    """Latencies by page kind, and errors, from several threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(error)

    def report(self) -> str:
        lines = []
        for kind, times in sorted(self.times.items()):
            times = sorted(times)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            lines.append(f"{kind:<5} {len(times):>6,} requests  p50 {statistics.median(times) * 1000:6.0f} ms  "
                         f"p95 {p95 * 1000:6.0f} ms  max {times[-1] * 1000:6.0f} ms")
        lines.append(f"errors: {len(self.errors)}" + (f" (first: {self.errors[0]})" if self.errors else ""))
        return "\n".join(lines)


def fetch(client: httpx.Client, kind: str, url: str, tally: Tally) -> None:
    start = time.perf_counter()
    try:
        status = client.get(url).status_code
        error = None if status < 400 else f"HTTP {status} {url}"
    except httpx.HTTPError as e:
        error = f"{type(e).__name__} {url}"
    tally.add(kind, time.perf_counter() - start, error)


def run_clients(pages: list[tuple[str, str]], clients: int, requests: int, tally: Tally) -> None:
    """``clients`` threads, ``requests`` requests in all, each thread cycling through ``pages``."""

    def client(offset: int, count: int) -> None:
        with httpx.Client(timeout=30) as http:
            for i in range(count):
                fetch(http, *pages[(offset + i) % len(pages)], tally)

    threads = [threading.Thread(target=client, args=(n, requests // clients + (n < requests % clients)))
               for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def top_speaker(base: str) -> str:
    rows = httpx.get(base + "/quotes/speakers.json?_shape=array&_size=1&_sort_desc=quote_count", timeout=60).json()
    return rows[0]["name"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "scale.db")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--word", default="economy", help="full-text search word")
    args = parser.parse_args()
    if not args.db.is_file():
        raise SystemExit(f"{args.db} not found: run benchmarks/scale.py first")
    with running_server(args.db) as base:
        speaker = top_speaker(base)
        tally = Tally()
        start = time.perf_counter()
        run_clients(reader_pages(base, speaker, args.word), args.clients, args.requests, tally)
        wall = time.perf_counter() - start
    print(f"{args.requests:,} requests from {args.clients} clients on {args.db} in {wall:.0f} s "
          f"({args.requests / wall:.1f}/s); top speaker {speaker!r}")
    print(tally.report())


if __name__ == "__main__":
    main()
