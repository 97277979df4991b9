"""Publishing through Datasette (issue 5): facets, canned queries, search, CSV, safe defaults.

Runs Datasette in process (``ds.client``), no server and no ports, on a small hand-made
corpus written through ``store``, so it has the schema ``quotetrack build`` writes.
"""

import csv
import io
import sqlite3
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from quotetrack import publish, store
from quotetrack.cli import cli
from quotetrack.errors import QuotetrackError
from quotetrack.publish import METADATA_FILE, export_csv, load_metadata, make_datasette, parse_settings
from quotetrack.types import Alias, Article, Quote, Speaker

from conftest import ROOT, as_schema_3


MUJIE = "Mustafa Al-Mujie"
MUJIE_SPELLINGS = ["Mustafa Al-Mujie", "al-Majei", "Al-Mujie", "Mujie", "Al-Majai"]

ARTICLES = [
    # id, title, outlet, published, language
    ("a1", "Haftar's forces retreat", "Al Jazeera Net", "2020-06-05", "en"),
    ("a2", "Tarhuna falls", "Al Jazeera Net", "2020-06-06", "en"),
    ("a3", "قوات حفتر تتراجع شرقا", "Reuters", "2020-06-06", "ar"),
]
SPEAKERS = [
    # id, name, type, aliases
    ("s-mujie", MUJIE, "person", ["Mustafa Al-Mujie", "al-Majei", "Al-Majai"]),
    ("s-sanalla", "Mustafa Sanalla", "person", ["Mustafa Sanalla"]),
    ("s-mismari", "أحمد المسماري", "person", ["أحمد المسماري"]),
    ("s-turkish", "a Turkish official", "anonymous", ["a Turkish official"]),
]
QUOTES = [
    # article, speaker, mention, kind, cue, cue_lemma, content
    (
        "a1",
        "s-mujie",
        "Mustafa Al-Mujie",
        "indirect",
        "confirmed",
        "confirm",
        "the collapse of Haftar's forces was not surprising",
    ),
    ("a1", "s-mujie", "al-Majei", "direct", "said", "say", "The Operation Room pursued a strategy of attrition"),
    (
        "a1",
        "s-mujie",
        "Al-Majai",
        "indirect",
        "believes",
        "believe",
        "the defeatist spirit contributed to their dramatic fall",
    ),
    ("a2", "s-mujie", "He", "direct", "said", "say", "Sirte will return to the government"),
    ("a2", "s-sanalla", "Mustafa Sanalla", "direct", "said", "say", "Oil exports must resume"),
    ("a2", "s-turkish", "a Turkish official", "direct", "said", "say", "Talks with Moscow are under way"),
    ("a3", "s-mismari", "أحمد المسماري", "indirect", "قال", "قال", "دولا صديقة حثت على إنهاء القتال"),
]


def make_db(path, copies=1):
    """Write the hand-made corpus through ``store``; ``copies`` repeats every quote."""
    db = store.open_db(path)
    speakers = {id_: (name, type_) for id_, name, type_, _ in SPEAKERS}
    quotes = []
    for article_id, title, outlet, published, language in ARTICLES:
        text, found = "", []
        for _ in range(copies):
            for article, speaker, mention, kind, cue, lemma, content in QUOTES:
                if article != article_id:
                    continue
                name, type_ = speakers[speaker]
                found.append(
                    Quote(
                        article_id=article,
                        kind=kind,
                        content=content,
                        content_start=len(text),
                        content_end=len(text) + len(content),
                        cue=cue,
                        cue_lemma=lemma,
                        speaker_mention=mention,
                        speaker=name,
                        article_speaker=name,
                        speaker_type=type_,
                        speaker_id=speaker,
                        language=language,
                    )
                )
                text += content + "\n"
        article = Article(id=article_id, text=text, language=language, title=title, outlet=outlet, published=published)
        store.write_article(db, article, found, [], status="extracted")
        quotes += found
    speakers = [
        Speaker(id_, name, type_, aliases=[Alias(name=a, speaker_id=id_, rule="same-key") for a in aliases])
        for id_, name, type_, aliases in SPEAKERS
    ]
    store.write_resolution(db, speakers, quotes)
    db.close()
    return path


