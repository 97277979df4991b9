"""What a role or title says: the office it names, who in an article holds it, and the
vocabulary of offices, person descriptions and bodies (data files under ``speakers/`` and
``titles/``). Plain strings in, so the English and Arabic extractors share it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from quotetrack.extract.lexicons import word_list, word_table

CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
SECOND_RANK = frozenset({"vice", "deputy"})  # office words that make a lesser office of the same head
ROLE_HEAD_END = re.compile(r"\b(?:of|for|to|at|in|with|from|on|by|who|whose|and)\b")
DEFINITE = {"the", "this", "that"}
INDEFINITE = {"a", "an", "one", "another"}
PLAIN_OPENERS = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "its",
    "their",
    "this",
    "that",
    "former",
    "new",
    "late",
    "then",
    "top",
    "senior",
    "acting",
    "outgoing",
    "current",
    "veteran",
}
# a nationality or group adjective ("the Iranian foreign minister", "the Saudi FM"): it does
# not have to be among the holder's own words, as a party or body ("Labour", "Hezbollah") does
DEMONYM = re.compile(r"(?:an|ian|i|ese|ish)$")


def role_heads(role: str | None) -> list[str]:
    """Each role part's head noun: its last word before a preposition ("spokeswoman for the
    campaign", "9/11 widow", "an oversight panel member": not "panel")."""
    heads = []
    for part in (role or "").lower().split(";"):
        heads += re.findall(r"[a-z]+", ROLE_HEAD_END.split(part, 1)[0])[-1:]
    return heads


@dataclass
class Roles:
    """What the article says each named person is: their first role as written, and every
    office its roles name, as (head, office words): "the Parliament's Speaker" → ("speaker",
    {}), "Saudi Foreign Minister" → ("minister", {"foreign"})."""

    first: dict[str, str] = field(default_factory=dict)
    offices: dict[str, set[tuple[str, frozenset[str]]]] = field(default_factory=lambda: defaultdict(set))
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # of name and roles

    def add(self, name: str, roles: Sequence[str]) -> None:
        if roles and (name not in self.first or (not self.offices[name] and any(map(offices_in, roles)))):
            self.first[name] = "; ".join(roles)  # the first roles given, or the first naming an office
        for role in roles:
            self.offices[name].update(offices_in(role))
        self.words[name].update(words_of(" ".join([name, *roles])))
        for role in roles:  # "RSF" for "Commander of the Rapid Support Forces"
            for run in re.findall(r"[A-Z][\w-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w-]*)+", role):
                self.words[name].add("".join(w[0] for w in run.split() if w[0].isupper()).lower())

    def holders(self, mention: str) -> set[str]:
        """Everyone the role mention can name: their offices fit its office (``fits_office``),
        and its proper modifiers are theirs too ("the Saudi FM": a Saudi; "Labour minister" is
        not the article's Prime Minister unless the article ties him to Labour)."""
        office = office_of(mention)
        if office is None:
            return set()
        # the modifiers before the office ("the Saudi FM"); what follows a preposition may
        # name someone else ("the brother of the Presidential Council's head Mohamed Menfi")
        proper = [w for w in proper_words(ROLE_HEAD_END.split(mention, 1)[0]) if not DEMONYM.search(w)]
        return {
            name
            for name, held in self.offices.items()
            if any(fits_office(office, h) for h in held)
            and all(any(same_stem(w, v) for v in self.words[name]) for w in proper)
        }


def words_of(text: str, proper_only: bool = False) -> list[str]:
    """Lowercase words of a text (possessive 's dropped); ``proper_only``: the capitalized ones,
    the first word only if it is not a plain opener ("The", "Former": a sentence or headline
    starts with a capital anyway; "Labour minister" does not)."""
    found = re.findall(r"[A-Za-z][\w-]*", text.replace("’s", "").replace("'s", ""))
    if proper_only:
        first = found[:1] if found and found[0].lower() not in PLAIN_OPENERS else []
        found = [w for w in first + found[1:] if w[0].isupper()]
    return [w.lower() for w in found]


def proper_words(mention: str) -> list[str]:
    """The words of a description that name a particular country, body or party ("the
    *Qatari* official", "*Labour* minister"): capitalized, not office words, not dates."""
    return [w for w in words_of(mention, proper_only=True) if w not in person_words() and w not in CALENDAR_WORDS]


