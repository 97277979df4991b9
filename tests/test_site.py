"""The site's own pages (issue 26): speaker and article pages, search by any spelling, the
overview, and the links from claims to them. Datasette runs in process (``ds.client``).

Most tests use a small corpus written through ``store`` whose texts hold their quotes at
the stored offsets (so the article page can mark them); the ``seeds`` tests build the
sample corpus in ``data/`` with the real extractor.
"""

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest

from quotetrack import pages, store
from quotetrack.fold import fold_text, fts_query, index_text
from quotetrack.publish import make_datasette
from quotetrack.types import Alias, Article, Quote, Speaker

ROOT = Path(__file__).resolve().parent.parent
MUJIE, HAFTAR = "Mustafa Al-Mujie", "Khalifa Haftar"
XSS = '<script>alert("x")</script>'

SPEAKERS = [
    # id, name, type, aliases (name, count)
    ("p-mujie", MUJIE, "person", [(MUJIE, 2), ("al-Majei", 1), ("Al-Majai", 1)]),
    ("p-haftar", HAFTAR, "person", [(HAFTAR, 2), ("Haftar", 1)]),
    ("p-mismari", "أحمد المسماري", "person", [("أحمد المسماري", 1)]),
    ("p-xss", f"Evil {XSS}", "person", [(f"Evil {XSS}", 1)]),
]
# article id, title, outlet, published, language, pieces: plain text or
# (speaker id, mention, cue, quote, kind) laid out as "MENTION CUE that QUOTE."
ARTICLES = [
    (
        "a1",
        "Haftar's forces retreat",
        "Al Jazeera Net",
        "2020-04-20",
        "en",
        [
            "Fighting went on south of Tripoli.\n\n",
            ("p-mujie", MUJIE, "said", "the Operation Room pursued a strategy of attrition", "indirect"),
            ("p-haftar", HAFTAR, "said", "his forces would take the capital", "indirect"),
        ],
    ),
    (
        "a2",
        "Tarhuna falls",
        "Reuters",
        "2020-06-05",
        "en",
        [
            ("p-mujie", "al-Majei", "confirmed", "the collapse was not surprising", "indirect"),
            ("p-mujie", "Al-Majai", "said", "Sirte will return to the government", "direct"),
            ("p-xss", "Evil", "said", f"{XSS} and <img src=x onerror=alert(1)>", "direct"),
        ],
    ),
    (
        "a3",
        "قوات حفتر تتراجع شرقا",
        "Reuters",
        "2020-06-06",
        "ar",
        [
            ("p-mismari", "أحمد المسماري", "قال", "إن الانتخابات ستجري في موعدها", "indirect"),
            ("p-mismari", "أحمد المسماري", "قال", "إن مُحَمَّد وأحمد حضرا الاجتماع", "indirect"),
        ],
    ),
]
MUJIE_STATEMENTS = 3


def lay_out(article_id, language, pieces, speakers):
    """The article text and its quotes, with their offsets where the words are."""
    text, quotes = "", []
    for piece in pieces:
        if isinstance(piece, str):
            text += piece
            continue
        speaker_id, mention, cue, content, kind = piece
        mention_start = len(text)
        text += f"{mention} "
        cue_start = len(text)
        text += f"{cue} that "
        content_start = len(text)
        text += f"{content}.\n\n"
        name, type_ = speakers[speaker_id]
        quotes.append(
            Quote(
                article_id=article_id,
                kind=kind,
                content=content,
                content_start=content_start,
                content_end=content_start + len(content),
                cue=cue,
                cue_lemma=cue,
                cue_start=cue_start,
                cue_end=cue_start + len(cue),
                speaker_mention=mention,
                mention_start=mention_start,
                mention_end=mention_start + len(mention),
                speaker=name,
                article_speaker=name,
                speaker_type=type_,
                speaker_id=speaker_id,
                language=language,
            )
        )
    return text, quotes


def make_db(path):
    db = store.open_db(path)
    speakers = {id_: (name, type_) for id_, name, type_, _ in SPEAKERS}
    quotes = []
    for article_id, title, outlet, published, language, pieces in ARTICLES:
        text, found = lay_out(article_id, language, pieces, speakers)
        article = Article(id=article_id, text=text, language=language, title=title, outlet=outlet, published=published)
        store.write_article(db, article, found, [], status="extracted")
        quotes += found
    store.write_resolution(
        db,
        [
            Speaker(
                id=id_,
                name=name,
                speaker_type=type_,
                roles=["spokesman <b>"],
                aliases=[Alias(name=a, speaker_id=id_, rule="same-key", count=n) for a, n in aliases],
            )
            for id_, name, type_, aliases in SPEAKERS
        ],
        quotes,
    )
    db.close()
    return path


