"""Score extracted quotes against gold annotations: the code behind ``quotetrack eval``.

Gold is one article a line (``{"id", "language", "text", "quotes": [...], "aliases": [...]}``,
the schema of ``../shared/gold/seeds.jsonl``); predictions are one quote a line, as
``quotetrack extract --format jsonl`` prints them.

The matching rules are those of the shared scorer ``../shared/eval/score.py``, so both give
the same figures:

- texts are compared as bags of NFKC-lowercased ``\\w+`` tokens; names also drop a few
  articles and honorifics (``STOP_WORDS``);
- predictions are deduplicated by content within an article;
- a prediction is a hit when its token F1 with some gold quote (whole, or either half of a
  split quote) reaches the threshold; it is judged against its best gold quote;
- a gold quote is found when any prediction reaches the threshold on it;
- a resolved speaker is right when it agrees with any spelling of the gold speaker, where
  the alias groups of the gold file (and ``aliases``) are joined when they share a name;
- speaker ids are scored with B-cubed over matched quotes whose gold speaker is a person.

On top of those figures this module reports precision and F1 by kind (precision by the
predicted kind, recall by the gold kind), exact-span figures (offsets equal), and the
missed and spurious quotes with their context.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from quotetrack.errors import BadEvalFile
from quotetrack.types import KINDS

THRESHOLD = 0.5
# ignored when names are compared: "Al-Majei" and "Majei", "Mr. Trump" and "Trump" agree
STOP_WORDS = frozenset({"al", "el", "ال", "the", "a", "an", "mr", "mrs", "ms", "dr"})
CONTEXT_CHARS = 80
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")

Record = dict[str, Any]
Span = tuple[int, int]


# --- reading --------------------------------------------------------------------------


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Record]]:
    """Yield ``(line number, object)`` for each non-blank line of a JSONL file.

    Raises:
        BadEvalFile: naming the file and line, when the file cannot be read or a line is
            not a JSON object.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise BadEvalFile(str(path), f"cannot be read ({e})") from e
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadEvalFile(str(path), f"not valid JSON ({e.msg})", line=number) from e
        if not isinstance(record, dict):
            raise BadEvalFile(str(path), "expected a JSON object", line=number)
        yield number, record


def load_gold(path: str | Path) -> list[Record]:
    """Read gold articles, checking each has ``id``, ``text`` and a list of ``quotes``."""
    articles = []
    for number, article in read_jsonl(path):
        missing = [k for k in ("id", "text", "quotes") if k not in article]
        if missing:
            raise BadEvalFile(str(path), f"gold article lacks {', '.join(missing)}", line=number)
        if not all(isinstance(q, dict) and "content" in q for q in article["quotes"]):
            raise BadEvalFile(str(path), "every gold quote needs a content", line=number)
        articles.append(article)
    return articles


def load_predictions(path: str | Path) -> list[Record]:
    """Read predicted quotes (``quotetrack extract --format jsonl`` output)."""
    predictions = []
    for number, quote in read_jsonl(path):
        if "article_id" not in quote:
            raise BadEvalFile(str(path), "predicted quote lacks article_id", line=number)
        predictions.append(quote)
    return predictions


def load_aliases(path: str | Path) -> list[list[str]]:
    """Read extra alias groups: a JSON list of lists of names that span articles."""
    try:
        groups = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadEvalFile(str(path), f"cannot be read as JSON ({e})") from e
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and all(isinstance(n, str) for n in g) for g in groups
    ):
        raise BadEvalFile(str(path), "expected a JSON list of lists of names")
    return groups


# --- comparing texts ------------------------------------------------------------------


