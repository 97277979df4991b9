"""Statements the page's layout signs: a headline with a colon or a present-tense cue, a
"Name: ..." line, a dash after a quotation, a name and a colon before one."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from quotetrack.extract.english.records import make_quote
from quotetrack.extract.english.speakers import SpeakerRules
from quotetrack.extract.lexicons import verb_forms
from quotetrack.extract.offices import office_of
from quotetrack.extract.quote_marks import QuoteSpan
from quotetrack.extract.syntax import doc_text, trim
from quotetrack.types import Quote

# "“Q” ― Krystal Correa" at the end of a paragraph
DASH_SIGNATURE = re.compile(
    r"[^\S\n]*([―—–]|--)[^\S\n]*([A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})[^\S\n.]*(?=\n|$)"
)
# up to four capitalised words on one line: the name before a colon
SHORT_NAME = r"(?:[A-Z][\w.'’-]*[^\S\n]+){0,3}[A-Z][\w.'’-]*"
# "Poll: Wealthy Voters Abandon ..." — a short capitalised name opening a line, then a colon;
# transcripts open each turn with a quotation mark that never closes ('"WALLACE: Let's start')
COLON_LINE = re.compile(rf"(?m)^[\"“]?({SHORT_NAME})[^\S\n]*(:)[^\S\n]+(\S[^\n]{{10,}})$")
# "- Philip Bump: “Q”", ". Said Ellis: “Q”": a short name right after a line break, a
# sentence's end or a dash, then a colon, then the quotation (searched back from it)
NAME_COLON = re.compile(rf"(?:(?m:^)|(?<=[.!?]\s)|(?<=[-―—–]\s))({SHORT_NAME})[^\S\n]*(:)\s*[\"“]?\s*$")
NAME_COLON_REACH = 80  # characters searched back: a cue word, four name words, blank lines
# a headline (a document's first line, no closing period) signed by a colon: "Egypt's el-Sisi:
# Israeli incursion into Rafah dangerous", "SDF Commander to Asharq Al-Awsat: Syria Must Remain
# United"; or signed after it: "Israel committing 'massacres' in Gaza: Hamas chief"
HEADLINE_WORD = r"(?:[A-Z][\w.'’-]*|(?:al|el|bin|ben|abu|ibn)-[A-Z][\w'’-]*)"
HEADLINE_SPEAKER = rf"{HEADLINE_WORD}(?:[^\S\n]+{HEADLINE_WORD}){{0,4}}"
HEADLINE_SIGNED_BEFORE = re.compile(
    rf"\A[\"“]?({HEADLINE_SPEAKER})(?:[^\S\n]+(?:to|on|in)[^\S\n]+[^:\n]{{1,60}})?[^\S\n]*(:)[^\S\n]+(\S[^\n]{{10,}}?)[^\S\n]*$",
    re.MULTILINE,
)
NAMED_QUOTATION = re.compile(rf"({HEADLINE_SPEAKER})[^\S\n]*[“\"]([^”\"\n]{{3,}})[”\"]?[^\S\n]*")
HEADLINE_SIGNED_AFTER = re.compile(
    rf"\A[\"“]?(\S[^\n:]{{10,}}?)[\"”]?[^\S\n]*(:)[^\S\n]+({HEADLINE_WORD}(?:[^\S\n]+[\w'’-]+){{0,3}})[^\S\n]*$",
    re.MULTILINE,
)


class SignedStatements(SpeakerRules):
    """Finders of statements signed by the layout rather than by a sentence's syntax."""

    def dash_signature(self, doc: Doc, qs: QuoteSpan):
        """``“Q” ― Krystal Correa`` closing a paragraph: the name after the dash speaks."""
        m = DASH_SIGNATURE.match(doc_text(doc), qs.end + 1 if qs.closed else qs.end)
        if m is None or (speaker := self.name_speaker(doc, m.group(2), m.start(2))) is None:
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

    def headline_statements(self, doc: Doc) -> list[Quote]:
        """A statement the headline signs with a colon, its speaker before the colon ("Egypt's
        el-Sisi: ...", "SDF Commander to Asharq Al-Awsat: ...") or after it ("...: Hamas
        chief"). Only a document's first line without a closing period is a headline."""
        text = doc_text(doc)
        line = text.split("\n", 1)[0]
        if not line.strip() or line.rstrip().endswith(".") or len(line.split()) > 25:
            return []
        if (m := HEADLINE_SIGNED_BEFORE.match(line)) is not None and m.group(1).lower() not in self.line_labels:
            name, (start, end) = signer_and_statement(doc, m)
        elif (m := HEADLINE_SIGNED_AFTER.match(line)) is not None:
            name, (start, end) = (m.group(3), m.start(3)), trim(doc, m.start(1), m.end(1))
        else:
            return []
        speaker = self.name_speaker(doc, *name)
        if speaker is None or len(text[start:end].split()) < 3:
            return []
        if speaker.mention_end > name[1] + len(name[0]):  # "Stano on demands for ...": the name alone
            end_at = name[1] + len(name[0])
            speaker = replace(
                speaker,
                mention_end=end_at,
                mention=text[speaker.mention_start : end_at],
                name=speaker.name if speaker.name in name[0] else name[0],
            )
        if name[1] > start and speaker.speaker_type == "anonymous" and office_of(speaker.mention) is None:
            return []  # "...: What we know" signs nothing; "...: Hamas chief" does
        return [make_quote(doc, "indirect", start, end, (m.start(2), m.end(2), ":"), speaker)]

    def headline_verb(self, doc: Doc, taken: list[Quote]) -> list[Quote]:
        """A headline that reports in the present tense, which the tagger misreads in title
        case: "Starmer Firmly Rejects Resignation", "Qatar's Foreign Minister Criticizes
        Israeli Bombings", "Al-Sadr hints at its new allies ...". The speaker is what comes
        before the cue verb's present form, the statement what follows it; only for a first
        line without a closing period that no other rule found a statement in."""
        text = doc_text(doc)
        line = text.split("\n", 1)[0]
        if (
            not line.strip()
            or line.rstrip().endswith(".")
            or len(line.split()) > 25
            or any(q.content_start < len(line) for q in taken)
        ):
            return []
        forms = verb_forms(self.cues)
        words = list(re.finditer(r"[\w'’.-]+", line))
        for k, word in enumerate(words[1:9], start=1):
            lemma = forms.get(word.group().lower())
            if lemma is None or not (word.group().lower().endswith("s") or k > 1) or lemma not in self.cues:
                continue
            before = doc.char_span(0, words[k - 1].end(), alignment_mode="expand")
            if before is None or (before[-1].pos_ != "PROPN" and office_of(before.text) is None):
                continue  # a name or an office speaks; not "Gaza ceasefire talks resume"
            cue_end = word.end()
            if k + 1 < len(words) and f"{lemma} {words[k + 1].group().lower()}" in self.cues:
                cue_end = words[k + 1].end()  # "hints at"
            start, end = trim(doc, cue_end, len(line))
            if (lead := re.match(r"(?:that|at|about|of|on)\s+", text[start:end], re.IGNORECASE)) is not None:
                start += lead.end()  # "hints at its new allies", "says that ..."
            speaker = self.name_speaker(doc, line[: word.start()].strip(), 0)
            if (
                speaker is None
                or len(text[start:end].split()) < 2
                or speaker.mention_end > word.start()
                or (speaker.speaker_type == "anonymous" and office_of(speaker.mention) is None)
            ):
                return []  # "The battle continues ...": no one speaks
            return [make_quote(doc, "indirect", start, end, (word.start(), cue_end, lemma), speaker)]
        return []

    def colon_lines(self, doc: Doc) -> list[Quote]:
        """``Poll: Wealthy Voters Abandon ...``: a short name opening a line, then a colon
        (a transcript's ``PENCE: Well, look, ...`` too; never a label such as ``Correction:``)."""
        out = []
        for m in COLON_LINE.finditer(doc_text(doc)):
            if m.group(1).lower() in self.line_labels:
                continue
            name, (start, end) = signer_and_statement(doc, m)
            speaker = self.name_speaker(doc, *name)
            if speaker is not None and len(doc_text(doc)[start:end].split()) >= 2:
                out.append(make_quote(doc, "indirect", start, end, (m.start(2), m.end(2), ":"), speaker))
        return out


def signer_and_statement(doc: Doc, m: re.Match[str]) -> tuple[tuple[str, int], tuple[int, int]]:
    """((name, offset), statement range) of a "Name: statement" line (groups 1 and 3 of
    ``m``); when the statement is itself a name and a quotation ("Libya: Bashagha “We are
    close to entering Tripoli”"), what comes before the colon is a topic: that name signs."""
    if (named := NAMED_QUOTATION.fullmatch(doc_text(doc), m.start(3), m.end(3))) is not None:
        return (named.group(1), named.start(1)), trim(doc, named.start(2), named.end(2))
    return (m.group(1), m.start(1)), trim(doc, m.start(3), m.end(3))
