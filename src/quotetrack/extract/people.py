"""The people an English article names, with the roles it ties to them: the article's who-is-who.

Role mentions ("the spokesman", "the PM") and pronouns resolve against this picture
(``quotetrack.extract.linking``), so it holds every named person, not only the speakers:
the headline's and the lead's subjects too. It reads the parse the quote finder already has:
each proper-noun name heading a phrase, typed by the entity recognizer (which the component
runs on a few tokens around each such name, ``QuoteFinder.mention_windows``), split into
title, name and roles by the same rules as a speaker's mention (``EnglishRules.pick_speaker``),
plus the description a name stands in apposition to ("The head of the Presidential Council,
Mohamed al-Menfi," gives al-Menfi the role "The head of the Presidential Council").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from quotetrack.extract.english import EnglishRules
from quotetrack.extract.linking import NamedPerson
from quotetrack.extract.offices import CALENDAR_WORDS, names_office_only, offices_in, role_nouns
from quotetrack.extract.syntax import SUBJECT_DEPS, clean_text, in_title_case, mention_tokens
from quotetrack.names import name_gender

MAX_ROLE_TOKENS = 12
NAME_DEPS = {"compound", "flat"}  # a proper noun leaning on the next one is inside a name


def name_heads(doc: Doc) -> Iterator[Token]:
    """The last proper noun of each name run ("Khalifa *Haftar*", "Abdul Hamid *Dbeibeh*")."""
    for tok in doc:
        if tok.pos_ == "PROPN" and not (tok.dep_ in NAME_DEPS and tok.head.pos_ == "PROPN" and tok.head.i > tok.i):
            yield tok


def head_span(head: Token) -> Span:
    """The name run a head ends, for the entity recognizer's windows."""
    start = head.i
    while start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[start - 1].dep_ in NAME_DEPS:
        start -= 1
    return head.doc[start : head.i + 1]


def article_people(doc: Doc, rules: EnglishRules) -> list[NamedPerson]:
    """Every person named in ``doc``, in order, as plain records with document offsets.

    A name counts as a person's only on evidence: the entity recognizer's PERSON, a title or
    office before it ("Speaker Nabih Berri"), or a first part the given-name table knows; a
    lone word ("Saleh") counts where it ends such a name in the same text. A capitalized
    headline word the tagger calls a proper noun ("Criticizes") has none of these.
    """
    found = []
    headline_verbs: frozenset[str] | None = None  # the cue forms, read once a title-case line needs them
    for head in name_heads(doc):
        governor = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else head
        # "Commander of the Rapid Support Forces Mohamed Hamdan Dagalo": the title's phrase
        info = rules.pick_speaker(governor if governor.lower_ in rules.titles else head)
        if info is None or info.speaker_type != "person" or not info.name[:1].isupper() or info.name.isupper():
            continue
        if all(len(part) <= 2 for part in re.split(r"[\s.-]+", info.name) if part):
            continue  # "(R-Ga.)", "(D-Mo.)": a party and a state, not a name
        if in_title_case(head):
            headline_verbs = rules.signal_words() if headline_verbs is None else headline_verbs
            if any(t.lower_ in headline_verbs for t in head_span(head)):
                continue  # "Qatar's Foreign Minister Criticizes Israeli Bombings": a headline's verb
        roles = [r for r in (info.role or "").split("; ") if r]
        if in_title_case(head) and roles:  # "Al Thani Condemns Continued Israeli Strikes": a verb, no role
            headline_verbs = rules.signal_words() if headline_verbs is None else headline_verbs
            roles = [r for r in roles if not any(w.lower() in headline_verbs for w in r.split())]
        set_off = [r for r in (described_by(head), role_before(head, info.mention_start)) if r]
        roles += [r for r in dict.fromkeys(set_off) if r not in roles]
        person = NamedPerson(
            start=info.mention_start,
            end=info.mention_end,
            name=info.name,
            mention=info.mention,
            roles=tuple(roles),
            subject=is_subject(head),
        )
        # an office set off beside the name is evidence, not a title inside it ("the General Assembly")
        found.append((person, is_named_person(head, info.name, info.mention, rules) or holds_office(set_off)))
    surnames = {p.name.split()[-1] for p, sure in found if sure and len(p.name.split()) > 1}
    named = [p for p, sure in found if sure or p.name in surnames]
    return sorted(named + unnamed_subjects(doc), key=lambda p: p.start)


