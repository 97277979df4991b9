"""Faster stand-ins for spaCy's ``attribute_ruler`` and ``lemmatizer`` that set exactly
what the originals set.

The ruler's Matcher tries each of its ~180 patterns at every token, and the rule lemmatizer
asks whether a word is in its index by scanning a list (57,000 nouns). Together they cost
about a fifth of the pipeline that extraction runs. Yet what the ruler sets on a token
depends only on the few attributes its patterns read (and, for a handful of two-token
patterns, the next token's), and a lemma only on the token's text, part of speech and
morphology; so the stand-ins work each distinct combination out once, remember it, and
write the results back as arrays.

``speed_up(nlp)`` (``load_pipeline`` calls it) puts each stand-in right after its original
and disables the original, which the stand-in reads its patterns or tables from. A ruler or
lemmatizer the stand-ins cannot reproduce exactly (a pattern with an operator or on an
attribute the table does not read, a lemmatizer of another class or mode) stays enabled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# token attributes a ruler pattern may test, all compared as the integers ``to_array`` gives
PATTERN_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP", "LEMMA", "IS_SPACE", "IS_PUNCT", "IS_DIGIT")
# what the ruler's patterns may set through arrays; any other attribute is set token by token
ARRAY_ATTRS: list[int | str] = [POS, TAG, MORPH, LEMMA]
LEMMATIZERS = (Lemmatizer, EnglishLemmatizer)  # whose lemma depends on (text, pos, morph) only
LEMMATIZER_MODES = ("rule", "lookup")
# entries a table remembers before it starts afresh, so memory stays flat over a large corpus
# (PolNeAR dev has about 17,000 distinct attribute combinations and 10,000 lemma keys)
MEMORY_LIMIT = 200_000

Predicate = Callable[[tuple[int, ...]], bool]


def speed_up(nlp: Language) -> list[str]:
    """Replace each attribute ruler and lemmatizer of ``nlp`` that a stand-in reproduces
    exactly; return the names of the originals, now disabled."""
    replaced = []
    for name, pipe in list(nlp.pipeline):
        if type(pipe) is AttributeRuler and _compiles(pipe):
            factory = "quotetrack_attribute_table"
        elif type(pipe) in LEMMATIZERS and cast(Lemmatizer, pipe).mode in LEMMATIZER_MODES:
            factory = "quotetrack_lemma_table"
        else:
            continue
        nlp.add_pipe(factory, name=f"{factory}_{name}", after=name, config={"source": name})
        nlp.disable_pipe(name)
        replaced.append(name)
    return replaced


def _compiles(ruler: AttributeRuler) -> bool:
    try:
        CompiledRules(ruler)
    except Uncompilable:
        return False
    return True


@Language.factory(
    "quotetrack_attribute_table",
    default_config={"source": "attribute_ruler"},
    assigns=["token.pos", "token.tag", "token.morph", "token.lemma"],
)
def make_attribute_table(nlp: Language, name: str, source: str) -> AttributeTable:
    return AttributeTable(nlp, name, source=source)


@Language.factory("quotetrack_lemma_table", default_config={"source": "lemmatizer"}, assigns=["token.lemma"])
def make_lemma_table(nlp: Language, name: str, source: str) -> LemmaTable:
    return LemmaTable(nlp, name, source=source)


@dataclass
class Step:
    """One token of a Matcher pattern: tests on columns of a token's attribute tuple."""

    equal: list[tuple[int, frozenset[int]]]  # (column, values): IN and plain equality
    other: list[Predicate]  # NOT_IN and REGEX

    def __call__(self, token: tuple[int, ...]) -> bool:
        return all(token[c] in values for c, values in self.equal) and all(test(token) for test in self.other)


@dataclass
class Pattern:
    attr_id: int  # the ruler's rule: later rules override earlier ones
    steps: list[Step]
    target: int  # the token of the match that takes the attributes


