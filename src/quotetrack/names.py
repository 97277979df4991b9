"""Transliteration-aware person names: keys, similarity, and in-article variant linking.

Arabic names reach English news in many Latin spellings (Haftar / Hifter, Al-Mujie /
al-Majei / Al-Majai, Gaddafi / Gadhafi / Qaddafi / Kadhafi). Stock string scores misjudge
about a third of such pairs, so every name part is first reduced to a *consonant skeleton*:
drop titles and the article (al-, el-, ad-D..., ال), fold the letters transliterations swap
(q/k/g/c, dh/th/z/d, sh/ch, ou/u, ie/ei/ai/y), collapse doubled letters, then drop the
vowels, w and y after the first letter. Parts are then compared with rapidfuzz on their
skeletons, and given names additionally through a lexicon of spellings
(``data/names/given.txt``), because Mohammed and Mahmoud share the skeleton ``mhmd``.

Pure functions over strings: no spaCy, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from rapidfuzz import fuzz, process

# A surname pair at or above STRONG is the same name anywhere; between WEAK and STRONG only
# inside one article, and only when it beats every other candidate by MARGIN: Dabars/Debre
# ("dbrs"/"dbr") score 0.857, Abdul Kafi/Abdul Karim 0.727.
STRONG = 0.9
WEAK = 0.8
MARGIN = 0.1
MIN_FUZZY_KEY = 3  # a skeleton shorter than this ("ht": Hewitt) matches only its equal
# Names kept parsed: a corpus has fewer distinct spellings than this (about 400 bytes each).
CACHE_SIZE = 1 << 18
# Unlisted given names must be this close (fine fold, vowels kept) to count as one name.
GIVEN_FINE = 0.85

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")  # harakat, tatweel
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['’‘`ʿʾ]")
# ad-Dbeiba, as-Sisi, ash-Sharif: a sun-letter article is only an article before its letter
_SUN_ARTICLE = re.compile(r"\ba(d|dh|n|r|s|sh|t|th|z)-(?=\1)", re.IGNORECASE)
_ARTICLES = frozenset({"al", "el", "il", "ul"})
_BIN = frozenset({"bin", "ben", "ibn"})
# Latin particles that start a surname: "De Blasio" is Bill de Blasio's surname, not a given name
SURNAME_PARTICLES = frozenset(
    {"da", "das", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "ter", "van", "von"}
)
LINEAGE_PARTICLES = frozenset({"bin", "ibn", "bint", "ben", "abu", "ould", "bn"})  # son/daughter/father of
_ABD = re.compile(r"^abd(?:[aeiou]?l)?(?=[a-z]{3})")  # Abdelkader, Abdulkafi -> abd + rest
_ABD_ALONE = frozenset({"abd", "abdul", "abdel", "abdal", "abdoul", "abdil"})
# letter groups transliterations swap, longest first; capitals are one-letter placeholders
_FOLDS = [
    ("tch", "S"),
    ("dj", "j"),
    ("sh", "S"),
    ("ch", "S"),
    ("kh", "X"),
    ("gh", "G"),
    ("dh", "d"),
    ("th", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("g", "k"),
    ("c", "k"),
    ("z", "d"),
    ("x", "ks"),
]
# Persian and Arabic qaf is written "gh" as often as "q" (Araghchi / Araqchi, Ghalibaf /
# Qalibaf); only where English has no silent or "f" gh: first, or before a consonant but t
_QAF_AS_GH = re.compile(r"^gh(?=[aeiou])|(?<=[aeiou])gh(?=[bcdfjklmnpqrsvxz])")
_FOLD_RE = re.compile("|".join(re.escape(a) for a, _ in _FOLDS))
_FOLD_MAP = dict(_FOLDS)
_READABLE = str.maketrans({"S": "sh", "X": "kh", "G": "gh"})
_DROPPED = "aeiouwy"  # after the first letter: vowels and the semivowels (ou/w, ie/y)


@dataclass(frozen=True)
class Name:
    """A person name taken apart for matching.

    ``text`` is the surface form without titles; ``parts`` the name parts after dropping
    articles (lowercase, accents stripped); ``keys`` their ``part_key``s.
    """

    text: str
    parts: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def key(self) -> str:
        """The whole name's key: its part keys joined by spaces."""
        return " ".join(self.keys)

    @property
    def is_arabic(self) -> bool:
        """Whether the name is written in Arabic script."""
        return bool(_ARABIC.search(self.text))


