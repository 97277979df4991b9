"""A hardened server that follows the builds (issue 25): 4xx for readers' mistakes with no
traceback in the log, debug pages and the problems table closed unless --debug, and a new
build visible without a restart.

Datasette runs in process (``ds.client``) on the hand-made corpus of ``test_publish``.
"""

import contextlib
import sqlite3
import time

import pytest
from click.testing import CliRunner

from quotetrack import api, publish
from quotetrack.cli import cli
from quotetrack.publish import make_datasette

from test_build import fake_extract_articles, write
from test_publish import make_db

BAD_REQUESTS = [
    ("/quotes/claims?_sort=nope", 400),
    ("/quotes/quotes?_sort_desc=nope", 400),
    ("/quotes/claims?_facet=nope", 400),
    ("/quotes/quotes?_size=abc", 400),
    ("/-/static-plugins/datasette_search_all/../../../etc/passwd", 404),
    ("/-/static-plugins/datasette_search_all/~2E~2E~2f__init__~2Epy", 404),
    ("/-/static-plugins/nope/x", 404),
    ("/quotes/quotes/-/insert", 404),
    ("/quotes/nope", 404),
    ("/nope/nope/nope", 404),
    ("/quotes/quotes/nope-row", 404),
    ("/quotes.json?sql=select+1", 403),
]
DEBUG_PAGES = [
    "/-/threads",
    "/-/threads.json",
    "/-/messages",
    "/-/allow-debug",
    "/-/patterns",
    "/-/databases",
    "/-/databases.json",
    "/-/plugins.json",
    "/-/versions.json",
    "/-/actor.json",
]


@pytest.fixture
def quotes_db(tmp_path):
    return make_db(tmp_path / "quotes.db")


@pytest.fixture
def ds(quotes_db):
    return make_datasette(quotes_db)


@pytest.mark.parametrize("path, status", BAD_REQUESTS)
async def test_bad_requests_are_4xx_without_a_traceback(ds, path, status, capfd):
    response = await ds.client.get(path)
    assert response.status_code == status
    log = "".join(capfd.readouterr())
    # Datasette logs a failed facet's SQL on one ERROR record; nothing else may appear
    assert "Traceback" not in log and "│" not in log
    assert log == "" or log.startswith("ERROR: conn=")


@pytest.mark.parametrize("path", DEBUG_PAGES)
async def test_debug_pages_are_closed_by_default(ds, quotes_db, path):
    assert (await ds.client.get(path)).status_code == 404
    debug = make_datasette(quotes_db, debug=True)
    assert (await debug.client.get(path)).status_code == 200


async def test_database_list_does_not_leak_the_file_path(ds, quotes_db):
    for path in ("/-/databases.json", "/quotes.json", "/-/metadata.json", "/"):
        response = await ds.client.get(path)
        assert str(quotes_db.parent) not in response.text, path


@pytest.mark.parametrize(
    "path", ["/quotes/problems", "/quotes/problems.json", "/quotes/problems.csv", "/quotes/problems/1.json"]
)
async def test_problems_table_is_refused_by_default(quotes_db, path):
    ds = make_datasette(quotes_db)
    assert (await ds.client.get(path)).status_code == 403
    debug = make_datasette(quotes_db, debug=True)
    assert (await debug.client.get("/quotes/problems.json")).status_code == 200


async def test_pages_readers_use_still_answer(ds):
    for path in (
        "/",
        "/quotes",
        "/quotes/claims",
        "/quotes/claims.json",
        "/quotes/speakers",
        "/quotes/statements_by_speaker?name=al-Majei",
        "/-/settings.json",
        "/static/quotetrack.css",
    ):
        assert (await ds.client.get(path)).status_code == 200, path


async def test_cli_serve_debug_flag(quotes_db, monkeypatch):
    started = {}
    monkeypatch.setattr(publish, "serve", lambda ds, **where: started.update(ds=ds))
    assert CliRunner().invoke(cli, ["serve", "--db", str(quotes_db), "--debug"]).exit_code == 0
    assert (await started["ds"].client.get("/-/threads.json")).status_code == 200


async def test_a_new_build_shows_up_without_a_restart(tmp_path, monkeypatch):
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_articles([]))
    corpus, db_path = tmp_path / "corpus", tmp_path / "quotes.db"
    write(corpus / "a.txt", '"We will not retreat," Mustafa Al-Mujie said.\n')
    api.build([corpus], db_path=db_path)
    ds = make_datasette(db_path)

    async def claims():
        response = await ds.client.get("/quotes/claims.json?_shape=array")
        assert response.status_code == 200
        return sorted(row["quote"] for row in response.json())

    assert await claims() == ["We will not retreat"]
    assert await claims() == ["We will not retreat"]  # the first read opened the WAL
    again = await ds.client.get("/quotes/claims.json?_shape=array")  # the page cache answers
    assert again.headers["x-quotetrack-cache"] == "hit"
    write(corpus / "b.txt", '"Talks failed," Fayez al-Sarraj said.\n')
    api.build([corpus], db_path=db_path)
    assert await claims() == ["Talks failed", "We will not retreat"]
    (corpus / "a.txt").unlink()
    api.build([corpus], db_path=db_path, rebuild=True)
    assert await claims() == ["Talks failed"]


