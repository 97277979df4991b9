"""Claims: one statement by one speaker, however many articles and languages carry it.

The stage after speaker resolution. Plain records in (``Statement``, one per quote, speaker
resolved) and out (``ClaimGroup``); no SQLite, no spaCy. Derived state, like speakers: the
build regroups only the *blocks* its new or changed quotes fall in (``block_of``: one block
per resolved speaker; unnamed sources by the countries or bodies their descriptions name).

Inside a block, statements with the same normalized words and the same cue polarity are one
*unit* (wire copies; Quotebank's exact match). Units are then linked, strongest evidence first:

1. a shared run of ``shared_run`` words (10, as Quotebank), or a quote cut short
   (``short_run`` words or more, all inside the other);
2. a multilingual sentence encoder's cosine of at least ``threshold`` (``cross_threshold``
   across languages) for paraphrase and translation.

The guards: the cue not reversed ("denied" vs "confirmed": encoders score those alike) for
every link; for links by meaning the same numbers, no negation flip and the dates within
``window_days`` (unknown dates pass); for links by shared words, no number or negation
changed between the shared parts, unless both are direct quotes (there a change is a
misquote, reported as drift). Links merge clusters of units in order
of strength, and a guarded link is refused when the two clusters' first units fail the guards
too, so chains do not drift from one claim to another. Direct quotes of one claim that word it
differently get a *drift* note (a changed number, a dropped "not", a shortened quote), the
newsroom's "check the quote against its source" rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from quotetrack.claims import text as claim_text

__all__ = [
    "ClaimGroup",
    "Settings",
    "Statement",
    "block_of",
    "claim_record",
    "group_block",
    "group_statements",
    "summary_pieces",
]

UNDATED = "9999-12-31"  # sorts an article without a date after every dated one
DIRECT_KINDS = ("direct", "mixed")


@dataclass
class Statement:
    """What claim grouping needs of one quote (``quote_id`` is the ``quotes`` row id)."""

    quote_id: str
    article_id: str
    content: str
    kind: str = "indirect"
    speaker_id: str | None = None
    speaker: str | None = None  # canonical name; for an unnamed source its description
    speaker_type: str | None = None
    cue_lemma: str | None = None
    language: str | None = None
    published: str | None = None
    outlet: str | None = None
    position: int = 0  # where it starts in its article: orders statements of one article

    @classmethod
    def from_dict(cls, data: dict) -> Statement:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def order(self) -> tuple[str, str, int]:
        """Earliest article first; within one, reading order."""
        return (self.published or UNDATED, self.article_id, self.position)


@dataclass
class ClaimGroup:
    """One claim: its statements (``quote_ids``, earliest first) and who carried it."""

    id: str
    block: str
    speaker_id: str | None
    speaker: str | None
    statement: str  # the words of its first direct quote, else of its first statement
    language: str | None
    languages: list[str]
    quote_ids: list[str]
    article_count: int
    outlet_count: int
    first_quote_id: str
    first_article_id: str
    first_outlet: str | None
    first_published: str | None
    last_published: str | None
    drift: dict[str, str] = field(default_factory=dict)  # quote id -> how its wording differs
    first_words: str = ""  # the first statement's normalized words: what a new one is compared with

    @property
    def quote_count(self) -> int:
        return len(self.quote_ids)

    def to_dict(self) -> dict:
        return {**asdict(self), "quote_count": self.quote_count}


@dataclass(frozen=True)
class Settings:
    """How close two statements must be to be one claim (chosen on the labelled pairs)."""

    threshold: float = 0.70  # encoder cosine, two statements in one language
    cross_threshold: float = 0.60  # across languages, where the encoder's cosines run lower
    window_days: int = 30  # most days between two articles carrying one claim
    shared_run: int = 10  # words in a run two wordings share (Quotebank's 10 tokens)
    short_run: int = 5  # a quote cut short keeps at least this many words


def block_of(statement: Statement) -> str:
    """The block a statement is grouped in: only statements of one block can share a claim.

    A resolved speaker is its own block. Unnamed sources are compatible when their
    descriptions name the same countries or bodies ("a Turkish official", "مسؤول تركي",
    "Turkish sources"), else only with the same description. A statement without a speaker
    stays alone in its article.
    """
    if statement.speaker_type == "anonymous":
        codes = claim_text.affiliations(statement.speaker)
        if codes:
            return "anonymous:" + ",".join(sorted(codes))
        return "anonymous:" + claim_text.normalize(statement.speaker or "")
    if statement.speaker_id:
        return statement.speaker_id
    return f"unattributed:{statement.article_id}"


# A function giving unit-length vectors for texts, for the statements that need one; the
# build passes one that reads and writes the store's vector cache.
Vectors = Callable[[list[str]], np.ndarray]


@dataclass
class _Unit:
    """Statements of one block with the same words and cue polarity."""

    statements: list[Statement]
    words: tuple[str, ...]
    numbers: frozenset[str]
    negations: int
    reversed_cue: bool
    quoted: bool  # every statement a direct or mixed quote: its words are the speaker's
    language: str | None
    first: str  # earliest date, or UNDATED
    last: str

    @property
    def text(self) -> str:
        return self.statements[0].content


def text_key(text: str) -> str:
    """The key a statement's encoder vector is stored under: a hash of its normalized words."""
    return words_key(claim_text.normalize(text))


