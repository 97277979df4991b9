"""Finding English statements: the finders ``EnglishRules.find_quotes`` runs, in order."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from quotetrack.extract.english.records import (
    EDGE_CHARS,
    carried_quotes,
    close_quotations,
    fill_sentences,
    held_ranges,
    is_second_half,
    join_second_halves,
    make_quote,
    quotation_end,
    remove_overlaps,
    said_within_quotation,
    set_content_2,
)
from quotetrack.extract.english.signed import SignedStatements
from quotetrack.extract.english.speakers import SpeakerInfo, passive_agent
from quotetrack.extract.frames import FrameCandidate, can_speak, features, frames_of, noun_frames_of
from quotetrack.extract.quote_marks import QuoteSpan, pair_quote_marks
from quotetrack.extract.syntax import (
    CLAUSE_BREAKS,
    EDGE_PUNCT,
    SUBJECT_DEPS,
    complement_span,
    doc_text,
    inner_source,
    inverted_subject,
    object_span,
    overlaps,
    own_statement,
    parenthetical_clause,
    phrase_end,
    trim,
    words_after,
)
from quotetrack.types import Quote

MIN_DIRECT_WORDS = 4  # shorter quotes without a cue are titles or scare quotes
MIN_FRAME_CHARS = 4  # a shorter frame content is a pronoun or a number, not a statement
ATTRIBUTION_REACH = 8  # words after a quotation in which its cue may follow ("…," a Turkish official said)


class EnglishRules(SignedStatements):
    """The English rule set, with its lexicons; ``find_quotes`` is the entry point."""

    def find_quotes(self, doc: Doc) -> tuple[list[Quote], list[tuple[str, int, str]]]:
        """Every attributed statement in ``doc``, sorted by offset; no two hold the same text
        (``held_ranges``: one may sit between the halves of a split quotation)."""
        self.mend_cue_lemmas(doc)
        spans, problems = pair_quote_marks(doc_text(doc))
        direct, orphans = self.direct_quotes(doc, spans)
        used_cues = {q.cue_start for q in direct}
        # a transcript turn ("PENCE: I think ...") holds its speaker's own cues
        found = self.colon_lines(doc) + self.headline_statements(doc) + direct
        found += [q for q in self.reported_speech(doc, spans) if q.cue_start not in used_cues]
        found += self.pattern_attributions(doc, spans)
        found += self.headline_verb(doc, found)
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
            if (
                len(doc_text(doc)[start:end].split()) < MIN_DIRECT_WORDS and not whole and not spoken
            ) or looks_like_title(doc_text(doc)[start:end]):
                continue  # a title or scare quote; reported_speech makes it "mixed" if cued
            kind = "direct"
            # not when the text before the quotation is a statement of its own: "X scolded him: “Q,” she said"
            if (
                comp is not None
                and comp[0] <= start + 2
                and comp[1] >= end - 2
                and mixed_words(doc_text(doc), comp, start, end) >= 3
                and not (comp[0] < start and self.statement_before(doc, comp[0], start))
            ):
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
        if span is None:
            return comp
        for tok in span:
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
            elif (
                tok.dep_ == "conj"
                and span.start < tok.head.i < tok.i
                and not any(c.dep_ in SUBJECT_DEPS for c in tok.children)
                and tok.pos_ == "VERB"
                and (cc := next((c for c in tok.head.children if c.dep_ == "cc" and c.i < tok.i), None))
            ):
                # "says his group presented a plan and demanded "Q"", "said he is fighting for
                # democracy and vowed to win": a second statement of the same speaker
                return trim(doc, comp[0], cc.idx)
            elif tok.dep_ == "advcl" and (mark := contrast_mark(tok)) is not None and mark.i > span.start:
                # "..., while Iran says its program is civilian": Iran's statement, not this one's
                return trim(doc, comp[0], doc[mark.i - 1].idx if doc[mark.i - 1].text == "," else mark.idx)
        return comp

    def attribute_quotation(self, doc: Doc, qs: QuoteSpan):
        """(start, end, cue, cue token, speaker) of a quotation, or None when no cue is found."""
        start, end = qs.start, qs.end
        cue_tok: Token | None
        cue: tuple[int, int, str] | None
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
        after = next(
            (
                tok
                for tok in words_after(doc, span.end, ATTRIBUTION_REACH)
                if self.cue_phrase(tok) is not None and self.subject_of(tok) is not None
            ),
            None,
        )
        if (
            after is not None
            and doc_text(doc)[:end].rstrip().endswith(",")
            and self.signs_off(doc, span.end, after)
            and not self.statement_before(doc, span.sent.start_char, start)
        ):
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
        return (
            cue.tag_ in ("VBD", "VBZ", "VBP")
            and subject is not None
            and all(t.is_punct or t.i in range(subject.left_edge.i, subject.right_edge.i + 1) for t in between)
        )

    def inverted_cue_inside(self, doc: Doc, start: int, end: int) -> tuple[int, Token] | None:
        """In an unclosed quote, ``... deepen Warned Stéphanie Williams`` ends the quote at the cue."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        for tok in span[1:]:
            nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
            if (
                tok.is_title
                and nxt is not None
                and nxt.pos_ == "PROPN"
                and tok.i > span.start
                and not doc[tok.i - 1].is_punct
                and self.cue_lemma(tok.lower_)
            ):
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
            elif comp is not None and (more := self.continued_statement(tok, comp)) is not None:
                comp, parenthetical = (comp[0], more), True  # the cue now sits inside the content
            if comp is None:
                continue
            subj = self.subject_of(tok)
            if subj is None:
                continue
            if not parenthetical:
                comp = past_colon(doc, comp)
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
            if (
                c.dep_ == "conj"
                and any(g.dep_ in SUBJECT_DEPS for g in c.children)
                and self.cue_phrase(c) is None
                and c.nbor(-1).i > verb.i
            ):
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
            reports_before = len(doc_text(doc)[left[0] : left[1]].split()) >= 3
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
            passive = {"passive": (patient.left_edge.i, patient.right_edge.i)} if patient is not None else {}
            frames = frames_of(tok) | passive
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
        model = self.frame_model
        if model is None:  # find_quotes calls this only with a model
            return []
        scored = []
        for cand, feats in self.frame_candidates(doc, taken):
            p = model.score(feats)
            if p < model.threshold or (speaker := self.frame_speaker(cand)) is None:
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


