"""The claims stage on a database: what a build runs after speaker resolution.

``group_claims`` groups the quotes in no claim yet and regroups the blocks of claims that
lost or moved a quote. A block whose claims are intact *takes in* its new statements: they
are compared with the first statement of the claims they could link with, and join the
earliest claim they match or start one. Which claims those are comes from ``claim_index``
(``store_claims``): each claim's first statement as normalized words, under a full-text
index, and its vector's key. A claim can only link with a new statement through a shared
run of words (found in that index), or through a cosine within reach of the thresholds
(the first statements' stored vectors against the new statements' and their sentences'),
so the claims left out would have linked with nothing: the result is the one comparing
every claim of the block would give, at the cost of the claims that come close. A speaker
with few claims has them all compared, which costs less than looking them up.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from quotetrack import claims, store_claims
from quotetrack.claims import text as claim_text
from quotetrack.claims.encoder import MODEL_NAME, Encoder, stored_vectors, unit_rows

DEFAULT_CLAIM_SETTINGS = claims.Settings()
# how far under the lowest threshold a stored first statement still counts as close: the
# grouping recomputes the cosines in another matrix product, which may round differently
REACH_MARGIN = 0.02
# a speaker with at most this many claims has them all compared (the lookups cost more; a
# first build of an archive finds every speaker with none)
READ_WHOLE_BLOCK = 500
# after grouping this many statements the claim index is merged into one segment (seconds
# at a million claims; a daily update writes too few rows to need it)
OPTIMIZE_AFTER = 10_000


class StoredVectors:
    """Unit-length encoder vectors for texts, read from the store when known; the encoder
    loads only when a text is new, and its vectors are stored (float16) for later builds.

    Args:
        db: the quote database (``store.open_db``).
        encoder: the sentence encoder (default: the packaged one, loaded when first needed);
            its vectors are stored under its ``name``.
    """

    def __init__(self, db, encoder: Encoder | None = None):
        self.db = db
        self._encoder = encoder
        self.model = MODEL_NAME if encoder is None else encoder.name

    def __call__(self, texts: list[str]) -> np.ndarray:
        keys = [claims.text_key(t) for t in texts]
        stored = store_claims.read_vectors(self.db, keys, self.model)
        found = {k: np.frombuffer(v, dtype=np.float16) for k, v in stored.items()}
        missing = [t for k, t in zip(keys, texts) if k not in found]
        if missing:
            # stored at unit length, so a stored vector is compared as it is (_claims_within_reach)
            encoded = stored_vectors(self.encoder(), missing)
            found.update((k, np.frombuffer(v, dtype=np.float16)) for k, v in encoded.items())
            store_claims.write_vectors(self.db, encoded, self.model)
        return unit_rows(np.array([found[k] for k in keys], dtype=np.float32))

    def encoder(self) -> Encoder:
        if self._encoder is None:
            from quotetrack.claims.encoder import default_encoder

            self._encoder = default_encoder()
        return self._encoder


def group_claims(
    db,
    *,
    encoder: Encoder | None = None,
    settings: claims.Settings = DEFAULT_CLAIM_SETTINGS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Group the quotes in no claim yet, and regroup the blocks of claims that lost or moved one.

    A block whose claims are intact takes its new statements in (see the module docstring);
    the rest of the block is not read. A block that lost a quote (a changed article, a
    speaker the resolver moved) is regrouped whole. Returns how many statements were compared.

    Args:
        db: an open quote database (``store.open_db``), speakers resolved.
        encoder: the sentence encoder (default: the packaged one); its vectors are stored.
        settings: the grouping thresholds.
        progress: called with (statements done, statements to do) after each block, when
            there is something to do (a first build of a large archive spends minutes here).
    """
    vectors = StoredVectors(db, encoder)
    new: dict[str, list[claims.Statement]] = {}
    for row in store_claims.unlinked_statements(db):
        statement = claims.Statement.from_dict(row)
        new.setdefault(claims.block_of(statement), []).append(statement)
    stale = store_claims.stale_claim_blocks(db)
    taken_in = sorted(set(new) - stale)
    total = sum(len(new[block]) for block in taken_in) + len(stale)
    report = progress if progress is not None and total else (lambda done, total: None)
    with db.atomic():  # one commit: a page of quotes is written once, not once per block touching it
        compared = _regroup_blocks(db, stale, vectors, settings) if stale else 0
        done = len(stale)  # counted as one step each: their statements are not known before
        report(done, total)
        for block in taken_in:
            compared += _take_in(db, block, new[block], vectors, settings)
            done += len(new[block])
            report(done, total)
        if total >= OPTIMIZE_AFTER:
            store_claims.optimize_claim_index(db)
    return compared


