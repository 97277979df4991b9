"""Load the extractor's lexicons from package data files (see data/SOURCES.md)."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib.resources import files


def _lines(*parts: str) -> list[str]:
    path = files("quotetrack").joinpath("data", *parts)
    out = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@cache
def word_list(*parts: str) -> frozenset[str]:
    """A one-entry-a-line data file as a set of lowercase entries."""
    return frozenset(line.lower() for line in _lines(*parts))


@cache
def word_table(*parts: str) -> dict[str, str]:
    """A two-column (tab-separated) data file as a dict."""
    return dict(line.split("\t", 1) for line in _lines(*parts))


@cache
def cue_patterns(language: str) -> list[dict]:
    """Token patterns for multi-word cues such as "according to"."""
    return [json.loads(line) for line in _lines("cue_patterns", f"{language}.jsonl")]


IRREGULAR_FORMS = {
    "said": "say",
    "told": "tell",
    "thought": "think",
    "wrote": "write",
    "written": "write",
    "felt": "feel",
    "found": "find",
    "knew": "know",
    "known": "know",
    "shown": "show",
    "spoke": "speak",
    "spoken": "speak",
    "sought": "seek",
}


def inflections(verb: str) -> set[str]:
    """Regular English forms of a verb, generously ("note" → notes, noted, noting, ...)."""
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms.add(verb[:-1] + "ing")
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", verb):
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # admitted, committing
    return forms


@lru_cache(maxsize=8)
def verb_forms(lemmas: frozenset[str]) -> dict[str, str]:
    """Inflected form → lemma for the first word of every cue ("noted" → "note")."""
    forms: dict[str, str] = {}
    for lemma in sorted(lemmas):
        verb = lemma.split()[0]
        for form in inflections(verb):
            forms.setdefault(form, verb)
    forms.update({form: verb for form, verb in IRREGULAR_FORMS.items() if verb in forms})
    return forms
