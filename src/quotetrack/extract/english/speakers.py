"""English speakers: the subject of a cue, and the name, role and type a subject phrase gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from quotetrack.extract.english.cues import CueRules
from quotetrack.extract.lexicons import word_list, word_table
from quotetrack.extract.offices import CALENDAR_WORDS, role_heads
from quotetrack.extract.syntax import (
    NAME_PARTICLES,
    SUBJECT_DEPS,
    clean_text,
    doc_text,
    mention_tokens,
    name_run,
    relative_antecedent,
)
from quotetrack.names import name_gender

ORG_ENTS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
# organization nouns a leader's name modifies: the body speaks, not the person it is named for
LED_BODIES = {"administration", "camp", "campaign", "government", "office", "presidency", "team"}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
NOT_ROLES = {
    "all",
    "both",
    "each",
    "everyone",
    "everything",
    "few",
    "many",
    "more and more",
    "most",
    "none",
    "several",
    "some",
}
QUOTING_VERBS = {"quote", "cite"}  # "channel quoted X, confirming that ..." → X speaks
NON_SPEAKERS = {"this", "that", "these", "those", "what", "there"}


@dataclass
class SpeakerInfo:
    """Who a subject phrase names: mention offsets, name, role and type."""

    mention_start: int
    mention_end: int
    mention: str
    name: str
    speaker_type: str
    role: str | None = None


@dataclass
class NameRun:
    """A subject's proper-noun run (``name_run``) split by ``split_title`` into title and name."""

    tokens: list[Token]
    title: str | None
    name_tokens: list[Token]

    @property
    def name(self) -> str:
        """The name's words as written, or "" for a run that is all title."""
        toks = self.name_tokens
        return clean_text(toks[0].doc[toks[0].i : toks[-1].i + 1]) if toks else ""