def unnamed_subjects(doc: Doc) -> list[NamedPerson]:
    """One person the article describes but does not name, as a clause's subject ("the Prime
    Minister's official spokesman responded ..."): a later "he" may stand for them."""
    found = []
    for tok in doc:
        if (
            tok.dep_ in SUBJECT_DEPS
            and tok.pos_ == "NOUN"
            and tok.tag_ == "NN"
            and tok.lower_ in role_nouns()
            and not any(c.pos_ == "PROPN" and c.dep_ in ("appos", "compound") and c.i > tok.i for c in tok.children)
        ):
            span = doc[tok.left_edge.i : tok.i + 1]
            if len(span) <= MAX_ROLE_TOKENS and span[0].lower_ not in ("a", "an", "one", "another"):
                found.append(
                    NamedPerson(
                        start=span.start_char,
                        end=span.end_char,
                        name=span.text,
                        mention=span.text,
                        subject=True,
                        unnamed=True,
                    )
                )
    return found


def is_named_person(head: Token, name: str, mention: str, rules: EnglishRules) -> bool:
    """Whether the evidence says ``name`` (ending at ``head``) is a person's (``article_people``)."""
    if names_office_only(name):
        return False
    if head.ent_type_ == "PERSON":
        return True
    before = mention[: mention.rfind(name)].lower().replace(".", "").split() if name in mention else []
    run = head_span(head)
    if run.start > 0 and run.doc[run.start - 1].lower_ == "the" and run[0].lower_ in rules.titles:
        return False  # "the General Assembly": a body named with a title word
    if any(w in rules.titles for w in before):
        return True
    if before[-1:] == ["the"]:
        return False  # "the Houthis", "the Kremlin": a person is not "the Name"
    parts = name.split()
    return len(parts) > 1 and parts[0].lower() not in CALENDAR_WORDS and name_gender(name) is not None


def holds_office(roles: list[str]) -> bool:
    """Whether a role set off beside a name is an office ("the Parliament's Speaker, Ageela
    Saleh"): evidence that the name is a person's, as a title before it is."""
    return any(offices_in(role) for role in roles)


def described_by(name: Token) -> str | None:
    """The description a name stands in apposition to: "The head of the Presidential Council
    appointed by the Geneva forum, Mohamed al-Menfi," → "The head of the Presidential Council
    appointed by the Geneva forum"."""
    head = name.head
    if name.dep_ != "appos" or head.pos_ not in ("NOUN", "PROPN") or head.i > name.i:
        return None
    if role_noun(head).pos_ == "PROPN" and role_noun(head).lower_ not in role_nouns():
        return None  # "Rep. Stephen Lynch (D-Mass.)": a name before another name describes nothing
    first = name.left_edge
    if first.i == 0 or (first.nbor(-1).text not in (",", "(", "—", "–") and head.i != first.i - 1):
        # set off by a comma, or right before the name ("his brother Sami"); not "The brother
        # of the Presidential Council's Head Mohamed Menfi", where the name is the council's
        return None
    kept = [t for t in mention_tokens(role_noun(head)) if t.i < name.left_edge.i]
    return clean_text(head.doc[kept[0].i : kept[-1].i + 1]) if kept else None


def role_before(head: Token, mention_start: int) -> str | None:
    """A role set off by a comma just before the name, however the parser attached it: "the
    Parliament's Speaker, Ageela Saleh," → "the Parliament's Speaker"."""
    doc = head.doc
    first = next((t for t in head_span(head) if t.idx >= mention_start), head)
    if first.i < 2 or doc[first.i - 1].text != "," or doc[first.i - 2].pos_ not in ("NOUN", "PROPN"):
        return None
    end = doc[first.i - 2]
    if end.lower_ in CALENDAR_WORDS or (end.dep_ == "pobj" and end.head.lower_ not in ("of", "for")):
        return None  # "On Wednesday, Saleh ...", "In a televised speech, Saleh ...": not roles
    noun = role_noun(end)
    start = noun.left_edge.i if noun.left_edge.i < noun.i else noun.i
    while start < noun.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return clean_text(doc[start : end.i + 1]) if end.i - start < MAX_ROLE_TOKENS else None


def role_noun(noun: Token) -> Token:
    """The role a noun completes: "the spokesman of *Haftar-led Dignity Operation*" →
    "spokesman" (a body named after "of" or "for" is whose role it is, not the role)."""
    while noun.dep_ == "pobj" and noun.head.lower_ in ("of", "for") and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head
    return noun


def is_subject(head: Token) -> bool:
    """Whether the name is a clause's subject, itself or as an apposition to one, or the
    agent of a passive ("denied by the LNA's spokesperson Ahmed Mesmari"): the most salient
    place for the antecedent of a later "he" or "she" (Lappin and Leass 1994)."""
    if head.dep_ == "appos":
        head = head.head
    return head.dep_ in SUBJECT_DEPS or (head.dep_ == "pobj" and head.head.dep_ == "agent")
