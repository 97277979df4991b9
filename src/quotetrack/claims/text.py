"""The words of a statement, as the claim guards and the wording-drift check compare them.

Pure functions over strings, English and Arabic: ``normalize`` (what Quotebank compares:
case and punctuation folded, plus Arabic spelling variants), ``words``, ``numbers``,
``negations``, ``affiliations`` of an unnamed source, and ``drift`` between two wordings.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache, cache
from importlib.resources import files

# Arabic: short vowels, shadda, sukun, dagger alef and tatweel carry no word identity in news
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
# a number as written: 100, 100,000, 1.5, ١٠٠ (NFKC leaves Arabic-Indic digits alone)
_NUMBER = re.compile(r"\d+(?:[.,٫٬]\d+)*")
_WORD = re.compile(r"\d+(?:[.,٫٬]\d+)*|\w+")
_NOT = re.compile(r"n[’']t\b", re.IGNORECASE)
_CONJUNCTIONS = ("و", "ف")  # Arabic "and"/"so" written on the next word: وقال, ونفى


@cache
def _lexicon(name: str) -> frozenset[str]:
    """A one-entry-a-line file of ``data/claims``, normalized like the text it is matched to."""
    lines = (files("quotetrack") / "data" / "claims" / name).read_text("utf-8").splitlines()
    return frozenset(normalize(line.split("#", 1)[0].strip()) for line in lines if line.split("#", 1)[0].strip())


@cache
def _affiliation_table() -> dict[str, str]:
    """``data/claims/affiliations.txt``: normalized word -> country or body code."""
    lines = (files("quotetrack") / "data" / "claims" / "affiliations.txt").read_text("utf-8").splitlines()
    pairs = (line.split("\t", 1) for line in lines if line and not line.startswith("#"))
    return {normalize(word): code.strip() for word, code in pairs}


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and other decimal digits as 0-9."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Case, punctuation, Arabic vowel marks and letter variants folded; one space between words.

    "n't" becomes " not", and a number keeps its digits only (``100,000`` → ``100000``,
    ``1.5`` → ``15``), so wire copies that differ in those only compare equal.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _ascii_digits(_ARABIC_MARKS.sub("", text)).translate(_ARABIC_FOLDS)
    text = _NOT.sub(" not", text).casefold()
    return " ".join(re.sub(r"\D", "", w) if w[0].isdigit() else w for w in _WORD.findall(text))


def words(text: str) -> tuple[str, ...]:
    """The normalized words of ``text``."""
    return tuple(normalize(text).split())


def numbers(text: str) -> frozenset[str]:
    """The numbers written in digits in ``text``, thousands separators and digit scripts folded.

    Numbers written as words ("two", "مئة") are not read: the guard compares digits only.
    """
    found = set()
    for raw in _NUMBER.findall(_ascii_digits(unicodedata.normalize("NFKC", text or ""))):
        found.add(_number_value(raw))
    return frozenset(found)


def _number_value(raw: str) -> str:
    """``100,000`` and ``100.000`` → ``100000``; ``1.5`` and ``1,5`` (decimal) → ``1.5``."""
    raw = raw.replace("٫", ".").replace("٬", ",")
    groups = re.split(r"[.,]", raw)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    return groups[0] + ("." + "".join(groups[1:]) if len(groups) > 1 else "")


def negations(text: str) -> int:
    """How many negating words (``data/claims/negation.txt``) ``text`` has."""
    lexicon = _lexicon("negation.txt")
    return sum(w in lexicon or (w[:1] in _CONJUNCTIONS and w[1:] in lexicon) for w in words(text))


def negating_cue(cue_lemma: str | None) -> bool:
    """Whether the cue reports the opposite of its content ("denied", "نفى")."""
    if not cue_lemma:
        return False
    lexicon = _lexicon("negating_cues.txt")
    for word in normalize(cue_lemma).split():
        forms = {word, word[1:] if word[:1] in _CONJUNCTIONS else word, *_english_lemmas(word)}
        if forms & lexicon:
            return True
    return False


def _english_lemmas(word: str) -> set[str]:
    """Lemmas a regular English verb form may have ("denied" → deny, "refutes" → refute)."""
    found = {word[:-3] + "y"} if word.endswith(("ied", "ies")) else set()
    for suffix in ("s", "d", "ed", "ing"):
        if word.endswith(suffix):
            found |= {word[: -len(suffix)], word[: -len(suffix)] + "e"}
    return found


def affiliations(description: str | None) -> frozenset[str]:
    """Countries or bodies an unnamed source's description names ("a Turkish official" → tr)."""
    table = _affiliation_table()
    found = set()
    for word in words(description or ""):
        for form in (word, word.removeprefix("ال"), word[1:].removeprefix("ال") if word[:1] in _CONJUNCTIONS else ""):
            if form in table:
                found.add(table[form])
                break
    return frozenset(found)


