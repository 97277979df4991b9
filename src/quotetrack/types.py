"""Records that cross stage boundaries: Article, Quote, SpeakerRef, Speaker, Alias.

They are plain dataclasses (no spaCy, no SQLite) so every stage can be tested alone.
Offsets are character offsets into ``Article.text``, half-open, as in spaCy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self, cast

KINDS = ("direct", "indirect", "mixed")
# an editor filters statements by band: the lowest confidence each band takes
CONFIDENCE_BANDS = (("high", 0.9), ("medium", 0.7), ("low", 0.0))


def confidence_band(confidence: float | None) -> str | None:
    """The band of a statement's confidence ("high", "medium" or "low"), None without one."""
    if confidence is None:
        return None
    return next(name for name, floor in CONFIDENCE_BANDS if confidence >= floor)


class Serializable:
    """``from_dict`` and ``to_dict`` for the dataclasses below, which subclass it.

    ``from_dict`` ignores keys that are not fields, so a record read from a newer file or a
    database row with extra columns still loads; ``to_dict`` is ``dataclasses.asdict``.
    """

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = {f.name for f in fields(cast(Any, cls))}
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        return asdict(cast(Any, self))


@dataclass
class Article(Serializable):
    """One news article as read by ingest."""

    id: str
    text: str
    language: str | None = None
    title: str | None = None
    outlet: str | None = None  # the publisher: news agency or site
    url: str | None = None
    published: str | None = None
    path: str | None = None  # file it came from (and ``:line`` for JSONL)


@dataclass
class Quote(Serializable):
    """One attributed statement found in an article.

    ``speaker`` is the fullest name the article gives the speaker (or the description of an
    anonymous source) after in-article linking; the corpus-wide resolver later replaces it
    with the speaker's canonical name and sets ``speaker_id``.
    """

    article_id: str
    kind: str  # direct | indirect | mixed
    content: str
    content_start: int
    content_end: int
    cue: str | None = None
    cue_lemma: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    speaker: str | None = None
    speaker_type: str | None = None  # person | organization | anonymous
    role: str | None = None
    speaker_id: str | None = None
    # second half of a direct quote split by its attribution: "A," he said. "B."
    content_2: str | None = None
    content_2_start: int | None = None
    content_2_end: int | None = None
    sentence: str | None = None
    language: str | None = None
    # the fullest name this article gives the speaker: the resolver's input, kept when
    # ``speaker`` is replaced by the corpus-wide canonical name
    article_speaker: str | None = None
    # "m" or "f" where the article (a title, a role word) or the given name tells; never
    # guessed from a surname
    speaker_gender: str | None = None
    # how likely the statement and its resolved speaker are both right, in [0, 1]
    # (``quotetrack.extract.confidence``)
    confidence: float | None = None
    # other names the article declares for the speaker ("also known as", a nickname): they
    # link the speaker to articles that use only those names
    speaker_other_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.speaker_other_names = list(self.speaker_other_names)  # a tuple after a DocBin


@dataclass
class SpeakerRef(Serializable):
    """What one article says about one speaker: the resolver's input record.

    ``name`` is the fullest in-article name; ``aliases`` every surface form the article
    uses for that speaker (pronouns excluded); ``quotes`` how many quotes it has there.
    """

    article_id: str
    name: str
    speaker_type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    language: str | None = None
    quotes: int = 1
    gender: str | None = None  # "m" or "f" as the article tells, else None


@dataclass
class Alias(Serializable):
    """A surface form of a speaker and why it joined that speaker."""

    name: str
    speaker_id: str
    rule: str  # e.g. "canonical", "same-key", "skeleton", "curated"
    score: float = 1.0
    count: int = 1


@dataclass
class Speaker(Serializable):
    """One person, organization or anonymous source across the whole corpus."""

    id: str
    name: str
    speaker_type: str
    roles: list[str] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    quote_count: int = 0
    gender: str | None = None  # the articles' word ("m" or "f"), where they agree

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Speaker:
        return super().from_dict({**data, "aliases": [Alias.from_dict(a) for a in data.get("aliases", [])]})


@dataclass
class Problem(Serializable):
    """Something wrong with one input, recorded instead of aborting the batch."""

    path: str | None
    code: str  # a key of errors.PROBLEM_CODES
    message: str
    line: int | None = None
    article_id: str | None = None
    stage: str = "ingest"  # ingest | extract | resolve | store

    def __str__(self) -> str:
        where = self.path or self.article_id or "?"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message} [{self.code}]"
