"""Who is who in one Arabic article: the people it names with a role, and role mentions resolved to them.

Arabic news names a person once with a role (``قال العميد يحيى سريع، المتحدث العسكري باسم
الحوثيين``, ``رئيس حكومة الوحدة الوطنية عبد الحميد الدبيبة``) and later writes the role alone
(``وتابع المتحدث العسكري باسم الحوثيين``, ``رئيس الحكومة الليبية``). ``people`` collects every
name the article ties to a role, wherever it stands (headline, lead, sentences that quote no
one); ``role_holder`` gives a role mention the one person the article gave that role. Two
people with the role, or none, leave the mention as written: an unnamed spokesman stays unnamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from quotetrack.extract.arabic.frames import COMMAS, read_segment
from quotetrack.extract.arabic.speakers import frame_speaker, is_given_name
from quotetrack.extract.arabic.tokens import PREPOSITIONS, Context, Tok, lexicons, normalize, strip_article

# endings of relational adjectives, plurals and the feminine, so that ليبية, ليبيا and الليبي
# and الحوثيين / الحوثي compare equal
_ENDINGS = ("يين", "يون", "يه", "ين", "ون", "ي", "ه", "ا")
# words that do not tell two roles apart: "المتحدث الرسمي" is still "the spokesman"
GENERIC_WORDS = {"رسمي", "باسم"}
MAX_APPOSITIONS = 2  # phrases after a name or role, between commas, that may complete it


@dataclass
class Person:
    """A person the article names, with every role it ties to them."""

    name: str
    offset: int
    roles: list[str] = field(default_factory=list)


def people(ctx: Context) -> list[Person]:
    """The people the article names with a role, in order of first mention.

    A phrase opening with a title (also after لـ: ``لوزير الخارجية``) or a given name that
    reads as a name with a role (``المشير خليفة حفتر``, ``سامح شكري وزير الخارجية``), and a
    role right after it between commas (``أحمد المسماري، المتحدث باسم الجيش الوطني الليبي،``).
    """
    found: dict[str, Person] = {}
    lex, toks = ctx.lex, ctx.toks
    covered = 0  # tokens up to here belong to a phrase already read: no phrase starts inside one
    for j, tok in enumerate(toks):
        if j < covered or ctx.quoted[j] or (j > 0 and toks[j - 1].norm in PREPOSITIONS):
            continue
        clitic = tok.norm.startswith("ل") and tok.norm[1:] in lex.titles  # "في تصريح لوزير الخارجية"
        if strip_article(tok.norm) not in lex.titles and not is_given_name(tok, lex) and not clitic:
            continue
        segments, covered = _phrases(ctx, j)
        if clitic:  # the role starts after the لـ
            segments[0][0] = Tok(tok.text[1:], tok.norm[1:], tok.start + 1, tok.end)
        speaker = frame_speaker(ctx, segments) if segments else None
        if speaker is None or speaker.speaker_type != "person":
            continue
        person = found.setdefault(speaker.name, Person(speaker.name, speaker.mention_start))
        person.roles += [r for r in (speaker.role or "").split("; ") if r and r not in person.roles]
    return [p for p in found.values() if p.roles]


def _phrases(ctx: Context, j: int) -> tuple[list[list[Tok]], int]:
    """The phrase at ``j`` and up to two more after commas (appositions), and the index after them."""
    segments: list[list[Tok]] = []
    while len(segments) < MAX_APPOSITIONS + 1:
        seg, j = read_segment(ctx, j)
        if not seg:
            break
        segments.append(seg)
        if j + 1 >= len(ctx.toks) or ctx.toks[j].norm not in COMMAS:
            break
        j += 1
    return segments, j


def role_holder(mention: str, persons: list[Person]) -> Person | None:
    """The one person whose role a definite role mention (``المتحدث باسم القوات المسلحة``) names.

    The mention's head word must head one of the person's roles and each of its other words
    must occur in that role (``الحكومة الليبية`` in ``حكومة الوحدة الوطنية في ليبيا``). None when
    nobody or more than one person holds such a role, or when the mention is indefinite
    (``متحدث باسم البيت الأبيض``: a spokesman, whoever it is).
    """
    words = _words(mention)
    if not words or not _definite(words):
        return None
    head, rest = _stem(words[0]), {_stem(w) for w in words[1:]} - {_stem(w) for w in GENERIC_WORDS}
    holders = []
    for person in persons:
        for role in person.roles:
            role_words = _words(role)
            if role_words and _stem(role_words[0]) == head and rest <= {_stem(w) for w in role_words}:
                holders.append(person)
                break
    return holders[0] if len(holders) == 1 else None


def _words(phrase: str) -> list[str]:
    """Normalized words: marks go first, as \\w does not match them (المُتحدث is one word)."""
    return re.findall(r"\w+", normalize(phrase))


def _definite(words: list[str]) -> bool:
    """``المتحدث ...`` or a construct with a definite noun (``رئيس الحكومة``, ``أمين عام حزب الله``)."""
    norms = [normalize(w) for w in words]
    if norms[0].startswith("ال"):
        return True
    return len(norms) > 1 and norms[1] != "باسم" and any(n.startswith(("ال", "لل")) for n in norms[1:])


def _stem(word: str) -> str:
    """A word without its article, a clitic لـ, and the endings that vary between a place and its adjective."""
    norm = strip_article(normalize(word))
    if norm.startswith("ل") and len(norm) > 3 and not norm.startswith("لل"):
        norm = norm[1:]  # لحزب الله: "of Hezbollah"
    stripped = True
    while stripped:  # ليبيا -> ليبي -> ليب, as ليبية -> ليب
        stripped = False
        for ending in _ENDINGS:
            if norm.endswith(ending) and len(norm) - len(ending) >= 3:
                norm, stripped = norm[: -len(ending)], True
                break
    return norm


def titled_surname(mention: str, persons: list[tuple[int, str]]) -> str | None:
    """The one person named in the article whose surname ends a title mention, or None.

    ``الرئيس السيسي`` after ``عبدالفتاح السيسي``: a title and a surname with the article read
    like a role and its adjective (``الرئيس الأمريكي``), so only a surname the article gives
    a person makes it a name.
    """
    words = _words(mention)
    if len(words) < 2 or not words[0].startswith("ال") or _stem(words[-1]) in _place_stems():
        return None  # "الوزير الليبي": the adjective of a place, whoever is surnamed so
    names = {normalize(name): name for _, name in persons if _words(name)[-1:] == words[-1:]}
    return next(iter(names.values())) if len(names) == 1 else None


@lru_cache(maxsize=1)
def _place_stems() -> frozenset[str]:
    """Stems of the organization words, countries and cities among them (أمريكا, ليبيا)."""
    return frozenset(_stem(w) for w in lexicons().organizations)