def data_lines(*path: str) -> list[str]:
    """Non-empty lines of a package data file, ``#`` comments removed."""
    text = files("quotetrack").joinpath("data", *path).read_text("utf-8")
    return [line for raw in text.splitlines() if (line := raw.split("#", 1)[0].strip())]


@lru_cache(maxsize=1)
def _titles() -> dict[str, list[tuple[str, ...]]]:
    """Titles (the extractor's ``data/titles/en.txt``) as word tuples by first word, longest first."""
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for title in sorted({tuple(_title_words(line)) for line in data_lines("titles", "en.txt")}, key=len, reverse=True):
        by_first[title[0]].append(title)
    return dict(by_first)


def _title_words(text: str) -> list[str]:
    return text.lower().replace(".", " ").replace("-", " ").split()


@lru_cache(maxsize=CACHE_SIZE)
def strip_title(name: str) -> str:
    """Drop leading titles and ranks ("Brigadier-General", "Col.", "Dr") and a trailing 's.

    A name that is only a title is returned unchanged.
    """
    name = _POSSESSIVE.sub("", " ".join(name.split()).strip(" ,;:.()\"'“”‘’"))
    words = name.split()
    while len(words) > 1:
        lowered = _title_words(" ".join(words[:4]))  # no title is longer than 4 words
        titles = _titles().get(lowered[0], []) if lowered else []
        title = next((t for t in titles if tuple(lowered[: len(t)]) == t), None)
        if title is None or len(title) >= len(_title_words(" ".join(words))):
            break
        # a title word like "Brig.-Gen." may span several lowered words: drop them
        words = _drop_words(words, len(title))
    return " ".join(words)


def _drop_words(words: list[str], count: int) -> list[str]:
    """Drop the leading original words that make up ``count`` lowered title words."""
    taken = 0
    while words and taken < count:
        taken += len(_title_words(words[0])) or 1
        words = words[1:]
    return words


