"""In-article speaker linking: pronouns, role mentions and name variants.

Works on plain ``Quote`` records plus the article's person-name mentions, so it is shared by
the English and Arabic extractors and testable without spaCy. The corpus-wide step (one
speaker per person across articles) is ``quotetrack.resolve``.
"""

from __future__ import annotations

from collections.abc import Sequence

from quotetrack.names import link_variants
from quotetrack.types import Quote

PRONOUNS = {"he", "she"}


def is_pronoun(mention: str | None) -> bool:
    return bool(mention) and mention.lower() in PRONOUNS


def link_speakers(quotes: Sequence[Quote], person_names: Sequence[tuple[int, str]] = ()) -> None:
    """Set each quote's ``speaker``/``article_speaker`` to the fullest name the article uses.

    Args:
        quotes: the article's quotes; changed in place.
        person_names: ``(offset, name)`` of other person names in the article (e.g. NER), so
            that ``Haftar`` can link to a ``Khalifa Haftar`` who is mentioned but never quoted.
    """
    ordered = sorted(quotes, key=lambda q: (q.mention_start or q.content_start))
    surnames = {name.split()[-1].casefold() for _, name in person_names}
    surnames |= {q.speaker.split()[-1].casefold() for q in ordered if q.speaker_type == "person" and q.speaker}
    for q in ordered:
        # the tagger's "Trump" (ORG) or "Sanders" (a plural noun) is a person where the article
        # names one so; spelled exactly so, as a skeleton match is too loose here (China, Chinni)
        if q.speaker_type in ("organization", "anonymous") and is_surname(q.speaker) and q.speaker.casefold() in surnames:
            q.speaker_type = "person"
    spoken = [(q.mention_start or 0, q.speaker) for q in ordered
              if q.speaker_type == "person" and q.speaker and not is_pronoun(q.speaker_mention)]
    names = [n for _, n in sorted(list(person_names) + spoken)]
    canonical = link_variants(list(dict.fromkeys(names))) if names else {}
    recent: list[Quote] = []  # person-speaker quotes seen so far, most recent last
    for q in ordered:
        if is_pronoun(q.speaker_mention):
            antecedent = _antecedent(recent, q)
            if antecedent is not None:
                q.speaker, q.speaker_type = antecedent.speaker, "person"
                q.role = q.role or antecedent.role
        elif q.speaker_type == "person" and q.speaker:
            q.speaker = canonical.get(q.speaker, q.speaker)
        elif q.speaker_type == "anonymous":
            holder = _role_holder(recent, q.speaker_mention or "")
            if holder is not None:
                q.speaker, q.speaker_type, q.role = holder.speaker, "person", holder.role
        q.article_speaker = q.speaker
        if q.speaker_type == "person" and not is_pronoun(q.speaker):
            recent.append(q)


def is_surname(name: str | None) -> bool:
    """One capitalized word that could be a person's surname ("Trump", "DuVernay", "Al-Sarraj")."""
    return (bool(name) and len(name.split()) == 1 and name[:1].isupper() and not name.isupper()
            and name.replace("-", "").replace("'", "").isalpha())


def _antecedent(recent: list[Quote], q: Quote) -> Quote | None:
    """The most recent person speaker mentioned before ``q``."""
    for cand in reversed(recent):
        if (cand.mention_start or 0) <= (q.mention_start or 0):
            return cand
    return None


def _role_holder(recent: list[Quote], mention: str) -> Quote | None:
    """"the spokesman said" → the person quoted just before, if that is their role."""
    words = mention.lower().split()
    if not words or words[0] != "the" or len(words) > 4 or not recent:
        return None
    last = recent[-1]
    return last if last.role and words[-1] in last.role.lower().split() else None
