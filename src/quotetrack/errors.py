"""Exceptions and the stable problem codes recorded for bad input.

The library raises these; only ``cli.py`` turns them into ``Error: ...`` lines.
Problem codes are stable: tests and docs refer to the code, never to the wording.
"""

from __future__ import annotations


class QuotetrackError(Exception):
    """Base class of every error quotetrack raises on purpose."""


class ModelNotInstalled(QuotetrackError):
    """The spaCy pipeline asked for is not installed."""


class ExtractorMismatch(QuotetrackError):
    """A worker's extractor (versions, lexicons, model files) differs from the caller's."""


class CurationError(QuotetrackError):
    """The speaker curation file is malformed."""


class BadEvalFile(QuotetrackError):
    """A gold, prediction or alias file given to ``eval`` cannot be read.

    ``path`` names the file and ``line`` the JSONL line (1-based) when there is one.
    """

    def __init__(self, path: str, reason: str, *, line: int | None = None):
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


# code -> meaning. Stages record these in the ``problems`` table; never reuse a code.
PROBLEM_CODES = {
    "QT001": "unbalanced quotation marks: the unpaired marks were left out",
    "QT002": "a quote never closes before the paragraph ends",
    "QT003": "article language has no extractor yet; stored and skipped",
    "QT100": "input cannot be read",
    "QT101": "file is empty",
    "QT102": "file looks binary",
    "QT103": "file is not valid UTF-8",
    "QT104": "malformed JSONL line",
    "QT105": "file is larger than the size limit",
    "QT106": "path does not exist",
    "QT107": "JSONL line has no text",
    "QT108": "unsupported file type",
    "QT109": "duplicate article id: the first one read is kept",
    "QT110": "HTML page has no article text",
    "QT111": "file is not UTF-8: read in the encoding detected (a warning)",
    "QT200": "extraction failed for this article",
}

# ingest problems that come just before the article they concern, which is still read
INGEST_WARNINGS = frozenset({"QT111"})