def _ascii(text: str) -> str:
    """Lowercase with accents removed (Stéphanie -> stephanie)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _arabic_part(part: str) -> str:
    """Normalize an Arabic-script word: marks, hamza/alef forms, ى/ي, ة/ه, the article."""
    part = _ARABIC_MARKS.sub("", part).translate(_ARABIC_FOLD)
    return part[2:] if part.startswith("ال") and len(part) > 3 else part


def _split_parts(name: str) -> tuple[str, ...]:
    """Name parts without articles; Abdul/Abdel compounds joined (``abdkafi``)."""
    if _ARABIC.search(name):
        return tuple(p for w in name.split() if (p := _arabic_part(w)))
    text = _SUN_ARTICLE.sub("", _APOSTROPHES.sub("", _ascii(name)))
    words = [w for w in re.split(r"[^a-z]+", text) if w]
    words = [w for i, w in enumerate(words) if w not in _ARTICLES or i == len(words) - 1]
    parts: list[str] = []
    for word in words:
        if parts and parts[-1] in _ABD_ALONE:
            parts[-1] = "abd" + word
        elif word in _BIN:
            parts.append("bin")
        else:
            parts.append(_ABD.sub("abd", word))
    return tuple(parts)


def _fold(part: str) -> str:
    """Fold swapped letter groups and doubled letters; vowels are kept."""
    part = _QAF_AS_GH.sub("q", part)
    part = _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group()], part)
    part = re.sub(r"^ou(?=[aei])", "w", part)  # French initial w: Ouahid = Wahid
    part = re.sub(r"(.)\1+", r"\1", part)
    # ta marbuta (-a/-ah/-eh) on longer names: Dbeibah = Dbeiba; Salah and Qamieh keep the h
    return re.sub(r"(?<=[^aeiou][ae])h$", "", part) if len(part) > 5 else part


@lru_cache(maxsize=CACHE_SIZE)
def part_key(part: str) -> str:
    """The key of one name part: its skeleton, or its given-name lexicon spelling.

    A spelling listed in ``given.txt`` keys as its line's first spelling, so that
    ``Mahmoud`` (``mahmoud``) and ``Mohammed`` (``mohammed``) keep apart.
    """
    if _ARABIC.search(part):
        return _arabic_part(part)
    return _given_spellings().get(_fine(part)) or skeleton(part)


@lru_cache(maxsize=CACHE_SIZE)
def skeleton(part: str) -> str:
    """The consonant skeleton of one Latin name part: ``Khalifa`` -> ``khlf``.

    The first letter stays (as ``a`` when it is a vowel); later vowels, w and y are dropped
    (Tawli = Touli, Marwan = Marouane, Mujie = Majei).
    """
    folded = _fold(part)
    if not folded:
        return ""
    head = "a" if folded[0] in "aeiou" else folded[0]
    tail = "".join(ch for ch in folded[1:] if ch not in _DROPPED)
    return (head + tail).translate(_READABLE)


@lru_cache(maxsize=CACHE_SIZE)
def _fine(part: str) -> str:
    """A vowel-keeping fold of one part (e/i/y -> i, o/u -> u) for given-name checks."""
    folded = _fold(part)
    return re.sub(r"(.)\1+", r"\1", folded.translate(str.maketrans("eyo", "iiu")))


@lru_cache(maxsize=CACHE_SIZE)
def parse_name(name: str) -> Name:
    """Take a person name apart: title stripped, articles dropped, parts and skeletons."""
    text = strip_title(name)
    parts = _split_parts(text)
    return Name(text=text, parts=parts, keys=tuple(part_key(p) for p in parts))


def name_key(name: str) -> str:
    """A spelling-independent key of a person name, equal for transliteration variants.

    ``name_key("Khalifa Hifter") == name_key("Khalifah Haftar") == "khalifa hftr"``.
    Registered as an SQL function so a query can match any spelling.
    """
    return parse_name(name).key


def org_key(name: str) -> str:
    """Normalized organization name: case, "the" and separators folded (Al-Jazeera = Al Jazeera)."""
    return "".join(w for w in re.findall(r"\w+", name.casefold()) if w != "the")


@lru_cache(maxsize=1)
def _given_genders() -> dict[str, str]:
    """Given name -> "m" or "f", from ``data/names/genders.txt``."""
    return dict(line.split() for line in data_lines("names", "genders.txt"))


def name_gender(name: str) -> str | None:
    """ "m" or "f" when the name's given name almost always marks that gender, else None.

    A bare surname tells nothing (``Clinton``), nor does a given name borne by both
    (``Terry``, ``Leslie``) or one the lexicon lacks.
    """
    parts = parse_name(name).parts
    return _given_genders().get(parts[0]) if len(parts) > 1 else None


@lru_cache(maxsize=1)
def _given_spellings() -> dict[str, str]:
    """Fine fold of every spelling listed in given.txt -> the first spelling of its line."""
    spellings: dict[str, str] = {}
    for line in data_lines("names", "given.txt"):
        first = line.split()[0]
        for spelling in line.split():
            for part in _split_parts(spelling):
                spellings[_fine(part)] = first
    return spellings


@lru_cache(maxsize=CACHE_SIZE)
def given_group(part: str) -> str | None:
    """The given-name lexicon group (first spelling of its line) of a spelling, or None.

    An unlisted spelling belongs to the group of the nearest listed one (``GIVEN_FINE``).
    """
    groups = _given_spellings()
    fine = _fine(part)
    if fine in groups:
        return groups[fine]
    best = process.extractOne(fine, groups.keys(), scorer=fuzz.ratio, score_cutoff=GIVEN_FINE * 100)
    return groups[best[0]] if best else None


@lru_cache(maxsize=CACHE_SIZE)
def given_compatible(a: str, b: str) -> bool:
    """Whether two given-name parts can name the same person (Mohammed ≠ Mahmoud)."""
    if len(a) == 1 or len(b) == 1:  # an initial: "K. Haftar"
        return skeleton(a)[:1] == skeleton(b)[:1]
    group_a, group_b = given_group(a), given_group(b)
    if group_a is not None and group_b is not None:
        return group_a == group_b
    return skeleton(a) == skeleton(b) or fuzz.ratio(_fine(a), _fine(b)) >= GIVEN_FINE * 100


def part_similarity(a: str, b: str) -> float:
    """Similarity of two name parts in [0, 1], on their skeletons (1.0 when equal)."""
    key_a, key_b = part_key(a), part_key(b)
    if key_a == key_b:
        return 1.0
    if min(len(key_a), len(key_b)) < MIN_FUZZY_KEY:
        return 0.0  # "ht" (Hewitt) is one letter from "hlt" (Holt): too short to tell
    return fuzz.ratio(key_a, key_b) / 100


def name_similarity(a: Name, b: Name) -> float:
    """How well the shorter name fits the longer one, in [0, 1]; 0.0 when they conflict.

    The surnames (last parts) are scored; any given or middle parts the shorter name has
    must be compatible with the longer name's (in order), else the names conflict:
    ``Amin Al-Hashemi`` vs ``Mohammed Al-Hashemi`` is 0.0 although the surnames agree.
    """
    short, long = sorted((a, b), key=lambda n: len(n.parts))
    if not short.parts or short.is_arabic != long.is_arabic:
        return 0.0
    if _lineage_run(short, long):  # "Bin Farhan" in "Faisal Bin Farhan Al Saud"
        return min(part_similarity(s, t) for s, t in zip(short.parts, long.parts[long.parts.index(short.parts[0]) :]))
    if _particle_surname(short, long):  # "De Blasio" in "Bill de Blasio"
        return part_similarity(short.parts[-1], long.parts[-1])
    if len(short.parts) > 1 and " " not in short.text.strip() and short.keys == long.keys[-len(short.keys) :]:
        return 1.0  # a hyphenated surname alone: "Jean-Pierre" in "Karine Jean-Pierre"
    if len(short.parts) > 1:
        if not given_compatible(short.parts[0], long.parts[0]):
            return 0.0
        if not _in_order(short.parts[1:-1], long.parts[1:-1]):
            return 0.0
    return part_similarity(short.parts[-1], long.parts[-1])


def _particle_surname(short: Name, long: Name) -> bool:
    """Whether the shorter name is the longer one's surname with its particles (De Blasio,
    Van Hollen): leading particles equal to the ones before the longer name's surname."""
    lead = short.parts[:-1]
    return (
        0 < len(lead) < len(long.parts) - 1
        and all(p in SURNAME_PARTICLES for p in lead)
        and long.parts[-len(short.parts) : -1] == lead
    )