def words_key(words: str) -> str:
    """``text_key`` of a text whose normalized words are ``words``."""
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:20]


def unit_key(statement: Statement) -> str:
    """What makes two statements one unit: normalized words and whether the cue reverses them."""
    return claim_text.normalize(statement.content) + ("\x1fnot" if claim_text.negating_cue(statement.cue_lemma) else "")


def group_statements(
    statements: Iterable[Statement], vectors: Vectors, settings: Settings = Settings()
) -> list[ClaimGroup]:
    """Group statements into claims, block by block (see the module docstring)."""
    blocks: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        blocks[block_of(statement)].append(statement)
    return [group for block, members in blocks.items() for group in group_block(block, members, vectors, settings)]


def group_block(
    block: str,
    statements: list[Statement],
    vectors: Vectors,
    settings: Settings = Settings(),
    focus: frozenset[str] | None = None,
) -> list[ClaimGroup]:
    """Group the statements of one block into claims, earliest claim first.

    Args:
        focus: quote ids of the statements that are new; when given, only links that touch
            one of them are looked for (the others are known not to link: one statement per
            existing claim, see ``api.group_claims``), so the cost grows with the block, not
            with its square.
    """
    units = _units(sorted(statements, key=Statement.order))
    focused = (
        None if focus is None else [i for i, u in enumerate(units) if any(s.quote_id in focus for s in u.statements)]
    )
    clusters = _Clusters(units, settings)
    for i, j in _lexical_links(units, settings, focused):
        clusters.join(i, j, by_meaning=False)
    if len(clusters.roots()) > 1:
        matrix = vectors([u.text for u in units])
        for i, j in _encoder_links(matrix, [u.language for u in units], settings, focused):
            clusters.join(i, j, by_meaning=True)
    if len(clusters.roots()) > 1:
        for i, j in _summary_links(units, matrix, vectors, settings, focused):
            clusters.join(i, j, by_meaning=True, guarded=True)
    groups = [
        claim_record(block, [s for i in members for s in units[i].statements]) for members in clusters.roots().values()
    ]
    return sorted(groups, key=lambda g: (g.first_published or UNDATED, g.first_article_id, g.id))


SENTENCE_END = re.compile(r"(?<=[.!?؟;,،])\s+")
MIN_PIECE_WORDS = 4  # a shorter sentence ("Yes.") says too little to stand for a claim


