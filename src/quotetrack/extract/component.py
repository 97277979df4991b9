"""The ``quotetrack_quotes`` spaCy component, and ``quotetrack_paragraphs`` that keeps the
parser's sentences inside paragraphs (``load_pipeline`` adds both).

    nlp.add_pipe("quotetrack_paragraphs", before="parser")
    nlp.add_pipe("quotetrack_quotes")
    doc = nlp(text)
    doc.spans["quotes"]   # the content spans (label = kind), survive DocBin
    doc._.quotes          # the same as quotetrack.Quote records, exact char offsets
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from quotetrack.extract.english import EnglishRules
from quotetrack.extract.frames import FrameModel
from quotetrack.extract.linking import link_speakers
from quotetrack.types import Quote

DEFAULT_SPANS_KEY = "quotes"
MENTION_CONTEXT = 3  # tokens either side of a speaker mention the entity recognizer sees
WINDOW_BREAK = "\n\n"
CUES_FILE = "cues.txt"
FRAMES_FILE = "frames.json"


@Language.component("quotetrack_paragraphs", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence at every new paragraph, so the parser never joins two.

    Two kinds of line are left to the parser: one that opens in lower case (a hard-wrapped
    sentence goes on) and one after a line ending in a colon (``He said:`` introduces it).
    Runs before the parser, which keeps boundaries that are already set.
    """
    for token in doc[2:]:
        before = doc[token.i - 1]  # a line break is always a whitespace token of its own
        if (before.is_space and "\n" in before.text and not token.is_space and not token.text[:1].islower()
                and doc[token.i - 2].text != ":"):
            token.is_sent_start = True
    return doc


def _doc_quotes(doc: Doc) -> list[Quote]:
    key = doc.user_data.get("qt_spans_key", DEFAULT_SPANS_KEY)
    if key not in doc.spans:
        return []
    return [Quote.from_dict(span._.qt_attribution) for span in doc.spans[key] if span._.qt_attribution]


