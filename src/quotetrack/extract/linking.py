"""In-article speaker linking: pronouns, role mentions and name variants.

Works on plain ``Quote`` records plus the article's who-is-who (``NamedPerson`` records: every
person the article names, with the roles it ties to them), so it is shared by the English and
Arabic extractors and testable without spaCy. The corpus-wide step (one speaker per person
across articles) is ``quotetrack.resolve``.

The steps, in order (``link_speakers``): find full names the parser never saw; retype names
the tagger mistyped; link name variants to the fullest form and note declared other names
("also known as"); tell each person's gender and roles; then walk the quotes in order and
resolve each pronoun (most recent salient person of its gender: a speaker, a clause's subject
or a passive's agent, or an unnamed source owned by someone, "the PM's spokesman"; Lappin and
Leass 1994), each role mention ("the spokesman", "the PM": the one person the article gave
that role), each body ("it", "the group": the one that just spoke), each definite description
of an unnamed source ("the source" after "a source in the delegation") and each description
with no office ("the former fighter pilot": the person the text is about). What a role names
is ``quotetrack.extract.offices``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from quotetrack.extract.confidence import confidence
from quotetrack.extract.lexicons import word_table
from quotetrack.extract.offices import (
    DEFINITE,
    INDEFINITE,
    Roles,
    body_nouns,
    clean_role,
    epithet_nouns,
    fits_office,
    names_office_only,
    noun_gender,
    office_of,
    offices_in,
    person_words,
    proper_words,
    role_heads,
    same_stem,
    words_of,
)
from quotetrack.names import SURNAME_PARTICLES, link_variants, name_gender, part_key, strip_title
from quotetrack.types import Quote

PRONOUN_REACH = 400  # characters from a speaker's mention within which "he"/"she" may name them
MEDIUM_OF = re.compile(
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|letter|message|post|tweet|communiqu[ée]"
    r"|announcement|release|video|speech)\s+(?:from|by|of)\s+(.+)",
    re.IGNORECASE,
)
UNNAMED = re.compile(
    r"not to be (?:named|identified)|condition of anonymity|declined to be (?:named|identified)"
    r"|(?:was|is|were|are) not authori[sz]ed to",
    re.IGNORECASE,
)
UNNAMED_REACH = 120  # characters after a description in which it may say it is kept unnamed
GENERIC_BODIES = {"group", "organization", "organisation", "body"}  # "the group" may be any body
APPOSITION_GAP = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*,\s*")  # "The PM of the GNU (GNU), Name"
MAX_ROLE_MENTION_WORDS = 12
APPOSED_ROLE = re.compile(r",\s+([^,;.()\n]{3,80}?),")  # "Name, Iran's Foreign Minister, arrived"
FULL_NAME_BEFORE = r"((?:[A-Z][\w'’-]*\.? (?:(?:al|el|bin|ibn|abu)[- ])?){1,4})"  # "Abbas ", "Mohamed al-"
_NICK = r"[A-Z][\w'’-]+(?: (?:(?:al|el|bin|ibn|abu|de|van|von)[- ])?[A-Z][\w'’-]+){0,3}"  # "Ahmed al-Shara'a"
QUOTED_NICKNAME = re.compile(r"(.+?)\s+[“”\"«‘']\s*([^“”\"«»‘’']+?)\s*[”“\"»’']?")  # not "Shara'a"
NICKNAME = re.compile(rf"\s*(?:[‘'“\"(]({_NICK})[’'”\")]|,?\s+(?:also |better )?known as ({_NICK}))")


@dataclass(frozen=True)
class NamedPerson:
    """One mention of a person in the article: the name, where, and what the article says
    they are. ``subject``: the name is a clause's subject (the salient place for a pronoun's
    antecedent)."""

    start: int
    end: int
    name: str
    mention: str
    roles: tuple[str, ...] = ()
    subject: bool = False
    unnamed: bool = False  # a description standing for someone the article does not name


def is_pronoun(mention: str | None) -> bool:
    """A pronoun that stands for one person: "he" or "she"."""
    return mention is not None and mention.lower() in pronoun_genders()


@lru_cache(maxsize=1)
def pronoun_genders() -> dict[str, str]:
    """Person pronoun -> "m" or "f" (the gendered entries of ``speakers/en_pronouns.txt``)."""
    return {word: g for word, g in word_table("speakers", "en_pronouns.txt").items() if g in ("m", "f")}


@dataclass
class ArticleView:
    """What linking knows of one article: its quotes in order, the people it names, each name's
    fullest form, gender and roles, and where each person is salient."""

    ordered: Sequence[Quote]
    people: Sequence[NamedPerson]
    canonical: Mapping[str, str]
    genders: Mapping[str, str]
    roles: Roles
    salient: list[tuple[int, str]]  # grows as descriptions resolve to people
    text: str
    unnamed: set[str] = field(default_factory=set)  # salient descriptions of people never named


def link_speakers(quotes: Sequence[Quote], people: Sequence[NamedPerson] = (), text: str = "") -> None:
    """Set each quote's ``speaker``/``article_speaker`` to the fullest name the article uses.

    Args:
        quotes: the article's quotes; changed in place.
        people: every person the article names (``quotetrack.extract.people``), so that
            ``Haftar`` links to a ``Khalifa Haftar`` who is mentioned but never quoted, "he"
            to a person named in the lead, and "the spokesman" to the person the article
            calls its spokesman.
        text: the text the offsets index, to see a name set beside a description.
    """
    ordered = sorted(quotes, key=lambda q: q.mention_start or q.content_start)
    # only a description owned by someone ("the PM's official spokesman") is surely someone
    # else than the people named: others ("the Houthi spokesman") may be a named one
    described = [p for p in people if p.unnamed and _possessed(p.name)]
    people = [p for p in people if not p.unnamed]
    people = [*people, *fuller_names_in(text, ordered, people)]
    nicknames = split_nicknames(ordered)
    retype_surnames(ordered, people)
    canonical = canonical_names(ordered, people)
    declared = also_known_as(people, text, canonical)
    declared.update({nick: canonical.get(name, name) for nick, name in nicknames.items()})
    canonical.update(declared)
    other_names = defaultdict(list)
    for nick, name in declared.items():
        other_names[name].append(nick)
    genders = speaker_genders(ordered, canonical, people)
    salient = salient_people(ordered, people, canonical)
    unnamed = {p.name for p in described}
    salient = sorted(salient + [(p.start, p.name) for p in described])
    view = ArticleView(
        ordered, people, canonical, genders, person_roles(ordered, people, canonical), salient, text, unnamed
    )
    for q in ordered:
        if is_pronoun(q.speaker_mention):
            resolve_pronoun(q, view)
        elif q.speaker_type == "person" and q.speaker and not names_office_only(q.speaker):
            q.speaker = canonical.get(q.speaker, q.speaker)
        else:
            resolve_description(q, view)
            if q.speaker_type == "person" and q.speaker:  # "RSF commander" → Dagalo: salient from here on
                bisect.insort(view.salient, (q.mention_start or 0, q.speaker))
        q.article_speaker = q.speaker
        q.speaker_gender = genders.get(q.speaker or "") if q.speaker_type == "person" else None
        q.speaker_other_names = other_names.get(q.speaker or "", []) if q.speaker_type == "person" else []
        q.confidence = confidence(q, is_pronoun(q.speaker_mention))


# --- names ------------------------------------------------------------------------------


def retype_surnames(ordered: Sequence[Quote], people: Sequence[NamedPerson]) -> None:
    """The tagger's "Trump" (ORG) or "Sanders" (a plural noun) is a person where the article
    names one so; spelled exactly so, as a skeleton match is too loose here (China, Chinni)."""
    surnames = {p.name.split()[-1] for p in people}
    surnames |= {q.speaker.split()[-1] for q in ordered if q.speaker_type == "person" and q.speaker}
    for q in ordered:
        if (
            q.speaker_type in ("organization", "anonymous")
            and is_surname(q.speaker)
            and q.speaker
            and any(same_surname(q.speaker.split()[-1], s) for s in surnames)
            and not is_pronoun(q.speaker_mention)
        ):
            q.speaker_type = "person"
    for name in _referred_as_persons(ordered):
        for q in ordered:
            if q.speaker == name:
                q.speaker_type = "person"


def fuller_names_in(text: str, ordered: Sequence[Quote], people: Sequence[NamedPerson]) -> list[NamedPerson]:
    """The full names of people quoted by surname alone, written where the parser never looked:
    "Seyyed Abbas Araghchi, Iran's Foreign Minister, arrived in Mashhad" has no cue, so its
    paragraph is not parsed. A run of capitalized words before the surname counts from the
    first that is a known given name, titles dropped ("Meanwhile Abbas Araghchi": Abbas)."""
    named = [p.name for p in people] + [q.speaker for q in ordered if q.speaker_type == "person" and q.speaker]
    longer = {n.split()[-1] for n in named if len(n.split()) > 1}
    lonely = {
        q.speaker
        for q in ordered
        if q.speaker_type == "person"
        and q.speaker
        and is_surname(q.speaker)
        and len(q.speaker.split()) == 1
        and not any(same_surname(q.speaker, s) for s in longer)
    }
    found = []
    for surname in sorted(lonely):
        for m in re.finditer(rf"\b{FULL_NAME_BEFORE}{re.escape(surname)}\b", text):
            words = strip_title(m.group(0)).split()
            first = next((k for k in range(len(words) - 1) if name_gender(" ".join(words[k:])) is not None), None)
            if first is not None:
                name = " ".join(words[first:])
                role = APPOSED_ROLE.match(text, m.end())
                roles = (role.group(1),) if role and offices_in(role.group(1)) else ()
                found.append(NamedPerson(start=m.end() - len(name), end=m.end(), name=name, mention=name, roles=roles))
    return found


def same_surname(a: str, b: str) -> bool:
    """One surname in two spellings: equal, or the same consonants with at most one vowel
    changed ("Dbeibah" / "Dbeibeh"); not "China" / "Chinni", two letters apart."""
    if a.casefold() == b.casefold():
        return True
    return part_key(a.lower()) == part_key(b.lower()) and Levenshtein.distance(a.lower(), b.lower()) <= 1


def canonical_names(ordered: Sequence[Quote], people: Sequence[NamedPerson]) -> dict[str, str]:
    """Every person name of the article -> the fullest form it refers to (``link_variants``)."""
    spoken = [
        (q.mention_start or 0, q.speaker)
        for q in ordered
        if q.speaker_type == "person"
        and q.speaker
        and not is_pronoun(q.speaker_mention)
        and not names_office_only(q.speaker)
    ]
    names = [n for _, n in sorted([(p.start, p.name) for p in people] + spoken)]
    canonical = link_variants(list(dict.fromkeys(names))) if names else {}
    full: dict[str, set[str]] = {}
    for name in set(canonical.values()):
        if len(name.split()) > 1:
            full.setdefault(name.split()[0], set()).add(name)
    for name, target in canonical.items():  # a given name alone, "Abdul-Malik" or "Sami"
        if len(name.split()) == 1 and target == name and len(full.get(name, ())) == 1:
            canonical[name] = next(iter(full[name]))
    return canonical


def split_nicknames(ordered: Sequence[Quote]) -> dict[str, str]:
    """A person speaker written with a quoted nickname ("محمد حمدان دقلو “حميدتي”") speaks
    under the name alone, which matches the person's other spellings; returns nickname -> name."""
    found = {}
    for q in ordered:
        if q.speaker_type != "person" or not q.speaker:
            continue
        m = QUOTED_NICKNAME.fullmatch(q.speaker)
        if m is not None and len(m.group(1).split()) >= 2:
            q.speaker = m.group(1)
            found[m.group(2)] = m.group(1)
    return found


