"""The SQLite store: schema, one-transaction article writes, resolution rewrite, claims view."""

import sqlite3

import pytest

from quotetrack import store
from quotetrack.errors import QuotetrackError
from quotetrack.types import Alias, Article, Problem, Quote, Speaker

from conftest import as_schema_3

TEXT = '"We will not retreat," Mustafa Al-Mujie said. "The base is ours."'
B = TEXT.index("The base")


def article(**fields) -> Article:
    return Article(
        **{
            "id": "a1",
            "text": TEXT,
            "language": "en",
            "path": "c.jsonl:1",
            "published": "2020-06-06",
            "title": "Haftar retreats",
            **fields,
        }
    )


def quote(start=1, end=21, **fields) -> Quote:
    return Quote(
        **{
            "article_id": "ignored",
            "kind": "direct",
            "content": TEXT[start:end],
            "content_start": start,
            "content_end": end,
            "cue": "said",
            "cue_lemma": "say",
            "speaker": "Mustafa Al-Mujie",
            "speaker_mention": "Mustafa Al-Mujie",
            "speaker_type": "person",
            **fields,
        }
    )


@pytest.fixture
def db(db_path):
    return store.open_db(db_path)


def test_schema(db):
    assert set(db.table_names()) >= {"articles", "quotes", "speakers", "aliases", "problems", "quotes_fts"}
    assert db.view_names() == ["claims"]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    fks = {(fk.column, fk.other_table) for fk in db["quotes"].foreign_keys}
    assert fks == {("article_id", "articles"), ("speaker_id", "speakers")}
    indexed = {tuple(i.columns) for i in db["quotes"].indexes}
    assert {("speaker_id",), ("kind",), ("cue_lemma",), ("speaker_type",), ("language",), ("article_id",)} <= indexed
    assert {("outlet",), ("published",), ("language",)} <= {tuple(i.columns) for i in db["articles"].indexes}
    assert db["aliases"].pks == ["speaker_id", "name"]


def test_reopen_keeps_rows_and_rebuild_starts_over(db_path, db):
    store.write_article(db, article(), [quote()], [], status="extracted")
    db.close()
    assert store.counts(store.open_db(db_path))["articles"] == 1
    assert store.counts(store.open_db(db_path, rebuild=True))["articles"] == 0


def test_other_schema_version_is_refused(db_path, db):
    db.execute("pragma user_version = 99")
    db.close()
    with pytest.raises(QuotetrackError, match=r"schema version 99.*--rebuild"):
        store.open_db(db_path)


def test_a_version_2_database_gains_confidence_and_gender(db_path):
    # the schema of the previous release: no confidence, band or gender columns, an older view
    db = store.open_db(db_path)
    db.execute("drop view claims")
    for table, columns in store.V3_COLUMNS.items():
        for column in columns:
            if column == "confidence_band":
                db.execute("drop index idx_quotes_confidence_band")
            db.execute(f"alter table {table} drop column {column}")
    db.execute("create view claims as select id as quote_id, speaker from quotes")
    db.execute("pragma user_version = 2")
    db.close()
    db = store.open_db(db_path)
    assert db.execute("pragma user_version").fetchone()[0] == store.SCHEMA_VERSION == 4
    assert {"confidence", "confidence_band", "speaker_gender"} <= set(db["quotes"].columns_dict)
    assert "confidence_band" in db["claims"].columns_dict and "gender" in db["speakers"].columns_dict
    store.write_article(db, article(), [quote(confidence=0.93, speaker_gender="m")], [], status="extracted")
    rows = db.execute("select confidence, confidence_band, speaker_gender from quotes").fetchall()
    assert rows == [(0.93, "high", "m")]