class SpeakerRules(CueRules):
    """Who speaks: the subject of a cue (``subject_of``) and what its phrase names (``pick_speaker``)."""

    def pick_speaker(self, head: Token, floor: int = 0, ceiling: int | None = None) -> SpeakerInfo | None:
        """Split the noun phrase headed by ``head`` into name, role and speaker type.

        Tokens before index ``floor`` are never part of the mention (an inverted cue; a phrase
        starts there), nor an apposition from index ``ceiling`` on part of the role (what
        "according to X," reports).

        The steps: a pronoun speaks as itself (``pronoun_speaker``), a relative pronoun as the
        noun it stands for (``relative_speaker``); a name set beside a common noun heads the
        phrase instead (``apposed_name``); a proper-noun run gives the name, title and type
        (``run_roles``, ``named_type``, ``body_name``); any other phrase is its own name
        (``unnamed_type``).
        """
        if head.lower_ in self.pronouns:
            return self.pronoun_speaker(head)
        if (antecedent := relative_antecedent(head)) is not None and (found := self.pick_speaker(antecedent)):
            return self.relative_speaker(head, antecedent, found)
        tokens = [t for t in mention_tokens(head) if t.i >= floor]
        if not tokens:
            return None
        if (held := self.office_holder(tokens)) is not None:
            return held
        head, tokens, role_parts = self.apposed_name(head, tokens, floor)
        if head.pos_ == "PROPN":
            role_parts += self.appositive_roles(head, ceiling)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        mention = doc_text(head.doc)[start:end]
        run = name_run(head, tokens)
        if run:
            named = NameRun(run, *self.split_title(run))
            role_parts = self.run_roles(head, tokens, named) + role_parts
            if head.i == run[-1].i:
                stype, name, role = self.named_type(head, tokens, named, role_parts)
                return SpeakerInfo(start, end, mention, name or mention, stype, role)
            # a proper-noun modifier of an organization noun: "Reuters news agency"
            if head.lemma_.lower() in self.org_nouns:
                body = self.body_name(head, named.name) or mention
                return SpeakerInfo(start, end, mention, body, "organization", None)
        return SpeakerInfo(
            start, end, mention, clean_text(mention), self.unnamed_type(head, tokens), join_roles(role_parts)
        )

    def office_holder(self, tokens: list[Token]) -> SpeakerInfo | None:
        """A title of a body, then the holder's name: "Commander of the Rapid Support Forces
        Mohamed Hamdan Dagalo", "Head of the Presidential Council Mohamed al-Menfi" (news
        translated from Arabic writes so). The name is where a given name opens the phrase's
        closing proper-noun run; None for any other phrase."""
        lead = [t for t in tokens if t.pos_ != "DET"]
        if len(lead) < 4 or lead[0].lower_.rstrip(".") not in self.titles or lead[1].lower_ != "of":
            return None
        run: list[Token] = []
        for t in reversed(tokens):
            if t.pos_ != "PROPN" and not (run and t.lower_ in NAME_PARTICLES):
                break
            run.insert(0, t)
        doc = tokens[0].doc
        for k in range(1, len(run) - 1):
            if run[k].pos_ != "PROPN" or run[k - 1].lower_ in NAME_PARTICLES:
                continue
            name = clean_text(doc[run[k].i : run[-1].i + 1])
            if name_gender(name) is not None:
                role = clean_text(doc[lead[0].i : run[k].i])
                start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
                return SpeakerInfo(start, end, doc_text(doc)[start:end], name, "person", role)
        return None

    def pronoun_speaker(self, pronoun: Token) -> SpeakerInfo:
        """A pronoun speaks as itself: a person if the lexicon gives it a gender ("he", "she";
        ``linking`` finds whom it stands for), else anonymous ("they")."""
        stype = "person" if self.pronouns[pronoun.lower_] in "mf" else "anonymous"
        return SpeakerInfo(pronoun.idx, pronoun.idx + len(pronoun), pronoun.text, pronoun.text, stype)

    def relative_speaker(self, relative: Token, antecedent: Token, found: SpeakerInfo) -> SpeakerInfo:
        """The speaker a relative pronoun ("who") stands for, ``found`` from its antecedent."""
        if antecedent.lower_ in self.pronouns:
            return found
        # the mention stays "who", as "he" does; the speaker is the noun it stands for
        return replace(
            found, mention_start=relative.idx, mention_end=relative.idx + len(relative), mention=relative.text
        )

    def apposed_name(self, head: Token, tokens: list[Token], floor: int) -> tuple[Token, list[Token], list[str]]:
        """The head, mention tokens and role parts of a phrase whose common-noun head has a name
        set beside it: "the media advisor in the Ministry ..., Amin Al-Hashemi," names the
        advisor, and the words before the name are the role. Any other phrase is returned as is."""
        if head.pos_ == "PROPN":
            return head, tokens, []
        appos_name = next(
            (
                t
                for t in head.subtree
                if t.dep_ == "appos"
                and t.pos_ == "PROPN"
                and t.i > head.i
                and t.left_edge.i > 0
                and t.doc[t.left_edge.i - 1].text == ","
            ),
            None,
        )
        if appos_name is None:
            return head, tokens, []
        role_parts = []
        # not "With 50 days until the election, Minyon Moore, ...": the parser's apposition
        first = tokens[0]
        if begins_phrase(first) or first.i == floor or first.nbor(-1).lemma_ in QUOTING_VERBS:
            role_parts.append(clean_text(head.doc[first.i : min(tokens[-1].i + 1, appos_name.left_edge.i)]))
        return appos_name, mention_tokens(appos_name), role_parts

    def run_roles(self, head: Token, tokens: list[Token], named: NameRun) -> list[str]:
        """The role a name run's own phrase gives: the words before the name when the name
        heads the phrase, or else the name's title."""
        left = [t for t in tokens if t.i < named.tokens[0].i and t.pos_ not in ("DET", "PUNCT")]
        if left and head.i == named.tokens[-1].i:  # "longtime Democratic pollster" Pat Caddell
            return [clean_text(head.doc[left[0].i : named.name_tokens[0].i if named.title else named.tokens[0].i])]
        return [named.title] if named.title else []

    def named_type(
        self, head: Token, tokens: list[Token], named: NameRun, role_parts: list[str]
    ) -> tuple[str, str, str | None]:
        """Speaker type, name and role of a phrase a name run heads."""
        # a title alone ("Judge rejects ...") names no one, and must not merge across articles
        lone_title = not named.title and self._title_width(named.tokens, 0) == len(named.tokens)
        stype = "anonymous" if lone_title else self.name_type(named.name_tokens, bool(named.title))
        if stype == "organization" and self.holds_office(role_parts):
            stype = "person"  # "Jean-Marc Ayrault, the foreign minister of France": the tagger said ORG
        if stype != "organization":
            return stype, named.name, join_roles(role_parts)
        name = named.name
        if tokens[-1].i > head.i:  # "the Bank of England": the name goes on past its head
            name = clean_text(head.doc[named.tokens[0].i : tokens[-1].i + 1])
        return stype, name, join_roles(role_parts if named.title else [])

    def body_name(self, body: Token, name: str) -> str:
        """The name of an organization noun a proper noun modifies: "Reuters news agency" is
        Reuters, but "the Trump campaign" speaks, not Trump (``LED_BODIES``)."""
        if name and body.lemma_.lower() in LED_BODIES:
            return f"{name} {body.lower_}"
        return name

    def unnamed_type(self, head: Token, tokens: list[Token]) -> str:
        """The speaker type of a phrase no name heads: a surname the tagger missed is a person,
        an organization noun or entity an organization, anything else anonymous."""
        if self.untagged_name(head, tokens):
            return "person"
        if head.lemma_.lower() in self.org_nouns or head.ent_type_ in ORG_ENTS:
            return "organization"
        return "anonymous"

    def appositive_roles(self, name: Token, ceiling: int | None) -> list[str]:
        """Roles set beside a name ("Salah Al-Namroush, Undersecretary of the Ministry of
        Defense": a role, not a name; "Scott's niece, state Del. Marcia Price"), without a
        relative clause or what follows a comma; not one from token ``ceiling`` on, nor one
        before the name that does not open a phrase (``begins_phrase``)."""
        roles = []
        for c in name.children:
            if c.dep_ != "appos" or not (
                c.pos_ != "PROPN" or c.lower_ in self.titles or any(g.dep_ == "prep" for g in c.children)
            ):
                continue
            if (ceiling is not None and c.left_edge.i >= ceiling) or (c.i < name.i and not begins_phrase(c.left_edge)):
                continue
            if role := mention_tokens(c):
                roles.append(clean_text(c.doc[role[0].i : role[-1].i + 1]))
        return roles

    def untagged_name(self, head: Token, tokens: list[Token]) -> bool:
        """A lone capitalized singular noun that no dictionary word explains: a surname the
        tagger read as a common noun ("Debre added that ...")."""
        if not self.known_words:
            return False
        return (
            tokens == [head]
            and head.tag_ == "NN"
            and head.text[:1].isupper()
            and head.lower_ not in self.known_words
            and head.lower_ not in self.org_nouns
        )

    def split_title(self, run: list[Token]) -> tuple[str | None, list[Token]]:
        """The title off a name run, with any words before it: "Colonel" Muhammad Qanunu,
        "Former Pennsylvania Gov." Ed Rendell, "White House Press Secretary" Josh Earnest."""
        end = i = 0
        while i < len(run):
            width = self._title_width(run, i)
            if width and self.names_someone(run[i + width :]):  # "Justice Department", "King Jr."
                end = i + width
            i += width or 1
        title = clean_text(run[0].doc[run[0].i : run[end - 1].i + 1]) if end else None
        return title, run[end:]

    def holds_office(self, role_parts: list[str]) -> bool:
        """Whether a role's head noun is an office or a person's word ("the foreign minister
        of France", "a former mayor of Nice", "his widow")."""
        return any(
            h in self.titles or h in word_table("speakers", "en_genders.txt")
            for h in role_heads(join_roles(role_parts))
        )

    def names_someone(self, toks: list[Token]) -> bool:
        """Whether what follows a title can be a person's name: not empty, not a bare suffix
        ("Martin Luther King Jr."), no organization noun ("Justice Department")."""
        lowers = [t.lower_.rstrip(".") for t in toks]
        return any(w not in NAME_SUFFIXES for w in lowers) and not set(lowers) & self.org_nouns

    def _title_width(self, run: list[Token], i: int) -> int:
        """How many tokens from ``run[i]`` form a title (0 if none)."""
        for width in (3, 2, 1):
            part = run[i : i + width]
            if len(part) < width:
                continue
            spaced = " ".join(t.lower_.rstrip(".") for t in part if t.text != "-")
            joined = "".join(t.lower_ for t in part).rstrip(".")
            words = [w for w in joined.split("-") if w]
            hyphenated = "-" in joined and bool(words) and all(w in self.titles for w in words)
            if spaced in self.titles or joined in self.titles or hyphenated:
                return width
        return 0

    def name_type(self, name_toks: list[Token], has_title: bool) -> str:
        """Person or organization, for a proper-noun run that heads a subject."""
        if has_title:
            return "person"
        lowers = {t.lower_ for t in name_toks}
        if lowers & self.org_nouns:
            return "organization"
        ents = {t.ent_type_ for t in name_toks}
        if "PERSON" in ents:
            return "person"
        if name_toks and name_toks[0].lower_ in ("al", "el") and len(name_toks) >= 3:
            return "person"  # en_core_web_sm tags many transliterated Al-X names as ORG
        if ents & ORG_ENTS:
            return "organization"
        return "person"

    def subject_of(self, verb: Token, depth: int = 0) -> Token | None:
        """The speaker's head token for a reporting verb, following conjuncts and participles."""
        # not a date the parser took for a second subject ("... battling the army since April said")
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.lower_ not in CALENDAR_WORDS]
        if not subjects and self.misread_verb(verb):  # "el-Sisi stresses that": the name modifies it
            return next((c for c in reversed(list(verb.lefts)) if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
        if subjects:
            # "The agreement, and in turn, the army leader, X, affirms": the nearest one speaks
            c = min(subjects, key=lambda t: abs(verb.i - t.i))
            if c.dep_ == "nsubjpass" or names_no_one(c):
                return None
            breaks = [t.i for t in verb.doc[c.i : verb.i] if "\n" in t.text]
            if breaks:  # a heading line above was parsed as the subject: the speaker is below it
                return next((t for t in c.subtree if t.i > breaks[-1] and t.dep_ == "appos"), None)
            return c
        if depth > 2:
            return None
        head = verb.head
        if verb.dep_ == "conj" and head != verb:
            return self.subject_of(head, depth + 1)
        if verb.tag_ == "VBG" and verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            return head
        if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and head.head.pos_ in ("VERB", "AUX"):
            return self.gerund_agent(head, head.head, depth)
        if verb.dep_ in ("advcl", "xcomp") and head != verb and head.pos_ in ("VERB", "AUX"):
            if head.lemma_.lower() in QUOTING_VERBS:
                return next((c for c in head.children if c.dep_ == "dobj"), None)
            if verb.tag_ == "VBG" and head.dep_ == "ccomp" and self.cue_phrase(head.head):
                return self.subject_of(head.head, depth + 1)  # "He explained that X did Y, adding that"
            return self.subject_of(head, depth + 1)
        for c in verb.rights:  # inverted: "said Colonel Muhammad Qanunu"
            if c.pos_ == "PROPN" and c.dep_ in ("dobj", "attr", "npadvmod", "appos", "dep", "oprd"):
                return c
        before = verb.doc[verb.i - 1] if verb.i > 0 else None
        if before is not None and before.pos_ == "PROPN" and before.dep_ == "appos":
            return before  # "In contact with Merkel, Al-Sarraj confirmed": the parser hung the name on Merkel
        if before is not None and before.text == "," and before.i > 0:
            return self.described_name(before.nbor(-1), verb)
        return None

    def described_name(self, last: Token, verb: Token) -> Token | None:
        """The name a description set off before a subjectless cue describes: "Speaking in
        Washington, Graham, a close friend of McCain, said": the parser hung Graham on
        Washington and "a close friend" on Graham."""
        while last.dep_ != "appos" and last.head.i < verb.i and last.head != last:
            last = last.head
        name = last.head
        if last.dep_ == "appos" and name.pos_ == "PROPN" and name.dep_ == "appos" and name.i < last.i:
            return name
        return None

    def gerund_agent(self, prep: Token, governor: Token, depth: int) -> Token | None:
        """Who speaks in "by saying ...", "after saying ...": the subject of the verb the
        phrase hangs on, even a passive one ("was criticized for saying"); after "for" and "of"
        its object ("attacked Khan for saying ...", "accused him of saying ...")."""
        if prep.lower_ in ("for", "of") and (obj := next((c for c in governor.children if c.dep_ == "dobj"), None)):
            return obj
        subject = next((c for c in governor.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None:
            return self.subject_of(governor, depth + 1)
        if subject.lower_ == "it" or names_no_one(subject):
            return None  # "It goes without saying that ..."
        return subject

    def name_speaker(self, doc: Doc, name: str, name_start: int) -> SpeakerInfo | None:
        """The speaker a signature or a line opening names; None for a phrase with a verb, a
        heading rather than a name ("The Gap Goes On: It was under ...")."""
        span = doc.char_span(name_start, name_start + len(name.rstrip(" .")), alignment_mode="expand")
        if span is None or any(t.tag_.startswith("VB") for t in span):
            return None
        return self.pick_speaker(span.root, floor=span.start)


def join_roles(parts: list[str]) -> str | None:
    """The role parts worth keeping, joined: not an age or a year ("Smith, 82,") nor a
    quantifier the parser set beside the name ("Democrats, all of whom")."""
    kept = [p for p in parts if re.search(r"[^\W\d_]", p) and p.lower() not in NOT_ROLES]
    return "; ".join(kept) or None


def begins_phrase(tok: Token) -> bool:
    """Whether a token opens its sentence or follows punctuation, as a role set before a
    name does ("Scott's niece, state Del. Marcia Price"; not "As he welcomed several hundred
    guests, Scott")."""
    return tok.i == tok.sent.start or tok.doc[tok.i - 1].is_punct


def names_no_one(subject: Token) -> bool:
    """A subject that points at something said, not at someone: ``this``, ``what``, ``there``
    (but not a described group such as ``those close to him``), or an event, decision or
    figure ("the appointment ... threatens", "the results show")."""
    if (
        subject.pos_ == "NOUN"
        and subject.lemma_.lower() in word_list("speakers", "en_mute_nouns.txt")
        and not any(c.dep_ == "appos" for c in subject.children)
    ):  # "the election, Minyon Moore, ..."
        return True
    return subject.lower_ in NON_SPEAKERS and not is_described_group(subject)


def is_described_group(tok: Token) -> bool:
    """``Those close to him``, ``those surveyed``: a demonstrative that a phrase after it
    turns into a group of people (a bare ``those`` or ``this`` points at something said)."""
    return tok.lower_ in ("those", "these") and any(
        c.i > tok.i and c.dep_ in ("amod", "prep", "relcl", "acl") for c in tok.children
    )


def passive_agent(verb: Token) -> Token | None:
    """The object of a passive verb's "by" ("was reported by The Post" → Post), or None."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return None if agent is None else next((g for g in agent.children if g.dep_ == "pobj"), None)