def also_known_as(people: Sequence[NamedPerson], text: str, canonical: Mapping[str, str]) -> dict[str, str]:
    """Other names the article declares for a person -> that person's name: a nickname in
    quotation marks or brackets right after the name ("Mohamed Hamdan Dagalo ‘Hemedti’"), or
    "also known as" ("Abu Mohammad al-Julani, also known as Ahmed al-Shara'a")."""
    found = {}
    for p in people:
        m = NICKNAME.match(text, p.end)
        if m is not None and not (nick := m.group(1) or m.group(2)).isupper():
            found[nick] = canonical.get(p.name, p.name)
    return found


def _referred_as_persons(ordered: Sequence[Quote]) -> set[str]:
    """One-word "organizations" that the next quote calls "he" or "she": the tagger's ORG
    "Husted" in "Husted said ... He said that ..." (an organization is never "he")."""
    found = set()
    for prev, q in itertools.pairwise(ordered):
        if (
            is_pronoun(q.speaker_mention)
            and prev.speaker_type == "organization"
            and prev.speaker
            and prev.speaker == prev.speaker_mention
            and is_surname(prev.speaker)
            and 0 <= (q.mention_start or 0) - (prev.mention_end or 0) <= PRONOUN_REACH
        ):
            found.add(prev.speaker)
    return found


