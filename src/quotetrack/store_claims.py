"""The claim groups' tables (``claim_groups``, ``claim_vectors``, ``claim_stale``, ``claim_index``): their schema,
and the reads and writes of the claims stage (``quotetrack.claims``). Part of the store: the
build's one writer calls them in its transaction.

``claim_groups`` is derived state like ``speakers``, but rewritten a block at a time: two
triggers note in ``claim_stale`` the claims that lost a quote (its article changed) or whose
quote changed speaker, and such a quote's ``claim_group_id`` goes back to NULL, so the next
build regroups only the blocks of those claims and of the quotes without one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from quotetrack.claims import text as claim_text
from quotetrack.claims import words_key

BATCH_SIZE = 500  # rows per insert_all statement batch, as in quotetrack.store
PHRASES_PER_QUERY = 200  # runs of words looked up in one full-text query

CLAIM_COLUMNS_ON_QUOTES: dict[str, type] = {"claim_group_id": str, "claim_outlets": int, "claim_drift": str}
STATEMENT_SQL = """
select id as quote_id, article_id, kind, speaker_id, speaker, speaker_type, cue_lemma, language,
  published, outlet, content_start as position,
  content || coalesce(' ' || content_2, '') as content
from quotes
"""


def create_claim_tables(db: Database) -> None:
    """``claim_groups``, ``claim_vectors``, ``claim_stale``, ``claim_index``, their indexes and triggers."""
    db.table("claim_groups").create(
        {
            "id": str,
            "block": str,
            "speaker_id": str,
            "speaker": str,
            "statement": str,
            "language": str,
            "languages": str,
            "quote_count": int,
            "article_count": int,
            "outlet_count": int,
            "first_quote_id": str,
            "first_article_id": str,
            "first_outlet": str,
            "first_published": str,
            "last_published": str,
            "drift_count": int,
        },
        pk="id",
        foreign_keys=[("speaker_id", "speakers", "id"), ("first_article_id", "articles", "id")],
    )
    db.table("claim_vectors").create({"key": str, "model": str, "vector": bytes}, pk=("key", "model"))
    db.table("claim_stale").create({"claim_group_id": str}, pk="claim_group_id")
    for column in ("block", "speaker_id", "outlet_count", "first_published"):
        db.table("claim_groups").create_index([column])
    for column in ("claim_group_id", "claim_outlets"):
        db.table("quotes").create_index([column])
    db.execute(
        """
        create trigger quotes_claim_deleted after delete on quotes
        when old.claim_group_id is not null begin
          insert or ignore into claim_stale (claim_group_id) values (old.claim_group_id);
        end
        """
    )
    db.execute(
        """
        create trigger quotes_claim_relinked after update of speaker_id on quotes
        when new.speaker_id is not old.speaker_id and old.claim_group_id is not null begin
          insert or ignore into claim_stale (claim_group_id) values (old.claim_group_id);
          update quotes set claim_group_id = null where id = new.id;
        end
        """
    )
    create_claim_index(db)


def create_claim_index(db: Database) -> None:
    """``claim_index``: each claim's first statement as a new statement is compared with it
    (``block``, normalized ``words``, the ``key`` of its stored vector), and
    ``claim_index_fts``, a full-text index of those words whose tokens are exactly the words
    (split at spaces only), so a phrase query finds a run of words as the grouping sees it."""
    db.execute(
        "create table claim_index (id integer primary key, claim_group_id text not null unique,"
        " block text not null, words text not null, key text not null)"
    )
    db.execute("create index idx_claim_index_block on claim_index (block)")
    db.execute(
        "create virtual table claim_index_fts using fts5(words, content='claim_index', content_rowid='id',"
        " tokenize=\"ascii tokenchars '_'\")"
    )
    db.execute(
        """
        create trigger claim_index_added after insert on claim_index begin
          insert into claim_index_fts (rowid, words) values (new.id, new.words);
        end
        """
    )
    db.execute(
        """
        create trigger claim_index_removed after delete on claim_index begin
          insert into claim_index_fts (claim_index_fts, rowid, words) values ('delete', old.id, old.words);
        end
        """
    )


def ensure_claim_index(db: Database) -> None:
    """Add ``claim_index`` to a database grouped before it, filled from its claims' first quotes."""
    if db.table("claim_index").exists() or not db.table("claim_groups").exists():
        return
    with db.atomic():
        create_claim_index(db)
        rows = db.execute(
            "select g.id, g.block, q.content || coalesce(' ' || q.content_2, '') from claim_groups g"
            " join quotes q on q.id = g.first_quote_id"
        )
        _insert_index(db, ((claim_id, block, claim_text.normalize(content)) for claim_id, block, content in rows))
        optimize_claim_index(db)