@pytest.fixture
def quotes_db(tmp_path):
    return make_db(tmp_path / "quotes.db")


@pytest.fixture
def ds(quotes_db, monkeypatch):
    return make_datasette(quotes_db)


def sql_rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- facets, search, canned queries ----------------------------------------------------


async def test_facet_counts_equal_sql_counts(ds, quotes_db):
    response = await ds.client.get("/quotes/claims.json")
    assert response.status_code == 200
    facets = response.json()["facet_results"]
    assert {"speaker", "kind", "cue_lemma", "outlet", "language"} <= set(facets)
    for column in ["speaker", "speaker_type", "kind", "cue_lemma", "outlet", "language"]:
        shown = {r["value"]: r["count"] for r in facets[column]["results"]}
        counted = dict(sql_rows(quotes_db, f"select {column}, count(*) from claims group by {column}"))
        assert shown == counted, column


async def test_date_facet_counts_equal_sql_counts(ds, quotes_db):
    facets = (await ds.client.get("/quotes/claims.json")).json()["facet_results"]
    shown = {r["value"]: r["count"] for r in facets["published"]["results"]}
    assert shown == dict(sql_rows(quotes_db, "select published, count(*) from claims group by published"))


async def test_speaker_facet_link_filters_rows(ds):
    facets = (await ds.client.get("/quotes/claims.json")).json()["facet_results"]
    (mujie,) = [r for r in facets["speaker"]["results"] if r["value"] == MUJIE]
    link = urlsplit(mujie["toggle_url"])
    rows = (await ds.client.get(f"{link.path}?{link.query}&_shape=array")).json()
    assert len(rows) == mujie["count"] == 4
    assert {r["speaker"] for r in rows} == {MUJIE}


@pytest.mark.parametrize("spelling", MUJIE_SPELLINGS)
async def test_statements_by_speaker_any_spelling(ds, quotes_db, spelling):
    response = await ds.client.get("/quotes/statements_by_speaker.json", params={"name": spelling, "_shape": "array"})
    assert response.status_code == 200
    rows = response.json()
    expected = sql_rows(quotes_db, "select quote_id from claims where speaker_id = 's-mujie' order by quote_id")
    assert sorted(r["quote_id"] for r in rows) == [q for (q,) in expected]
    assert {r["speaker"] for r in rows} == {MUJIE}


@pytest.mark.parametrize("name", ["Mustafa", "Al", "Mustafa Al-Nobody", ""])
async def test_statements_by_speaker_drags_in_nobody_else(ds, name):
    """A first name or a stray word is not a surname: Mustafa Sanalla and Al-Mujie stay out."""
    rows = (await ds.client.get("/quotes/statements_by_speaker.json", params={"name": name, "_shape": "array"})).json()
    assert rows == []


async def test_statements_by_speaker_arabic_script(ds):
    rows = (
        await ds.client.get("/quotes/statements_by_speaker.json", params={"name": "احمد المسماري", "_shape": "array"})
    ).json()
    assert [r["speaker"] for r in rows] == ["أحمد المسماري"]


async def test_speakers_overview(ds):
    rows = (await ds.client.get("/quotes/speakers_overview.json?_shape=array")).json()
    assert rows[0]["name"] == MUJIE and rows[0]["quote_count"] == 4
    assert set(rows[0]["aliases"].split("; ")) == {"Mustafa Al-Mujie", "al-Majei", "Al-Majai"}
    assert list(rows[0]) == [
        "id",
        "name",
        "speaker_type",
        "roles",
        "aliases",
        "quote_count",
        "first_published",
        "last_published",
    ]


async def test_full_text_search_finds_quote_by_word(ds):
    rows = (await ds.client.get("/quotes/quotes.json?_search=attrition&_shape=array")).json()
    assert [r["speaker_mention"] for r in rows] == ["al-Majei"]


async def test_foreign_keys_show_labels(ds):
    rows = (await ds.client.get("/quotes/quotes.json?speaker_id=s-mujie&_labels=on&_shape=array&_size=1")).json()
    assert rows[0]["speaker_id"]["label"] == MUJIE
    assert rows[0]["article_id"]["label"] == "Haftar's forces retreat"