def same_stem(a: str, b: str) -> bool:
    """Qatari / Qatar, Iranian / Iran, Saudi / Saudi: one word, or a demonym of the other."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def office_of(phrase: str | None) -> tuple[str, frozenset[str]] | None:
    """The office a role mention names, by its head: "the Saudi FM" → ("minister",
    {"foreign"}); "the Hezbollah chief" → ("leader", {})."""
    words = office_words_of(phrase)
    offices = offices_in(phrase)
    return offices[-1] if offices and words and offices[-1][0] == words[-1] else None


def offices_in(phrase: str | None) -> list[tuple[str, frozenset[str]]]:
    """Every office a role names, as (head, office words), abbreviations and synonyms folded:
    "Saudi Foreign Minister Prince" → [("minister", {"foreign"}), ("prince", {})]; "Qatar's
    Prime Minister and Foreign Minister" → both ministers."""
    offices = []
    for part in re.split(r"\band\b|,", phrase or ""):
        since: list[str] = []
        for w in office_words_of(part):
            if w in role_nouns():
                offices.append((w, frozenset(x for x in since if x in office_words())))
                since = []
            else:
                since.append(w)
    return offices


def office_words_of(phrase: str | None) -> list[str]:
    """The words of a role before any preposition, lower case, synonyms folded."""
    before = ROLE_HEAD_END.split((phrase or "").lower().replace("’s ", " ").replace("'s ", " "), 1)[0]
    words: list[str] = []
    for w in re.findall(r"[a-z]+(?:-[a-z]+)*", before):
        folded = role_synonyms().get(w)
        words += folded.split() if folded else w.split("-")
    return words


def fits_office(mention: tuple[str, frozenset[str]], held: tuple[str, frozenset[str]]) -> bool:
    """A mention's office fits an office held when the heads agree and the mention names no
    office word the holder lacks ("the minister" fits the Foreign Minister; "the foreign
    minister" does not fit the Prime Minister). A second-rank office is another office: "the
    presidential nominee" is not the vice presidential nominee, "the minister" not his deputy."""
    return mention[0] == held[0] and mention[1] <= held[1] and held[1] & SECOND_RANK <= mention[1]


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return word_list("titles", "en.txt")


@lru_cache(maxsize=1)
def role_synonyms() -> dict[str, str]:
    return word_table("speakers", "en_roles.txt")


@lru_cache(maxsize=1)
def office_words() -> frozenset[str]:
    return word_list("speakers", "en_office_words.txt")


@lru_cache(maxsize=1)
def office_vocabulary() -> frozenset[str]:
    """Every word an office is written with: titles, role words and abbreviations, office words."""
    return titles() | frozenset(role_synonyms()) | office_words()


@lru_cache(maxsize=1)
def person_words() -> frozenset[str]:
    """Every word of an office or a person description: what names no particular body."""
    return office_vocabulary() | role_nouns()


@lru_cache(maxsize=1)
def office_or_epithet() -> frozenset[str]:
    """Words a "name" made of office and description words alone is written with."""
    return office_vocabulary() | epithet_nouns()


@lru_cache(maxsize=1)
def role_nouns() -> frozenset[str]:
    """Head nouns a role mention may end in: titles, the genders table's person words and the
    folded synonyms ("leader", "spokesperson")."""
    words = {w for t in titles() for w in t.split()} | set(word_table("speakers", "en_genders.txt"))
    words |= {w for office in role_synonyms().values() for w in office.split()[-1:]}
    return frozenset(words | epithet_nouns())


@lru_cache(maxsize=1)
def epithet_nouns() -> frozenset[str]:
    """Nouns that describe a person without naming an office ("the former fighter pilot",
    "the Qatari official")."""
    return word_list("speakers", "en_epithets.txt")


@lru_cache(maxsize=1)
def body_nouns() -> frozenset[str]:
    """Head nouns of organizations ("council", "ministry", "group")."""
    return word_list("speakers", "en_organizations.txt")


def noun_gender(noun: str) -> str | None:
    """ "m" or "f" for a person noun that tells it: the genders table, or a "-woman"/"-man"
    compound ("businesswoman", "congressman")."""
    if (gender := word_table("speakers", "en_genders.txt").get(noun)) is not None:
        return gender
    return "f" if noun.endswith("woman") else "m" if noun.endswith("man") and noun != "human" else None


def names_office_only(name: str) -> bool:
    """A "name" made of title and role words alone ("Prime", "FM", "Foreign Minister", "White
    House Press Secretary" is not: it has "White House"): a role mention, not a person's name."""
    words = [w.strip(".,") for w in name.replace("’s", " ").replace("'s", " ").split()]
    if len(words) > 1 and words[0].isupper() and words[-1].lower() in titles():
        words = words[1:]  # "SDF Commander": a body's acronym and an office
    return bool(words) and all(w.lower() in office_or_epithet() for w in words)


def clean_role(mention: str) -> str:
    """A role mention as a role: without its leading article ("the spokesman" → "spokesman")."""
    words = mention.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0].lower() in DEFINITE | INDEFINITE else mention