def test_a_version_3_database_calls_the_publisher_outlet_and_keeps_its_rows(db_path):
    db = store.open_db(db_path)
    store.write_article(db, article(outlet="Reuters"), [quote()], [], status="extracted")
    as_schema_3(db)
    db.close()
    db = store.open_db(db_path)
    assert db.execute("pragma user_version").fetchone()[0] == 4
    assert db.execute("select outlet from articles").fetchall() == [("Reuters",)]
    assert db.execute("select outlet from claims").fetchall() == [("Reuters",)]
    assert "source" not in db["quotes"].columns_dict and "first_outlet" in db["claim_groups"].columns_dict


def test_write_article_and_quote_ids(db):
    store.write_article(db, article(), [quote(), quote(B, B + 17)], [], status="extracted")
    row = db["articles"].get("a1")
    assert (row["status"], row["quote_count"], row["path"]) == ("extracted", 2, "c.jsonl:1")
    assert row["content_hash"] == store.content_hash(article())
    rows = list(db["quotes"].rows_where(order_by="content_start"))
    assert [r["content"] for r in rows] == ["We will not retreat,", "The base is ours."]
    assert {r["article_id"] for r in rows} == {"a1"}
    assert rows[0]["article_speaker"] == "Mustafa Al-Mujie" and rows[0]["speaker_id"] is None
    for r in rows:  # offsets slice the stored text
        assert TEXT[r["content_start"] : r["content_end"]] == r["content"]
    ids = [r["id"] for r in rows]
    store.write_article(db, article(), [quote(), quote(B, B + 17)], [], status="extracted")
    assert [r["id"] for r in db["quotes"].rows_where(order_by="content_start")] == ids


def test_changed_article_replaces_its_quotes_and_problems(db):
    problem = Problem("c.jsonl:1", "QT001", "odd marks", article_id="a1", stage="extract")
    store.write_article(db, article(), [quote(), quote(B, B + 17)], [problem], status="extracted")
    store.write_article(db, article(title="New"), [quote()], [], status="extracted")
    assert store.counts(db)["quotes"] == 1 and store.counts(db)["problems"] == 0
    assert db["articles"].get("a1")["quote_count"] == 1


def test_content_hash_ignores_path_only():
    assert store.content_hash(article()) == store.content_hash(article(path="elsewhere.txt"))
    assert store.content_hash(article()) != store.content_hash(article(outlet="Reuters"))


def test_done_hashes_leave_failed_and_skipped_articles_for_retry(db):
    store.write_article(db, article(), [], [], status="failed")
    store.write_article(db, article(id="a2"), [], [], status="skipped")
    store.write_article(db, article(id="a3"), [], [], status="extracted")
    assert store.done_hashes(db) == {"a3": store.content_hash(article(id="a3"))}


def test_problems_are_not_duplicated_and_clear_when_the_input_reads(db):
    bad_line = Problem("c.jsonl", "QT104", "malformed JSON", line=1)
    other_line = Problem("c.jsonl", "QT104", "malformed JSON", line=2)
    store.write_problems(db, [bad_line, other_line])
    store.write_problems(db, [bad_line])
    assert store.counts(db)["problems"] == 2
    store.write_article(db, article(), [], [], status="extracted")  # line 1 now reads
    assert [(r["line"], r["code"]) for r in db["problems"].rows] == [(2, "QT104")]


def test_a_failing_write_leaves_nothing(db):
    bad = quote(B, B + 17)
    bad.content = object()  # sqlite3 cannot bind it: the write fails after the article row
    with pytest.raises(sqlite3.Error):
        store.write_article(db, article(), [quote(), bad], [], status="extracted")
    assert store.counts(db) == {
        "articles": 0,
        "quotes": 0,
        "speakers": 0,
        "aliases": 0,
        "problems": 0,
        "claim_groups": 0,
    }