def tokens(text: str | None, *, drop_stop: bool = False) -> list[str]:
    """Split text into NFKC-normalized lowercase word tokens, optionally without STOP_WORDS."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text or "").lower())
    return [w for w in words if w not in STOP_WORDS] if drop_stop else words


def bag(text: str | None, *, drop_stop: bool = False) -> Counter[str]:
    """The multiset of ``tokens(text)``, the unit token F1 is computed on."""
    return Counter(tokens(text, drop_stop=drop_stop))


def token_f1(a: Counter[str], b: Counter[str]) -> float:
    """F1 of the token overlap of two bags; 0.0 when either is empty."""
    common = (a & b).total()
    if not common:
        return 0.0
    precision, recall = common / a.total(), common / b.total()
    return 2 * precision * recall / (precision + recall)


def name_key(name: str | None) -> str:
    """A name reduced to its tokens without STOP_WORDS: equal keys, same spelling."""
    return " ".join(tokens(name, drop_stop=True))


def names_agree(a: str, b: str) -> bool:
    """Whether two names share at least half their tokens (token F1 ≥ 0.5, STOP_WORDS out)."""
    return token_f1(bag(a, drop_stop=True), bag(b, drop_stop=True)) >= 0.5


def mention_ok(gold: str | None, predicted: str | None) -> bool:
    """Whether a predicted speaker mention agrees with the gold one (both absent agrees)."""
    if not gold or not predicted:
        return not gold and not predicted
    return names_agree(gold, predicted)


def ratio(part: float, whole: float) -> float:
    """``part / whole``, or 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


def harmonic_mean(precision: float, recall: float) -> float:
    """F1 of a precision and a recall."""
    return ratio(2 * precision * recall, precision + recall)


# --- who is who -----------------------------------------------------------------------


class People:
    """Gold person identity: alias groups, joined when they share a name key.

    Two groups that both contain a spelling with the same key (``name_key``) are one
    person; this is how a name repeated in several articles links their groups.
    """

    def __init__(self, groups: Iterable[Iterable[str]]):
        self._parent: dict[str, str] = {}
        self._names: dict[str, set[str]] = defaultdict(set)
        groups = [[n for n in group if name_key(n)] for group in groups]
        for group in groups:
            keys = [name_key(n) for n in group]
            for k in keys[1:]:
                self._union(keys[0], k)
        for group in groups:
            for n in group:
                self._names[self.identity(n)].add(n)

    def _root(self, key: str) -> str:
        while self._parent.get(key, key) != key:
            key = self._parent[key]
        return key

    def _union(self, a: str, b: str) -> None:
        self._parent[self._root(a)] = self._root(b)

    def identity(self, name: str) -> str:
        """An id shared by every spelling of the same person (the name's key otherwise)."""
        return self._root(name_key(name))

    def names(self, name: str) -> set[str]:
        """Every spelling known to name the same person as ``name``, itself included."""
        if not name_key(name):
            return {name}
        return {name} | self._names.get(self.identity(name), set())

    def speaker_ok(self, gold: str | None, predicted: str | None) -> bool:
        """Whether a resolved speaker names the gold speaker under any of its spellings."""
        if not gold or not predicted:
            return not gold and not predicted
        return any(names_agree(n, predicted) for n in self.names(gold))


# --- matching one article -------------------------------------------------------------


def dedupe_predictions(predictions: Iterable[Record]) -> list[Record]:
    """Drop predictions with empty content, and repeats of an earlier prediction's content."""
    seen: set[str] = set()
    kept = []
    for p in predictions:
        content = (p.get("content") or "").strip()
        if content and content not in seen:
            seen.add(content)
            kept.append(p)
    return kept


def gold_parts(quote: Record) -> tuple[Counter[str], ...]:
    """Token bags a prediction may match: the whole quote, its first and its second half."""
    first, second = quote["content"], quote.get("content_2") or ""
    return bag(first + " " + second), bag(first), bag(second)


def match_scores(gold_quotes: list[Record], predictions: list[Record]) -> list[list[float]]:
    """Token F1 of each prediction (rows) with each gold quote (columns), best part."""
    golds = [gold_parts(q) for q in gold_quotes]
    rows = []
    for p in predictions:
        content = bag(p.get("content"))
        rows.append([max(token_f1(content, part) for part in parts) for parts in golds])
    return rows


def best_match(row: list[float], threshold: float) -> int | None:
    """Index of the first best-scoring gold quote, if its score reaches the threshold."""
    if not row:
        return None
    j = max(range(len(row)), key=row.__getitem__)
    return j if row[j] >= threshold else None


