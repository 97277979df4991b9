"""Articles per second of ``quotetrack build`` on PolNeAR train, with 1 and 2 workers.

Each run is a cold ``build --rebuild`` into a fresh database, as a user runs it: reading the
JSONL, loading the pipeline, extracting, writing each article in its own transaction and
resolving speakers over the whole database. A second, warm run on the same database shows
the cost of a rebuild that finds every article unchanged. CPU seconds (this process and its
worker processes) are printed beside wall-clock time: on a shared machine they show the work
done when the wall clock is inflated by other jobs.

Usage:
    .venv/bin/python benchmarks/build_polnear.py [--corpus PATH] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from quotetrack import api

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "bench" / "polnear" / "train.jsonl"


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def timed_build(corpus: Path, db_path: Path, **options) -> tuple[api.BuildSummary, float, float]:
    """Run ``api.build`` once; return its summary, wall-clock seconds and CPU seconds."""
    start, cpu = time.perf_counter(), cpu_seconds()
    summary = api.build([corpus], db_path=db_path, **options)
    return summary, time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=TRAIN)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    if not args.corpus.exists():
        parser.error(f"{args.corpus} not found (PolNeAR lives in ../shared/bench/polnear)")
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            db_path = Path(tmp) / f"workers{workers}.db"
            summary, seconds, cpu = timed_build(
                args.corpus, db_path, rebuild=True, workers=workers, batch_size=args.batch_size
            )
            print(
                f"workers={workers}: {summary.read} articles in {seconds:.1f} s = "
                f"{summary.read / seconds:.1f} articles/s ({cpu:.1f} CPU s; {summary.quotes} "
                f"quotes, {summary.speakers} speakers, {summary.failed} failed)"
            )
        again, seconds, cpu = timed_build(args.corpus, db_path)
        print(f"rerun, nothing changed: {again.unchanged} unchanged articles in {seconds:.1f} s ({cpu:.1f} CPU s)")


if __name__ == "__main__":
    main()