@pytest.fixture
def db_file(tmp_path):
    return make_db(tmp_path / "quotes.db")


@pytest.fixture
def ds(db_file, monkeypatch):
    monkeypatch.chdir(ROOT)
    return make_datasette(db_file)


def count_statement_marks(html: str) -> int:
    return len(re.findall(r'<mark class="statement ', html))


# --- folding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("مُحَمَّد", "محمد"),
        ("مـحـمـد", "محمد"),
        ("الانتخابات", "انتخابات"),
        ("والانتخابات", "انتخابات"),
        ("بالانتخابات", "انتخابات"),
        ("للانتخابات", "انتخابات"),
        ("مصطفى", "مصطفي"),
        ("حكومة", "حكومه"),
        ("مسؤول", "مسوول"),
    ],
)
def test_fold_makes_spellings_of_one_word_equal(a, b):
    assert fold_text(a) == fold_text(b)


def test_fold_keeps_short_words_and_latin_text():
    assert fold_text("الله") == "الله"  # the article goes only when three letters remain
    assert fold_text("Al-Mujie said, “no”") == "Al-Mujie said, “no”"


def test_index_text_adds_words_without_their_conjunction():
    assert index_text("إن مُحَمَّد وأحمد حضرا") == "ان محمد واحمد حضرا احمد"
    assert index_text("No Arabic here") == "No Arabic here"


def test_fts_query_quotes_every_word_so_nothing_is_parsed():
    assert fts_query('Haftar OR "x" NEAR(y) *') == '"Haftar" "OR" "x" "NEAR" "y"'
    assert fts_query("  ") == ""


# --- the data behind the pages --------------------------------------------------------------


def test_marked_segments_put_text_back_together_and_skip_overlaps():
    text = "He said that A B C. Then D."
    quotes = [
        {
            "id": "q1",
            "content_start": 13,
            "content_end": 18,
            "cue_start": 3,
            "cue_end": 7,
            "mention_start": 0,
            "mention_end": 2,
        },
        {"id": "q2", "content_start": 15, "content_end": 18},  # inside q1: an anchor only
        {"id": "q3", "content_start": 25, "content_end": 99},  # past the end: an anchor only
        {"id": "q4", "content_start": 99, "content_end": 120},  # wholly outside: left out
    ]
    segments = pages.marked_segments(text, quotes)
    assert "".join(s["text"] for s in segments) == text
    assert [(s["kind"], s["text"]) for s in segments if s["kind"] != "text"] == [
        ("mention", "He"),
        ("cue", "said"),
        ("statement", "A B C"),
        ("anchor", ""),
        ("anchor", ""),
    ]
    assert [s["quote"]["id"] for s in segments if s["first"]] == ["q1", "q2", "q3"]


def test_month_bars_fill_the_months_with_none():
    chart = pages.month_bars(
        [{"month": "2020-11", "count": 4}, {"month": "2021-02", "count": 2}, {"month": "not a date", "count": 9}]
    )
    assert [(b["month"], b["count"]) for b in chart["bars"]] == [
        ("2020-11", 4),
        ("2020-12", 0),
        ("2021-01", 0),
        ("2021-02", 2),
    ]
    assert chart["max"] == 4 and chart["bars"][0]["height"] == 2 * chart["bars"][3]["height"]


@pytest.mark.parametrize(
    "query, name",
    [
        ("Majei", MUJIE),
        ("al-Majei", MUJIE),
        ("Mujie", MUJIE),
        ("Al Mujie", MUJIE),
        ("mustafa al mujie", MUJIE),
        ("Hifter", HAFTAR),
        ("Khalifa Hifter", HAFTAR),
        ("Khalifa Haftar", HAFTAR),
        ("احمد المسماري", "أحمد المسماري"),
        ("المسماري", "أحمد المسماري"),
        ("حفتر", HAFTAR),  # through its Latin spellings
    ],
)
def test_find_speakers_by_any_spelling(db_file, query, name):
    conn = sqlite3.connect(db_file)
    assert [s["name"] for s in pages.find_speakers(conn, query)] == [name]


