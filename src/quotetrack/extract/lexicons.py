"""Load the extractor's lexicons from package data files (see data/SOURCES.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


def _lines(*parts: str) -> list[str]:
    path = files("quotetrack").joinpath("data", *parts)
    out = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=None)
def word_list(*parts: str) -> frozenset[str]:
    """A one-entry-a-line data file as a set of lowercase entries."""
    return frozenset(line.lower() for line in _lines(*parts))


@lru_cache(maxsize=None)
def word_table(*parts: str) -> dict[str, str]:
    """A two-column (tab-separated) data file as a dict."""
    return dict(line.split("\t", 1) for line in _lines(*parts))


@lru_cache(maxsize=None)
def cue_patterns(language: str) -> list[dict]:
    """Token patterns for multi-word cues such as "according to"."""
    return [json.loads(line) for line in _lines("cue_patterns", f"{language}.jsonl")]
