"""Publish the quote database with Datasette, and export its claims as CSV.

The only module that imports Datasette. What readers see is described by files shipped in the
package (``quotetrack/site/``), so ``serve`` and ``export`` work from any folder, and a plain
``datasette`` command can use them too: ``metadata.yml`` (title, licence, descriptions,
facets, canned queries; ``--metadata`` replaces it), ``plugins/`` (the ``name_key()`` SQL
function the canned queries call; the speaker, article, search and overview pages; the guard
that hardens the server), ``templates/`` (those pages, and the search box in every page's
header) and ``static/`` (CSS that shows Arabic right to left). This module starts Datasette on them with safe settings,
and runs the same canned query for ``quotetrack export``.

The database is opened read-only but not immutable: a build publishes in one transaction
(``api.build``), and each request sees the last committed build, without a restart.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import yaml
from datasette.app import DEFAULT_SETTINGS, Datasette
from datasette.database import Database

from quotetrack import store
from quotetrack.errors import QuotetrackError
from quotetrack.names import name_key

DATABASE_NAME = "quotes"  # metadata.yml and every URL use this name, whatever the file is called
SITE_DIR = Path(__file__).resolve().parent / "site"
METADATA_FILE = SITE_DIR / "metadata.yml"
PLUGINS_DIR = SITE_DIR / "plugins"
STATIC_DIR = SITE_DIR / "static"
TEMPLATES_DIR = SITE_DIR / "templates"
GUARD_PLUGIN = "quotetrack_guard"  # plugin config key read by plugins/quotetrack_guard.py
SPEAKER_QUERY = "statements_by_speaker"  # canned query in metadata.yml; export runs it too
# the export's rows in reading order: by date, article and place in the article
READING_ORDER = """
select found.* from ({inner}) as found join quotes on quotes.id = found.quote_id
where :since is null or found.published >= :since
order by found.published, found.article_id, quotes.content_start
"""

# Datasette's defaults, tightened for a public site; `--setting` overrides any of them.
SAFE_SETTINGS: dict[str, Any] = {
    "default_allow_sql": False,  # arbitrary SQL only with --allow-sql
    "sql_time_limit_ms": 1000,
    # a query thread per core (Datasette's default is 3): a third thread on two cores made
    # queries wait on each other past the time limit (benchmarks/load.py: 0-4 errors a run
    # with 3, none in 4 runs with 2, at the million-quote database)
    "num_sql_threads": max(1, min(3, os.cpu_count() or 1)),
    "max_returned_rows": 1000,
    "default_page_size": 50,
    # seven facets per page on a large corpus; Datasette's 200 ms default drops some
    "facet_time_limit_ms": 500,
    # the facets are chosen in metadata.yml; suggestions cost extra queries on every page
    "suggest_facets": False,
    # the file holds whole article texts, which belong to their publishers: readers get
    # the claims (CSV included), not a copy of the database
    "allow_download": False,
}


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """Add ``name_key(name)`` to a SQLite connection, as the canned queries need it."""
    conn.create_function("name_key", 1, _sql_name_key, deterministic=True)


def _sql_name_key(name: str | None) -> str | None:
    """``name_key`` for SQL: NULL stays NULL."""
    return None if name is None else name_key(name)


def load_metadata(path: str | Path) -> dict[str, Any]:
    """Read a Datasette ``metadata.yml``.

    Raises:
        QuotetrackError: the file is missing, or the YAML is malformed (the message names
            file and line).
    """
    if not Path(path).is_file():
        raise QuotetrackError(f"{path}: metadata file not found")
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise QuotetrackError(f"{where}: not valid YAML ({getattr(e, 'problem', e)})") from e


def parse_settings(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Turn ``--setting NAME VALUE`` pairs into Datasette settings of the right type.

    Raises:
        QuotetrackError: the name is not a Datasette setting or the value has the wrong type.
    """
    settings: dict[str, Any] = {}
    for name, value in pairs:
        if name not in DEFAULT_SETTINGS:
            known = ", ".join(sorted(DEFAULT_SETTINGS))
            raise QuotetrackError(f"Unknown setting {name!r}. Datasette settings: {known}")
        settings[name] = _typed(name, value, DEFAULT_SETTINGS[name])
    return settings