async def test_page_cache_keeps_only_plain_successful_pages(ds):
    await ds.client.get("/quotes")  # the first read opens the write-ahead log: a new version
    first = await ds.client.get("/quotes/claims")
    assert first.headers["x-quotetrack-cache"] == "miss"
    second = await ds.client.get("/quotes/claims")
    assert second.headers["x-quotetrack-cache"] == "hit" and second.text == first.text
    other = await ds.client.get("/quotes/claims?kind=direct")
    assert other.headers["x-quotetrack-cache"] == "miss"
    for _ in range(2):
        assert (await ds.client.get("/quotes/nope")).headers["x-quotetrack-cache"] == "miss"
    signed_in = await ds.client.get("/quotes/claims", cookies={"ds_actor": "x"})
    assert "x-quotetrack-cache" not in signed_in.headers
    with_csrf_cookie = await ds.client.get("/quotes/claims", cookies={"ds_csrftoken": "x"})
    assert with_csrf_cookie.headers["x-quotetrack-cache"] == "hit"
    fresh = await ds.client.get("/quotes/claims", headers={"cache-control": "no-cache"})
    assert fresh.headers["x-quotetrack-cache"] == "miss"


async def test_page_whose_facets_timed_out_is_not_kept(ds, monkeypatch):
    import datasette.database

    facet_limit = ds.setting("facet_time_limit_ms")

    @contextlib.contextmanager
    def facets_out_of_time(conn, ms):
        """Every facet query runs out of time; the page's own queries do not."""
        conn.set_progress_handler(lambda: int(ms == facet_limit), 1)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 1)

    monkeypatch.setattr(datasette.database, "sqlite_timelimit", facets_out_of_time)
    await ds.client.get("/quotes")  # the first read opens the write-ahead log: a new version
    for _ in range(2):
        page = await ds.client.get("/quotes/claims")
        assert "These facets timed out" in page.text and page.headers["x-quotetrack-cache"] == "miss"


async def test_pages_are_kept_max_age_seconds_at_most(ds, monkeypatch):
    from datasette.plugins import pm

    await ds.client.get("/quotes")  # the first read opens the write-ahead log: a new version
    await ds.client.get("/quotes/speakers")
    assert (await ds.client.get("/quotes/speakers")).headers["x-quotetrack-cache"] == "hit"
    monkeypatch.setattr(pm.get_plugin("quotetrack_cache.py"), "MAX_AGE", -1)
    assert (await ds.client.get("/quotes/speakers")).headers["x-quotetrack-cache"] == "miss"


async def test_page_cache_runs_a_page_once_for_readers_asking_at_the_same_time(ds):
    import asyncio

    await ds.client.get("/quotes")  # the first read opens the write-ahead log: a new version
    answers = await asyncio.gather(*[ds.client.get("/quotes/claims?kind=direct") for _ in range(6)])
    assert {a.status_code for a in answers} == {200} and len({a.text for a in answers}) == 1
    assert sorted(a.headers["x-quotetrack-cache"] for a in answers) == ["hit"] * 5 + ["miss"]


def test_sql_time_limit_interrupts_a_long_query_and_nothing_after_it():
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("create table t (x)")
    conn.executemany("insert into t values (?)", [(i,) for i in range(2000)])
    # four billion rows to count: minutes of work
    with pytest.raises(sqlite3.OperationalError, match="interrupted"), publish.sql_time_limit(conn, 50):
        conn.execute("select count(*) from t a, t b, t c").fetchone()
    with publish.sql_time_limit(conn, 50):
        assert conn.execute("select count(*) from t").fetchone() == (2000,)
    time.sleep(0.1)  # past the second limit: its timer must not interrupt what comes next
    assert conn.execute("select count(*) from t a, t b").fetchone() == (4_000_000,)


def test_datasette_holds_its_time_limits_with_the_timer(ds):
    import datasette.database

    assert datasette.database.sqlite_timelimit is publish.sql_time_limit


@pytest.fixture
def search_plugin():
    from datasette.plugins import pm

    return pm.get_plugin("quotetrack_search.py")


async def test_a_search_of_many_rows_has_no_facets_and_says_why(ds, search_plugin, monkeypatch):
    params = {"_search": "the"}
    counted = (await ds.client.get("/quotes/quotes.json", params=params)).json()
    assert counted["filtered_table_rows_count"] == 4 and counted["facet_results"]
    monkeypatch.setattr(search_plugin, "FACET_MAX_ROWS", 3)
    skipped = (await ds.client.get("/quotes/quotes.json", params=params)).json()
    assert skipped["facet_results"] == {}
    assert skipped["rows"] == counted["rows"]
    html = (await ds.client.get("/quotes/quotes", params=params)).text
    assert "No facets for this search: it matches 4 rows, and facets are counted for 3 at most." in html
    # a page that is no search keeps its facets, however many rows it has
    assert (await ds.client.get("/quotes/quotes.json")).json()["facet_results"]
    assert "No facets for this search" not in (await ds.client.get("/quotes/quotes")).text


@pytest.mark.parametrize("size", [50, 2])
async def test_a_search_of_many_rows_walks_the_table_for_the_same_rows(ds, search_plugin, monkeypatch, size):
    params = {"_search": "the", "_size": size}
    by_lookup = (await ds.client.get("/quotes/quotes.json", params=params)).json()
    assert "+rowid in" not in by_lookup["query"]["sql"]
    monkeypatch.setattr(search_plugin, "SCAN_MIN_ROWS", 3)
    by_scan = (await ds.client.get("/quotes/quotes.json", params=params)).json()
    scan = "+rowid in (select rowid from quotes_fts where quotes_fts match escape_fts(:search))"
    assert scan in by_scan["query"]["sql"]
    assert by_scan["rows"] == by_lookup["rows"] and by_scan["next"] == by_lookup["next"]
    assert by_scan["filtered_table_rows_count"] == by_lookup["filtered_table_rows_count"] == 4
