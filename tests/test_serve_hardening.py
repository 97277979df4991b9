"""A hardened server that follows the builds (issue 25): 4xx for readers' mistakes with no
traceback in the log, debug pages and the problems table closed unless --debug, and a new
build visible without a restart.

Datasette runs in process (``ds.client``) on the hand-made corpus of ``test_publish``.
"""

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
DEBUG_PAGES = ["/-/threads", "/-/threads.json", "/-/messages", "/-/allow-debug", "/-/patterns",
               "/-/databases", "/-/databases.json", "/-/plugins.json", "/-/versions.json", "/-/actor.json"]


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


@pytest.mark.parametrize("path", ["/quotes/problems", "/quotes/problems.json", "/quotes/problems.csv",
                                  "/quotes/problems/1.json"])
async def test_problems_table_is_refused_by_default(quotes_db, path):
    ds = make_datasette(quotes_db)
    assert (await ds.client.get(path)).status_code == 403
    debug = make_datasette(quotes_db, debug=True)
    assert (await debug.client.get("/quotes/problems.json")).status_code == 200


async def test_pages_readers_use_still_answer(ds):
    for path in ("/", "/quotes", "/quotes/claims", "/quotes/claims.json", "/quotes/speakers",
                 "/quotes/statements_by_speaker?name=al-Majei", "/-/settings.json", "/static/quotetrack.css"):
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


async def test_page_whose_facets_timed_out_is_not_kept(tmp_path):
    # 2,100 quotes take a facet query well over 1 ms
    ds = make_datasette(make_db(tmp_path / "big.db", copies=300), settings={"facet_time_limit_ms": 1})
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
