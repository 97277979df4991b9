"""The Python API: one function per CLI command, with the same name and parameters.

Each function composes the stage modules (ingest → extract → resolve → store → publish);
none of them prints. ``cli.py`` is a thin layer over this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from quotetrack import evaluate as scoring


def evaluate(
    gold: str | Path,
    *,
    pred: str | Path | None = None,
    language: str | None = None,
    aliases: str | Path | None = None,
    threshold: float = scoring.THRESHOLD,
    model: str | None = None,
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
    """
    articles = scoring.load_gold(gold)
    groups = scoring.load_aliases(aliases) if aliases else []
    if pred is not None:
        predictions = scoring.load_predictions(pred)
    else:
        predictions = (q.to_dict() for q in extract([gold], model=model))
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