def is_surname(name: str | None) -> bool:
    """One capitalized word that could be a person's surname ("Trump", "DuVernay", "Al-Sarraj"),
    perhaps after particles ("De Blasio")."""
    *particles, last = (name or "-").split()
    return (
        all(p.lower() in SURNAME_PARTICLES for p in particles)
        and last[:1].isupper()
        and not last.isupper()
        and last.replace("-", "").replace("'", "").isalpha()
    )


# --- who is who ---------------------------------------------------------------------------


def speaker_genders(
    quotes: Sequence[Quote], canonical: Mapping[str, str], people: Sequence[NamedPerson] = ()
) -> dict[str, str]:
    """ "m" or "f" for each named person whose gender the article or the name tells.

    The article's words win: a title or role head noun in the person's mentions ("Mrs.
    Clinton", "Scott's niece", "spokeswoman for ...") outvote each other; without them the
    given name decides where it almost always marks one gender (``names.name_gender``).
    """
    words = word_table("speakers", "en_genders.txt")
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for q in quotes:
        if q.speaker_type != "person" or not q.speaker or is_pronoun(q.speaker_mention):
            continue
        name = canonical.get(q.speaker, q.speaker)
        votes[name].update(words[w] for w in _gender_words(q.speaker_mention, q.role) if w in words)
    for p in people:
        name = canonical.get(p.name, p.name)
        votes[name].update(words[w] for w in _gender_words(p.mention, "; ".join(p.roles)) if w in words)
    genders = {}
    for name, count in votes.items():
        ranked = count.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            genders[name] = ranked[0][0]
        elif gender := name_gender(name):
            genders[name] = gender
    return genders


