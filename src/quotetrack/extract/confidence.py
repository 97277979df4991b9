"""How likely a statement and its resolved speaker are both right: ``Quote.confidence``.

Two pieces of evidence a quote carries decide it: how the statement was found (a quotation
with its cue, reported speech after a reporting verb, a headline's colon, a quotation with no
cue that carries the last speaker on) and how its speaker was found (named at the cue, linked
from a pronoun or a role mention, left as an unnamed source, ...). Each kind has the rate at
which it was right on hand-annotated real news (``data/models/confidence.json``, written by
``scripts/calibrate_confidence.py``); the confidence is the product of the two rates, so an
editor can sort the doubtful statements first.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

from quotetrack.types import Quote

STATEMENT_KINDS = ("quotation with cue", "reported speech", "colon", "no cue")
SPEAKER_KINDS = (
    "named",
    "linked name",
    "pronoun",
    "unresolved pronoun",
    "role or description",
    "organization",
    "unnamed source",
    "no mention",
)


def statement_kind(q: Quote) -> str:
    """How the statement was found (one of ``STATEMENT_KINDS``)."""
    if not q.cue:
        return "no cue"
    if q.cue == ":":
        return "colon"
    return "quotation with cue" if q.kind == "direct" else "reported speech"


def speaker_kind(q: Quote, is_pronoun: bool) -> str:
    """How the speaker was found (one of ``SPEAKER_KINDS``)."""
    mention, speaker = q.speaker_mention or "", q.speaker or ""
    if not mention:
        return "no mention"
    if is_pronoun:
        return "pronoun" if q.speaker_type == "person" else "unresolved pronoun"
    if q.speaker_type == "organization":
        return "organization"
    if q.speaker_type == "anonymous":
        return "unnamed source"
    last = speaker.split()[-1].casefold() if speaker else ""
    if mention == speaker:
        return "named"
    return "linked name" if last and last in mention.casefold() else "role or description"


def confidence(q: Quote, is_pronoun: bool) -> float:
    """The calibrated probability that the statement and its speaker are both right."""
    rates = calibration()
    statement = rates["statement"].get(statement_kind(q), rates["default"])
    speaker = rates["speaker"].get(speaker_kind(q, is_pronoun), rates["default"])
    return round(statement * speaker, 2)


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The shipped rates: {"statement": {kind: rate}, "speaker": {kind: rate}, "default"}."""
    return json.loads(files("quotetrack").joinpath("data", "models", "confidence.json").read_text("utf-8"))
