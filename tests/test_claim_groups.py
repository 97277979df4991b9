"""Claim groups in the store and the build: incremental regrouping, the schema change, the page.

The grouping here uses a stand-in for the encoder (orthogonal vectors: only shared words
link statements), so these tests exercise the store, the triggers and the page, fast.
"""

import sqlite3

import numpy as np
import pytest

from quotetrack import api, claim_updates, store
from quotetrack.claim_updates import StoredVectors
from quotetrack.claims import text as claim_text
from quotetrack.publish import make_datasette
from quotetrack.types import Alias, Article, Quote, Speaker

from test_claims import NoMeaning


WIRE = "We have carried out a military operation on sensitive targets in Eilat using a large batch of drones"
OTHER = "We confirm that we will continue to attack Israel until its aggression stops"


def put(db, article_id, content, speaker="Yahya Saree", outlet=None, published="2023-12-17", kind="direct"):
    """Store one article holding one quote, as the build does."""
    text = f'"{content}," {speaker} said.'
    art = Article(
        id=article_id,
        text=text,
        language="en",
        outlet=outlet or f"Outlet {article_id}",
        published=published,
        url=f"https://example.org/{article_id}",
    )
    quote = Quote(
        article_id=article_id,
        kind=kind,
        content=content,
        content_start=1,
        content_end=1 + len(content),
        cue="said",
        cue_lemma="say",
        speaker=speaker,
        speaker_type="person",
        article_speaker=speaker,
    )
    store.write_article(db, art, [quote], [], status="extracted")


def resolve(db, moves=None):
    """Link every quote to a speaker id made from its name (``moves``: quote content -> name)."""
    quotes = list(store.read_quotes(db))
    for q in quotes:
        q.speaker = (moves or {}).get(q.content, q.speaker)
        q.speaker_id = "p-" + q.speaker.lower().replace(" ", "-")
    speakers = {
        q.speaker_id: Speaker(
            id=q.speaker_id,
            name=q.speaker,
            speaker_type="person",
            aliases=[Alias(name=q.speaker, speaker_id=q.speaker_id, rule="canonical")],
        )
        for q in quotes
    }
    store.write_resolution(db, list(speakers.values()), quotes)


def claim_of(db, article_id):
    return db.execute("select claim_group_id, claim_outlets from quotes where article_id = ?", [article_id]).fetchone()


@pytest.fixture
def db(db_path):
    db = store.open_db(db_path)
    put(db, "a1", WIRE)
    put(db, "a2", WIRE)
    put(db, "a3", OTHER, speaker="Mohammed Abdulsalam")
    resolve(db)
    assert api.group_claims(db, encoder=NoMeaning()) == 3
    return db


def test_wire_copies_share_a_claim_and_the_claim_row_says_who_carried_it(db):
    assert claim_of(db, "a1") == claim_of(db, "a2") != claim_of(db, "a3")
    row = db["claim_groups"].get(claim_of(db, "a1")[0])
    assert (row["quote_count"], row["article_count"], row["outlet_count"]) == (2, 2, 2)
    assert row["speaker_id"] == "p-yahya-saree" and row["block"] == "p-yahya-saree"
    assert row["first_article_id"] == "a1" and row["statement"] == WIRE and row["languages"] == '["en"]'
    assert claim_of(db, "a1")[1] == 2 and claim_of(db, "a3")[1] == 1


def test_nothing_new_regroups_nothing(db):
    assert api.group_claims(db, encoder=NoMeaning()) == 0


def test_a_new_article_is_compared_with_one_statement_per_claim_of_its_speaker(db):
    other_claim = db["claim_groups"].get(claim_of(db, "a3")[0])
    put(db, "a4", WIRE, outlet="Reuters", published="2023-12-16")
    resolve(db)
    assert api.group_claims(db, encoder=NoMeaning()) == 2  # a1 (for a1 and a2) and a4; not a3
    assert claim_of(db, "a4")[0] == claim_of(db, "a1")[0] != other_claim["id"]
    row = db["claim_groups"].get(claim_of(db, "a4")[0])
    assert row["first_article_id"] == "a4" and row["first_outlet"] == "Reuters"  # the earlier date
    assert db["claim_groups"].get(other_claim["id"]) == other_claim