def _regroup_blocks(db, blocks: set[str], vectors: StoredVectors, settings: claims.Settings) -> int:
    """Group every statement of ``blocks`` afresh and replace their claims."""
    rows = store_claims.block_statements(
        db,
        speaker_ids=[b for b in blocks if ":" not in b],
        anonymous=any(b.startswith("anonymous:") for b in blocks),
        article_ids=[b.split(":", 1)[1] for b in blocks if b.startswith("unattributed:")],
    )
    statements = [s for s in map(claims.Statement.from_dict, rows) if claims.block_of(s) in blocks]
    store_claims.write_claim_groups(db, claims.group_statements(statements, vectors, settings), blocks=blocks)
    return len(statements)


def _take_in(db, block: str, new: list[claims.Statement], vectors: StoredVectors, settings: claims.Settings) -> int:
    """Add new statements to the claims of an intact block (see ``group_claims``)."""
    near = _claims_within_reach(db, block, new, vectors, settings)
    firsts = {s.quote_id: s for s in map(claims.Statement.from_dict, store_claims.statements(db, near))}
    fresh = {s.quote_id: s for s in new}
    grouped = claims.group_block(block, [*firsts.values(), *new], vectors, settings, focus=frozenset(fresh))
    joined: dict[str, list[claims.Statement]] = {}
    records = []
    for group in grouped:
        arriving = [fresh[q] for q in group.quote_ids if q in fresh]
        known = [q for q in group.quote_ids if q in firsts]  # earliest first
        if arriving and known:  # joins the earliest claim it matched; claims are never merged here
            joined.setdefault(claims.claim_id(firsts[known[0]]), []).extend(arriving)
        elif arriving:
            records.append(claims.claim_record(block, arriving))
    members: dict[str, list[claims.Statement]] = {claim_id: list(more) for claim_id, more in joined.items()}
    for row in store_claims.claim_members(db, joined):
        members[row.pop("claim_group_id")].append(claims.Statement.from_dict(row))
    records += [claims.claim_record(block, statements) for statements in members.values()]
    store_claims.write_claim_groups(db, records, claim_ids=joined)
    return len(firsts) + len(new)


def _claims_within_reach(
    db, block: str, new: list[claims.Statement], vectors: StoredVectors, settings: claims.Settings
) -> list[str]:
    """First quote ids of the block's claims a new statement could link with: those sharing a
    run of ``short_run`` words with one (every link by words needs that much), those whose
    first statement's vector comes within reach of a new statement's or of one of its
    sentences' (links by meaning, and a sentence summed up), and those with no stored vector.
    A block of few claims is read whole: cheaper than looking its claims up."""
    if store_claims.block_claim_count(db, block) <= READ_WHOLE_BLOCK:  # the grouping reads their vectors
        return store_claims.first_quotes(db, store_claims.block_claim_ids(db, block))
    run = min(settings.short_run, settings.shared_run)
    phrases = sorted(
        {
            " ".join(w[i : i + run])
            for s in new
            if len(w := claim_text.words(s.content)) >= run
            for i in range(len(w) - run + 1)
        }
    )
    near = set(store_claims.claims_sharing_words(db, block, phrases))
    indexed = store_claims.claim_index(db, block, vectors.model)
    known = [(index_id, vector) for index_id, vector in indexed if vector is not None]
    near.update(index_id for index_id, vector in indexed if vector is None)
    if known:
        texts = [t for s in new for t in claims.statement_texts(s.content)]
        # stored vectors are unit length before their float16 rounding, which the margin covers
        stored = np.frombuffer(b"".join(v for _, v in known), dtype=np.float16).reshape(len(known), -1)
        reach = min(settings.threshold, settings.cross_threshold) - REACH_MARGIN
        close = (vectors(texts) @ stored.T.astype(np.float32) >= reach).any(axis=0)
        near.update(known[i][0] for i in np.flatnonzero(close).tolist())
    return store_claims.first_quotes(db, near)