def _units(statements: list[Statement]) -> list[_Unit]:
    """Statements (in order) gathered by ``unit_key``; units in order of their first statement."""
    by_key: dict[str, list[Statement]] = {}
    for statement in statements:
        by_key.setdefault(unit_key(statement), []).append(statement)
    units = []
    for members in by_key.values():
        dates = sorted(s.published for s in members if s.published)
        units.append(
            _Unit(
                statements=members,
                words=claim_text.words(members[0].content),
                numbers=claim_text.numbers(members[0].content),
                negations=claim_text.negations(members[0].content),
                reversed_cue=claim_text.negating_cue(members[0].cue_lemma),
                quoted=all(s.kind in DIRECT_KINDS for s in members),
                language=members[0].language,
                first=dates[0] if dates else UNDATED,
                last=dates[-1] if dates else UNDATED,
            )
        )
    return units


def _lexical_links(units: list[_Unit], settings: Settings, focused: list[int] | None = None) -> list[tuple[int, int]]:
    """Pairs of units sharing a long run of words or one holding the other whole, strongest first.

    Runs are found through an index of every ``shared_run``-word window (and of whole
    short units), so the cost grows with the words in the block, not with pairs of units.
    With ``focused``, only pairs holding one of those units.
    """
    n = settings.shared_run
    windows: dict[tuple[str, ...], list[int]] = defaultdict(list)
    wholes: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        for start in range(len(unit.words) - n + 1):
            windows[unit.words[start : start + n]].append(index)
        if settings.short_run <= len(unit.words) < n:
            wholes[unit.words].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in windows.values():
        distinct = sorted(set(holders))
        for a in range(len(distinct)):
            for b in range(a + 1, len(distinct)):
                shared[distinct[a], distinct[b]] += 1
    contained: set[tuple[int, int]] = set()  # a quote cut short: all its words, in order, inside the other
    lengths = sorted({len(w) for w in wholes})
    for index, unit in enumerate(units):
        for length in lengths:
            for start in range(len(unit.words) - length + 1):
                contained.update(
                    (min(index, other), max(index, other))
                    for other in wholes.get(unit.words[start : start + length], ())
                    if other != index
                )
    wanted = None if focused is None else set(focused)
    links = []
    for a, b in shared.keys() | contained:
        if wanted is not None and a not in wanted and b not in wanted:
            continue
        if units[a].reversed_cue == units[b].reversed_cue:
            shorter = min(len(units[a].words), len(units[b].words))
            coverage = 1.0 if (a, b) in contained else min(1.0, (shared[a, b] + n - 1) / shorter)
            links.append((coverage, a, b))
    return [(a, b) for _, a, b in sorted(links, key=lambda t: (-t[0], t[1], t[2]))]


def _encoder_links(
    matrix: np.ndarray,
    languages: list[str | None],
    settings: Settings,
    focused: list[int] | None = None,
    chunk: int = 2048,
) -> list[tuple[int, int]]:
    """Pairs of rows whose cosine reaches the threshold for their languages, most similar first.

    With ``focused``, only those rows are compared (with every row).
    """
    lowest = min(settings.threshold, settings.cross_threshold)
    rows_wanted = np.arange(len(matrix)) if focused is None else np.array(focused, dtype=int)
    found: dict[tuple[int, int], float] = {}
    for start in range(0, len(rows_wanted), chunk):
        chosen = rows_wanted[start : start + chunk]
        scores = matrix[chosen] @ matrix.T
        for r, c in zip(*(index.tolist() for index in np.nonzero(scores >= lowest))):
            a, b = sorted((int(chosen[r]), c))
            score = float(scores[r, c])
            same_language = languages[a] == languages[b]
            if a != b and score >= (settings.threshold if same_language else settings.cross_threshold):
                found[a, b] = score
    return [pair for pair, _ in sorted(found.items(), key=lambda t: (-t[1], t[0]))]


