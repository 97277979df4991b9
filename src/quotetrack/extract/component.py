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
from dataclasses import asdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from quotetrack.extract.english import EnglishRules
from quotetrack.extract.frames import FrameModel
from quotetrack.extract.linking import link_speakers
from quotetrack.extract.people import article_people, head_span, name_heads
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
        if (
            before.is_space
            and "\n" in before.text
            and not token.is_space
            and not token.text[:1].islower()
            and doc[token.i - 2].text != ":"
        ):
            token.is_sent_start = True
    return doc


def _doc_quotes(doc: Doc) -> list[Quote]:
    key = doc.user_data.get("qt_spans_key", DEFAULT_SPANS_KEY)
    if key not in doc.spans:
        return []
    return [Quote.from_dict(span._.qt_attribution) for span in doc.spans[key] if span._.qt_attribution]


@Language.factory(
    "quotetrack_quotes",
    default_config={"spans_key": DEFAULT_SPANS_KEY, "frames": False, "link": True},
    assigns=["doc.spans", "span._.qt_attribution", "doc._.quotes", "doc._.qt_problems", "doc._.qt_people"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.sents"],
)
def make_quote_finder(nlp: Language, name: str, spans_key: str, frames: bool, link: bool) -> QuoteFinder:
    return QuoteFinder(nlp, name, spans_key=spans_key, frames=frames, link=link)


class QuoteFinder(Pipe):
    """Find direct quotes and reported speech, with speaker, cue and role."""

    def __init__(
        self,
        nlp: Language,
        name: str = "quotetrack_quotes",
        *,
        spans_key: str = DEFAULT_SPANS_KEY,
        frames: bool = False,
        link: bool = True,
    ):
        self.name = name
        # link speakers within each doc; off where a caller links a whole article's docs at once
        self.link = link
        self.spans_key = spans_key
        self.rules = EnglishRules() if frames else EnglishRules(frame_model=None)
        self._nlp = nlp  # to reach a disabled "ner" and run it only where it matters
        Span.set_extension("qt_attribution", default=None, force=True)
        Doc.set_extension("quotes", getter=_doc_quotes, force=True)
        Doc.set_extension("qt_problems", default=None, force=True)
        Doc.set_extension("qt_people", default=None, force=True)

    def __call__(self, doc: Doc) -> Doc:
        return self._find([doc])[0]

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Docs in batches, so the on-demand entity recognizer runs once per batch."""
        for docs in minibatch(stream, size=batch_size):
            yield from self._find(docs)

    def _find(self, docs: list[Doc]) -> list[Doc]:
        """The statements of each doc; a doc that fails goes to spaCy's error handler alone."""
        handler = self.get_error_handler()
        if self.rules.known_words is None:  # read once the pipeline's lemmatizer has its tables
            self.rules.known_words = lemmatizer_words(self._nlp)
        found: list[tuple[Doc, list[Quote], list[tuple[str, int, str]], MentionWindows | None]] = []
        for doc in docs:
            try:
                quotes, problems = self.rules.find_quotes(doc)
                found.append((doc, quotes, problems, self.mention_windows(doc, quotes)))
            except Exception as e:  # any error goes to spaCy's configurable handler
                handler(self.name, self, [doc], e)
        windows = [w for *_, w in found if w is not None and w.words]
        try:
            self.tag_windows(windows)
        except Exception as e:
            handler(self.name, self, [w.doc for w in windows], e)
        for doc, quotes, problems, window in found:
            try:
                if window is not None:
                    window.set_entities()
                    self.retype_speakers(doc, quotes)
                people = article_people(doc, self.rules)
                doc._.qt_people = [asdict(p) for p in people]  # plain values: they survive DocBin
                if self.link:
                    link_speakers(quotes, people, doc.text)
                self.set_annotations(doc, quotes, problems)
            except Exception as e:
                handler(self.name, self, [doc], e)
        return docs

    def mention_windows(self, doc: Doc, quotes: list[Quote]) -> MentionWindows | None:
        """The tokens a disabled ``ner`` should see in ``doc``, or None when it is not on demand.

        Entity types only decide speaker types (person or organization) and the person names
        linking uses, and the entity recognizer costs about a third of the small pipeline, so
        when the pipeline was loaded with ``ner`` disabled (as ``load_pipeline`` does) it runs
        on a few tokens either side of the first occurrence of each proper-noun mention, and
        the other occurrences of the same words take the same entities.
        """
        if doc.has_annotation("ENT_IOB") or "ner" not in self._nlp.disabled:
            return None
        window = MentionWindows(doc)
        spans = [
            doc.char_span(q.mention_start, q.mention_end, alignment_mode="expand")
            for q in quotes
            if q.mention_start is not None and q.mention_end is not None
        ]
        spans += [head_span(head) for head in name_heads(doc)]  # the article's who-is-who
        for span in sorted({(s.start, s.end): s for s in spans if s is not None}.values()):
            if self.needs_entities(span):
                window.add(span)
        return window

    def tag_windows(self, windows: list[MentionWindows]) -> None:
        """Run ``ner`` over the windows of a whole batch of docs in one call."""
        if not windows:
            return
        tagged = cast(Pipe, self._nlp.get_pipe("ner")).pipe(w.as_doc() for w in windows)
        for window, small in zip(windows, tagged):
            window.found = list(small.ents)

    def needs_entities(self, mention: Span) -> bool:
        """Only a name without a title or an organization noun ("Mr. Trump", "a spokesman for
        Trump", "Reuters news agency" are typed by the lexicons; "he", "the ministry" have no
        name at all); a capitalized title word that no name follows is part of a name
        ("Citizens for Tax Justice")."""
        rules = self.rules
        titled = any(
            t.lower_.rstrip(".") in rules.titles
            and (t.is_lower or (t.i + 1 < mention.end and t.nbor().pos_ == "PROPN"))
            for t in mention
        )
        return (
            any(t.pos_ == "PROPN" for t in mention)
            and not titled
            and not any(t.lower_ in rules.org_nouns for t in mention)
        )

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


class MentionWindows:
    """The first occurrence of each speaker name in a doc, with a few tokens either side, as
    one small Doc (a paragraph break between windows) for the entity recognizer."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.first: dict[str, Span] = {}
        self.repeats: list[Span] = []
        self.words: list[str] = []
        self.spaces: list[bool] = []
        self.origin: list[int | None] = []  # the doc token each window token copies
        self.found: list[Span] = []  # entities of the small Doc, once tagged

    def add(self, mention: Span) -> None:
        if mention.text in self.first:
            self.repeats.append(mention)
            return
        self.first[mention.text] = mention
        start = max(0, mention.start - MENTION_CONTEXT)
        last = self.origin[-1] if self.origin else None  # a window ends on a token, never a break
        if last is not None and start <= last + 1:
            start = last + 1  # meets the window before: extend it
        elif self.words:
            self.words.append(WINDOW_BREAK)
            self.spaces.append(False)
            self.origin.append(None)
        for t in self.doc[start : min(len(self.doc), mention.end + MENTION_CONTEXT)]:
            self.words.append(t.text)
            self.spaces.append(bool(t.whitespace_))
            self.origin.append(t.i)

    def as_doc(self) -> Doc:
        return Doc(self.doc.vocab, words=self.words, spaces=self.spaces)

    def set_entities(self) -> None:
        """Map the entities found back onto the doc; repeats of a name copy its entities. An
        entity across a line break ("the council\n\nFathi Al-Marimi") is the recognizer
        reading a headline into the next paragraph, and is dropped."""
        doc, origin = self.doc, self.origin
        ents = []
        for e in self.found:
            first, last = origin[e.start], origin[e.end - 1]
            if (
                first is not None
                and last is not None
                and None not in origin[e.start : e.end]
                and last - first == len(e) - 1
                and not any("\n" in t.text for t in e)
            ):
                ents.append(Span(doc, first, last + 1, label=e.label))
        tagged = {i for e in ents for i in range(e.start, e.end)}
        for span in self.repeats:
            if not tagged.intersection(range(span.start, span.end)):
                model = self.first[span.text]
                ents += [
                    Span(doc, span.start + e.start - model.start, span.start + e.end - model.start, label=e.label)
                    for e in ents
                    if model.start <= e.start and e.end <= model.end
                ]
                tagged.update(range(span.start, span.end))
        doc.set_ents(sorted(ents), default="outside")


def lemmatizer_words(nlp: Language) -> frozenset[str]:
    """Every word in the lemma index of the pipeline's rule lemmatizer (empty without one)."""
    for _, pipe in nlp.components:
        lookups = getattr(pipe, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            return frozenset(word for words in lookups.get_table("lemma_index").values() for word in words)
    return frozenset()