@pytest.mark.parametrize("query", ["Mustafa", "attrition", "", "'); drop table quotes; --"])
def test_find_speakers_not_by_a_given_name_or_words(db_file, query):
    conn = sqlite3.connect(db_file)
    assert pages.find_speakers(conn, query) == []


# --- pages ----------------------------------------------------------------------------------


async def test_claims_rows_link_to_speaker_and_article(ds):
    html = (await ds.client.get("/quotes/claims?speaker_id=p-mujie")).text
    speaker_cells = re.findall(r'<td class="col-speaker [^"]*"><a href="([^"]+)"', html)
    assert speaker_cells == ["/quotes/speakers/p-mujie"] * MUJIE_STATEMENTS
    assert len(re.findall(r'href="/quotes/articles/a[12]#q-[0-9a-f]{40}"', html)) == MUJIE_STATEMENTS
    assert '<a href="/quotes/articles/a1" dir="auto">Haftar&#39;s forces retreat</a>' in html  # the title


async def test_quotes_table_names_the_article_when_it_has_no_title(ds, db_file):
    conn = sqlite3.connect(db_file)
    conn.execute("update quotes set title = null where article_id = 'a2'")
    conn.commit()
    conn.close()
    html = (await ds.client.get("/quotes/quotes?article_id=a2")).text
    assert '<a href="/quotes/articles/a2" dir="auto">a2</a>' in html and ">None<" not in html


async def test_a_quotes_own_page_links_speaker_and_article(ds, db_file):
    conn = sqlite3.connect(db_file)
    (quote_id,) = conn.execute("select id from quotes where content like 'Sirte%'").fetchone()
    conn.close()
    html = (await ds.client.get(f"/quotes/quotes/{quote_id}")).text
    assert '<a href="/quotes/speakers/p-mujie" dir="auto">Mustafa Al-Mujie</a>' in html
    assert '<a href="/quotes/articles/a2" dir="auto">Tarhuna falls</a>' in html
    assert f'href="/quotes/articles/a2#q-{quote_id}"' in html


async def test_speaker_page(ds):
    response = await ds.client.get("/quotes/speakers/p-mujie")
    assert response.status_code == 200
    html = response.text
    assert f'<h1 dir="ltr">{MUJIE}</h1>' in html
    assert "person · man" in html
    for spelling in ("al-Majei", "Al-Majai"):
        assert f'<td dir="auto">{spelling}</td>' in html
    assert html.count('<blockquote dir="ltr"') == MUJIE_STATEMENTS
    # newest first, each linked to its mark in its article
    assert html.index("Sirte will return") < html.index("strategy of attrition")
    assert len(re.findall(r'href="/quotes/articles/a[12]#q-', html)) == MUJIE_STATEMENTS
    # the chart: one bar a month from April to June 2020, drawn on the server
    bars = re.findall(r"<title>(2020-\d\d): (\d)</title>", html)
    assert bars == [("2020-04", "1"), ("2020-05", "0"), ("2020-06", "2")]
    assert "<script" not in html.split("<footer")[0]
    assert '<td dir="auto">Al Jazeera Net</td><td>1</td>' in html and '<td dir="auto">Reuters</td><td>2</td>' in html


async def test_speaker_page_csv_link_gives_exactly_their_statements(ds):
    html = (await ds.client.get("/quotes/speakers/p-mujie")).text
    href = re.search(r'href="([^"]+)" download>CSV', html).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO((await ds.client.get(href)).text)))
    assert len(rows) == MUJIE_STATEMENTS and {r["speaker_id"] for r in rows} == {"p-mujie"}
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)


async def test_article_page_marks_every_statement(ds):
    html = (await ds.client.get("/quotes/articles/a2")).text
    assert "<h1" in html and "Tarhuna falls" in html and "Reuters" in html and "2020-06-05" in html
    assert count_statement_marks(html) == 3
    ids = re.findall(r'<mark class="statement kind-\w+" id="q-([0-9a-f]{40})"', html)
    assert len(set(ids)) == 3
    assert re.search(
        r'<mark class="statement kind-direct" id="q-[0-9a-f]+" title="[^"]*">'
        r"Sirte will return to the government</mark>"
        r'<a class="said-by" href="/quotes/speakers/p-mujie"',
        html,
    )
    assert '<span class="cue">confirmed</span>' in html
    assert '<a class="mention" href="/quotes/speakers/p-mujie">al-Majei</a>' in html