def _insert_index(db: Database, rows: Iterable[tuple[str, str, str]]) -> None:
    """``claim_index`` rows from (claim id, block, first statement's normalized words)."""
    db.conn.executemany(
        "insert into claim_index (claim_group_id, block, words, key) values (?, ?, ?, ?)",
        ((claim_id, block, words, words_key(words)) for claim_id, block, words in rows),
    )


def unlinked_statements(db: Database) -> Iterator[dict]:
    """``claims.Statement`` fields of the quotes in no claim yet (new, changed or relinked)."""
    yield from db.query(STATEMENT_SQL + " where claim_group_id is null")


def stale_claim_blocks(db: Database) -> set[str]:
    """Blocks of the claims that lost a quote or whose quote changed speaker since grouping."""
    rows = db.execute("select distinct block from claim_groups where id in (select claim_group_id from claim_stale)")
    return {block for (block,) in rows.fetchall()}


def block_statements(
    db: Database, *, speaker_ids: Iterable[str] = (), anonymous: bool = False, article_ids: Iterable[str] = ()
) -> Iterator[dict]:
    """``claims.Statement`` fields of the quotes of some speakers, of unnamed sources, or of
    speakerless quotes in some articles: what regrouping a set of blocks reads."""
    for speaker_id in sorted(set(speaker_ids)):
        yield from db.query(STATEMENT_SQL + " where speaker_id = ?", [speaker_id])
    if anonymous:
        yield from db.query(STATEMENT_SQL + " where speaker_type = 'anonymous'")
    for article_id in sorted(set(article_ids)):
        yield from db.query(STATEMENT_SQL + " where article_id = ? and speaker_id is null", [article_id])