def test_new_statements_join_claims_as_a_full_regrouping_would(db):
    put(db, "a4", OTHER + " now", speaker="Yahya Saree")
    put(db, "a5", "Something else altogether, said on another day in another place")
    put(db, "a6", WIRE)
    resolve(db)
    api.group_claims(db, encoder=NoMeaning())
    groups = "select id, block, quote_count, outlet_count, first_quote_id from claim_groups order by id"
    taken_in = db.execute(groups).fetchall()
    db.execute("update quotes set claim_group_id = null")
    db.execute("delete from claim_groups")
    api.group_claims(db, encoder=NoMeaning())
    regrouped = db.execute(groups).fetchall()
    assert taken_in == regrouped and len(regrouped) == 4


class TableEncoder:
    """Texts that ``same`` names alike get one vector; every other text one of its own."""

    name = "table"

    def __init__(self, same: dict[str, str]):
        self.same, self.rows = same, {}

    def encode(self, texts):
        rows = [self.rows.setdefault(self.same.get(t, t), len(self.rows)) for t in texts]
        vectors = np.zeros((len(texts), 512), dtype=np.float32)
        vectors[range(len(texts)), rows] = 1.0
        return vectors


# thirty statements of one speaker sharing no run of five words (words of their own)
MANY = [" ".join(f"w{n}x{k}" for k in range(12)) for n in range(30)]
PARAPHRASE = "An entirely different wording that means what statement seven says"
CUT_SHORT = " ".join(MANY[3].split()[4:10])  # six of its words: a quote cut short
UNRELATED = "Nothing like anything said before by this speaker at all"


@pytest.mark.parametrize("whole_below, compared", [(0, 2 + 3), (500, 30 + 3)])
def test_a_new_statement_is_compared_only_with_the_claims_within_reach(db_path, monkeypatch, whole_below, compared):
    # whole_below 0: the claims are looked up; 500: so few are read whole; the claims are the same
    monkeypatch.setattr(claim_updates, "READ_WHOLE_BLOCK", whole_below)
    db = store.open_db(db_path)
    encoder = TableEncoder({PARAPHRASE: "seven", MANY[7]: "seven"})
    for n, text in enumerate(MANY):
        put(db, f"m{n}", text)
    resolve(db)
    assert api.group_claims(db, encoder=encoder) == 30
    for article_id, text in (("n1", CUT_SHORT), ("n2", PARAPHRASE), ("n3", UNRELATED)):
        put(db, article_id, text)
    resolve(db)
    # looked up: the claims of statements 3 (shared words) and 7 (close by meaning); and the 3 new ones
    assert api.group_claims(db, encoder=encoder) == compared
    assert claim_of(db, "n1")[0] == claim_of(db, "m3")[0] and claim_of(db, "n2")[0] == claim_of(db, "m7")[0]
    assert claim_of(db, "n3")[0] not in {claim_of(db, f"m{n}")[0] for n in range(30)}
    groups = "select id, block, quote_count, outlet_count, first_quote_id from claim_groups order by id"
    taken_in = db.execute(groups).fetchall()
    db.execute("update quotes set claim_group_id = null")
    db.execute("delete from claim_index")
    db.execute("delete from claim_groups")
    api.group_claims(db, encoder=encoder)
    assert db.execute(groups).fetchall() == taken_in and len(taken_in) == 31


def test_the_claim_index_follows_the_claims(db):
    put(db, "a4", "Something else altogether, said on another day in another place")
    put(db, "a2", OTHER)  # a2 leaves the claim of a1: that block is regrouped
    resolve(db)
    api.group_claims(db, encoder=NoMeaning())
    indexed = db.execute(
        "select i.claim_group_id, i.block, i.words from claim_index i join claim_groups g on g.id = i.claim_group_id"
        " join quotes q on q.id = g.first_quote_id and i.block = g.block order by 1"
    ).fetchall()
    assert len(indexed) == db["claim_groups"].count == 4
    assert {words for *_, words in indexed} == {
        claim_text.normalize(t)
        for t in (WIRE, OTHER, OTHER, "Something else altogether, said on another day in another place")
    }
    run = '"' + " ".join(claim_text.words(OTHER)[2:7]) + '"'
    found = db.execute("select count(*) from claim_index_fts where claim_index_fts match ?", [run]).fetchone()
    assert found == (2,)  # a3 and a2, by two speakers; the a1 claim's old words are gone from the index