async def test_arabic_article_reads_right_to_left(ds):
    html = (await ds.client.get("/quotes/articles/a3")).text
    assert '<article class="article-text" dir="rtl" lang="ar">' in html
    assert '<h1 dir="rtl" lang="ar">قوات حفتر تتراجع شرقا</h1>' in html
    assert html.count('<blockquote dir="rtl" lang="ar">') == 2
    assert count_statement_marks(html) == 2


async def test_missing_speaker_or_article_is_a_404(ds):
    for path in ("/quotes/speakers/nobody", "/quotes/articles/nothing"):
        response = await ds.client.get(path)
        assert response.status_code == 404 and "No " in response.text


async def test_row_json_still_works(ds):
    response = await ds.client.get("/quotes/speakers/p-mujie.json")
    assert response.status_code == 200 and MUJIE in response.text


@pytest.mark.parametrize("query", ["Majei", "Mujie", "al-Majei"])
async def test_search_finds_the_speaker_first(ds, query):
    html = (await ds.client.get("/-/search", params={"q": query})).text
    speakers = html.split("<h2>Speakers</h2>")[1].split("<h2>Statements")[0]
    assert '<a href="/quotes/speakers/p-mujie" dir="ltr">Mustafa Al-Mujie</a>' in speakers
    assert f'value="{query}"' in html  # in the header's box too


async def test_search_hifter_finds_haftar_and_statements_by_words(ds):
    html = (await ds.client.get("/-/search", params={"q": "Hifter"})).text
    assert 'href="/quotes/speakers/p-haftar"' in html
    html = (await ds.client.get("/-/search", params={"q": "attrition strategy"})).text
    assert "<h2>Statements (1)</h2>" in html and "No speaker" in html


@pytest.mark.parametrize("query", ["الانتخابات", "انتخابات", "والانتخابات", "محمد", "مُحَمَّد", "أحمد", "احمد"])
async def test_arabic_search_folds_hamza_tashkeel_and_the_article(ds, query):
    html = (await ds.client.get("/-/search", params={"q": query})).text
    statements = html.split("<h2>Statements")[1]
    assert "<h2>Statements (1)</h2>" in html or "(1)" in statements.split("</h2>")[0]
    assert statements.count('<blockquote dir="rtl"') == 1


def test_a_search_of_very_many_statements_lists_the_latest_written_first(db_file, monkeypatch):
    conn = sqlite3.connect(db_file)
    ranked = pages.find_statements(conn, "the")
    assert ranked["ranked"] and ranked["total"] == 4
    monkeypatch.setattr(pages, "RANKED_MAX", 3)
    latest = pages.find_statements(conn, "the")
    newest_first = [
        quote_id
        for (quote_id,) in conn.execute(
            "select id from quotes where rowid in (select rowid from quotes_folded_fts where quotes_folded_fts match ?)"
            " order by rowid desc",
            [fts_query("the")],
        )
    ]
    assert not latest["ranked"] and latest["total"] == 4
    assert [s["id"] for s in latest["statements"]] == newest_first
    assert sorted(newest_first) == sorted(s["id"] for s in ranked["statements"])


async def test_search_page_says_when_statements_are_not_ranked(ds, monkeypatch):
    assert "Too many to rank" not in (await ds.client.get("/-/search", params={"q": "the"})).text
    monkeypatch.setattr(pages, "RANKED_MAX", 3)
    fresh = {"cache-control": "no-cache"}  # not the page kept by the page cache
    html = (await ds.client.get("/-/search", params={"q": "the"}, headers=fresh)).text
    assert "<h2>Statements (4)</h2>" in html and "Too many to rank by how well they match" in html


async def test_search_without_a_query_and_with_operators(ds):
    assert (await ds.client.get("/-/search")).status_code == 200
    html = (await ds.client.get("/-/search", params={"q": 'attrition OR "'})).text
    assert "No statement holds every word" in html