def _gender_words(mention: str | None, role: str | None) -> list[str]:
    """The mention's first word (a title: "Mrs.") and the head nouns of the role."""
    return [w.strip(".") for w in (mention or "").lower().split()[:1]] + role_heads(role)


def person_roles(ordered: Sequence[Quote], people: Sequence[NamedPerson], canonical: Mapping[str, str]) -> Roles:
    """The roles of the article's named people, from its who-is-who and its named speakers, in
    text order."""
    found = Roles()
    places = [(p.start, p.name, p.roles) for p in people]
    places += [
        (q.mention_start or 0, q.speaker, tuple(q.role.split("; ")))
        for q in ordered
        if q.speaker_type == "person"
        and q.speaker
        and q.role
        and not is_pronoun(q.speaker_mention)
        and not names_office_only(q.speaker)
    ]
    for _, name, roles in sorted(places, key=lambda place: place[0]):
        found.add(canonical.get(name, name), roles)
    return found


# --- resolution ---------------------------------------------------------------------------


def salient_people(
    ordered: Sequence[Quote], people: Sequence[NamedPerson], canonical: Mapping[str, str]
) -> list[tuple[int, str]]:
    """(offset, canonical name) of each place a person is salient, in order: a named
    person speaker's mention, and a person's name as a clause's subject outside what is
    quoted (a name inside a statement is what the speaker talks about, not who goes on)."""
    said = [(q.content_start, q.content_end) for q in ordered]
    places = [
        (q.mention_start or 0, canonical.get(q.speaker, q.speaker))
        for q in ordered
        if q.speaker_type == "person"
        and q.speaker
        and not is_pronoun(q.speaker_mention)
        and not names_office_only(q.speaker)
    ]
    places += [
        (p.start, canonical.get(p.name, p.name))
        for p in people
        if p.subject and not any(s <= p.start < e for s, e in said)
    ]
    return sorted(places, key=lambda place: place[0])