def _lineage_run(short: Name, long: Name) -> bool:
    """Whether the shorter name is a run of the longer one that opens with a lineage particle
    ("Bin Farhan", "Abu Mazen" inside a fuller name): Arabic news shortens a name so."""
    if len(short.parts) < 2 or short.parts[0] not in LINEAGE_PARTICLES or short.parts[0] not in long.parts[:-1]:
        return False
    at = long.parts.index(short.parts[0])
    return len(long.parts) - at >= len(short.parts) and at > 0


def _in_order(middle: Sequence[str], pool: Sequence[str]) -> bool:
    """Whether each middle part matches a later part of ``pool`` than the previous one did."""
    rest = list(pool)
    for part in middle:
        hits = [i for i, p in enumerate(rest) if part_similarity(part, p) >= STRONG]
        if not hits:
            return False
        rest = rest[hits[0] + 1 :]
    return True


def link_variants(names: Sequence[str]) -> dict[str, str]:
    """Map each person name in one article to the fullest name it refers to there.

    Args:
        names: person-name surface forms of one article, in order of appearance (titles
            may still be on them).
    Returns:
        every input form -> its in-article canonical form, which is the fullest linked name
        without its title; a name with no partner maps to itself (title stripped).

    Names are taken fullest first (most parts, then first appearance); each becomes a new
    head or joins its best-scoring head. A same-length pair must score ``STRONG``; a shorter
    form joins with a weak score (``WEAK`` up to ``STRONG``) only when it beats the next
    candidate by ``MARGIN``. A bare surname that fits two full names equally (``Al-Hashemi``
    after ``Amin Al-Hashemi`` and ``Mohammed Al-Hashemi``) goes to the most recent full name
    before its first appearance, or to the first one after it when none precedes.
    """
    forms = list(dict.fromkeys(names))
    parsed = [parse_name(form) for form in forms]
    order = sorted(range(len(forms)), key=lambda i: (-len(parsed[i].parts), i))
    heads: list[int] = []
    canonical: dict[int, str] = {}
    for i in order:
        head = _best_head(i, heads, parsed)
        if head is None:
            heads.append(i)
            canonical[i] = parsed[i].text
        else:
            canonical[i] = canonical[head]
    return {form: canonical[i] for i, form in enumerate(forms)}


def _best_head(i: int, heads: list[int], parsed: list[Name]) -> int | None:
    """The head that name ``i`` joins inside one article, or None (see ``link_variants``)."""
    scored = sorted(((name_similarity(parsed[i], parsed[h]), h) for h in heads), reverse=True)
    if not scored or scored[0][0] < WEAK:
        return None
    best = scored[0][0]
    if best < STRONG:
        same_length = len(parsed[scored[0][1]].parts) == len(parsed[i].parts)
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if same_length or best - runner_up < MARGIN:
            return None
    tied = [h for score, h in scored if score == best]
    before = [h for h in tied if h < i]
    return max(before) if before else min(tied)