async def test_every_page_escapes_what_it_shows(ds):
    for path in (
        "/quotes/speakers/p-xss",
        "/quotes/articles/a2",
        "/-/search?q=Evil",
        "/-/search?q=" + XSS,
        "/-/overview",
        "/quotes/claims",
        "/quotes/quotes",
        "/quotes/speakers",
    ):
        html = (await ds.client.get(path)).text
        assert XSS not in html, path
        assert "<img src=x" not in html and "<b>" not in html.replace("<b>speaker as named</b>", ""), path


async def test_article_links_only_to_web_pages(ds, db_file):
    conn = sqlite3.connect(db_file)
    conn.execute("update articles set url = 'javascript:alert(1)' where id = 'a1'")
    conn.execute("update articles set url = 'https://example.org/a?x=1&y=2' where id = 'a2'")
    conn.commit()
    conn.close()
    assert 'href="javascript' not in (await ds.client.get("/quotes/articles/a1")).text
    page = (await ds.client.get("/quotes/articles/a2")).text
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="nofollow noopener">' in page


async def test_overview(ds):
    html = (await ds.client.get("/-/overview")).text
    assert re.search(
        r"<td>2020-06</td>\s*<td><a href=\"/quotes/speakers/p-mujie\" dir=\"ltr\">"
        r"Mustafa Al-Mujie</a> \(2\)",
        html,
    )
    assert re.search(
        r'<th scope="row" dir="ltr">Reuters</th>\s*'
        r'<td><span class="bar" style="width: 100.0%"></span> 5</td>',
        html,
    )
    assert "men" in html and "person" in html


async def test_header_search_box_on_datasette_pages(ds):
    for path in ("/", "/quotes", "/quotes/claims"):
        html = (await ds.client.get(path)).text
        assert '<form class="site-search" action="/-/search"' in html, path
    home = (await ds.client.get("/")).text
    assert '<form class="home-search" action="/-/search"' in home


async def test_column_descriptions_fold_away(ds):
    html = (await ds.client.get("/quotes/claims")).text
    assert '<details class="column-help">' in html
    assert html.index('<details class="column-help">') < html.index('<table class="rows-and-columns">')


def test_an_older_database_gains_the_search_index(db_file):
    conn = sqlite3.connect(db_file)
    conn.execute("drop table quotes_folded_fts")
    conn.commit()
    conn.close()
    db = store.open_db(db_file)
    assert db["quotes_folded_fts"].count == db["quotes"].count
    db.close()


def test_rebuilding_an_article_replaces_its_folded_words(db_file):
    db = store.open_db(db_file)
    article = Article(id="a1", text="Nothing said here.", language="en")
    store.write_article(db, article, [], [], status="extracted")
    hits = db.execute("select count(*) from quotes_folded_fts where quotes_folded_fts match 'attrition'").fetchone()[0]
    assert hits == 0 and db["quotes_folded_fts"].count == db["quotes"].count
    db.close()


# --- the sample corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    from quotetrack import api

    path = tmp_path_factory.mktemp("site-seeds") / "quotes.db"
    api.build([ROOT / "data"], db_path=path)
    return path


@pytest.fixture
def seeds_ds(seeds_db, monkeypatch):
    monkeypatch.chdir(ROOT)
    return make_datasette(seeds_db)


async def test_seeds_article_000_marks_every_statement(seeds_ds, seeds_db):
    conn = sqlite3.connect(seeds_db)
    found = conn.execute("select count(*) from quotes where article_id = '000_4a7d07cbffe03bc0'").fetchone()[0]
    html = (await seeds_ds.client.get("/quotes/articles/000_4a7d07cbffe03bc0")).text
    assert found > 10
    assert count_statement_marks(html) + html.count('class="anchor"') == found
    assert len(set(re.findall(r'id="(q-[0-9a-f]{40})"', html))) == found


async def test_seeds_speaker_page_of_al_mujie(seeds_ds):
    html = (await seeds_ds.client.get("/-/search", params={"q": "Majei"})).text
    href = re.search(r'<a href="(/quotes/speakers/[^"]+)" dir="ltr">Mustafa Al-Mujie</a>', html).group(1)
    assert href in (await seeds_ds.client.get("/-/search", params={"q": "Mujie"})).text
    page = (await seeds_ds.client.get(href)).text
    statements = page.split("Statements, newest first")[1]
    assert statements.count("<blockquote") == 6
    assert '<svg class="month-chart"' in page and "<rect" in page