def resolve_pronoun(q: Quote, view: ArticleView) -> None:
    """ "he"/"she" → the most recent salient person before it whose known gender does not rule
    the pronoun out ("she" skips Donald Trump for Hillary Clinton); none: an unnamed source."""
    wanted = pronoun_genders()[(q.speaker_mention or "").lower()]
    at = q.mention_start or 0
    for start, name in reversed(view.salient):
        if name in view.unnamed:
            if start <= at and noun_gender((role_heads(name) or [""])[-1]) in (None, wanted):
                q.speaker, q.speaker_type = name, "anonymous"  # "the PM's official spokesman ... He"
                return
            continue
        if start <= at and view.genders.get(name, wanted) == wanted:
            q.speaker, q.speaker_type = name, "person"
            q.role = q.role or view.roles.first.get(name)
            return
    q.speaker_type = "anonymous"  # someone this article never names: not a name to merge on


def resolve_description(q: Quote, view: ArticleView) -> None:
    """A role mention or a description: the person named beside it ("The head of the Council,
    Mohamed al-Menfi,"), the one person the article gives its office, the unnamed source
    an earlier, fuller description introduced ("the source" → "a source in the delegation"),
    or the person the text is about ("the former fighter pilot", ``described_person``)."""
    mention = q.speaker_mention or ""
    if not mention or len(mention.split()) > MAX_ROLE_MENTION_WORDS:
        return
    if (named := named_beside(q, view.people, view.text)) is not None:
        q.speaker, q.speaker_type = view.canonical.get(named.name, named.name), "person"
        q.role = q.role or clean_role(mention)
        return
    if (author := medium_author(q, view)) is not None:
        q.speaker, q.speaker_type = author
        return
    if (body := body_referred(q, view.ordered)) is not None:
        q.speaker, q.speaker_type = body.speaker, body.speaker_type
        return
    if q.speaker_type == "organization" and office_of(mention) is None:
        return
    if mention.lower().split()[0] not in INDEFINITE:
        holders = view.roles.holders(mention)
        if len(holders) == 1:
            holder = holders.pop()
            if q.speaker and names_office_only(q.speaker):  # the office was taken for a name:
                q.role = role_for(mention, view.roles.first.get(holder))  # not the "Iran's" left of it
            q.speaker = holder
            q.speaker_type, q.role = "person", q.role or view.roles.first.get(q.speaker) or clean_role(mention)
            return
    if q.speaker_type == "anonymous" and mention.lower().split()[0] in DEFINITE:
        if (earlier := introduced_source(q, view.ordered)) is not None:
            q.speaker, q.speaker_type = earlier.speaker, earlier.speaker_type
        elif (person := described_person(q, view)) is not None:
            q.speaker, q.speaker_type = person, "person"
            q.role = q.role or clean_role(mention)


def role_for(mention: str, first: str | None) -> str:
    """The role of a statement whose speaker the article calls by office: the holder's first
    role where it names that office ("the Parliament's Speaker" for "The Speaker"), else the
    mention ("Qatar's Foreign Minister")."""
    office = office_of(mention)
    if first and office is not None and any(fits_office(office, held) for held in offices_in(first)):
        return first
    return clean_role(mention)


def described_person(q: Quote, view: ArticleView) -> str | None:
    """The person a definite description with no office stands for: the most recent salient
    person before it, when the description agrees with them (gender; the country or body it
    names is theirs). "Bashagha flew to Tripoli ... the former fighter pilot said" → Bashagha.
    Not a description tied to someone else ("the minister's aide", "his lawyer")."""
    mention = q.speaker_mention or ""
    heads = role_heads(mention)
    if not heads or heads[0] not in epithet_nouns() or _possessed(mention):
        return None
    if q.mention_end is not None and UNNAMED.search(view.text, q.mention_end, q.mention_end + UNNAMED_REACH):
        return None  # "The official, who asked not to be named, said"
    at = q.mention_start or 0
    before = [
        name for start, name in view.salient if start < at and at - start <= PRONOUN_REACH and name not in view.unnamed
    ]
    if not before:
        return None
    name = before[-1]
    gender = noun_gender(heads[0])
    if gender is not None and view.genders.get(name, gender) != gender:
        return None
    if not all(any(same_stem(w, v) for v in view.roles.words[name]) for w in proper_words(mention)):
        return None
    office = office_of(mention)
    held = [h for h in view.roles.offices.get(name, ()) if office is not None and h[0] == office[0]]
    if office is not None and held and not any(fits_office(office, h) for h in held):
        return None  # "the presidential nominee" is not the vice presidential nominee just named
    return name