def find_span(text: str, content: str | None, start: Any = None, end: Any = None) -> Span | None:
    """Where ``content`` sits in ``text``: the given offsets if they hold it, else its first
    occurrence (gold without offsets), else None."""
    if not content:
        return None
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == content:
        return start, end
    at = text.find(content)
    return (at, at + len(content)) if at >= 0 else None


def gold_spans(text: str, quote: Record) -> list[Span]:
    """Character spans of a gold quote's parts (offsets from ``start``/``end`` when given)."""
    first = find_span(text, quote["content"], quote.get("start"), quote.get("end"))
    spans = [first] if first else []
    second = quote.get("content_2")
    if second:
        at = text.find(second, first[1] if first else 0)
        if at >= 0:
            spans.append((at, at + len(second)))
    return spans


def predicted_span(quote: Record) -> Span | None:
    """The ``(content_start, content_end)`` of a prediction, when both are given."""
    start, end = quote.get("content_start"), quote.get("content_end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) else None


@dataclass
class ErrorCase:
    """A missed gold quote or a spurious prediction, with the text around it."""

    error: str  # missed | spurious
    article_id: str
    kind: str | None
    content: str
    speaker: str | None
    cue: str | None
    start: int | None = None
    before: str = ""
    after: str = ""


def error_case(error: str, article_id: str, text: str, quote: Record, span: Span | None) -> ErrorCase:
    """Describe one error, with up to CONTEXT_CHARS characters either side of its span."""
    start: int | None = None
    before = after = ""
    if span:
        start, end = span
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
    return ErrorCase(
        error=error,
        article_id=article_id,
        kind=quote.get("kind"),
        content=quote.get("content") or "",
        speaker=quote.get("speaker"),
        cue=quote.get("cue"),
        start=start,
        before=before,
        after=after,
    )


@dataclass
class Tally:
    """Counts summed over articles, from which every figure of the report follows."""

    counts: Counter[str] = field(default_factory=Counter)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold person, speaker_id)
    errors: list[ErrorCase] = field(default_factory=list)


def score_article(article: Record, predictions: list[Record], people: People, threshold: float, tally: Tally) -> None:
    """Add one gold article and its (deduplicated) predictions to the tally."""
    aid, text, gold_quotes = str(article["id"]), article["text"], article["quotes"]
    counts = tally.counts
    scores = match_scores(gold_quotes, predictions)
    spans = [gold_spans(text, q) for q in gold_quotes]
    all_spans = {s for quote_spans in spans for s in quote_spans}
    predicted_spans = {predicted_span(p) for p in predictions} - {None}
    counts["gold"] += len(gold_quotes)
    counts["pred"] += len(predictions)
    for p, row in zip(predictions, scores):
        kind = p.get("kind")
        counts[f"pred:{kind}"] += 1
        counts["exact_pred"] += predicted_span(p) in all_spans
        j = best_match(row, threshold)
        if j is None:
            span = find_span(text, p.get("content"), p.get("content_start"), p.get("content_end"))
            tally.errors.append(error_case("spurious", aid, text, p, span))
            continue
        gold = gold_quotes[j]
        counts["tp_pred"] += 1
        counts[f"tp_pred:{kind}"] += 1
        counts["mention_ok"] += mention_ok(gold.get("speaker_mention"), p.get("speaker_mention"))
        counts["speaker_ok"] += people.speaker_ok(gold.get("speaker"), p.get("speaker"))
        if gold.get("speaker_type") == "person" and gold.get("speaker") and p.get("speaker_id") is not None:
            tally.pairs.append((people.identity(gold["speaker"]), str(p["speaker_id"])))
    for j, gold in enumerate(gold_quotes):
        kind = gold["kind"]
        counts[f"gold:{kind}"] += 1
        counts["exact_gold"] += any(s in predicted_spans for s in spans[j])
        hits = [p for p, row in zip(predictions, scores) if row[j] >= threshold]
        if not hits:
            tally.errors.append(error_case("missed", aid, text, gold, spans[j][0] if spans[j] else None))
            continue
        counts["tp_gold"] += 1
        counts[f"hit:{kind}"] += 1
        counts["e2e_gold"] += any(people.speaker_ok(gold.get("speaker"), p.get("speaker")) for p in hits)