def test_a_database_grouped_before_the_claim_index_gains_it_on_open(db_path, db):
    expected = db.execute("select claim_group_id, block, words from claim_index order by 1").fetchall()
    db.execute("drop table claim_index_fts")
    db.execute("drop table claim_index")
    db.close()
    reopened = store.open_db(db_path)
    assert reopened.execute("select claim_group_id, block, words from claim_index order by 1").fetchall() == expected
    put(reopened, "a4", WIRE)
    resolve(reopened)
    assert api.group_claims(reopened, encoder=NoMeaning()) == 2
    assert claim_of(reopened, "a4")[0] == claim_of(reopened, "a1")[0]


def test_a_changed_article_leaves_its_claim(db):
    put(db, "a2", "Something else altogether, said on another day in another place")
    resolve(db)
    assert db.execute("select count(*) from claim_stale").fetchone()[0] == 1
    api.group_claims(db, encoder=NoMeaning())
    assert claim_of(db, "a1") != claim_of(db, "a2")
    assert db["claim_groups"].get(claim_of(db, "a1")[0])["quote_count"] == 1
    assert db.execute("select count(*) from claim_stale").fetchone()[0] == 0


def test_a_quote_that_changes_speaker_moves_to_that_speakers_claims(db):
    resolve(db, moves={WIRE: "Mohammed Abdulsalam"})
    assert db.execute("select count(*) from quotes where claim_group_id is null").fetchone()[0] == 2
    api.group_claims(db, encoder=NoMeaning())
    rows = db.execute("select q.speaker_id, g.block from quotes q join claim_groups g on g.id = q.claim_group_id")
    assert all(speaker == block for speaker, block in rows.fetchall())
    assert not db.execute("select 1 from claim_groups where block = 'p-yahya-saree'").fetchall()


def test_every_quote_is_in_exactly_one_claim_and_counts_add_up(db):
    put(db, "a4", OTHER, speaker="Mohammed Abdulsalam")
    resolve(db)
    api.group_claims(db, encoder=NoMeaning())
    assert db.execute("select count(*) from quotes where claim_group_id is null").fetchone()[0] == 0
    assert db.execute("select sum(quote_count) from claim_groups").fetchone()[0] == db["quotes"].count
    orphans = db.execute("select count(*) from quotes where claim_group_id not in (select id from claim_groups)")
    assert orphans.fetchone()[0] == 0


def test_claims_view_carries_the_claim_columns(db):
    row = db.execute("select claim_group_id, claim_outlets, claim_drift from claims where article_id = 'a1'").fetchone()
    assert row == (*claim_of(db, "a1"), None)


