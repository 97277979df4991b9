"""Datasette plugin: answer a page again from memory until a build changes the database.

The site is read-only and changes only when a build commits, yet a claims page with its
seven facets costs 0.5 s of CPU at a million quotes, so eight readers on two cores would
queue for seconds (issue 25). A GET answered 200 is kept (at most ``MAX_ENTRIES`` pages,
``MAX_BYTES`` in all, least recently used dropped first) under the database's version: the
size and modification time of the file and of its write-ahead log, which any commit
changes. The next request after a commit finds a new version and runs the queries again;
readers asking for the same page meanwhile wait for that one answer instead of running the
same queries side by side (the claims page after each build, on a busy site).
Responses that set a cookie or carry a CSRF token (canned query forms), pages whose facets
ran out of time (a busy moment must not last until the next build; Datasette 0.65's JSON
does not say so, hence also ``MAX_AGE``), streamed or large ones
(CSV exports), and requests of a signed-in actor (``ds_actor`` cookie) are never kept;
other cookies do not change a page. A request with ``Cache-Control: no-cache`` is answered
afresh (``benchmarks/scale.py`` times the work that way). The ``x-quotetrack-cache`` header says ``hit``
or ``miss``.
"""

import asyncio
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from datasette import hookimpl

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
MAX_PAGE = 2 * 1024 * 1024  # bigger responses (CSV exports) are not kept
MAX_AGE = 60.0  # seconds a page is answered from memory at most, even if nothing changed
DATABASE = "quotes"
# a page Datasette made with some facets missing: HTML notice, or a non-empty JSON list
PARTIAL = re.compile(rb'These facets timed out|"facets_timed_out": \[\s*"')


class PageCache:
    """Responses by (path, query string), valid for one version of the database."""

    def __init__(self):
        self.pages = OrderedDict()  # key -> (version, start message, body, time kept)
        self.size = 0

    def get(self, key, version):
        entry = self.pages.get(key)
        if entry is None or entry[0] != version or time.monotonic() - entry[3] > MAX_AGE:
            return None
        self.pages.move_to_end(key)
        return entry

    def put(self, key, version, start, body):
        self.drop(key)
        self.pages[key] = (version, start, body, time.monotonic())
        self.size += len(body)
        while self.size > MAX_BYTES or len(self.pages) > MAX_ENTRIES:
            self.drop(next(iter(self.pages)))

    def drop(self, key):
        entry = self.pages.pop(key, None)
        if entry is not None:
            self.size -= len(entry[2])


def database_version(datasette):
    """Size and mtime of the database file and of its WAL, and the WAL header (its salts
    change whenever the log restarts): a commit changes one of them."""
    try:
        path = datasette.get_database(DATABASE).path
    except KeyError:
        return None
    version: list[object] = []
    for name in (path, f"{path}-wal"):
        try:
            stat = os.stat(name)
            version += [stat.st_size, stat.st_mtime_ns]
        except (OSError, TypeError):
            version += [None, None]
    try:
        with open(f"{path}-wal", "rb") as wal:
            version.append(wal.read(32))
    except OSError:
        version.append(None)
    return tuple(version)


def wants_fresh(scope):
    return any(name == b"cache-control" and b"no-cache" in value for name, value in scope.get("headers", []))


def cacheable_request(scope):
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return False
    return not any(name == b"cookie" and b"ds_actor=" in value for name, value in scope.get("headers", []))


@hookimpl
def asgi_wrapper(datasette):
    cache = PageCache()
    running: dict[tuple, asyncio.Event] = {}  # (key, version) -> set when the page being made is done

    def wrap(app):
        async def cached(scope, receive, send):
            if not cacheable_request(scope):
                await app(scope, receive, send)
                return
            key = (scope.get("path"), scope.get("query_string", b""))
            version = database_version(datasette)
            fresh = wants_fresh(scope)
            if (key, version) in running and not fresh:
                await running[key, version].wait()
            hit = cache.get(key, version) if version and not fresh else None
            if hit:
                await send(_with_header(hit[1], b"hit"))
                await send({"type": "http.response.body", "body": hit[2]})
                return
            done = running[key, version] = asyncio.Event()
            try:
                await app(scope, receive, _recorder(send, cache, key, version))
            finally:
                done.set()
                if running.get((key, version)) is done:
                    del running[key, version]

        return cached

    return wrap


@dataclass
class _Recording:
    """A response on its way out: its start message and the body so far, if it may be kept."""

    start: dict | None = None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    keep: bool = False


def _recorder(send, cache, key, version):
    """A ``send`` that passes the response on and keeps it if it may be answered again."""
    state = _Recording()

    async def record(message):
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            state.keep = (
                message["status"] == 200
                and version is not None
                and not any(name.lower() == b"set-cookie" for name, _ in headers)
            )
            state.start = message
            message = _with_header(message, b"miss")
        elif message["type"] == "http.response.body" and state.keep:
            body = message.get("body", b"")
            state.chunks.append(body)
            state.size += len(body)
            if state.size > MAX_PAGE:
                state.keep, state.chunks = False, []
            elif not message.get("more_body", False):
                page = b"".join(state.chunks)
                if b"csrftoken" not in page and not PARTIAL.search(page):
                    cache.put(key, version, state.start, page)
        await send(message)

    return record


def _with_header(start, value):
    headers = [h for h in start.get("headers", []) if h[0].lower() != b"x-quotetrack-cache"]
    return {**start, "headers": headers + [(b"x-quotetrack-cache", value)]}