@Language.factory(
    "quotetrack_quotes",
    default_config={"spans_key": DEFAULT_SPANS_KEY, "frames": True},
    assigns=["doc.spans", "span._.qt_attribution", "doc._.quotes", "doc._.qt_problems"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.sents"],
)
def make_quote_finder(nlp: Language, name: str, spans_key: str, frames: bool) -> QuoteFinder:
    return QuoteFinder(nlp, name, spans_key=spans_key, frames=frames)


class QuoteFinder(Pipe):
    """Find direct quotes and reported speech, with speaker, cue and role."""

    def __init__(self, nlp: Language, name: str = "quotetrack_quotes", *, spans_key: str = DEFAULT_SPANS_KEY,
                 frames: bool = True):
        self.name = name
        self.spans_key = spans_key
        self.rules = EnglishRules() if frames else EnglishRules(frame_model=None)
        self._nlp = nlp  # to reach a disabled "ner" and run it only where it matters
        Span.set_extension("qt_attribution", default=None, force=True)
        Doc.set_extension("quotes", getter=_doc_quotes, force=True)
        Doc.set_extension("qt_problems", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            quotes, problems = self.match(doc)
            self.set_annotations(doc, quotes, problems)
            return doc
        except Exception as e:  # noqa: BLE001 - handed to spaCy's configurable handler
            error_handler(self.name, self, [doc], e)
            return doc

    def match(self, doc: Doc) -> tuple[list[Quote], list[tuple[str, int, str]]]:
        if self.rules.known_words is None:  # read once the pipeline's lemmatizer has its tables
            self.rules.known_words = lemmatizer_words(self._nlp)
        quotes, problems = self.rules.find_quotes(doc)
        if self.tag_mentions(doc, quotes):
            self.retype_speakers(doc, quotes)
        link_speakers(quotes, person_names(doc))
        return quotes, problems

    def tag_mentions(self, doc: Doc, quotes: list[Quote]) -> bool:
        """Run a disabled ``ner`` around the speaker mentions only; True if it ran.

        Entity types only decide speaker types (person or organization) and the person names
        linking uses, and the entity recognizer costs about a third of the small pipeline, so
        when the pipeline was loaded with ``ner`` disabled (as ``load_pipeline`` does) it runs
        here on a few tokens either side of the first occurrence of each proper-noun mention,
        and the other occurrences of the same words take the same entities.
        """
        if doc.has_annotation("ENT_IOB") or "ner" not in self._nlp.disabled:
            return False
        first: dict[str, Span] = {}
        repeats: list[Span] = []
        for start, end in sorted({(q.mention_start, q.mention_end) for q in quotes if q.mention_start is not None}):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not self.needs_entities(span):
                continue
            if span.text in first:
                repeats.append(span)
            else:
                first[span.text] = span
        windows: list[list[int]] = []
        for span in first.values():
            w_start, w_end = max(0, span.start - MENTION_CONTEXT), min(len(doc), span.end + MENTION_CONTEXT)
            if windows and w_start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], w_end)
            else:
                windows.append([w_start, w_end])
        ents = self._window_entities(doc, windows)
        tagged = {i for e in ents for i in range(e.start, e.end)}
        for span in repeats:
            if not tagged.intersection(range(span.start, span.end)):
                model = first[span.text]
                ents += [Span(doc, span.start + e.start - model.start, span.start + e.end - model.start, label=e.label)
                         for e in ents if model.start <= e.start and e.end <= model.end]
                tagged.update(range(span.start, span.end))
        doc.set_ents(sorted(ents), default="outside")
        return True

    def needs_entities(self, mention: Span) -> bool:
        """Only a name without a title or an organization noun ("Mr. Trump", "Reuters news
        agency" are typed by the lexicons; "he", "the ministry" have no name at all)."""
        rules = self.rules
        return any(t.pos_ == "PROPN" for t in mention) and not any(
            t.lower_.rstrip(".") in rules.titles or t.lower_ in rules.org_nouns for t in mention)

    def _window_entities(self, doc: Doc, windows: list[list[int]]) -> list[Span]:
        """Entities of ``doc`` found by ``ner`` in the token windows, run as one small Doc
        (a paragraph break between windows): one call, not one per window."""
        words, spaces, origin = [], [], []
        for a, b in windows:
            if words:
                words.append(WINDOW_BREAK)
                spaces.append(False)
                origin.append(None)
            for t in doc[a:b]:
                words.append(t.text)
                spaces.append(bool(t.whitespace_))
                origin.append(t.i)
        if not words:
            return []
        ents = []
        for e in self._nlp.get_pipe("ner")(Doc(doc.vocab, words=words, spaces=spaces)).ents:
            first, last = origin[e.start], origin[e.end - 1]
            if None not in origin[e.start : e.end] and last - first == len(e) - 1:
                ents.append(Span(doc, first, last + 1, label=e.label))
        return ents

    def retype_speakers(self, doc: Doc, quotes: list[Quote]) -> None:
        """Speaker types again, now that the mentions carry entity types."""
        for q in quotes:
            if q.mention_start is None or q.mention_end is None:
                continue
            span = doc.char_span(q.mention_start, q.mention_end, alignment_mode="expand")
            info = self.rules.pick_speaker(span.root, floor=span.start) if span is not None else None
            if info is not None and (info.mention_start, info.mention_end) == (q.mention_start, q.mention_end):
                q.speaker_type = info.speaker_type

    def set_annotations(self, doc: Doc, quotes: list[Quote], problems: list[tuple[str, int, str]]) -> None:
        spans = []
        for q in quotes:
            span = doc.char_span(q.content_start, q.content_end, label=q.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.qt_attribution = q.to_dict()
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc.user_data["qt_spans_key"] = self.spans_key
        doc._.qt_problems = [list(p) for p in problems]

    def initialize(self, get_examples=None, *, nlp: Language | None = None, cues: list[str] | None = None) -> None:
        """Optionally replace the cue lexicon (reporting-verb lemmas) the rules use."""
        if cues is not None:
            self.rules.cues = frozenset(c.strip().lower() for c in cues if c.strip())

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """Write the cue lexicon and the frame model, so a saved pipeline carries what it was
        evaluated with."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CUES_FILE).write_text("\n".join(sorted(self.rules.cues)) + "\n", encoding="utf-8")
        if self.rules.frame_model is not None:
            (path / FRAMES_FILE).write_text(json.dumps(self.rules.frame_model.to_dict()), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=()) -> QuoteFinder:
        cues_path, frames_path = Path(path) / CUES_FILE, Path(path) / FRAMES_FILE
        if cues_path.exists():
            self.initialize(cues=cues_path.read_text("utf-8").splitlines())
        if frames_path.exists() and self.rules.frame_model is not None:
            self.rules.frame_model = FrameModel.from_dict(json.loads(frames_path.read_text("utf-8")))
        return self


def person_names(doc: Doc) -> list[tuple[int, str]]:
    """(offset, text) of the PERSON entities, for linking short names to full ones."""
    return [(ent.start_char, ent.text) for ent in doc.ents if ent.label_ == "PERSON"]


def lemmatizer_words(nlp: Language) -> frozenset[str]:
    """Every word in the lemma index of the pipeline's rule lemmatizer (empty without one)."""
    for _, pipe in nlp.components:
        lookups = getattr(pipe, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            return frozenset(word for words in lookups.get_table("lemma_index").values() for word in words)
    return frozenset()