def _typed(name: str, value: str, default: Any) -> Any:
    """Convert a command-line string to the type of the setting's default."""
    if isinstance(default, bool):
        if value.lower() in ("1", "true", "on", "yes"):
            return True
        if value.lower() in ("0", "false", "off", "no"):
            return False
        raise QuotetrackError(f"Setting {name!r} takes true or false, not {value!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except ValueError:
            raise QuotetrackError(f"Setting {name!r} takes a whole number, not {value!r}") from None
    return value


def existing_database(db_path: str | Path) -> Path:
    """Return ``db_path`` as a Path if the file exists.

    Raises:
        QuotetrackError: it does not, with the command that creates it.
    """
    path = Path(db_path)
    if not path.is_file():
        raise QuotetrackError(f"Database {path} not found. Run: quotetrack build data/ --db {path}")
    return path


def make_datasette(
    db_path: str | Path,
    *,
    allow_sql: bool = False,
    settings: dict[str, Any] | None = None,
    metadata: str | Path | None = None,
    debug: bool = False,
) -> Datasette:
    """Build the Datasette instance that ``quotetrack serve`` runs and the tests query.

    The database is opened read-only (not immutable: a new build shows up as soon as it
    commits) and always named ``quotes``; one an older quotetrack wrote is migrated first.

    Args:
        db_path: the SQLite file written by ``quotetrack build``.
        allow_sql: let anyone run arbitrary SQL (``?sql=``); canned queries work either way.
        settings: Datasette settings applied over ``SAFE_SETTINGS``.
        metadata: a ``metadata.yml`` of your own instead of the one shipped in the package.
        debug: also serve Datasette's debug pages and the ``problems`` table.
    """
    path = existing_database(db_path)
    store.upgrade(path)
    merged = {**SAFE_SETTINGS, **(settings or {})}
    if allow_sql:
        merged["default_allow_sql"] = True
    site = load_metadata(metadata or METADATA_FILE)
    site.setdefault("plugins", {})[GUARD_PLUGIN] = {"debug": debug}
    quiet_client_errors()
    interrupt_slow_queries()
    ds = Datasette(
        # no files here: add_database below names the one database
        memory=False,
        metadata=site,
        plugins_dir=str(PLUGINS_DIR),
        static_mounts=[("static", str(STATIC_DIR))],
        template_dir=str(TEMPLATES_DIR),
        settings=merged,
    )
    ds.remove_database("_memory")  # Datasette adds it when started without files
    ds.add_database(Database(ds, path=str(path.resolve()), is_mutable=True), name=DATABASE_NAME)
    return ds


def quiet_client_errors() -> None:
    """No traceback in the log for a reader's mistake (404, 403, 400).

    Datasette 0.65's default error handler prints every exception, a 404 included, with
    ``rich`` (165 lines with locals) when rich is installed (spaCy installs it); without rich
    it prints a plain traceback for real server errors (500) only, which is what a log needs.
    """
    import datasette.handle_exception

    datasette.handle_exception.rich = None


def interrupt_slow_queries() -> None:
    """Hold Datasette's SQL time limits with a timer instead of a progress handler.

    Datasette 0.65 stops a query over ``sql_time_limit_ms`` (or ``facet_time_limit_ms``)
    through a Python callback that SQLite calls every 1,000 instructions. Each call needs
    the GIL, which the thread rendering other pages holds for up to 5 ms at a time: with
    one page rendering, a 58 ms search took 2.7 s and ran out of time (issue 25). The timer
    interrupts the connection at the deadline and costs the query nothing before.
    """
    import datasette.database

    datasette.database.sqlite_timelimit = sql_time_limit


@contextlib.contextmanager
def sql_time_limit(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Interrupt what ``conn`` runs inside the ``with`` block once ``ms`` milliseconds have
    passed; SQLite then raises ``OperationalError("interrupted")``, which Datasette reports
    as a query over its time limit."""
    lock = threading.Lock()
    inside = [True]

    def interrupt() -> None:
        with lock:  # never once the block is left: the interrupt would hit the next query
            if inside[0]:
                conn.interrupt()

    timer = threading.Timer(ms / 1000, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            inside[0] = False
        timer.cancel()


def serve(ds: Datasette, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve ``ds`` over HTTP until interrupted, as ``datasette serve`` does."""
    import uvicorn  # a Datasette dependency; only needed for a real server

    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on")


def parse_since(since: str) -> str:
    """Check a ``--since`` date (``YYYY-MM-DD``) and return it in that form.

    Raises:
        QuotetrackError: it is not an ISO date.
    """
    try:
        return dt.date.fromisoformat(since).isoformat()
    except ValueError:
        raise QuotetrackError(f"--since takes a date as YYYY-MM-DD, not {since!r}") from None


def export_csv(
    fp: IO[str],
    db_path: str | Path,
    *,
    speaker: str | None = None,
    since: str | None = None,
    metadata: str | Path | None = None,
) -> int:
    """Write rows of the ``claims`` view to ``fp`` as CSV, reading the database read-only.

    Args:
        fp: a text file; rows end in CRLF, as in Datasette's CSV.
        db_path: the SQLite file written by ``quotetrack build``.
        speaker: any spelling of one speaker's name, matched by the ``statements_by_speaker``
            canned query of ``metadata.yml``, so the site and the export agree.
        since: only claims published on or after this ``YYYY-MM-DD`` date.
        metadata: the ``metadata.yml`` holding the canned query (default: the package's).

    Returns:
        The number of rows written (the header line not counted).
    """
    path = existing_database(db_path)
    inner = "select * from claims" if speaker is None else canned_query(SPEAKER_QUERY, metadata)
    sql = READING_ORDER.format(inner=inner)
    params = {"name": speaker, "since": parse_since(since) if since else None}
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        register_sql_functions(conn)
        cursor = conn.execute(sql, params)
        writer = csv.writer(fp)
        writer.writerow([column[0] for column in cursor.description])
        count = 0
        for row in cursor:
            writer.writerow(row)
            count += 1
        return count
    finally:
        conn.close()


def canned_query(name: str, metadata: str | Path | None = None) -> str:
    """Return the SQL of a canned query of the ``quotes`` database in ``metadata.yml``."""
    path = Path(metadata or METADATA_FILE)
    queries = load_metadata(path).get("databases", {}).get(DATABASE_NAME, {}).get("queries", {})
    if name not in queries:
        raise QuotetrackError(f"{path}: no canned query {name!r} under databases.{DATABASE_NAME}.queries")
    query = queries[name]
    return query["sql"] if isinstance(query, dict) else query
