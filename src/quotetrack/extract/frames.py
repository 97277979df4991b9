"""Learned attribution frames: statements the cue lexicon does not reach.

News attributes far more than speech: ``Trump is demanding Obama make a pledge``, ``the poll
shows Clinton ahead``, ``he complained about his microphone``. Each verb with a speaking
subject offers a few candidate contents, one per frame: its clausal complement (``ccomp``),
its open complement (``xcomp``), its object (``dobj``), a prepositional object
(``prep:about``) or a for-clause (``for``: "called for all candidates to lay out ..."). A
predicate adjective offers the same ("are worried about ...", "was willing to ..."); a passive
with an agent offers its subject as well, spoken by the agent (``passive``: "The registration
issue was first reported by The Washington Post"). A noun with a possessor offers its
that-clause, its to-clause or its ``about``/``on`` object (``his claim that ...``, ``his
promise to ...``). A logistic model scores each (cue, frame) from features of
the parse, and the candidates above the model's threshold become ``indirect`` quotes.

The weights live in ``data/models/en_frames.json``; ``scripts/train_frames.py`` fits them on a
gold corpus in the seeds' schema (PolNeAR train for the shipped file) and records where they
came from. Scoring is a sum of weights, so it needs nothing beyond the standard library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

from spacy.tokens import Token

from quotetrack.extract.syntax import phrase_last, trim

MODEL_FILE = ("models", "en_frames.json")
# a verb whose own weight is at least this is a likely cue, and a paragraph holding one is
# parsed (``likely_cues``): on PolNeAR dev 0.1 parses 98% of the text and loses no F1 against
# parsing it all (0.2: 96%, F1 −0.0014)
LIKELY_CUE_WEIGHT = 0.1
SET_OFF = {",", "-", "—", "–", "("}  # punctuation that sets an adjunct off from its verb
TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "day week month year decade century morning evening night time "
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth".split()
)


@dataclass
class FrameCandidate:
    """One possible statement: the cue (a verb, or a noun such as "claim"), which frame, the
    content's token range and the source (the verb's subject or the noun's possessor)."""

    cue: Token
    frame: str
    first: int  # token index of the content's first token
    last: int  # token index of its last token (inclusive)
    subject: Token

    @cached_property
    def span(self) -> tuple[int, int]:
        """The content's character offsets, trimmed (computed once: three steps read it)."""
        doc = self.cue.doc
        return trim(doc, doc[self.first].idx, doc[self.last].idx + len(doc[self.last]))