def test_write_resolution_rewrites_speakers_and_links(db):
    store.write_article(db, article(), [quote(), quote(B, B + 17, speaker_mention="al-Majei")], [], status="extracted")
    store.write_article(db, article(id="a2", published="2020-06-08"), [quote()], [], status="extracted")
    quotes = list(store.read_quotes(db))
    assert [q.speaker for q in quotes] == ["Mustafa Al-Mujie"] * 3
    for q in quotes:
        q.speaker_id, q.speaker = "p-mujie", "Mustafa Al-Mujie"
    speaker = Speaker(
        "p-mujie",
        "Mustafa Al-Mujie",
        "person",
        roles=["spokesman"],
        aliases=[Alias("Mustafa Al-Mujie", "p-mujie", "canonical"), Alias("al-Majei", "p-mujie", "similar", 0.9, 2)],
    )
    store.write_resolution(db, [speaker], quotes)
    store.write_resolution(db, [speaker], quotes)  # derived state: a rerun changes nothing
    row = db["speakers"].get("p-mujie")
    assert (row["quote_count"], row["first_published"], row["last_published"]) == (3, "2020-06-06", "2020-06-08")
    assert row["roles"] == '["spokesman"]'
    aliases = {r["name"]: r for r in db["aliases"].rows}
    assert set(aliases) == {"Mustafa Al-Mujie", "al-Majei"}
    assert aliases["al-Majei"]["count"] == 2 and aliases["al-Majei"]["key"]
    assert {r["speaker_id"] for r in db["quotes"].rows} == {"p-mujie"}
    store.write_resolution(db, [], quotes[:0])
    assert store.counts(db)["speakers"] == 0 and store.counts(db)["aliases"] == 0


def test_claims_view_and_full_text_search(db):
    # a split quote, as the extractor gives it: content runs from the first half to the second
    split = quote(1, B + 17, content_2="The base is ours.", content_2_start=B, content_2_end=B + 17)
    store.write_article(db, article(), [split], [], status="extracted")
    [claim] = db.query("select * from claims")
    assert claim["quote"] == TEXT[1 : B + 17]
    assert (claim["speaker"], claim["title"], claim["published"], claim["kind"]) == (
        "Mustafa Al-Mujie",
        "Haftar retreats",
        "2020-06-06",
        "direct",
    )
    assert set(claim) >= {
        "quote_id",
        "role",
        "cue",
        "outlet",
        "url",
        "language",
        "speaker_id",
        "article_id",
        "cue_lemma",
        "speaker_type",
    }
    assert [r["content"] for r in db["quotes"].search("retreat")] == [TEXT[1 : B + 17]]
    assert [r["content"] for r in db["quotes"].search("base")] == [TEXT[1 : B + 17]]


def test_database_readable_while_open_for_writing(db_path, db):
    store.write_article(db, article(), [quote()], [], status="extracted")
    with db.atomic():
        db["articles"].update("a1", {"title": "Changed"})
        reader = sqlite3.connect(db_path)  # WAL: a reader sees the last commit, not blocked
        assert reader.execute("select title from articles").fetchone() == ("Haftar retreats",)
        reader.close()


def test_relinking_speakers_keeps_full_text_search_and_updating_content_reindexes(db):
    store.write_article(db, article(), [quote()], [], status="extracted")
    db.execute("update quotes set speaker = 'Someone Else'")  # what write_resolution does
    assert [r["speaker"] for r in db["quotes"].search("retreat")] == ["Someone Else"]
    db.execute("update quotes set content = 'We hold the line'")
    assert list(db["quotes"].search("retreat")) == []
    assert [r["content"] for r in db["quotes"].search("line")] == ["We hold the line"]


def test_claims_speaker_indexes_are_added_to_an_existing_database(db_path):
    db = store.open_db(db_path)
    for columns in store.CLAIMS_SPEAKER_INDEXES:
        db.execute(f"drop index idx_quotes_{'_'.join(columns)}")
    db.close()
    reopened = store.open_db(db_path)
    indexes = {tuple(index.columns) for index in reopened["quotes"].indexes}
    assert set(store.CLAIMS_SPEAKER_INDEXES) <= indexes
    query = "select * from claims where speaker = 'x' order by published desc"
    plan = reopened.execute(f"explain query plan {query}").fetchall()
    assert "idx_quotes_speaker_published" in str(plan) and "TEMP B-TREE" not in str(plan)