class CompiledRules:
    """An attribute ruler's patterns as tests on tuples of the token attributes they read,
    indexed by the values their first token must have, so a new tuple is tested only
    against the patterns it could match."""

    def __init__(self, ruler: AttributeRuler):
        entries: list[dict[str, Any]] = ruler.patterns
        names = sorted({key for e in entries for pattern in e["patterns"] for spec in pattern for key in spec})
        if set(names) - set(PATTERN_ATTRS):
            raise Uncompilable(f"a pattern tests {sorted(set(names) - set(PATTERN_ATTRS))}")
        self.columns = [IDS["ORTH" if name == "TEXT" else name] for name in names]
        self.patterns: list[Pattern] = []
        for attr_id, entry in enumerate(entries):
            index = entry.get("index", 0)
            for pattern in entry["patterns"]:
                if not -len(pattern) <= index < len(pattern):
                    raise Uncompilable(f"index {index} is outside a pattern of {len(pattern)} tokens")
                steps = [_step(ruler.vocab.strings, names, spec) for spec in pattern]
                self.patterns.append(Pattern(attr_id, steps, index % len(pattern)))
        self.by_value: dict[tuple[int, int], list[int]] = defaultdict(list)  # (column, value) -> patterns
        self.unindexed: list[int] = []
        for k, p in enumerate(self.patterns):
            if p.steps[0].equal:
                column, values = p.steps[0].equal[0]
                for value in values:
                    self.by_value[column, value].append(k)
            else:
                self.unindexed.append(k)
        self.indexed_columns = sorted({column for column, _ in self.by_value})
        # what each rule sets: (column of ARRAY_ATTRS, value) pairs, and any other attributes
        self.sets = [
            (
                [(ARRAY_ATTRS.index(a), v) for a, v in attrs.items() if a in ARRAY_ATTRS],
                {a: v for a, v in attrs.items() if a not in ARRAY_ATTRS},
            )
            for attrs in ruler.attrs
        ]

    def starting_at(self, token: tuple[int, ...]) -> list[Pattern]:
        """The patterns whose first token matches a token with these attributes, in order."""
        candidates = set(self.unindexed)
        for column in self.indexed_columns:
            candidates.update(self.by_value.get((column, token[column]), ()))
        return [self.patterns[k] for k in sorted(candidates) if self.patterns[k].steps[0](token)]


class Uncompilable(ValueError):
    """A ruler pattern uses what ``CompiledRules`` cannot test."""


def _step(strings, names: list[str], spec: dict) -> Step:
    """Equality, ``IN``, ``NOT_IN`` and ``REGEX`` (searched in the string, as the Matcher does)."""
    step = Step([], [])
    for name, value in spec.items():
        column = names.index(name)
        if not isinstance(value, dict):
            value = {"IN": [value]}
        if not value or set(value) - {"IN", "NOT_IN", "REGEX"}:
            raise Uncompilable(f"a pattern uses {sorted(value)}")
        for op, operand in value.items():
            if op == "REGEX":
                regex = re.compile(operand)
                step.other.append(_searches(strings, column, regex))
                continue
            values = frozenset(strings.add(v) if isinstance(v, str) else int(v) for v in operand)
            if op == "IN":
                step.equal.append((column, values))
            else:
                step.other.append(_not_in(column, values))
    return step


def _searches(strings, column: int, regex: re.Pattern) -> Predicate:
    return lambda token: regex.search(strings[token[column]]) is not None


def _not_in(column: int, values: frozenset[int]) -> Predicate:
    return lambda token: token[column] not in values