# --- the sample corpus, built by quotetrack build ----------------------------------------


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    from quotetrack import api

    path = tmp_path_factory.mktemp("seeds") / "quotes.db"
    api.build([ROOT / "data"], db_path=path)
    return path


@pytest.fixture
def seeds_ds(seeds_db, monkeypatch):
    return make_datasette(seeds_db, settings={"default_facet_size": 100})


async def test_seeds_facet_counts_equal_sql_counts(seeds_ds, seeds_db):
    # every value: metadata.yml shows 5 a facet on the page
    facets = (await seeds_ds.client.get("/quotes/claims.json?_facet_size=max")).json()["facet_results"]
    assert set(facets) == {
        "speaker",
        "speaker_type",
        "kind",
        "cue_lemma",
        "outlet",
        "language",
        "published",
        "confidence_band",
        "claim_outlets",
    }
    for column, facet in facets.items():
        shown = {r["value"]: r["count"] for r in facet["results"]}
        counted = sql_rows(
            seeds_db, f"select {column}, count(*) from claims where {column} is not null group by {column}"
        )
        assert shown == dict(counted), column


@pytest.mark.parametrize(
    "speaker, spellings",
    [
        (MUJIE, MUJIE_SPELLINGS),
        ("Fayez al-Sarraj", ["Fayez al-Sarraj", "Al-Sarraj", "al-Sarraaj", "Sarraj", "fayez al sarraj"]),
        ("أحمد المسماري", ["أحمد المسماري", "احمد المسماري", "المسماري"]),
    ],
)
async def test_seeds_statements_by_speaker_every_spelling(seeds_ds, seeds_db, speaker, spellings):
    expected = sql_rows(seeds_db, "select quote_id from claims where speaker = ? order by quote_id", [speaker])
    assert expected
    for spelling in spellings:
        rows = (
            await seeds_ds.client.get(
                "/quotes/statements_by_speaker.json", params={"name": spelling, "_shape": "array"}
            )
        ).json()
        assert sorted(r["quote_id"] for r in rows) == [q for (q,) in expected], spelling


@pytest.mark.parametrize("word, speaker", [("attrition", MUJIE), ("تقسيم", "سعيد مغيب")])
async def test_seeds_full_text_search(seeds_ds, word, speaker):
    rows = (await seeds_ds.client.get("/quotes/quotes.json", params={"_search": word, "_shape": "array"})).json()
    assert [r["speaker"] for r in rows] == [speaker]
    assert word in rows[0]["content"]


async def test_seeds_streamed_csv_has_every_claim(seeds_ds, seeds_db):
    response = await seeds_ds.client.get("/quotes/claims.csv?_stream=on&_size=max")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ((count,),) = sql_rows(seeds_db, "select count(*) from claims")
    assert len(rows) == count > 50


# --- CSV -------------------------------------------------------------------------------


async def test_streamed_csv_has_every_row_of_the_view(tmp_path, monkeypatch):
    path = make_db(tmp_path / "big.db", copies=40)  # 280 rows, more than one page
    ds = make_datasette(path, settings={"max_returned_rows": 100, "default_page_size": 20})
    response = await ds.client.get("/quotes/claims.csv?_stream=on")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    ((count,),) = sql_rows(path, "select count(*) from claims")
    assert len(rows) == count == 280
    assert "أحمد المسماري" in {r["speaker"] for r in rows}


def test_export_any_spelling_and_since(quotes_db, monkeypatch):
    for spelling in MUJIE_SPELLINGS:
        out = io.StringIO(newline="")
        assert export_csv(out, quotes_db, speaker=spelling) == 4
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        # every spelling, only him, in reading order (date, then place in the article)
        assert [r["quote"] for r in rows] == [q[6] for q in QUOTES if q[1] == "s-mujie"]
    out = io.StringIO(newline="")
    assert export_csv(out, quotes_db, speaker="al-Majei", since="2020-06-06") == 1
    assert export_csv(io.StringIO(), quotes_db) == len(QUOTES)


def test_export_writes_header_when_nothing_matches(quotes_db, monkeypatch):
    out = io.StringIO(newline="")
    assert export_csv(out, quotes_db, speaker="Nobody Atall") == 0
    assert out.getvalue().splitlines()[0].startswith("quote_id,speaker,speaker_type,role,kind")


