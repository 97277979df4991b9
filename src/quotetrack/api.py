"""The Python API: one function per CLI command, with the same name and parameters.

Each function composes the stage modules (ingest → extract → resolve → store → publish);
none of them prints. ``cli.py`` is a thin layer over this module.
"""

from __future__ import annotations

from pathlib import Path

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