def contrast_mark(verb: Token) -> Token | None:
    """The "while"/"whereas" opening a contrasting clause with a subject of its own, or None."""
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in ("while", "whereas")), None)
    return mark if mark is not None and any(c.dep_ in SUBJECT_DEPS for c in verb.children) else None


def past_colon(doc: Doc, comp: tuple[int, int]) -> tuple[int, int]:
    """A reported clause that a colon continues to the sentence's end: "say there are two
    sticking points: the Philadelphi corridor and ..." (the parser hangs what follows the colon
    elsewhere). Not when a quotation follows: that is a statement of its own."""
    text = doc_text(doc)
    after = text[comp[1] :].lstrip(" ")
    if not after.startswith(":"):
        return comp
    span = doc.char_span(comp[0], comp[1], alignment_mode="expand")
    if span is None:
        return comp
    sent_end = span[-1].sent.end_char
    colon = text.index(":", comp[1])
    rest = text[colon + 1 : sent_end]
    if not rest.strip() or any(mark in rest for mark in '"“”«»') or "\n" in rest:
        return comp
    return comp[0], trim(doc, colon + 1, sent_end)[1]


def cut_semicolon(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """End a reported clause at a semicolon outside quotation marks: in "Republicans said X;
    they only learned ..." what follows is the writer's."""
    text = doc_text(doc)
    at = text.find(";", start, end)
    if at < 0 or sum(text.count(m, start, at) for m in '"“”') % 2:
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
    """ "The Bleeding of the Stone": short, no sentence punctuation, its words capitalised."""
    words = content.split()
    if not words or len(words) > 8 or any(ch in content for ch in ",.;!?"):
        return False
    small = {"a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "at", "by", "with", "from"}
    return all(w[0].isupper() or w.lower() in small for w in words if w[0].isalpha()) and words[0][0].isupper()