def test_cli_export(quotes_db, tmp_path, monkeypatch):
    target = tmp_path / "mujie.csv"
    result = CliRunner().invoke(cli, ["export", "--speaker", "Mujie", "--csv", str(target), "--db", str(quotes_db)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 4 and {r["speaker"] for r in rows} == {MUJIE}


def test_cli_export_bad_date(quotes_db, tmp_path, monkeypatch):
    result = CliRunner().invoke(
        cli, ["export", "--since", "June 2020", "--csv", str(tmp_path / "x.csv"), "--db", str(quotes_db)]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: --since takes a date as YYYY-MM-DD, not 'June 2020'"


# --- safe defaults ---------------------------------------------------------------------


async def test_arbitrary_sql_refused_by_default(ds):
    response = await ds.client.get("/quotes.json?sql=select+count(*)+from+quotes")
    assert response.status_code == 403


async def test_allow_sql_turns_it_on(quotes_db, monkeypatch):
    ds = make_datasette(quotes_db, allow_sql=True)
    response = await ds.client.get("/quotes.json?sql=select+count(*)+as+n+from+quotes&_shape=array")
    assert response.json() == [{"n": len(QUOTES)}]


async def test_database_is_read_only_and_not_downloadable(ds):
    assert (await ds.client.get("/quotes.db")).status_code == 403
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await ds.get_database("quotes").execute_fn(lambda conn: conn.execute("delete from quotes"))


async def test_settings_are_safe_and_overridable(quotes_db, monkeypatch):
    ds = make_datasette(quotes_db, settings=parse_settings([("sql_time_limit_ms", "250")]))
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] == 250
    assert settings["default_allow_sql"] is False
    assert settings["suggest_facets"] is False


@pytest.mark.parametrize(
    "pairs, message",
    [
        ([("sql_time_limit", "5")], "Unknown setting 'sql_time_limit'."),
        ([("sql_time_limit_ms", "soon")], "Setting 'sql_time_limit_ms' takes a whole number, not 'soon'"),
        ([("allow_download", "maybe")], "Setting 'allow_download' takes true or false, not 'maybe'"),
    ],
)
def test_parse_settings_errors(pairs, message):
    with pytest.raises(QuotetrackError) as e:
        parse_settings(pairs)
    assert str(e.value).startswith(message)


def test_missing_database_names_the_fix(tmp_path, monkeypatch):
    missing = tmp_path / "none.db"
    with pytest.raises(QuotetrackError, match=f"Database {missing} not found. Run: quotetrack build data/"):
        make_datasette(missing)


def test_serve_and_export_from_another_folder(quotes_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no metadata.yml, plugins/ or static/ here
    started = {}
    monkeypatch.setattr(publish, "serve", lambda ds, **where: started.update(ds=ds))
    assert CliRunner().invoke(cli, ["serve", "--db", str(quotes_db)]).exit_code == 0
    assert started["ds"].metadata("title").startswith("quotetrack")
    result = CliRunner().invoke(cli, ["export", "--speaker", "al-Majei", "--csv", "out.csv", "--db", str(quotes_db)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Wrote 4 claims to out.csv\n"


def test_own_metadata_file(quotes_db, tmp_path, monkeypatch):
    own = tmp_path / "own.yml"
    own.write_text(METADATA_FILE.read_text("utf-8").replace("who said what in the news", "Daily quotes"), "utf-8")
    assert make_datasette(quotes_db, metadata=own).metadata("title") == "quotetrack — Daily quotes"
    result = CliRunner().invoke(cli, ["serve", "--db", str(quotes_db), "--metadata", str(tmp_path / "none.yml")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: {tmp_path / 'none.yml'}: metadata file not found"


async def test_cli_serve_passes_options(quotes_db, monkeypatch):
    started = {}
    monkeypatch.setattr(publish, "serve", lambda ds, **where: started.update(ds=ds, **where))
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(quotes_db), "--port", "8123", "--allow-sql", "--setting", "sql_time_limit_ms", "300"]
    )
    assert result.exit_code == 0, result.output
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    settings = (await started["ds"].client.get("/-/settings.json")).json()
    assert settings["default_allow_sql"] is True and settings["sql_time_limit_ms"] == 300


@pytest.mark.parametrize(
    "args, error",
    [
        (
            ["--db", "nowhere/quotes.db"],
            "Error: Database nowhere/quotes.db not found. Run: quotetrack build data/ --db nowhere/quotes.db",
        ),
        (["--setting", "sql_limit", "5"], "Error: Unknown setting 'sql_limit'."),
    ],
)
def test_cli_serve_errors(quotes_db, monkeypatch, args, error):
    monkeypatch.setattr(publish, "serve", lambda ds, **where: pytest.fail("must not start"))
    result = CliRunner().invoke(cli, ["serve", "--db", str(quotes_db), *args])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith(error)


# --- what readers see ------------------------------------------------------------------


def test_metadata_describes_every_table_and_column(quotes_db):
    metadata = load_metadata(METADATA_FILE)
    for key in ("title", "description_html", "license", "source"):
        assert metadata.get(key), key
    tables = metadata["databases"]["quotes"]["tables"]
    names = sql_rows(
        quotes_db, "select name from sqlite_master where type in ('table', 'view') and name not like '%fts%'"
    )
    for (name,) in names:
        assert tables[name]["description"], name
        if tables[name].get("hidden"):
            continue
        columns = [c for (_, c, *_) in sql_rows(quotes_db, f"pragma table_info({name})")]
        undocumented = set(columns) - set(tables[name]["columns"])
        assert not undocumented, f"{name}: {sorted(undocumented)}"


async def test_pages_carry_rtl_stylesheet(ds):
    page = await ds.client.get("/quotes/claims")
    assert page.status_code == 200
    assert '<link rel="stylesheet" href="/static/quotetrack.css">' in page.text
    css = await ds.client.get("/static/quotetrack.css")
    assert css.status_code == 200 and "unicode-bidi: plaintext" in css.text


def test_issue_27_in_the_seeds_only_the_turkish_officials_statement_is_carried_twice(seeds_db):
    carried = sql_rows(
        seeds_db, "select block, quote_count, outlet_count, languages from claim_groups where quote_count > 1"
    )
    assert carried == [("anonymous:tr", 2, 2, '["ar", "en"]')]
    speakers = sql_rows(
        seeds_db,
        "select speaker from quotes where claim_group_id = (select id from claim_groups "
        "where quote_count > 1) order by language",
    )
    assert speakers == [("مسؤول تركي",), ("a Turkish official",)]
    assert sql_rows(seeds_db, "select count(*) from quotes where claim_group_id is null") == [(0,)]


async def test_statements_by_speaker_page_reads_as_a_search_not_an_sql_form(ds):
    html = (await ds.client.get("/quotes/statements_by_speaker", params={"name": "al-Majei"})).text
    assert "<h1>Statements by one speaker</h1>" in html
    assert "Custom SQL query" not in html and "Run SQL" not in html
    assert 'value="Find statements"' in html and 'value="al-Majei"' in html
    assert html.count('<td class="col-speaker">') == 4
    nobody = (await ds.client.get("/quotes/statements_by_speaker", params={"name": "Mustafa Al-Nobody"})).text
    assert "No statements by a speaker of that name." in nobody


async def test_a_database_an_older_quotetrack_wrote_is_migrated_before_it_is_served(quotes_db):
    # schema 3 called the publisher "source"; the site's facets and views ask for "outlet"
    conn = sqlite3.connect(quotes_db)
    as_schema_3(conn)
    conn.commit()
    conn.close()
    page = await make_datasette(quotes_db).client.get("/quotes/claims.json?_shape=objects")
    assert page.status_code == 200
    assert {row["outlet"] for row in page.json()["rows"]} == {outlet for *_, outlet, _, _ in ARTICLES}
    assert sql_rows(quotes_db, "pragma user_version") == [(store.SCHEMA_VERSION,)]


def test_a_database_of_an_unknown_schema_is_refused_with_what_to_run(quotes_db):
    conn = sqlite3.connect(quotes_db)
    conn.execute("pragma user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(QuotetrackError, match=r"schema version 99.*--rebuild"):
        make_datasette(quotes_db)
