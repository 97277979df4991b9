"""The claim groups' tables (``claim_groups``, ``claim_vectors``, ``claim_stale``): their schema,
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

BATCH_SIZE = 500  # rows per insert_all statement batch, as in quotetrack.store

CLAIM_COLUMNS_ON_QUOTES: dict[str, type] = {"claim_group_id": str, "claim_outlets": int, "claim_drift": str}
STATEMENT_SQL = """
select id as quote_id, article_id, kind, speaker_id, speaker, speaker_type, cue_lemma, language,
  published, outlet, content_start as position,
  content || coalesce(' ' || content_2, '') as content
from quotes
"""


def create_claim_tables(db: Database) -> None:
    """``claim_groups``, ``claim_vectors``, ``claim_stale``, their indexes and triggers."""
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


def claim_representatives(db: Database, block: str) -> Iterator[dict]:
    """``claims.Statement`` fields of the first quote of each claim of ``block``."""
    yield from db.query(
        STATEMENT_SQL + " where id in (select first_quote_id from claim_groups where block = ?)", [block]
    )


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
    rows, links = [], []
    for group in groups:
        rows.append(
            {
                **{k: v for k, v in group.to_dict().items() if k not in ("quote_ids", "drift")},
                "languages": json.dumps(group.languages),
                "drift_count": len(group.drift),
            }
        )
        links += [(group.id, group.outlet_count, group.drift.get(q), q) for q in group.quote_ids]
    with db.atomic():
        for column, values in (("block", sorted(set(blocks))), ("id", sorted(set(claim_ids)))):
            for start in range(0, len(values), BATCH_SIZE):
                chunk = values[start : start + BATCH_SIZE]
                db.execute(f"delete from claim_groups where {column} in ({', '.join('?' * len(chunk))})", chunk)
        db.table("claim_groups").insert_all(rows, pk="id", replace=True, batch_size=BATCH_SIZE)
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
    """Store encoder vectors, one per statement key and model."""
    rows = ({"key": k, "model": model, "vector": v} for k, v in vectors.items())
    db.table("claim_vectors").insert_all(rows, pk=("key", "model"), replace=True, batch_size=BATCH_SIZE)
