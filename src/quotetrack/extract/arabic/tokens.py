"""Arabic tokens: normalization, the lexicons, the tokenizer and the per-article ``Context``.

Words are compared in a normalized form (``normalize``); offsets always index the original
text. The word classes and limits used by more than one of the rule modules live here too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

from quotetrack.extract.lexicons import word_list
from quotetrack.extract.quote_marks import QuoteSpan

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء", "ی": "ي", "ک": "ك"}
)
PARAGRAPH = "\n"
SENTENCE_END = {".", "!", "?", "؟", PARAGRAPH}
QUOTE_CHARS = '"“”«»„'
# prepositions that open a setting phrase or stand between a cue and its complement
# (أشار إلى أن, حذر من أن, أكد على أن); باسم ("in the name of") never precedes a name
PREPOSITIONS = {"في", "علي", "عبر", "خلال", "امام", "من", "عن", "الي", "لدي", "حول", "اثناء", "مع", "باسم"}
MAX_SEGMENT = 14  # tokens in one speaker phrase


def normalize(word: str) -> str:
    """Fold the spellings Arabic writers vary, for matching only: marks, hamza, ى, ة."""
    return _MARKS.sub("", word).translate(_FOLD)


def is_preposition(tok: Tok) -> bool:
    """A preposition, also misspelt with a doubled letter (``إللى`` for إلى)."""
    collapsed = "".join(c for n, c in enumerate(tok.norm) if n == 0 or c != tok.norm[n - 1])
    return tok.norm in PREPOSITIONS or collapsed in PREPOSITIONS


def strip_article(norm: str) -> str:
    """Drop the article ال (or the لل of لـ + ال) from a normalized word."""
    return norm[2:] if norm.startswith(("ال", "لل")) and len(norm) > 3 else norm


def conjugate(past: str, present: str, *participles: str) -> dict[str, str]:
    """The 3rd-person forms of a reporting verb that news uses, each with its tense.

    ``conjugate("قال", "يقول", "قائلا")`` gives قال قالت قالوا (past), يقول تقول يقولون
    (present) and قائلا قائلة قائلين (participle). A final weak letter (نفى/ينفي, رأى/يرى)
    is dropped before an ending.
    """
    past_stem = past[:-1] if past[-1] in "اى" else past
    present_stem = present[:-1] if present[-1] in "يوى" else present
    forms = dict.fromkeys((past, past_stem + "ت", past_stem + "وا"), "past")
    forms |= dict.fromkeys((present, "ت" + present[1:], present_stem + "ون"), "present")
    for p in participles:
        stem = p[:-1] if p.endswith("ا") else p
        forms |= dict.fromkeys((p, stem + "ة", stem + "ين"), "participle")
    return forms


@dataclass(frozen=True)
class Lexicons:
    """The Arabic word lists from ``data/``, normalized for lookup."""

    cues: dict[str, tuple[str, str]]  # form -> (lemma, tense)
    complements: dict[str, frozenset[str]]  # lemma -> what else opens its content: a preposition, ب, 0 (object)
    titles: frozenset[str]
    organizations: frozenset[str]
    anonymous: frozenset[str]
    given_names: frozenset[str]
    settings: frozenset[str]
    adverbs: frozenset[str]


def _normalized(*parts: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in word_list(*parts))


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Load the Arabic lexicons once per process."""
    cues: dict[str, tuple[str, str]] = {}
    complements: dict[str, frozenset[str]] = {}
    for line in word_list("cues", "ar.txt"):
        past, present, *rest = line.split()
        participles = [w for w in rest if not w.startswith(("+", "="))]
        for form, tense in conjugate(past, present.strip("-") or past, *participles).items():
            if present != "-" or tense == "participle":  # "-": the verb's finite forms mean something else
                cues[normalize(form)] = (normalize(past), tense)
        for form in (w[1:] for w in rest if w.startswith("=")):  # a form taken as written: بالقول
            cues[normalize(form)] = (normalize(past), "participle")
        if marked := [normalize(w[1:]) for w in rest if w.startswith("+")]:
            complements[normalize(past)] = frozenset(marked)
    return Lexicons(
        cues=cues,
        complements=complements,
        titles=_normalized("titles", "ar.txt"),
        organizations=_normalized("speakers", "ar_organizations.txt"),
        anonymous=_normalized("speakers", "ar_anonymous.txt"),
        given_names=_normalized("speakers", "ar_given_names.txt"),
        settings=_normalized("speakers", "ar_settings.txt"),
        adverbs=_normalized("speakers", "ar_adverbs.txt"),
    )