def medium_author(q: Quote, view: ArticleView) -> tuple[str, str] | None:
    """Who "a statement from President Joe Biden" or "a letter by the Foreign Ministry" is
    from: the person named there, or the body ((speaker, type), else None)."""
    m = MEDIUM_OF.match(q.speaker_mention or "")
    if m is None or q.mention_start is None:
        return None
    start = q.mention_start + m.start(1)
    for p in view.people:
        if start <= p.start and p.end <= (q.mention_end or 0):
            return view.canonical.get(p.name, p.name), "person"
    author = re.sub(r"^(?:the|an?)\s+", "", m.group(1), flags=re.IGNORECASE)
    heads = role_heads(author)
    return (author, "organization") if heads and heads[0] in body_nouns() else None


def body_referred(q: Quote, ordered: Sequence[Quote]) -> Quote | None:
    """The body "it", "the group" or "the council" stands for: the latest organization or
    unnamed body that spoke just before (within ``PRONOUN_REACH``), of that kind unless the
    noun is a generic one ("the group" may be any body, "the ministry" only a ministry)."""
    words = (q.speaker_mention or "").lower().split()
    if words != ["it"] and not (len(words) == 2 and words[0] in DEFINITE and words[1] in body_nouns()):
        return None
    at = q.mention_start or 0
    for prev in reversed([p for p in ordered if (p.mention_start or 0) < at]):
        if at - (prev.mention_start or 0) > PRONOUN_REACH:
            return None
        if prev.speaker_mention and prev.speaker_mention.lower() == " ".join(words):
            continue  # an earlier "the group" left as written
        heads = role_heads(prev.speaker_mention)
        is_body = prev.speaker_type == "organization" or (
            prev.speaker_type == "anonymous" and bool(heads) and heads[0] in body_nouns()
        )
        if not is_body or not prev.speaker:
            continue
        if (
            words == ["it"]
            or words[1] in GENERIC_BODIES
            or any(same_stem(words[1], w) for w in words_of(f"{prev.speaker} {prev.speaker_mention}"))
        ):
            return prev
        return None  # the latest body is of another kind: not a guess further back
    return None


def _possessed(mention: str) -> bool:
    """A description owned by someone: "his aide", "the minister's spokesman"."""
    words = mention.lower().replace("’", "'").split()
    return any(w in ("his", "her", "their", "its") or (w.endswith("'s") and w[:-2] in person_words()) for w in words)


def named_beside(q: Quote, people: Sequence[NamedPerson], text: str) -> NamedPerson | None:
    """The person whose name stands in apposition right after the mention: "The Prime Minister
    of the Government of National Unity (GNU), Abdul Hamid Dbeibeh, cited ..."."""
    end = q.mention_end
    if end is None or not text:
        return None
    for p in people:
        if end <= p.start <= end + 50:
            gap = text[end : p.start]
            if APPOSITION_GAP.fullmatch(gap) or (gap == " " and office_of(q.speaker_mention) is not None):
                return p  # or "Commander of the Rapid Support Forces Mohamed Hamdan Dagalo"
    return None


def introduced_source(q: Quote, ordered: Sequence[Quote]) -> Quote | None:
    """The latest earlier, fuller description of an unnamed source with the same head noun
    (in the same number: "the correspondent" is not "correspondents in Libya")."""
    head = role_heads(q.speaker_mention)
    if not head:
        return None
    for prev in reversed([p for p in ordered if (p.mention_start or 0) < (q.mention_start or 0)]):
        if (
            prev.speaker_type == "anonymous"
            and prev.speaker
            and not is_pronoun(prev.speaker_mention)
            and role_heads(prev.speaker_mention) == head
            and len((prev.speaker or "").split()) > len((q.speaker_mention or "").split())
        ):
            return prev
    return None