def _summary_links(
    units: list[_Unit], matrix: np.ndarray, vectors: Vectors, settings: Settings, focused: list[int] | None = None
) -> list[tuple[int, int]]:
    """Pairs (long, short) where one sentence of a statement of several says what a shorter
    statement says: a headline or a paraphrase that sums up part of a long quote ("he had not
    received any threat from the United States" / "I have not received any threat ... And
    what we have come to is ..."). The whole long statement's vector is too diluted for that.
    The sentence must pass the guards against the short statement (numbers, negation, cue)."""
    pieces: list[str] = []
    owners: list[int] = []
    # a new statement's sentences against every claim; an existing claim's sentences are not
    # encoded again for it (that would cost the block, not the update)
    for index, unit in enumerate(units) if focused is None else ((i, units[i]) for i in focused):
        sentences = summary_pieces(unit.text)
        pieces += sentences
        owners += [index] * len(sentences)
    if not pieces:
        return []
    scores = vectors(pieces) @ matrix.T
    wanted = None if focused is None else set(focused)
    found: dict[tuple[int, int], float] = {}
    for row, col in zip(*(index.tolist() for index in np.nonzero(scores >= settings.cross_threshold))):
        long, short = owners[row], int(col)
        if (
            long == short
            or len(units[short].words) >= len(units[long].words) / 2
            or len(_sentences(units[short].text)) > 1
        ):
            continue  # only a one-sentence statement much shorter than the one it sums up
        if wanted is not None and long not in wanted and short not in wanted:
            continue
        same_language = units[long].language == units[short].language
        score = float(scores[row, col])
        if score >= (settings.threshold if same_language else settings.cross_threshold) and same_claim_guards(
            _piece_unit(units[long], pieces[row]), units[short]
        ):
            found[long, short] = max(score, found.get((long, short), 0.0))
    return [pair for pair, _ in sorted(found.items(), key=lambda t: (-t[1], t[0]))]


def _sentences(text: str) -> list[str]:
    """A statement's sentences and clauses long enough to say something on their own."""
    return [p for p in SENTENCE_END.split(text) if len(p.split()) >= MIN_PIECE_WORDS]


def statement_texts(content: str) -> list[str]:
    """The texts grouping may need a vector for, for a statement of these words (``content``
    and its ``content_2``, as ``Statement.content`` joins them): the statement, and its
    sentences when it has several (``summary_pieces``)."""
    return [content, *summary_pieces(content)]


def summary_pieces(text: str) -> list[str]:
    """The sentences of a statement of several, each of which a shorter statement may sum up."""
    sentences = _sentences(text)
    return sentences if len(sentences) > 1 else []


def _piece_unit(unit: _Unit, piece: str) -> _Unit:
    """A unit's one sentence as a unit of its own, for the guards (its numbers, its negations)."""
    return replace(
        unit, words=claim_text.words(piece), numbers=claim_text.numbers(piece), negations=claim_text.negations(piece)
    )


class _Clusters:
    """Union-find over units; a guarded join also checks the two clusters' first units."""

    def __init__(self, units: list[_Unit], settings: Settings):
        self.units = units
        self.settings = settings
        self.parent = list(range(len(units)))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int, *, by_meaning: bool, guarded: bool = False) -> bool:
        """Merge the clusters of units ``i`` and ``j`` if the link passes; the earlier root stays.

        A link by shared words must not change a number or a negation between the shared
        parts, unless both are direct quotes: quotation marks promise the speaker's words, so
        there the change is a misquote, reported as wording drift. A link by meaning needs
        the guards and the date window, between the two units and between the first units of
        their clusters. ``guarded``: the guards were passed by the part of ``i`` that links
        (``_summary_links``), so only the clusters' first units are checked besides.
        """
        root_i, root_j = self.find(i), self.find(j)
        if root_i == root_j:
            return False
        a, b = self.units[i], self.units[j]
        if by_meaning:
            for x, y in ((a, b), (self.units[root_i], self.units[root_j])):
                if guarded and {id(x), id(y)} == {id(a), id(b)}:
                    if not within_window(x, y, self.settings.window_days):
                        return False
                elif not (same_claim_guards(x, y) and within_window(x, y, self.settings.window_days)):
                    return False
        elif not (a.quoted and b.quoted) and claim_text.conflicts(a.words, b.words):
            return False
        self.parent[max(root_i, root_j)] = min(root_i, root_j)
        return True

    def roots(self) -> dict[int, list[int]]:
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.units)):
            members[self.find(i)].append(i)
        return members


