"""The ``quotetrack_quotes`` spaCy component.

    nlp.add_pipe("quotetrack_quotes")
    doc = nlp(text)
    doc.spans["quotes"]   # the content spans (label = kind), survive DocBin
    doc._.quotes          # the same as quotetrack.Quote records, exact char offsets
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from quotetrack.extract.english import EnglishRules
from quotetrack.extract.linking import link_speakers
from quotetrack.types import Quote

DEFAULT_SPANS_KEY = "quotes"
CUES_FILE = "cues.txt"


def _doc_quotes(doc: Doc) -> list[Quote]:
    key = doc.user_data.get("qt_spans_key", DEFAULT_SPANS_KEY)
    if key not in doc.spans:
        return []
    return [Quote.from_dict(span._.qt_attribution) for span in doc.spans[key] if span._.qt_attribution]


@Language.factory(
    "quotetrack_quotes",
    default_config={"spans_key": DEFAULT_SPANS_KEY},
    assigns=["doc.spans", "span._.qt_attribution", "doc._.quotes", "doc._.qt_problems"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.sents"],
)
def make_quote_finder(nlp: Language, name: str, spans_key: str) -> QuoteFinder:
    return QuoteFinder(nlp, name, spans_key=spans_key)


class QuoteFinder(Pipe):
    """Find direct quotes and reported speech, with speaker, cue and role."""

    def __init__(self, nlp: Language, name: str = "quotetrack_quotes", *, spans_key: str = DEFAULT_SPANS_KEY):
        self.name = name
        self.spans_key = spans_key
        self.rules = EnglishRules()
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
        self.tag_entities(doc)
        quotes, problems = self.rules.find_quotes(doc)
        link_speakers(quotes, person_names(doc))
        return quotes, problems

    def tag_entities(self, doc: Doc) -> None:
        """Run a disabled ``ner`` over the sentences that can hold an attribution only.

        Entity types only decide speaker types and name links, and the entity recognizer costs
        about as much as the rest of the small pipeline, so when the pipeline was loaded with
        ``ner`` disabled (as ``load_pipeline`` does) it runs here on those sentences alone.
        """
        if doc.has_annotation("ENT_IOB") or "ner" not in self._nlp.disabled:
            return
        ner = self._nlp.get_pipe("ner")
        sents = [sent for sent in doc.sents if self.rules.may_attribute(sent)]
        ents = []
        for sent, sent_doc in zip(sents, ner.pipe(sent.as_doc() for sent in sents)):
            ents += [Span(doc, sent.start + e.start, sent.start + e.end, label=e.label) for e in sent_doc.ents]
        doc.set_ents(ents, default="outside")

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
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CUES_FILE).write_text("\n".join(sorted(self.rules.cues)) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=()) -> QuoteFinder:
        cues_path = Path(path) / CUES_FILE
        if cues_path.exists():
            self.initialize(cues=cues_path.read_text("utf-8").splitlines())
        return self


def person_names(doc: Doc) -> list[tuple[int, str]]:
    """(offset, text) of the PERSON entities, for linking short names to full ones."""
    return [(ent.start_char, ent.text) for ent in doc.ents if ent.label_ == "PERSON"]
