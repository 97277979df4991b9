"""In-article speaker linking: pronouns, role mentions and name variants.

Works on plain ``Quote`` records plus the article's person-name mentions, so it is shared by
the English and Arabic extractors and testable without spaCy. The corpus-wide step (one
speaker per person across articles) is ``quotetrack.resolve``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from quotetrack.extract.lexicons import word_table
from quotetrack.names import SURNAME_PARTICLES, link_variants, name_gender
from quotetrack.types import Quote

PRONOUN_REACH = 400  # characters from a speaker's mention within which "he"/"she" may name them
ROLE_HEAD_END = re.compile(r"\b(?:of|for|to|at|in|with|from|on|by|who|whose|and)\b")


def is_pronoun(mention: str | None) -> bool:
    """A pronoun that stands for one person: "he" or "she"."""
    return bool(mention) and mention.lower() in pronoun_genders()


@lru_cache(maxsize=1)
def pronoun_genders() -> dict[str, str]:
    """Person pronoun -> "m" or "f" (the gendered entries of ``speakers/en_pronouns.txt``)."""
    return {word: g for word, g in word_table("speakers", "en_pronouns.txt").items() if g in ("m", "f")}


def link_speakers(quotes: Sequence[Quote], person_names: Sequence[tuple[int, str]] = ()) -> None:
    """Set each quote's ``speaker``/``article_speaker`` to the fullest name the article uses.

    Three passes over the quotes in mention order: correct the tagger's speaker types
    (``retype_persons``), pick each person's fullest name and gender (``canonical_names``,
    ``speaker_genders``), then link pronouns and role mentions to the person before them
    (``link_in_order``).

    Args:
        quotes: the article's quotes; changed in place.
        person_names: ``(offset, name)`` of other person names in the article (e.g. NER), so
            that ``Haftar`` can link to a ``Khalifa Haftar`` who is mentioned but never quoted.
    """
    ordered = sorted(quotes, key=lambda q: (q.mention_start or q.content_start))
    retype_persons(ordered, person_names)
    canonical = canonical_names(ordered, person_names)
    link_in_order(ordered, canonical, speaker_genders(ordered, canonical))


def retype_persons(ordered: Sequence[Quote], person_names: Sequence[tuple[int, str]]) -> None:
    """Make a person of an "organization" or anonymous speaker that the article shows to be one."""
    surnames = {name.split()[-1].casefold() for _, name in person_names}
    surnames |= {q.speaker.split()[-1].casefold() for q in ordered if q.speaker_type == "person" and q.speaker}
    for q in ordered:
        # the tagger's "Trump" (ORG) or "Sanders" (a plural noun) is a person where the article
        # names one so; spelled exactly so, as a skeleton match is too loose here (China, Chinni)
        if (q.speaker_type in ("organization", "anonymous") and is_surname(q.speaker)
                and q.speaker.split()[-1].casefold() in surnames
                and not is_pronoun(q.speaker_mention)):
            q.speaker_type = "person"
    for name in _referred_as_persons(ordered):
        for q in ordered:
            if q.speaker == name:
                q.speaker_type = "person"


def canonical_names(ordered: Sequence[Quote], person_names: Sequence[tuple[int, str]]) -> dict[str, str]:
    """Each person name the article uses (quoted or not) -> its fullest variant (``link_variants``)."""
    spoken = [(q.mention_start or 0, q.speaker) for q in ordered
              if q.speaker_type == "person" and q.speaker and not is_pronoun(q.speaker_mention)]
    names = [n for _, n in sorted(list(person_names) + spoken)]
    return link_variants(list(dict.fromkeys(names))) if names else {}


def link_in_order(ordered: Sequence[Quote], canonical: Mapping[str, str], genders: Mapping[str, str]) -> None:
    """Walk the quotes in order: a pronoun takes the nearest person before it of a fitting
    gender, a name its canonical form, "the spokesman" the last person who held that role."""
    recent: list[Quote] = []  # person-speaker quotes seen so far, most recent last
    roles: dict[str, str] = {}  # each person's first role in the article ("Mayor", "9/11 widow")
    for q in ordered:
        if is_pronoun(q.speaker_mention):
            antecedent = _antecedent(recent, q, genders)
            if antecedent is not None:
                q.speaker, q.speaker_type = antecedent.speaker, "person"
                q.role = q.role or roles.get(q.speaker or "")
            else:  # someone this article never quotes by name: not a name to merge on
                q.speaker_type = "anonymous"
        elif q.speaker_type == "person" and q.speaker:
            q.speaker = canonical.get(q.speaker, q.speaker)
        elif q.speaker_type == "anonymous" and recent:
            role = roles.get(recent[-1].speaker or "")
            if role and _holds(role, q.speaker_mention or ""):
                q.speaker, q.speaker_type, q.role = recent[-1].speaker, "person", role
        q.article_speaker = q.speaker
        if q.speaker_type == "person" and not is_pronoun(q.speaker):
            recent.append(q)
            if q.role and q.speaker:
                roles.setdefault(q.speaker, q.role)


def _referred_as_persons(ordered: Sequence[Quote]) -> set[str]:
    """One-word "organizations" that the next quote calls "he" or "she": the tagger's ORG
    "Husted" in "Husted said ... He said that ..." (an organization is never "he")."""
    found = set()
    for prev, q in zip(ordered, ordered[1:]):
        if (is_pronoun(q.speaker_mention) and prev.speaker_type == "organization" and prev.speaker
                and prev.speaker == prev.speaker_mention and is_surname(prev.speaker)
                and 0 <= (q.mention_start or 0) - (prev.mention_end or 0) <= PRONOUN_REACH):
            found.add(prev.speaker)
    return found


def is_surname(name: str | None) -> bool:
    """One capitalized word that could be a person's surname ("Trump", "DuVernay", "Al-Sarraj"),
    perhaps after particles ("De Blasio")."""
    *particles, last = (name or "-").split()
    return (all(p.lower() in SURNAME_PARTICLES for p in particles) and last[:1].isupper() and not last.isupper()
            and last.replace("-", "").replace("'", "").isalpha())


def speaker_genders(quotes: Sequence[Quote], canonical: Mapping[str, str]) -> dict[str, str]:
    """"m" or "f" for each named person speaker whose gender the article or the name tells.

    The article's words win: a title or role head noun in the speaker's mentions ("Mrs.
    Clinton", "Scott's niece", "spokeswoman for ...") outvote each other; without them the
    given name decides where it almost always marks one gender (``names.name_gender``).
    """
    words = word_table("speakers", "en_genders.txt")
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for q in quotes:
        if q.speaker_type != "person" or not q.speaker or is_pronoun(q.speaker_mention):
            continue
        name = canonical.get(q.speaker, q.speaker)
        votes[name].update(words[w] for w in _gender_words(q) if w in words)
    genders = {}
    for name, count in votes.items():
        ranked = count.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            genders[name] = ranked[0][0]
        elif gender := name_gender(name):
            genders[name] = gender
    return genders


def _gender_words(q: Quote) -> list[str]:
    """The mention's first word (a title: "Mrs.") and the head nouns of the role."""
    return [w.strip(".") for w in (q.speaker_mention or "").lower().split()[:1]] + role_heads(q.role)


def role_heads(role: str | None) -> list[str]:
    """Each role part's head noun: its last word before a preposition ("spokeswoman for the
    campaign", "9/11 widow", "an oversight panel member": not "panel")."""
    heads = []
    for part in (role or "").lower().split(";"):
        heads += re.findall(r"[a-z]+", ROLE_HEAD_END.split(part, 1)[0])[-1:]
    return heads


def _antecedent(recent: list[Quote], q: Quote, genders: Mapping[str, str]) -> Quote | None:
    """The most recent person speaker mentioned before ``q`` whose known gender does not
    rule the pronoun out ("she" skips Donald Trump for Hillary Clinton)."""
    wanted = pronoun_genders()[(q.speaker_mention or "").lower()]
    for cand in reversed(recent):
        if (cand.mention_start or 0) <= (q.mention_start or 0) and genders.get(cand.speaker or "", wanted) == wanted:
            return cand
    return None


def _holds(role: str, mention: str) -> bool:
    """Whether "the spokesman" (a short definite mention) names the holder of ``role``."""
    words = mention.lower().split()
    return bool(words) and words[0] == "the" and len(words) <= 4 and words[-1] in role_heads(role)
