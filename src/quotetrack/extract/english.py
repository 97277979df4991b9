"""English attribution rules over a parsed spaCy ``Doc``.

Finders, each a small function over the dependency parse, feed one list of quotes:

- ``colon_lines`` (first, so a transcript turn keeps the cues inside it): ``PENCE: ...`` and
  headlines such as ``Poll: ...``.
- ``direct_quotes``: paired quotation marks whose clause hangs off a reporting verb, or
  that sit next to one (``"Q," X said`` · ``X said: "Q"`` · ``said X, the spokesman``);
  split quotes (``"A," he said. "B."``) become one statement with ``content_2``.
- ``reported_speech``: a reporting verb with a subject and a clausal complement
  (``X confirmed that ...``, zero-``that`` complements, ``..., noting that ...``).
- ``pattern_attributions``: multi-word cues from ``data/cue_patterns/en.jsonl``
  (``according to X``, ``from the point of view of X``).
- ``frame_attributions`` (last, never over what the others hold): verbs the lexicon does not
  list, or in a frame it does not cover, scored by the learned model of ``frames``.

Speaker choice (``pick_speaker``) splits the subject into the name, the role or title and the
speaker type. Linking pronouns and name variants across the article is ``linking``'s job.
The approach follows the dependency-pattern tradition (Krestel et al. 2008; Pareti's PARC
cues) extended to reported speech; it does not model speakers of unattributed quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from quotetrack.extract.frames import (
    FrameCandidate, FrameModel, can_speak, features, frames_of, noun_frames_of, shipped_model,
)
from quotetrack.extract.lexicons import cue_patterns, verb_forms, word_list, word_table
from quotetrack.extract.linking import role_heads
from quotetrack.extract.quote_marks import QuoteSpan, marks_around, pair_quote_marks
from quotetrack.extract.syntax import (
    CLAUSE_BREAKS,
    EDGE_PUNCT,
    SUBJECT_DEPS,
    clean_text,
    complement_span,
    doc_text,
    inner_source,
    inverted_subject,
    mention_tokens,
    name_run,
    object_span,
    overlaps,
    own_statement,
    parenthetical_clause,
    phrase_end,
    relative_antecedent,
    trim,
    words_after,
)
from quotetrack.types import Quote

ORG_ENTS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
EDGE_CHARS = " \t\"'“”‘’«»„"
# organization nouns a leader's name modifies: the body speaks, not the person it is named for
LED_BODIES = {"administration", "camp", "campaign", "government", "office", "presidency", "team"}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
NOT_ROLES = {"all", "both", "each", "everyone", "everything", "few", "many", "more and more", "most", "none", "several", "some"}
QUOTING_VERBS = {"quote", "cite"}  # "channel quoted X, confirming that ..." → X speaks
QUOTED_SELF = {"i", "we", "you"}  # speakers that, inside a quotation, are the quoted person or the audience
NON_SPEAKERS = {"this", "that", "these", "those", "what", "there"}
CARRY_DISTANCE = 600  # a cue-less quotation paragraph inherits a speaker quoted this close before
MIN_CARRIED_WORDS = 2
MIN_DIRECT_WORDS = 4  # shorter quotes without a cue are titles or scare quotes
MIN_FRAME_CHARS = 4  # a shorter frame content is a pronoun or a number, not a statement
ATTRIBUTION_REACH = 8  # words after a quotation in which its cue may follow ("…," a Turkish official said)


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
class EnglishRules:
    """The English rule set, with its lexicons; ``find_quotes`` is the entry point."""

    cues: frozenset[str] = field(default_factory=lambda: word_list("cues", "en.txt") | word_list("cues", "en_objects.txt"))
    object_cues: frozenset[str] = field(default_factory=lambda: word_list("cues", "en_objects.txt"))
    titles: frozenset[str] = field(default_factory=lambda: word_list("titles", "en.txt"))
    org_nouns: frozenset[str] = field(default_factory=lambda: word_list("speakers", "en_organizations.txt"))
    line_labels: frozenset[str] = field(default_factory=lambda: word_list("speakers", "en_labels.txt"))
    pronouns: dict[str, str] = field(default_factory=lambda: word_table("speakers", "en_pronouns.txt"))
    frame_model: FrameModel | None = field(default_factory=shipped_model)  # None: lexicon cues only
    # the words the pipeline's lemmatizer knows (``QuoteFinder`` fills it in): a capitalized
    # bare noun outside them is a name the tagger missed ("Debre added ...")
    known_words: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self._matcher: Matcher | None = None

    # --- cues -------------------------------------------------------------------------
    def cue_phrase(self, tok: Token) -> tuple[int, int, str] | None:
        """(start_char, end_char, lemma) of the reporting verb at ``tok``, or None."""
        if tok.pos_ not in ("VERB", "AUX") and not tok.tag_.startswith("VB"):
            return None
        lemma = tok.lemma_.lower()
        for child in tok.rights:  # "point out", and the one object-bound cue, "as she put it"
            if child.dep_ in ("prt", "dobj") and f"{lemma} {child.lower_}" in self.cues:
                return tok.idx, child.idx + len(child), f"{lemma} {child.lower_}"
        if lemma in self.cues:
            return tok.idx, tok.idx + len(tok), lemma
        return None

    def signal_words(self) -> frozenset[str]:
        """Every inflected form of a verb that may attribute: the cues, and the verbs the frame
        model holds to attribute (``FrameModel.likely_cues``). The pre-filter parses only the
        paragraphs that hold one, a quotation mark or a multi-word cue."""
        likely = self.frame_model.likely_cues() if self.frame_model is not None else frozenset()
        return frozenset(verb_forms(self.cues | likely))

    def mend_cue_lemmas(self, doc: Doc) -> None:
        """Give an inflected cue verb its lemma where the lemmatizer got it wrong ("hopes",
        "hoped", "hoping" → "hop" in en_core_web_sm 3.8), so cues, frame features and the
        stored ``cue_lemma`` all see "hope"."""
        for tok in doc:
            if tok.pos_ == "VERB" and tok.lemma_.lower() not in self.cues and (lemma := self.cue_lemma(tok.lower_)):
                tok.lemma_ = lemma

    def cue_lemma(self, word: str) -> str | None:
        """The cue lemma of an inflected word, for a verb the tagger took for a name ("Warned" →
        "warn") or the lemmatizer got wrong ("hopes" → "hope")."""
        lemma = verb_forms(self.cues).get(word)
        return lemma if lemma in self.cues else None

    def matcher(self, doc: Doc) -> Matcher:
        if self._matcher is None or self._matcher.vocab is not doc.vocab:
            self._matcher = Matcher(doc.vocab)
            for entry in cue_patterns("en"):
                self._matcher.add(entry["label"], [entry["pattern"]])
        return self._matcher

    # --- speakers ---------------------------------------------------------------------
    def pick_speaker(self, head: Token, floor: int = 0, ceiling: int | None = None) -> SpeakerInfo | None:
        """Split the noun phrase headed by ``head`` into name, role and speaker type.

        Tokens before index ``floor`` are never part of the mention (an inverted cue; a phrase
        starts there), nor an apposition from index ``ceiling`` on part of the role (what
        "according to X," reports).
        """
        if head.lower_ in self.pronouns:
            return SpeakerInfo(head.idx, head.idx + len(head), head.text, head.text, "person" if self.pronouns[head.lower_] in "mf" else "anonymous")
        if (antecedent := relative_antecedent(head)) is not None and (found := self.pick_speaker(antecedent)):
            if antecedent.lower_ in self.pronouns:
                return found
            # the mention stays "who", as "he" does; the speaker is the noun it stands for
            return replace(found, mention_start=head.idx, mention_end=head.idx + len(head), mention=head.text)
        tokens = [t for t in mention_tokens(head) if t.i >= floor]
        if not tokens:
            return None
        appos_name = None
        role_parts: list[str] = []
        if head.pos_ != "PROPN":
            # "the media advisor in the Ministry ..., Amin Al-Hashemi," names the advisor
            appos_name = next((t for t in head.subtree if t.dep_ == "appos" and t.pos_ == "PROPN"
                               and t.i > head.i and t.left_edge.i > 0 and t.doc[t.left_edge.i - 1].text == ","), None)
        if appos_name is not None:
            # not "With 50 days until the election, Minyon Moore, ...": the parser's apposition
            first = tokens[0]
            if begins_phrase(first) or first.i == floor or first.nbor(-1).lemma_ in QUOTING_VERBS:
                role_parts.append(clean_text(head.doc[first.i : min(tokens[-1].i + 1, appos_name.left_edge.i)]))
            head = appos_name
            tokens = mention_tokens(head)
        if head.pos_ == "PROPN":
            role_parts += self.appositive_roles(head, ceiling)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        mention = doc_text(head.doc)[start:end]
        run = name_run(head, tokens)
        if run:
            title, name_toks = self.split_title(run)
            name = clean_text(head.doc[name_toks[0].i : name_toks[-1].i + 1]) if name_toks else ""
            left = [t for t in tokens if t.i < run[0].i and t.pos_ not in ("DET", "PUNCT")]
            if left and head.i == run[-1].i:  # "longtime Democratic pollster" Pat Caddell
                role_parts.insert(0, clean_text(head.doc[left[0].i : name_toks[0].i if title else run[0].i]))
            elif title:
                role_parts.insert(0, title)
            if head.i == run[-1].i:
                # a title alone ("Judge rejects ...") names no one, and must not merge across articles
                lone_title = not title and self._title_width(run, 0) == len(run)
                stype = "anonymous" if lone_title else self.name_type(name_toks, bool(title))
                if stype == "organization" and self.holds_office(role_parts):
                    stype = "person"  # "Jean-Marc Ayrault, the foreign minister of France": the tagger said ORG
                if stype == "organization":
                    if not title:
                        role_parts = []
                    if tokens[-1].i > head.i:  # "the Bank of England": the name goes on past its head
                        name = clean_text(head.doc[run[0].i : tokens[-1].i + 1])
                return SpeakerInfo(start, end, mention, name or mention, stype, join_roles(role_parts))
            # a proper-noun modifier of an organization noun: "Reuters news agency"
            if head.lemma_.lower() in self.org_nouns:
                if name and head.lemma_.lower() in LED_BODIES:
                    name = f"{name} {head.lower_}"  # "the Trump campaign" speaks, not Trump
                return SpeakerInfo(start, end, mention, name or mention, "organization", None)
        if self.untagged_name(head, tokens):
            stype = "person"
        elif head.lemma_.lower() in self.org_nouns or head.ent_type_ in ORG_ENTS:
            stype = "organization"
        else:
            stype = "anonymous"
        return SpeakerInfo(start, end, mention, clean_text(mention), stype, join_roles(role_parts))

    def appositive_roles(self, name: Token, ceiling: int | None) -> list[str]:
        """Roles set beside a name ("Salah Al-Namroush, Undersecretary of the Ministry of
        Defense": a role, not a name; "Scott's niece, state Del. Marcia Price"), without a
        relative clause or what follows a comma; not one from token ``ceiling`` on, nor one
        before the name that does not open a phrase (``begins_phrase``)."""
        roles = []
        for c in name.children:
            if c.dep_ != "appos" or not (c.pos_ != "PROPN" or c.lower_ in self.titles
                                         or any(g.dep_ == "prep" for g in c.children)):
                continue
            if (ceiling is not None and c.left_edge.i >= ceiling) or (c.i < name.i and not begins_phrase(c.left_edge)):
                continue
            if role := mention_tokens(c):
                roles.append(clean_text(c.doc[role[0].i : role[-1].i + 1]))
        return roles

    def untagged_name(self, head: Token, tokens: list[Token]) -> bool:
        """A lone capitalized singular noun that no dictionary word explains: a surname the
        tagger read as a common noun ("Debre added that ...")."""
        return (bool(self.known_words) and tokens == [head] and head.tag_ == "NN" and head.text[:1].isupper()
                and head.lower_ not in self.known_words and head.lower_ not in self.org_nouns)

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
        return any(h in self.titles or h in word_table("speakers", "en_genders.txt")
                   for h in role_heads(join_roles(role_parts)))

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
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
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

    # --- finders ----------------------------------------------------------------------
    def find_quotes(self, doc: Doc) -> tuple[list[Quote], list[tuple[str, int, str]]]:
        """Every attributed statement in ``doc``, sorted by offset; no two hold the same text
        (``held_ranges``: one may sit between the halves of a split quotation)."""
        self.mend_cue_lemmas(doc)
        spans, problems = pair_quote_marks(doc_text(doc))
        direct, orphans = self.direct_quotes(doc, spans)
        used_cues = {q.cue_start for q in direct}
        # a transcript turn ("PENCE: I think ...") holds its speaker's own cues
        found = self.colon_lines(doc) + direct
        found += [q for q in self.reported_speech(doc, spans) if q.cue_start not in used_cues]
        found += self.pattern_attributions(doc, spans)
        kept = remove_overlaps(found)
        orphans = join_second_halves(doc_text(doc), spans, orphans, kept)
        kept = remove_overlaps(kept + carried_quotes(doc_text(doc), orphans, kept))
        if self.frame_model is not None:
            kept = remove_overlaps(kept + self.frame_attributions(doc, spans, kept))
        kept = [q for q in kept if not said_within_quotation(q, spans)]
        close_quotations(doc_text(doc), spans, kept)
        fill_sentences(doc, kept)
        return kept, problems

    def direct_quotes(self, doc: Doc, spans: list[QuoteSpan]) -> tuple[list[Quote], list[QuoteSpan]]:
        """Attributed quotations, and the cue-less ones (``orphans``) left for
        ``join_second_halves`` and ``carried_quotes``."""
        out: list[Quote] = []
        orphans: list[QuoteSpan] = []
        for last, qs in zip([None, *spans], spans):
            found = self.attribute_quotation(doc, qs)
            if found is None:
                orphans.append(qs)
                continue
            start, end, cue, cue_tok, speaker = found
            end = quotation_end(doc_text(doc), start, end)
            prev = out[-1] if out else None
            if prev is not None and prev.cue_start == cue[0] and is_second_half(doc_text(doc), prev, last, start):
                set_content_2(prev, doc_text(doc), start, end)  # "A," he said, "B."
                continue
            comp = self.complement(cue_tok, near=start)
            whole = comp is not None and comp[0] >= start - 2 and comp[1] <= end + 2
            spoken = doc_text(doc)[qs.end - 1] in "?!"  # '"You winning?" she said': short, but speech
            if (len(doc_text(doc)[start:end].split()) < MIN_DIRECT_WORDS and not whole and not spoken) or looks_like_title(doc_text(doc)[start:end]):
                continue  # a title or scare quote; reported_speech makes it "mixed" if cued
            kind = "direct"
            if (comp is not None and comp[0] <= start + 2 and comp[1] >= end - 2 and mixed_words(doc_text(doc), comp, start, end) >= 3
                    and not (comp[0] < start and self.statement_before(doc, comp[0], start))):  # "X scolded him: “Q,” she said"
                kind, start, end = "mixed", min(comp[0], start), max(comp[1], end)
            out.append(make_quote(doc, kind, start, end, cue, speaker))
        return out, orphans

    def statement_before(self, doc: Doc, start: int, quote_start: int) -> bool:
        """Whether the text from ``start`` to a quotation holds a person's statement
        ("Rhimes declared the need for …: “Change the world,” …")."""
        for tok in doc.char_span(start, quote_start, alignment_mode="expand") or ():
            if self.cue_phrase(tok) is None:
                continue
            subject = self.subject_of(tok)
            if subject is not None and (subject.pos_ == "PROPN" or subject.lower_ in self.pronouns):
                return True
        return False

    def complement(self, verb: Token | None, near: int | None = None) -> tuple[int, int] | None:
        """The verb's clausal complement, or for object-taking cues its object phrase."""
        if verb is None:
            return None
        comp = complement_span(verb, near)
        if comp is None:
            cue = self.cue_phrase(verb)
            if cue is not None and cue[2] in self.object_cues:
                comp = object_span(verb)
        return comp if comp is None else cut_semicolon(verb.doc, *self.cut_nested_statement(verb.doc, comp))

    def cut_nested_statement(self, doc: Doc, comp: tuple[int, int]) -> tuple[int, int]:
        """End a complement before a statement of its own that the parser hung inside it:
        "..., adding that ..." or "... paid leave, and when pressed, the mother replied ..."."""
        span = doc.char_span(*comp, alignment_mode="expand")
        for tok in span if span is not None else ():
            if tok.i == span.start or not self.cue_phrase(tok):
                continue
            if tok.tag_ == "VBG" and tok.dep_ == "advcl":  # ", adding that ..."
                edge = tok.left_edge
                if edge.i > span.start and doc[edge.i - 1].text in CLAUSE_BREAKS:
                    return trim(doc, comp[0], doc[edge.i - 1].idx)
                if edge.is_punct or edge.i == tok.i:
                    return trim(doc, comp[0], edge.idx)
            elif (brk := own_statement(tok, span.start)) is not None:
                return trim(doc, comp[0], doc[brk].idx)
        return comp

    def attribute_quotation(self, doc: Doc, qs: QuoteSpan):
        """(start, end, cue, cue token, speaker) of a quotation, or None when no cue is found."""
        start, end = qs.start, qs.end
        inverted = None if qs.closed else self.inverted_cue_inside(doc, start, end)
        if inverted:
            end, cue_tok = inverted
            speaker = self.pick_speaker(inverted_subject(cue_tok), floor=cue_tok.i + 1)
            cue = (cue_tok.idx, cue_tok.idx + len(cue_tok), self.cue_lemma(cue_tok.lower_) or cue_tok.lower_)
        else:
            cue_tok = self.attached_cue(doc, start, end)
            if cue_tok is None:
                return self.dash_signature(doc, qs) or self.name_colon(doc, qs)
            cue = self.cue_phrase(cue_tok)
            subj = self.subject_of(cue_tok)
            speaker = self.pick_speaker(subj) if subj is not None else None
        if cue is None or speaker is None:
            return None
        return start, end, cue, cue_tok, speaker

    def attached_cue(self, doc: Doc, start: int, end: int) -> Token | None:
        """The reporting verb a quotation's clause depends on, or one right beside it; a
        quotation closed by a comma goes to the cue that signs it off ("…,'' Mr. Kamin said")."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        inside = range(span.start, span.end)
        after = next((tok for tok in words_after(doc, span.end, ATTRIBUTION_REACH)
                      if self.cue_phrase(tok) is not None and self.subject_of(tok) is not None), None)
        if (after is not None and doc_text(doc)[:end].rstrip().endswith(",") and self.signs_off(doc, span.end, after)
                and not self.statement_before(doc, span.sent.start_char, start)):
            return after
        for tok in span:
            head, hops = tok.head, 0
            while head.i not in inside and hops < 3:
                if self.cue_phrase(head) is not None:
                    return head
                if head.head == head:
                    break
                head, hops = head.head, hops + 1
        # "…," a Turkish official said. — the parser may split the attribution off
        if after is not None:
            return after
        # X said: "Q" / X said, "Q"
        before = doc[max(0, span.start - 4) : span.start]
        for tok in reversed(before):
            if "\n" in tok.text:
                break
            if self.cue_phrase(tok) is not None and self.subject_of(tok) is not None:
                return tok
        return None

    def signs_off(self, doc: Doc, quote_end: int, cue: Token) -> bool:
        """Whether only the cue and its speaker follow a quotation ("…,'' Mr. Kamin said"),
        not a clause of its own ("…,'' adding …", "…,'' and he noted …")."""
        subject = self.subject_of(cue)
        between = doc[quote_end : cue.i]
        return (cue.tag_ in ("VBD", "VBZ", "VBP") and subject is not None
                and all(t.is_punct or t.i in range(subject.left_edge.i, subject.right_edge.i + 1) for t in between))

    def inverted_cue_inside(self, doc: Doc, start: int, end: int) -> tuple[int, Token] | None:
        """In an unclosed quote, ``... deepen Warned Stéphanie Williams`` ends the quote at the cue."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        for tok in span[1:]:
            nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
            if (tok.is_title and nxt is not None and nxt.pos_ == "PROPN" and tok.i > span.start
                    and not doc[tok.i - 1].is_punct and self.cue_lemma(tok.lower_)):
                cut = tok.idx
                while cut > start and doc_text(doc)[cut - 1] in EDGE_PUNCT:
                    cut -= 1
                return cut, tok
        return None

    def reported_speech(self, doc: Doc, spans: list[QuoteSpan]) -> list[Quote]:
        out = []
        for tok in doc:
            cue = self.cue_phrase(tok)
            if cue is None:
                continue
            comp = self.complement(tok)
            parenthetical = comp is None
            if parenthetical:
                comp = parenthetical_clause(tok)
            elif (more := self.continued_statement(tok, comp)) is not None:
                comp, parenthetical = (comp[0], more), True  # the cue now sits inside the content
            if comp is None:
                continue
            subj = self.subject_of(tok)
            if subj is None:
                continue
            speaker = self.pick_speaker(subj)
            if speaker is None or (not parenthetical and overlaps(speaker.mention_start, speaker.mention_end, *comp)):
                continue
            kind = "mixed" if any(s.start >= comp[0] and s.end <= comp[1] for s in spans) else "indirect"
            out.append(make_quote(doc, kind, comp[0], comp[1], cue, speaker))
        return out

    def continued_statement(self, verb: Token, comp: tuple[int, int]) -> int | None:
        """End of a statement that goes on after its cue: "X paid 8.9 percent, the agency said
        in a June report, and those in the bottom fifth paid 0.8 percent" (a conjoined clause
        with its own subject and no cue of its own); None when it does not."""
        if comp[1] > verb.idx:
            return None
        for c in verb.rights:
            if (c.dep_ == "conj" and any(g.dep_ in SUBJECT_DEPS for g in c.children)
                    and self.cue_phrase(c) is None and c.nbor(-1).i > verb.i):
                return trim(verb.doc, comp[0], c.right_edge.idx + len(c.right_edge))[1]
        return None

    def pattern_attributions(self, doc: Doc, spans: list[QuoteSpan]) -> list[Quote]:
        """``according to X, ...`` and its kin: speaker inside the phrase, content beside it
        (a whole quotation when one opens right after: ``According to X, "A. B."``)."""
        out = []
        for match_id, m_start, m_end in self.matcher(doc)(doc):
            label = doc.vocab.strings[match_id]
            sent = doc[m_start].sent
            np_end = phrase_end(doc, m_end, sent.end)
            if np_end <= m_end:
                continue
            np_head = doc[m_end:np_end].root
            np_head = inner_source(np_head)
            left = trim(doc, clause_start(doc_text(doc), sent.start_char, doc[m_start].idx), doc[m_start].idx)
            right = trim(doc, doc[np_end - 1].idx + len(doc[np_end - 1]), sent.end_char)
            # "X did Y, according to Z, ...": the clause before; "According to Z, X did Y": after
            # (PolNeAR train: 297 of 307 mid-sentence attributions report what comes before)
            reports_before = len(doc_text(doc)[left[0]:left[1]].split()) >= 3
            c_start, c_end = left if reports_before else right
            # what follows "According to Z," is the content, never an apposition giving Z's role
            speaker = self.pick_speaker(np_head, floor=m_end, ceiling=None if reports_before else np_end)
            if speaker is None or len(doc_text(doc)[c_start:c_end].split()) < 3:
                continue
            cue = (doc[m_start].idx, doc[m_end - 1].idx + len(doc[m_end - 1]), label)
            quoted = next((qs for qs in spans if c_start - 1 <= qs.start <= c_start + 1 and qs.end >= c_end - 2), None)
            if quoted is not None:
                end = quotation_end(doc_text(doc), quoted.start, quoted.end)
                out.append(make_quote(doc, "direct", quoted.start, end, cue, speaker))
                continue
            out.append(make_quote(doc, "indirect", c_start, c_end, cue, speaker))
        return out


    def frame_candidates(self, doc: Doc, taken: list[Quote]) -> Iterator[tuple[FrameCandidate, list[str]]]:
        """Every (verb, frame) with a subject that can speak and content free of ``taken``
        quotes, with its features, in every sentence: a statement needs no cue word ("The
        Europeans derided the deal as toothless"). The training script labels the same
        candidates (those with a ``frame_speaker``)."""
        taken_ranges = [r for q in taken for r in held_ranges(q)]
        for sent in doc.sents:
            for tok in sent:
                frames, subj = self.frames_and_source(tok)
                if subj is None or not can_speak(subj):
                    continue
                for frame, (first, last) in frames.items():
                    cand = FrameCandidate(tok, frame, first, last, subj)
                    start, end = cand.span
                    if end - start < MIN_FRAME_CHARS or any(overlaps(start, end, a, b) for a, b in taken_ranges):
                        continue
                    yield cand, features(cand, self.subject_kind(subj), doc_text(doc)[start:end], sent.start)

    def frames_and_source(self, tok: Token) -> tuple[dict[str, tuple[int, int]], Token | None]:
        """A verb's frames and its subject (a passive's: its agent); a predicate adjective's frames
        and its copula's subject ("voters are worried about"); a noun's frames and its possessor
        ("his claim that")."""
        if tok.pos_ == "NOUN":
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            return (noun_frames_of(tok), owner) if owner is not None else ({}, None)
        if tok.pos_ == "ADJ" and tok.dep_ == "acomp":  # "are worried about ...", "was willing to ..."
            frames = frames_of(tok)
            return (frames, self.subject_of(tok.head)) if frames else ({}, None)
        if tok.pos_ != "VERB" or tok.lemma_ == "quote":
            return {}, None
        if (agent := passive_agent(tok)) is not None:
            # "The registration issue was first reported by The Washington Post": the agent speaks
            # the subject, and anything the verb reports ("was told by aides that ...")
            patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            frames = frames_of(tok) | ({"passive": (patient.left_edge.i, patient.right_edge.i)} if patient is not None else {})
            return frames, agent
        if not (frames := frames_of(tok)):
            return {}, None
        # a gerund after a preposition ("by saying ...") speaks through the cue lexicon alone
        return frames, None if tok.dep_ == "pcomp" else self.subject_of(tok)

    def subject_kind(self, subject: Token) -> str:
        """A frame feature: which pronoun, a name, an organization noun or another noun."""
        if subject.lower_ in self.pronouns:
            return "pron:" + subject.lower_
        if subject.pos_ == "PROPN":
            return "propn"
        return "org" if subject.lemma_.lower() in self.org_nouns else "noun"

    def frame_speaker(self, cand: FrameCandidate) -> SpeakerInfo | None:
        """The candidate's speaker, unless the subject phrase reaches into the content."""
        speaker = self.pick_speaker(cand.subject)
        start, end = cand.span
        return None if speaker is None or start <= speaker.mention_start < end else speaker

    def frame_attributions(self, doc: Doc, spans: list[QuoteSpan], taken: list[Quote]) -> list[Quote]:
        """The candidates the frame model accepts, best first (``remove_overlaps`` keeps those)."""
        scored = []
        for cand, feats in self.frame_candidates(doc, taken):
            p = self.frame_model.score(feats)
            if p < self.frame_model.threshold or (speaker := self.frame_speaker(cand)) is None:
                continue
            start, end = cand.span
            inside = [s for s in spans if start - 1 <= s.start < end]
            if any(looks_like_title(doc_text(doc)[s.start : s.end]) for s in inside):
                continue  # wrote "The Bleeding of the Stone": a title, not a statement
            verb = cand.cue
            kind = "mixed" if any(s.end <= end for s in inside) else "indirect"
            cue = (verb.idx, verb.idx + len(verb), verb.lemma_.lower())
            scored.append((-p, start, make_quote(doc, kind, start, end, cue, speaker)))
        return [q for *_, q in sorted(scored, key=lambda x: x[:2])]

    def dash_signature(self, doc: Doc, qs: QuoteSpan):
        """``“Q” ― Krystal Correa`` closing a paragraph: the name after the dash speaks."""
        m = DASH_SIGNATURE.match(doc_text(doc), qs.end + 1 if qs.closed else qs.end)
        speaker = self.name_speaker(doc, m.group(2), m.start(2)) if m else None
        if speaker is None:
            return None
        return qs.start, qs.end, (m.start(1), m.end(1), m.group(1)), None, speaker

    def name_colon(self, doc: Doc, qs: QuoteSpan):
        """``- Philip Bump: “Q”`` or ``Said Ellis: “Q”``: a name (after a line break, a sentence
        or a dash), a colon, then the quotation; a cue word before the name is the cue. A
        description ("The Bottom Line:") is a heading, not a speaker."""
        text = doc_text(doc)
        m = NAME_COLON.search(text, max(0, qs.start - NAME_COLON_REACH), qs.start)
        if m is None or m.group(1).lower() in self.line_labels:
            return None
        name_start, cue = m.start(1), (m.start(2), m.end(2), ":")
        first, *rest = m.group(1).split()
        if (lemma := self.cue_lemma(first.lower())) is not None:  # "Said Ellis:"
            if not rest:
                return None  # "Said:" names no one
            name_start, cue = m.start(1) + len(first) + 1, (m.start(1), m.start(1) + len(first), lemma)
        speaker = self.name_speaker(doc, text[name_start : m.end(1)], name_start)
        if speaker is None or speaker.speaker_type == "anonymous":  # "The Bottom Line:", a heading
            return None
        return qs.start, qs.end, cue, None, speaker

    def colon_lines(self, doc: Doc) -> list[Quote]:
        """``Poll: Wealthy Voters Abandon ...``: a short name opening a line, then a colon
        (a transcript's ``PENCE: Well, look, ...`` too; never a label such as ``Correction:``)."""
        out = []
        for m in COLON_LINE.finditer(doc_text(doc)):
            if m.group(1).lower() in self.line_labels:
                continue
            speaker = self.name_speaker(doc, m.group(1), m.start(1))
            start, end = trim(doc, m.start(3), m.end(3))
            if speaker is not None and len(doc_text(doc)[start:end].split()) >= 2:
                out.append(make_quote(doc, "indirect", start, end, (m.start(2), m.end(2), ":"), speaker))
        return out

    def name_speaker(self, doc: Doc, name: str, name_start: int) -> SpeakerInfo | None:
        """The speaker a signature or a line opening names; None for a phrase with a verb, a
        heading rather than a name ("The Gap Goes On: It was under ...")."""
        span = doc.char_span(name_start, name_start + len(name.rstrip(" .")), alignment_mode="expand")
        if span is None or any(t.tag_.startswith("VB") for t in span):
            return None
        return self.pick_speaker(span.root, floor=span.start)


# "“Q” ― Krystal Correa" at the end of a paragraph
DASH_SIGNATURE = re.compile(r"[^\S\n]*([―—–]|--)[^\S\n]*([A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})[^\S\n.]*(?=\n|$)")
# up to four capitalised words on one line: the name before a colon
SHORT_NAME = r"(?:[A-Z][\w.'’-]*[^\S\n]+){0,3}[A-Z][\w.'’-]*"
# "Poll: Wealthy Voters Abandon ..." — a short capitalised name opening a line, then a colon;
# transcripts open each turn with a quotation mark that never closes ('"WALLACE: Let's start')
COLON_LINE = re.compile(rf"(?m)^[\"“]?({SHORT_NAME})[^\S\n]*(:)[^\S\n]+(\S[^\n]{{10,}})$")
# "- Philip Bump: “Q”", ". Said Ellis: “Q”": a short name right after a line break, a
# sentence's end or a dash, then a colon, then the quotation (searched back from it)
NAME_COLON = re.compile(
    rf"(?:(?m:^)|(?<=[.!?]\s)|(?<=[-―—–]\s))({SHORT_NAME})[^\S\n]*(:)\s*[\"“]?\s*$")
NAME_COLON_REACH = 80  # characters searched back: a cue word, four name words, blank lines


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


# --- helpers over quote records -------------------------------------------------------

def cut_semicolon(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """End a reported clause at a semicolon outside quotation marks: in "Republicans said X;
    they only learned ..." what follows is the writer's."""
    text = doc_text(doc)
    at = text.find(";", start, end)
    if at < 0 or sum(text.count(m, start, at) for m in "\"“”") % 2:
        return start, end
    return trim(doc, start, at)


def clause_start(text: str, start: int, end: int) -> int:
    """Where the last clause of ``text[start:end]`` begins: after a semicolon or a lone dash
    ("... must be wrong - which it often is, according to Scott"), but not inside a pair of
    dashes ("is unsubstantiated — or flat out wrong — according to")."""
    stretch = text[start:end]
    cuts = [stretch.rfind(";")]
    for dash in (" - ", "—", " – "):
        if stretch.count(dash) % 2 == 1:
            cuts.append(stretch.rfind(dash) + len(dash) - 1)
    return start + max(cuts) + 1


def mixed_words(text: str, comp: tuple[int, int], start: int, end: int) -> int:
    """Words of a complement outside the quotation it holds: ``said that "Q" against ...``."""
    return len(text[comp[0] : start].split()) + len(text[end : comp[1]].strip(EDGE_CHARS + ",.").split())


def looks_like_title(content: str) -> bool:
    """"The Bleeding of the Stone": short, no sentence punctuation, its words capitalised."""
    words = content.split()
    if not words or len(words) > 8 or any(ch in content for ch in ",.;!?"):
        return False
    small = {"a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "at", "by", "with", "from"}
    return all(w[0].isupper() or w.lower() in small for w in words if w[0].isalpha()) and words[0][0].isupper()


def carried_quotes(text: str, orphans: list[QuoteSpan], quotes: list[Quote]) -> list[Quote]:
    """A quotation that is a paragraph on its own, right after a quoted speaker, is theirs."""
    out = []
    for qs in orphans:
        p_start = text.rfind("\n", 0, qs.start) + 1
        p_end = text.find("\n", qs.end)
        p_end = len(text) if p_end < 0 else p_end
        outside = len(text[p_start:qs.start].strip(EDGE_CHARS)) + len(text[qs.end:p_end].strip(EDGE_CHARS))
        if outside > 3 or len(text[qs.start:qs.end].split()) < MIN_CARRIED_WORDS:
            continue
        before = [q for q in quotes if q.content_end <= qs.start and qs.start - q.content_end <= CARRY_DISTANCE]
        if not before:
            continue
        prev = max(before, key=lambda q: q.content_end)
        if prev.speaker_type == "anonymous" and not prev.speaker_mention:
            continue
        end = quotation_end(text, qs.start, qs.end)
        out.append(Quote(article_id="", kind="direct", content=text[qs.start:end], content_start=qs.start,
                         content_end=end, speaker_mention=prev.speaker_mention, mention_start=prev.mention_start,
                         mention_end=prev.mention_end, speaker=prev.speaker, article_speaker=prev.speaker,
                         speaker_type=prev.speaker_type, role=prev.role, language="en"))
    return out


def join_second_halves(text: str, spans: list[QuoteSpan], orphans: list[QuoteSpan],
                       quotes: list[Quote]) -> list[QuoteSpan]:
    """Join each cue-less quotation to the statement it continues (``"A," he said. "B."``, also
    when A is part of reported speech); return the quotations left over."""
    before = dict(zip(spans[1:], spans))
    rest = []
    for qs in orphans:
        last = before.get(qs)
        # no two statements hold the same text, so at most one holds the quotation before
        prev = next((q for q in quotes if last and q.content_start <= last.start <= q.content_end <= qs.start), None)
        if prev is not None and is_second_half(text, prev, last, qs.start):
            set_content_2(prev, text, qs.start, qs.end)
        else:
            rest.append(qs)
    return rest


def is_second_half(text: str, prev: Quote, last: QuoteSpan | None, start: int) -> bool:
    """Whether the quotation at ``start`` can be the second half of ``prev``: ``prev`` has none
    yet and holds ``last``, the quotation just before (so no other quotation comes between),
    and the two share a paragraph with ``prev``'s cue in between."""
    return (prev.content_2 is None and last is not None and prev.content_end >= last.start
            and "\n" not in text[prev.content_end : start]
            and prev.cue_start is not None and prev.content_end <= prev.cue_start < start)


def quotation_end(text: str, start: int, end: int) -> int:
    """End of a quotation's content: '"Q," X said' — the comma belongs to the sentence."""
    while end > start and text[end - 1] in ", ":
        end -= 1
    return end


def set_content_2(prev: Quote, text: str, start: int, end: int) -> None:
    """Join the second half of a split quotation to its statement.

    ``content`` then runs from the first half's start to the second half's end (one stretch
    of text, attribution included, as PolNeAR annotates it) and ``content_2`` holds the second
    half on its own.
    """
    end = quotation_end(text, start, end)
    prev.content_2, prev.content_2_start, prev.content_2_end = text[start:end], start, end
    prev.content, prev.content_end = text[prev.content_start : end], end


def make_quote(doc: Doc, kind: str, start: int, end: int, cue: tuple[int, int, str], speaker: SpeakerInfo) -> Quote:
    text = doc_text(doc)
    return Quote(
        article_id="",
        kind=kind,
        content=text[start:end],
        content_start=start,
        content_end=end,
        cue=text[cue[0] : cue[1]],
        cue_lemma=cue[2],
        cue_start=cue[0],
        cue_end=cue[1],
        speaker_mention=speaker.mention,
        mention_start=speaker.mention_start,
        mention_end=speaker.mention_end,
        speaker=speaker.name,
        article_speaker=speaker.name,
        speaker_type=speaker.speaker_type,
        role=speaker.role,
        language="en",
    )


def held_ranges(q: Quote) -> list[tuple[int, int]]:
    """The stretches of text a quote holds. A split quotation holds its two halves, not the
    attribution between them: '"A," DuVernay said, emphasizing why X. "B."' also states X."""
    if q.content_2_start is None or q.content_2_end is None:
        return [(q.content_start, q.content_end)]
    if q.cue_start is None or not q.content_start < q.cue_start < q.content_2_start:
        return [(q.content_start, q.content_end), (q.content_2_start, q.content_2_end)]
    first_end = q.cue_start
    if q.mention_start is not None and q.content_start < q.mention_start < first_end:
        first_end = q.mention_start
    return [(q.content_start, first_end), (q.content_2_start, q.content_2_end)]


def close_quotations(text: str, spans: list[QuoteSpan], quotes: list[Quote]) -> None:
    """Give a statement the quotation mark its edge cut off, so its content reads balanced:
    'Clinton called half of his supporters “deplorables.”' ends after the closing mark, and
    'that “exactly who did it” remains ...' starts at the opening one. A direct quote's
    content is the inside of its marks and stays so; nothing grows into another quote."""
    held = [r for q in quotes for r in held_ranges(q)]
    for q in quotes:
        if q.kind == "direct" or q.content_2 is not None:
            continue
        start, end = q.content_start, q.content_end
        for qs in spans:
            if (marks := marks_around(text, qs)) is None:
                continue
            opener, closer_end = marks
            if start <= opener < qs.start <= end <= qs.end and not text[end : qs.end].strip(" .,;:!?…"):
                end = closer_end
            elif qs.start <= start <= qs.end < closer_end <= end and not text[qs.start : start].strip():
                start = opener
        others = [r for r in held if r != (q.content_start, q.content_end)]
        if (start, end) != (q.content_start, q.content_end) and not any(overlaps(start, end, a, b) for a, b in others):
            q.content_start, q.content_end, q.content = start, end, text[start:end]


def fill_sentences(doc: Doc, quotes: list[Quote]) -> None:
    """Set each quote's ``sentence`` (the one holding its cue) in one pass over the sentences.

    ``Token.sent`` walks the whole document on every call, so it is never used per quote.
    """
    bounds = [(s.start_char, s.end_char) for s in doc.sents]
    starts = [b[0] for b in bounds]
    for q in quotes:
        anchor = q.cue_start if q.cue_start is not None else q.content_start
        s_start, s_end = bounds[max(0, bisect_right(starts, anchor) - 1)]
        q.sentence = doc_text(doc)[s_start:s_end].strip()


def names_no_one(subject: Token) -> bool:
    """A subject that points at something said, not at someone: ``this``, ``what``, ``there``
    (but not a described group such as ``those close to him``)."""
    return subject.lower_ in NON_SPEAKERS and not is_described_group(subject)


def is_described_group(tok: Token) -> bool:
    """``Those close to him``, ``those surveyed``: a demonstrative that a phrase after it
    turns into a group of people (a bare ``those`` or ``this`` points at something said)."""
    return tok.lower_ in ("those", "these") and any(c.i > tok.i and c.dep_ in ("amod", "prep", "relcl", "acl") for c in tok.children)


def passive_agent(verb: Token) -> Token | None:
    """The object of a passive verb's "by" ("was reported by The Post" → Post), or None."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return None if agent is None else next((g for g in agent.children if g.dep_ == "pobj"), None)


def said_within_quotation(quote: Quote, spans: list[QuoteSpan]) -> bool:
    """Whether a statement is the quoted person's own turn of phrase: "I think that hurt him",
    "you know", "we want" inside a quotation are part of it, not statements of their own
    (on PolNeAR train, 104 of 141 such were not annotated)."""
    return (quote.cue_start is not None and (quote.speaker_mention or "").lower() in QUOTED_SELF
            and any(s.start <= quote.cue_start < s.end for s in spans))


def remove_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Keep the first-found of overlapping quotes (colon lines, direct, reported, pattern).

    A cue inside a kept quote is the quoted person's own speech ("We affirmed that ..."
    inside a quotation), so a quote whose cue lies there is dropped too.
    """
    kept: list[Quote] = []
    taken: list[tuple[int, int]] = []  # the held ranges of ``kept``
    for q in quotes:
        held = held_ranges(q)
        if any(overlaps(a, b, c, d) for a, b in held for c, d in taken):
            continue
        if q.cue_start is not None and any(c <= q.cue_start < d for c, d in taken):
            continue
        kept.append(q)
        taken += held
    return sorted(kept, key=lambda q: q.content_start)