def statements(db: Database, quote_ids: Iterable[str]) -> Iterator[dict]:
    """``claims.Statement`` fields of some quotes."""
    ids = sorted(set(quote_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        yield from db.query(STATEMENT_SQL + f" where id in ({', '.join('?' * len(chunk))})", chunk)


def block_claim_count(db: Database, block: str) -> int:
    """How many claims ``block`` has (counted on its index)."""
    return db.execute("select count(*) from claim_index where block = ?", [block]).fetchone()[0]


def block_claim_ids(db: Database, block: str) -> list[int]:
    """``claim_index`` ids of the claims of ``block``."""
    return [index_id for (index_id,) in db.execute("select id from claim_index where block = ?", [block])]


def optimize_claim_index(db: Database) -> None:
    """Merge the full-text index of ``claim_index`` into one segment: after many rows were
    written, its phrase queries read a few large segments instead of thousands of small ones
    (at a million claims: 2 s, and a new article's lookups 0.8-1.3 s -> 0.5-0.7 s)."""
    db.execute("insert into claim_index_fts (claim_index_fts) values ('optimize')")


def claim_index(db: Database, block: str, model: str) -> list[tuple[int, bytes | None]]:
    """(``claim_index`` id, stored vector or None) of each claim of ``block``."""
    rows = db.execute(
        "select i.id, v.vector from claim_index i left join claim_vectors v on v.key = i.key and v.model = ?"
        " where i.block = ?",
        [model, block],
    )
    return rows.fetchall()


def claims_sharing_words(db: Database, block: str, phrases: list[str]) -> Iterator[int]:
    """``claim_index`` ids of the claims of ``block`` whose first statement holds one of
    ``phrases`` (runs of normalized words) as a run of words."""
    for start in range(0, len(phrases), PHRASES_PER_QUERY):
        match = " OR ".join(f'"{phrase}"' for phrase in phrases[start : start + PHRASES_PER_QUERY])
        # the match in a subquery, run once: joined, SQLite ran it again for each claim of the block
        rows = db.execute(
            "select id from claim_index where block = ?"
            " and id in (select rowid from claim_index_fts where claim_index_fts match ?)",
            [block, match],
        )
        yield from (index_id for (index_id,) in rows.fetchall())


def first_quotes(db: Database, index_ids: Iterable[int]) -> list[str]:
    """The first quote ids of the claims with these ``claim_index`` ids."""
    ids, found = sorted(set(index_ids)), []
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        rows = db.execute(
            "select g.first_quote_id from claim_index i join claim_groups g on g.id = i.claim_group_id"
            f" where i.id in ({', '.join('?' * len(chunk))})",
            chunk,
        )
        found += [first for (first,) in rows.fetchall()]
    return found


def claim_members(db: Database, claim_ids: Iterable[str]) -> Iterator[dict]:
    """``claims.Statement`` fields of the quotes of some claims, with their ``claim_group_id``."""
    sql = STATEMENT_SQL.replace("select ", "select claim_group_id, ", 1) + " where claim_group_id = ?"
    for claim_id in sorted(set(claim_ids)):
        yield from db.query(sql, [claim_id])


def write_claim_groups(
    db: Database, groups: Iterable, *, blocks: Iterable[str] = (), claim_ids: Iterable[str] = ()
) -> None:
    """Replace the claims of ``blocks``, and the claims ``claim_ids``, with ``groups``
    (``claims.ClaimGroup``), in one transaction.

    ``claim_groups`` columns: ``id`` (stable: from the claim's earliest quote), ``block``
    (speaker id, or ``anonymous:`` and the countries an unnamed source names), ``speaker_id``,
    ``speaker``, ``statement`` (its first direct quote's words, else its first statement's),
    ``language`` (of that statement), ``languages`` (JSON list), ``quote_count``,
    ``article_count``, ``outlet_count`` (distinct publishers), ``first_quote_id``,
    ``first_article_id``, ``first_outlet``, ``first_published``, ``last_published``,
    ``drift_count`` (direct quotes worded unlike most outlets').

    ``quotes`` columns set here: ``claim_group_id``, ``claim_outlets`` (the claim's
    ``outlet_count``, for the "carried by N outlets" facet), ``claim_drift`` (how this direct
    quote's words differ from most outlets', else NULL).
    """
    rows, links, index_rows = [], [], []
    for group in groups:
        index_rows.append((group.id, group.block, group.first_words))
        rows.append(
            {
                **{k: v for k, v in group.to_dict().items() if k not in ("quote_ids", "drift", "first_words")},
                "languages": json.dumps(group.languages),
                "drift_count": len(group.drift),
            }
        )
        links += [(group.id, group.outlet_count, group.drift.get(q), q) for q in group.quote_ids]
    # a claim written again replaces its row; its index row is deleted first (a REPLACE would
    # not run the trigger that keeps the full-text index in step)
    replaced = sorted({*claim_ids, *(row["id"] for row in rows)})
    with db.atomic():
        for column, values in (("block", sorted(set(blocks))), ("id", replaced)):
            for start in range(0, len(values), BATCH_SIZE):
                chunk = values[start : start + BATCH_SIZE]
                marks = ", ".join("?" * len(chunk))
                db.execute(f"delete from claim_groups where {column} in ({marks})", chunk)
                index_column = "block" if column == "block" else "claim_group_id"
                db.execute(f"delete from claim_index where {index_column} in ({marks})", chunk)
        db.table("claim_groups").insert_all(rows, pk="id", replace=True, batch_size=BATCH_SIZE)
        _insert_index(db, index_rows)
        db.conn.executemany(
            "update quotes set claim_group_id = ?, claim_outlets = ?, claim_drift = ? where id = ?", links
        )
        db.execute("delete from claim_stale")


def read_vectors(db: Database, keys: Iterable[str], model: str) -> dict[str, bytes]:
    """Stored encoder vectors (raw bytes) of the statements with these keys."""
    keys = sorted(set(keys))
    found: dict[str, bytes] = {}
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        rows = db.execute(
            f"select key, vector from claim_vectors where model = ? and key in ({', '.join('?' * len(chunk))})",
            [model, *chunk],
        )
        found.update(rows.fetchall())
    return found


def write_vectors(db: Database, vectors: dict[str, bytes], model: str) -> None:
    """Store encoder vectors, one per statement key and model; a key stored already keeps its
    vector (the first article that carried a text gave it, whatever the build's batches)."""
    rows = ({"key": k, "model": model, "vector": v} for k, v in vectors.items())
    db.table("claim_vectors").insert_all(rows, pk=("key", "model"), ignore=True, batch_size=BATCH_SIZE)