def test_vectors_are_stored_once_and_the_encoder_loads_only_for_new_text(db, monkeypatch):
    calls = []

    class Fake:
        name = "fake"

        def encode(self, texts):
            calls.append(list(texts))
            return np.ones((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr("quotetrack.claims.encoder.default_encoder", lambda: Fake())
    vectors = StoredVectors(db)
    first = vectors([WIRE, OTHER, WIRE])
    assert calls == [[WIRE, OTHER]] and first.shape == (3, 4)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
    vectors([WIRE + ".", OTHER])  # same words once normalized: read back, not encoded
    assert len(calls) == 1
    assert db["claim_vectors"].count == 2


def test_schema_2_database_is_migrated_in_place(db_path, db):
    db.execute("drop view claims")
    for trigger in ("quotes_claim_deleted", "quotes_claim_relinked"):
        db.execute(f"drop trigger {trigger}")
    for index in ("idx_quotes_claim_group_id", "idx_quotes_claim_outlets"):
        db.execute(f"drop index {index}")
    for column in ("claim_group_id", "claim_outlets", "claim_drift"):
        db.execute(f"alter table quotes drop column {column}")
    for table in ("claim_index_fts", "claim_index", "claim_groups", "claim_vectors", "claim_stale"):
        db.execute(f"drop table {table}")
    db.execute("create view claims as select id as quote_id from quotes")
    db.execute("pragma user_version = 2")
    db.close()
    migrated = store.open_db(db_path)
    assert migrated.execute("pragma user_version").fetchone()[0] == store.SCHEMA_VERSION == 4
    assert migrated["quotes"].count == 3 and "claim_group_id" in migrated["quotes"].columns_dict
    assert api.group_claims(migrated, encoder=NoMeaning()) == 3
    assert migrated.execute("select count(*) from claims where claim_group_id is not null").fetchone()[0] == 3


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def ds(db_path, db):
    drift = "We have carried out a military operation on sensitive targets in Eilat using a batch of 40 drones"
    put(db, "a4", drift, outlet="Al-Osboa", published="2023-12-18")
    put(db, "a5", WIRE, outlet="Outlet a1", published="2023-12-19")  # the same outlet again
    resolve(db)
    api.group_claims(db, encoder=NoMeaning())
    db.close()
    sqlite3.connect(db_path).execute("pragma wal_checkpoint(truncate)").close()
    return make_datasette(db_path)


async def test_claim_page_shows_statement_speaker_first_outlet_others_and_drift(ds):
    [claim] = (await ds.client.get("/quotes/claim_groups.json?_shape=array&quote_count__gt=1")).json()
    assert (claim["quote_count"], claim["article_count"], claim["outlet_count"]) == (4, 4, 3)
    page = await ds.client.get(f"/quotes/claim/{claim['id']}")
    assert page.status_code == 200
    html = page.text
    assert WIRE in html and "Yahya Saree" in html and "Carried by 3 outlets in\n  4 articles" in html
    first, others = html.split("Also carried by", 1)
    assert "Outlet a1" in first.split("First carried by", 1)[1] and "2023-12-17" in first
    assert all(s in others for s in ("Outlet a2", "Al-Osboa", "2023-12-19", "https://example.org/a4"))
    assert "number (none) → 40" in others and "Check the quote against its source" in first


async def test_unknown_claim_is_a_404_page(ds):
    page = await ds.client.get("/quotes/claim/c-000000000000")
    assert page.status_code == 404 and "No claim c-000000000000" in page.text


async def test_each_quote_links_to_its_claim_and_the_claims_page_has_the_outlets_facet(ds):
    claim_id = (await ds.client.get("/quotes/claims.json?_shape=array&article_id=a1")).json()[0]["claim_group_id"]
    page = (await ds.client.get("/quotes/claims")).text
    assert f'href="/quotes/claim/{claim_id}"' in page
    facets = (await ds.client.get("/quotes/claims.json?_facet=claim_outlets")).json()["facet_results"]
    counts = {item["value"]: item["count"] for item in facets["claim_outlets"]["results"]}
    assert counts == {3: 4, 1: 1}


def test_grouping_reports_its_progress_and_nothing_when_there_is_nothing_to_do(db):
    put(db, "a4", OTHER, speaker="Mohammed Abdulsalam")
    put(db, "a5", "Something else altogether, said on another day in another place")
    resolve(db)
    calls = []
    api.group_claims(db, encoder=NoMeaning(), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2, 2) and [done for done, _ in calls] == sorted(done for done, _ in calls)
    calls.clear()
    api.group_claims(db, encoder=NoMeaning(), progress=lambda done, total: calls.append((done, total)))
    assert calls == []


def test_the_merged_claim_index_finds_what_it_found_before(db, monkeypatch):
    run = '"' + " ".join(claim_text.words(WIRE)[3:8]) + '"'
    before = db.execute("select rowid from claim_index_fts where claim_index_fts match ?", [run]).fetchall()
    monkeypatch.setattr(claim_updates, "OPTIMIZE_AFTER", 1)
    put(db, "a4", OTHER, speaker="Mohammed Abdulsalam")
    resolve(db)
    api.group_claims(db, encoder=NoMeaning())
    segments = db.execute("select count(*) from claim_index_fts_data").fetchone()[0]
    after = db.execute("select rowid from claim_index_fts where claim_index_fts match ?", [run]).fetchall()
    assert after == before and len(after) == 1 and segments <= 3