# --- the report -----------------------------------------------------------------------


def bcubed(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of predicted clusters against gold ones.

    Each pair is ``(gold entity, predicted id)`` for one item (Bagga & Baldwin 1998).
    """
    if not pairs:
        return 0.0, 0.0, 0.0
    both, by_gold, by_pred = Counter(pairs), Counter(g for g, _ in pairs), Counter(p for _, p in pairs)
    precision = sum(both[g, p] / by_pred[p] for g, p in pairs) / len(pairs)
    recall = sum(both[g, p] / by_gold[g] for g, p in pairs) / len(pairs)
    return precision, recall, harmonic_mean(precision, recall)


@dataclass
class Report:
    """Every figure of an evaluation; ``to_dict`` keeps the shared scorer's key names."""

    articles: int
    gold: int
    pred: int
    precision: float
    recall: float
    f1: float
    gold_by_kind: dict[str, int]
    pred_by_kind: dict[str, int]
    recall_by_kind: dict[str, float]
    precision_by_kind: dict[str, float]
    f1_by_kind: dict[str, float]
    exact_precision: float
    exact_recall: float
    exact_f1: float
    mention_acc: float
    speaker_acc: float
    end2end_f1: float
    cluster_pairs: int
    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    unknown_article_ids: list[str]
    threshold: float = THRESHOLD
    errors: list[ErrorCase] = field(default_factory=list)

    def to_dict(self, *, with_errors: bool = False) -> dict[str, Any]:
        """The figures as JSON-ready data; the error cases only when asked for."""
        data = asdict(self)
        if not with_errors:
            del data["errors"]
        return data

    def table(self) -> str:
        """The figures as a plain-text table for people."""
        lines = [
            f"articles {self.articles}   gold quotes {self.gold}   predicted {self.pred}"
            f"   (match: token F1 ≥ {self.threshold:g})",
            "",
            f"{'':<22}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>8}{'F1':>8}",
            _row("quotes", self.gold, self.pred, self.precision, self.recall, self.f1),
        ]
        for kind in self.gold_by_kind:  # "-": no gold (recall) or no prediction (precision) of it
            counts = self.gold_by_kind[kind], self.pred_by_kind[kind]
            figures = (self.precision_by_kind.get(kind), self.recall_by_kind.get(kind), self.f1_by_kind.get(kind))
            lines.append(_row(f"  {kind}", *counts, *figures))
        exact = self.exact_precision, self.exact_recall, self.exact_f1
        lines += [
            _row("exact span", self.gold, self.pred, *exact),
            "",
            f"speaker mention accuracy   {self.mention_acc:.3f}",
            f"resolved speaker accuracy  {self.speaker_acc:.3f}",
            f"end-to-end F1              {self.end2end_f1:.3f}",
            f"speaker clusters (B-cubed over {self.cluster_pairs} quotes)"
            f"  P {self.bcubed_p:.3f}  R {self.bcubed_r:.3f}  F1 {self.bcubed_f1:.3f}",
        ]
        if self.unknown_article_ids:
            examples = ", ".join(self.unknown_article_ids[:3])
            lines.append(f"warning: predictions for unknown article ids, e.g. {examples}")
        return "\n".join(lines)

    def error_listing(self) -> str:
        """Missed and spurious quotes in text order, each with its context, the quote in [[ ]]."""
        blocks = []
        for e in sorted(self.errors, key=lambda e: (e.article_id, e.start if e.start is not None else -1)):
            where = f"{e.article_id}:{e.start}" if e.start is not None else e.article_id
            head = f"{e.error:<9} {e.kind or '-':<9} {where}   speaker: {e.speaker or '-'}   cue: {e.cue or '-'}"
            body = _flat(e.before) + "[[" + _flat(e.content) + "]]" + _flat(e.after)
            blocks.append(f"{head}\n    …{body}…")
        return "\n".join(blocks)


def _row(label: str, gold: int, pred: int, precision: float | None, recall: float | None, f1: float | None) -> str:
    """One line of the table: counts, then precision, recall and F1 ("-" when undefined)."""
    p, r, f = ("-" if x is None else f"{x:.3f}" for x in (precision, recall, f1))
    return f"{label:<22}{gold:>6}{pred:>6}{p:>11}{r:>8}{f:>8}"


def _flat(text: str) -> str:
    """Text on one line, runs of whitespace (paragraph breaks too) as one space."""
    return _SPACE.sub(" ", text)


def report_from_tally(tally: Tally, articles: int, unknown: set[str], threshold: float) -> Report:
    """Turn summed counts into precision, recall, F1 and accuracy figures."""
    c = tally.counts
    precision, recall = ratio(c["tp_pred"], c["pred"]), ratio(c["tp_gold"], c["gold"])
    gold_kinds = sorted(k.split(":", 1)[1] for k in c if k.startswith("gold:"))
    pred_kinds = sorted(k.split(":", 1)[1] for k in c if k.startswith("pred:"))
    recall_by_kind = {k: ratio(c[f"hit:{k}"], c[f"gold:{k}"]) for k in gold_kinds}
    precision_by_kind = {k: ratio(c[f"tp_pred:{k}"], c[f"pred:{k}"]) for k in pred_kinds}
    kinds = [k for k in KINDS if k in recall_by_kind or k in precision_by_kind]
    kinds += sorted((set(gold_kinds) | set(pred_kinds)) - set(KINDS))
    exact_p, exact_r = ratio(c["exact_pred"], c["pred"]), ratio(c["exact_gold"], c["gold"])
    e2e_p, e2e_r = ratio(c["speaker_ok"], c["pred"]), ratio(c["e2e_gold"], c["gold"])
    bp, br, bf = bcubed(tally.pairs)
    return Report(
        articles=articles,
        gold=c["gold"],
        pred=c["pred"],
        precision=precision,
        recall=recall,
        f1=harmonic_mean(precision, recall),
        gold_by_kind={k: c[f"gold:{k}"] for k in kinds},
        pred_by_kind={k: c[f"pred:{k}"] for k in kinds},
        recall_by_kind=recall_by_kind,
        precision_by_kind=precision_by_kind,
        f1_by_kind={
            k: harmonic_mean(precision_by_kind[k], recall_by_kind[k])
            for k in kinds
            if k in precision_by_kind and k in recall_by_kind
        },
        exact_precision=exact_p,
        exact_recall=exact_r,
        exact_f1=harmonic_mean(exact_p, exact_r),
        mention_acc=ratio(c["mention_ok"], c["tp_pred"]),
        speaker_acc=ratio(c["speaker_ok"], c["tp_pred"]),
        end2end_f1=harmonic_mean(e2e_p, e2e_r),
        cluster_pairs=len(tally.pairs),
        bcubed_p=bp,
        bcubed_r=br,
        bcubed_f1=bf,
        unknown_article_ids=sorted(unknown)[:5],
        threshold=threshold,
        errors=tally.errors,
    )


def score(
    gold: list[Record],
    predictions: Iterable[Record],
    *,
    language: str | None = None,
    aliases: Iterable[Iterable[str]] = (),
    threshold: float = THRESHOLD,
) -> Report:
    """Score predicted quotes against gold articles.

    Args:
        gold: gold articles (``load_gold``).
        predictions: predicted quotes, each with an ``article_id``.
        language: score only gold articles in this language (and predictions for them).
        aliases: extra groups of names of one person, spanning articles.
        threshold: token F1 a prediction needs to match a gold quote.

    Returns:
        The ``Report``; its ``unknown_article_ids`` names predictions for no gold article.
    """
    if language:
        gold = [a for a in gold if a.get("language") == language]
    ids = {str(a["id"]) for a in gold}
    by_article: dict[str, list[Record]] = defaultdict(list)
    for p in predictions:
        if not language or str(p.get("article_id")) in ids:
            by_article[str(p.get("article_id"))].append(p)
    people = People([*(g for a in gold for g in a.get("aliases", [])), *aliases])
    tally = Tally()
    for article in gold:
        score_article(article, dedupe_predictions(by_article.get(str(article["id"]), [])), people, threshold, tally)
    return report_from_tally(tally, len(gold), set(by_article) - ids, threshold)