def same_claim_guards(a: _Unit, b: _Unit) -> bool:
    """No number changed, no negation flip, the cue not reversed ("denied" vs "confirmed").

    A restatement may leave a number out ("their loved ones are hostages" / "the families of
    199 people were notified ..."), or write it in words, but not change it: the numbers of
    one must all be among the other's.
    Within a language a flip is an odd number of negations more; across languages only the
    presence of one is compared, as translations move negation about ("only the people of
    Libya" is "لن يدافع ... إلا أهل ليبيا", "none but").
    """
    if not (a.numbers <= b.numbers or b.numbers <= a.numbers) or a.reversed_cue != b.reversed_cue:
        return False
    if a.language == b.language:
        return a.negations % 2 == b.negations % 2
    return (a.negations > 0) == (b.negations > 0)


def within_window(a: _Unit, b: _Unit, days: int) -> bool:
    """Whether the two units' dates come within ``days`` of each other (unknown dates pass)."""
    if UNDATED in (a.first, b.first):
        return True
    gap = max(_days(a.first, b.last), _days(b.first, a.last), 0)
    return gap <= days


def _days(later: str, earlier: str) -> int:
    try:
        return (dt.date.fromisoformat(later[:10]) - dt.date.fromisoformat(earlier[:10])).days
    except ValueError:
        return 0  # a date that does not parse cannot rule a link out


def claim_id(first: Statement) -> str:
    """A claim's stable id: from its earliest quote, so links to it survive rebuilds."""
    return "c-" + hashlib.sha1(first.quote_id.encode("utf-8")).hexdigest()[:12]


def claim_record(block: str, statements: list[Statement]) -> ClaimGroup:
    """The record of one claim from its statements (any order)."""
    statements = sorted(statements, key=Statement.order)
    first = statements[0]
    shown = next((s for s in statements if s.kind == "direct"), first)
    dates = sorted(s.published for s in statements if s.published)
    return ClaimGroup(
        id=claim_id(first),
        block=block,
        speaker_id=first.speaker_id,
        speaker=first.speaker,
        statement=shown.content,
        language=shown.language,
        languages=sorted({s.language for s in statements if s.language}),
        quote_ids=[s.quote_id for s in statements],
        article_count=len({s.article_id for s in statements}),
        outlet_count=len({s.outlet or s.article_id for s in statements}),
        first_quote_id=first.quote_id,
        first_article_id=first.article_id,
        first_outlet=first.outlet,
        first_published=first.published,
        last_published=dates[-1] if dates else None,
        drift=wording_drift(statements),
        first_words=claim_text.normalize(first.content),
    )


def wording_drift(statements: list[Statement]) -> dict[str, str]:
    """Quote id -> how a direct quote's words differ from most outlets' (same language).

    The reference wording is the one most direct quotes of that language share (the
    earliest on a tie); quotes worded like it, and claims with one direct quote in a
    language, get no note.
    """
    by_language: dict[str | None, list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.kind in DIRECT_KINDS:
            by_language[statement.language].append(statement)
    notes = {}
    for quotes in by_language.values():
        wordings = Counter(claim_text.normalize(q.content) for q in quotes)
        if len(wordings) < 2:
            continue
        top = max(wordings.values())
        reference = next(q for q in quotes if wordings[claim_text.normalize(q.content)] == top)
        for quote in quotes:
            differences = claim_text.drift(reference.content, quote.content)
            if differences:
                notes[quote.quote_id] = "; ".join(differences)
    return notes