@lru_cache(maxsize=1)
def arabic_nlp() -> Language:
    """spaCy's rule-based Arabic tokenizer with a sentencizer, built once per process."""
    nlp = spacy.blank("ar")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Tok:
    """A token: its text, normalized form and character offsets in the article."""

    text: str
    norm: str
    start: int
    end: int
    sent_start: bool = False


# punctuation or a bullet glued to the next Arabic word by a missing space ("والخيبة.وشدد", "•واكد"),
# and punctuation the tokenizer leaves on a word with tanween ("أيضًا.", "خائنًا».")
_GLUED = re.compile(r"[.،؛!؟•·](?=[\u0621-\u064a])|(?<=[\u0621-\u065f.،؛!؟»”“\"])[.،؛!؟»”“\"](?=[.،؛!؟»”“\"]*$)")


def tokenize(text: str) -> list[Tok]:
    """Tokens of ``text``; a line break becomes one ``PARAGRAPH`` token, other spaces vanish.

    Punctuation glued to a following Arabic word (``والخيبة.وشدد``) is split off, and the
    word after a glued full stop starts a sentence.
    """
    toks = []
    for t in arabic_nlp()(text):
        if not t.is_space:
            toks += _split_glued(t.text, t.idx, bool(t.is_sent_start))
        elif PARAGRAPH in t.text:
            toks.append(Tok(t.text, PARAGRAPH, t.idx, t.idx + len(t.text), True))
    return toks


def _split_glued(word: str, idx: int, sent_start: bool) -> list[Tok]:
    if _GLUED.search(word) is None:  # nearly every word
        return [Tok(word, normalize(word) or word, idx, idx + len(word), sent_start)]
    pieces, start = [], 0
    for m in _GLUED.finditer(word):
        pieces += [(start, m.start(), sent_start), (m.start(), m.end(), False)]
        start, sent_start = m.end(), m.group() in ".!؟"
    pieces.append((start, len(word), sent_start))
    # a token of marks or tatweel alone keeps its text, so no norm is empty
    return [
        Tok(word[a:b], normalize(word[a:b]) or word[a:b], idx + a, idx + b, first) for a, b, first in pieces if b > a
    ]


@dataclass
class Context:
    """One article as the rules see it: text, tokens, quotations and lexicons."""

    text: str
    toks: list[Tok]
    spans: list[QuoteSpan]
    lex: Lexicons

    def __post_init__(self) -> None:
        self.opening = _mark_positions(self.text, self.spans, -1)
        self.closing = _mark_positions(self.text, self.spans, +1)
        self.starts = [t.start for t in self.toks]
        self.sentence_starts = [t.start for t in self.toks if t.sent_start]
        self.quoted = [False] * len(self.toks)  # token inside a quotation
        for span in self.spans:
            for k in range(self.after(span.start), self.after(span.end)):
                self.quoted[k] = True

    def opens(self, j: int) -> QuoteSpan | None:
        """The quotation whose opening mark is in token ``j``, if any."""
        tok = self.toks[j]
        return next((self.opening[p] for p in range(tok.start, tok.end) if p in self.opening), None)

    def closes(self, j: int) -> QuoteSpan | None:
        """The quotation whose closing mark is in token ``j``, if any."""
        tok = self.toks[j]
        return next((self.closing[p] for p in range(tok.start, tok.end) if p in self.closing), None)

    def after(self, pos: int) -> int:
        """Index of the first token that starts at or after ``pos``."""
        return bisect_left(self.starts, pos)

    def words(self, span: QuoteSpan) -> int:
        return len(self.text[span.start : span.end].split())

    def ends_sentence(self, span: QuoteSpan) -> bool:
        """Whether only the closing mark (and punctuation) follow a quotation in its sentence."""
        k = self.after(span.end)
        while k < len(self.toks) and self.closes(k) is span:
            k += 1
        return k >= len(self.toks) or self.toks[k].norm in SENTENCE_END


def _mark_positions(text: str, spans: list[QuoteSpan], step: int) -> dict[int, QuoteSpan]:
    """Character position of each quotation's opening (step -1) or closing (+1) mark."""
    out = {}
    for span in spans:
        pos = span.start - 1 if step < 0 else span.end
        while 0 <= pos < len(text) and text[pos].isspace():
            pos += step
        if 0 <= pos < len(text) and text[pos] in QUOTE_CHARS:
            out[pos] = span
    return out