def conflicts(a_words: tuple[str, ...], b_words: tuple[str, ...]) -> set[str]:
    """What two wordings that share words change *between* their shared parts: ``negation``
    (a negating word added, dropped or swapped) and ``number`` (a number changed).

    Words before the first shared run or after the last one are left out: a quote cut
    short, or carried with more of what was said, conflicts with nothing.
    """
    matcher = difflib.SequenceMatcher(a=a_words, b=b_words, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks:
        return set()
    a_span = (blocks[0].a, blocks[-1].a + blocks[-1].size)
    b_span = (blocks[0].b, blocks[-1].b + blocks[-1].size)
    inner = difflib.SequenceMatcher(a=a_words[slice(*a_span)], b=b_words[slice(*b_span)], autojunk=False)
    changed = [
        w
        for tag, i1, i2, j1, j2 in inner.get_opcodes()
        if tag != "equal"
        for w in a_words[a_span[0] + i1 : a_span[0] + i2] + b_words[b_span[0] + j1 : b_span[0] + j2]
    ]
    lexicon = _lexicon("negation.txt")
    found = set()
    if any(w in lexicon or (w[:1] in _CONJUNCTIONS and w[1:] in lexicon) for w in changed):
        found.add("negation")
    if any(w[:1].isdigit() for w in changed):
        found.add("number")
    return found


def contains_run(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Whether ``shorter`` occurs in ``longer`` as a contiguous run of words."""
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def drift(reference: str, wording: str) -> list[str]:
    """How ``wording`` differs from ``reference`` (two direct quotes of one claim), or [].

    Each difference is a short phrase a reader can check: ``number 100 → 300``, ``drops a
    negation``, ``shortened: 8 of 20 words``, ``reworded: "moving" → "advancing"``. A quote
    cut short is only that: what it leaves out is not also reported as changed.
    """
    ref_words, own_words = words(reference), words(wording)
    if ref_words == own_words:
        return []
    if len(own_words) < len(ref_words) and contains_run(ref_words, own_words):
        return [f"shortened: {len(own_words)} of {len(ref_words)} words"]
    if len(own_words) > len(ref_words) and contains_run(own_words, ref_words):
        return [f"longer: {len(own_words)} words where most outlets have {len(ref_words)}"]
    found = []
    changed = conflicts(ref_words, own_words)
    if "number" in changed:
        ref_numbers, own_numbers = numbers(reference), numbers(wording)
        found.append(
            f"number {', '.join(sorted(ref_numbers - own_numbers)) or '(none)'} → "
            f"{', '.join(sorted(own_numbers - ref_numbers)) or '(none)'}"
        )
    if "negation" in changed:
        fewer = negations(wording) < negations(reference)
        found.append("drops a negation" if fewer else "adds a negation")
    return found or [f"reworded: {_changed_words(ref_words, own_words)}"]


def _changed_words(ref_words: tuple[str, ...], own_words: tuple[str, ...], most: int = 3) -> str:
    """The first few word changes between two wordings, as ``"a b" → "c"``."""
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref_words, b=own_words, autojunk=False).get_opcodes():
        if tag != "equal":
            changes.append(f'"{" ".join(ref_words[i1:i2])}" → "{" ".join(own_words[j1:j2])}"')
    return "; ".join(changes[:most]) + ("; ..." if len(changes) > most else "")