@dataclass(frozen=True)
class FrameModel:
    """A logistic model over sparse binary features."""

    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> FrameModel:
        return cls(weights=data["weights"], bias=data["bias"], threshold=data["threshold"])

    def to_dict(self) -> dict:
        return {"bias": self.bias, "threshold": self.threshold, "weights": self.weights}

    def likely_cues(self, min_weight: float = LIKELY_CUE_WEIGHT) -> frozenset[str]:
        """The verbs (lemmas) the model holds to attribute: those whose ``lemma=`` weight is at
        least ``min_weight``. The pre-filter parses the paragraphs that hold one."""
        return frozenset(f[6:] for f, w in self.weights.items() if f.startswith("lemma=") and w >= min_weight)

    def score(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def shipped_model() -> FrameModel:
    path = files("quotetrack").joinpath("data", *MODEL_FILE)
    return FrameModel.from_dict(json.loads(path.read_text("utf-8")))


def frames_of(verb: Token) -> dict[str, tuple[int, int]]:
    """Candidate contents to the right of ``verb`` (or of a predicate adjective): frame name →
    (first, last) token index.

    ``dobj`` is the object phrase; ``dobj+`` runs on over the phrases after it ("blocked the
    company from abandoning its plants"), up to a clause set off from them.
    """
    out: dict[str, tuple[int, int]] = {}
    for c in verb.rights:
        if c.dep_ in ("ccomp", "xcomp"):
            out[c.dep_] = (c.left_edge.i, c.right_edge.i)
        elif c.dep_ == "dobj":
            out["dobj"] = (c.left_edge.i, phrase_last(c))
            rest = phrase_last(c, verb.right_edge.i)
            if rest > out["dobj"][1] + 1:
                out["dobj+"] = (c.left_edge.i, rest)
        elif c.dep_ == "advcl" and c.left_edge.lower_ == "for" and c.left_edge.dep_ == "mark":
            out["for"] = (c.left_edge.i + 1, c.right_edge.i)  # "called for all candidates to lay out ..."
        elif c.dep_ == "prep" and c.nbor(-1).text not in SET_OFF:  # "- in his statement -" is an adjunct
            if (obj := prep_object(c)) is not None:
                out.setdefault("prep:" + c.lower_, obj)
    return out


def noun_frames_of(noun: Token) -> dict[str, tuple[int, int]]:
    """Candidate contents of a noun with a possessor: its that-clause ("Trump's claim that
    ..."), its to-clause ("his promise to cut taxes") or the object of ``about``/``on`` ("his
    comments on the shooting")."""
    out: dict[str, tuple[int, int]] = {}
    for c in noun.rights:
        if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            out["n:that"] = (c.left_edge.i, c.right_edge.i)
        elif c.dep_ == "acl" and c.tag_ == "VB" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            out["n:to"] = (c.left_edge.i, c.right_edge.i)  # "his promise to cut taxes"
        elif c.dep_ == "prep" and c.lower_ in ("about", "on"):
            if (obj := prep_object(c)) is not None:
                out.setdefault("n:prep:" + c.lower_, obj)
    return out


def prep_object(prep: Token) -> tuple[int, int] | None:
    """(first, last) token of a preposition's object: a noun phrase ends where ``phrase_last``
    says, a clause ("about how to ...") runs to its right edge."""
    obj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return None
    return obj.left_edge.i, phrase_last(obj) if obj.dep_ == "pobj" else obj.right_edge.i


def can_speak(subject: Token) -> bool:
    """A date or a number is never a source ("the nineteenth of January witnessed ...").

    Decided without entity types: frames are scored before the entity recognizer runs.
    """
    return not (subject.like_num or subject.tag_ == "CD" or subject.lower_ in TIME_WORDS)


def features(cand: FrameCandidate, kind: str, content: str, sent_start: int) -> list[str]:
    """The binary features of a candidate, as strings (the model's vocabulary).

    ``kind`` is the subject's kind ("pron:he", "propn", "org", "noun"); ``sent_start`` is the
    index of the first token of the verb's sentence.
    """
    verb, subject, doc = cand.cue, cand.subject, cand.cue.doc
    lemma, frame = verb.lemma_.lower(), cand.frame
    first = doc[cand.first]
    root = doc[cand.first : cand.last + 1].root
    out = [
        f"lemma={lemma}",
        f"frame={frame}",
        f"lf={lemma}|{frame}",
        f"subj={kind}",
        f"subjlemma={subject.lemma_.lower()}",
        f"lsk={lemma}|{kind}",
        f"tag={verb.tag_}",
        f"dep={verb.dep_}",
        f"hl={verb.head.lemma_.lower()}|{verb.dep_}",
        f"len={min(cand.last - cand.first + 1, 20) // 4}",
        f"first={first.lower_}",
        f"firstpos={first.pos_}",
        f"lt={lemma}|{verb.tag_}",
        f"lfirst={lemma}|{first.lower_}",
        f"croot={root.lemma_.lower()}",
        f"crootpos={root.pos_}",
        f"subjcase={'cap' if subject.text[:1].isupper() else 'low'}",
        f"vdist={min(abs(verb.i - subject.i), 10)}",
    ]
    out += [
        f"ch={c.dep_}:{c.lower_}"
        for c in verb.children
        if c.dep_ in ("aux", "neg", "auxpass", "advmod", "dative", "prt")
    ]
    if frame != "dobj" and any(c.dep_ == "dobj" for c in verb.children):
        out.append("hasdobj")
    if any(ch in content for ch in '"“”'):
        out.append("quote")
    if sent_start == subject.left_edge.i:
        out.append("sentstart")
    return out