class AttributeTable:
    """``attribute_ruler`` as a lookup: the rules that fire on a token depend only on the
    attributes its patterns read, so each distinct combination is matched once."""

    def __init__(self, nlp: Language, name: str, *, source: str = "attribute_ruler"):
        self.name = name
        self._nlp, self._source = nlp, source
        self._rules: CompiledRules | None = None  # compiled on first use, once the ruler is loaded
        self._seen: dict[tuple[int, ...], tuple[tuple[int, ...], list[Pattern]]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self._rules is None:
            self._rules = CompiledRules(cast(AttributeRuler, self._nlp.get_pipe(self._source)))
        tokens = list(map(tuple, doc.to_array(self._rules.columns).tolist()))
        matches = [self._matches(token) for token in tokens]
        fired = [rules for rules, _ in matches]
        for start, (_, longer) in enumerate(matches):
            for p in longer:  # patterns of several tokens whose first token matches here
                if start + len(p.steps) <= len(tokens) and all(
                    step(tokens[start + k]) for k, step in enumerate(p.steps[1:], 1)
                ):
                    fired[start + p.target] += (p.attr_id,)
        self.set_annotations(doc, fired)
        return doc

    def _matches(self, token: tuple[int, ...]) -> tuple[tuple[int, ...], list[Pattern]]:
        """The rules whose one-token patterns match a token with these attributes, and the
        longer patterns whose first token does."""
        found = self._seen.get(token)
        if found is None:
            if len(self._seen) >= MEMORY_LIMIT:
                self._seen.clear()
            assert self._rules is not None  # compiled by __call__
            matching = self._rules.starting_at(token)
            found = self._seen[token] = (
                tuple(p.attr_id for p in matching if len(p.steps) == 1),
                [p for p in matching if len(p.steps) > 1],
            )
        return found

    def set_annotations(self, doc: Doc, fired: list[tuple[int, ...]]) -> None:
        """Apply the rules in the ruler's order (a later rule overrides an earlier one)."""
        assert self._rules is not None  # compiled by __call__
        values = doc.to_array(ARRAY_ATTRS).tolist()
        others = []
        for i, rules in enumerate(fired):
            if rules:
                row = values[i]
                for attr_id in sorted(rules):
                    columns, other = self._rules.sets[attr_id]
                    for column, value in columns:
                        row[column] = value
                    if other:
                        others.append((i, other))
        doc.from_array(ARRAY_ATTRS, numpy.array(values, dtype=numpy.uint64))  # type: ignore[arg-type]  # thinc's Ints2d
        for i, attr in others:
            set_token_attrs(doc[i], attr)


class LemmaTable:
    """``lemmatizer`` as a lookup on (text, part of speech, morphology), the inputs of the
    rule and lookup lemmatizers; each distinct combination is lemmatized once, by a copy of
    the lemmatizer whose word index is a set (spaCy keeps a list, which makes each
    lemmatization of a new word scan up to 57,000 nouns)."""

    def __init__(self, nlp: Language, name: str, *, source: str = "lemmatizer"):
        self.name = name
        self._nlp, self._source = nlp, source
        self._lemmatizer: Lemmatizer | None = None  # made on first use, once the tables are loaded
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self._lemmatizer is None:
            self._lemmatizer = with_indexed_words(cast(Lemmatizer, self._nlp.get_pipe(self._source)))
        lemmatizer = self._lemmatizer
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = [row[3] for row in rows]
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not lemmatizer.overwrite:
                continue
            key = (orth, pos, morph)
            lemma = self._lemmas.get(key)
            if lemma is None:
                if len(self._lemmas) >= MEMORY_LIMIT:
                    self._lemmas.clear()
                    lemmatizer.cache.clear()  # spaCy's own, keyed alike
                lemma = self._lemmas[key] = doc.vocab.strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))  # type: ignore[arg-type]  # thinc's Ints2d
        return doc


def with_indexed_words(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A lemmatizer like ``lemmatizer`` whose ``lemma_index`` holds sets of words: it only
    asks whether a word is in the index, so it lemmatizes the same, without the scans."""
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        data = dict(lemmatizer.lookups.get_table(name).items())
        if name == "lemma_index":
            data = {pos: frozenset(words) for pos, words in data.items()}
        lookups.add_table(name, data)
    copy = type(lemmatizer)(
        lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode=lemmatizer.mode, overwrite=lemmatizer.overwrite
    )
    copy.lookups = lookups
    return copy
