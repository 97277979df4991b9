"""What adding articles to a large database costs: the update must cost what it adds.

1. Generates a database of ``--rows`` quotes with ``benchmarks/scale.py`` (PolNeAR texts and
   gold attributions under new ids, Zipf speakers), unless ``--reuse`` finds one.
2. ``quotetrack resolve`` on it once: indexes the quotes' speaker columns and resolves every
   speaker (the one-off cost of a database from before the index; also what a curation
   change costs); then groups every statement into claims, as a build would (one-off).
3. In a fresh process each (so peak memory is the step's own): ``quotetrack build`` of 1 new
   article, then of 100 new ones (PolNeAR train texts under new ids), into that database;
   and, for comparison, the same builds into an empty database (extraction alone).
   Prints wall time, peak RSS and what the resolution read and rewrote.

Targets (issue 24): 1 article in under 3 s and 400 MB at 1,000,000 quotes; 100 articles in
roughly 100 x one article's extraction; the same at 100,000 quotes (cost independent of the
archive).

Usage:
    .venv/bin/python benchmarks/incremental.py [--rows N] [--db PATH] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import generate, row_count  # noqa: E402 - the benchmark next door builds the database

from quotetrack import api, speaker_index, store  # noqa: E402
from quotetrack.curation import load_curation  # noqa: E402

TRAIN = ROOT.parent / "shared" / "bench" / "polnear" / "train.jsonl"

STEP = """
import json, sys, time
from quotetrack import api
start = time.perf_counter()
summary = api.build([sys.argv[1]], db_path=sys.argv[2])
wall = time.perf_counter() - start
stats = summary.resolution
# VmHWM, not ru_maxrss: ru_maxrss keeps the (large) parent's peak across fork and exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"wall": wall, "rss_mb": peak / 1024,
                  "extracted": summary.extracted, "quotes": summary.quotes, "groups": stats.groups,
                  "refs": stats.refs, "refs_relinked": stats.refs_relinked, "quotes_rewritten": stats.quotes_rewritten,
                  "speakers_written": stats.speakers_written, "speakers_removed": stats.speakers_removed,
                  "aliases_written": stats.aliases_written}))
"""


def new_articles(path: Path, count: int, offset: int) -> Path:
    """``count`` PolNeAR train texts under ids no generated article has."""
    lines = TRAIN.read_text("utf-8").splitlines()[offset : offset + count]
    path.write_text(
        "\n".join(json.dumps({**json.loads(line), "id": f"new-{offset + n}"}) for n, line in enumerate(lines)) + "\n",
        "utf-8",
    )
    return path


def step(inputs: Path, db_path: Path) -> dict:
    """One ``api.build`` in a fresh interpreter: its wall time, peak RSS and resolve stats."""
    out = subprocess.run(
        [sys.executable, "-c", STEP, str(inputs), str(db_path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, result: dict) -> None:
    print(
        f"  {name:<34}{result['wall']:7.2f} s {result['rss_mb']:7.0f} MB   resolved {result['groups']:,} groups"
        f" / {result['refs']:,} refs; rewrote {result['refs_relinked']:,} refs, "
        f"{result['quotes_rewritten']:,} quote rows, {result['speakers_written']:,} speakers "
        f"(+{result['aliases_written']:,} aliases), removed {result['speakers_removed']:,}",
        flush=True,
    )


def resolved(path: Path) -> bool:
    """Whether the resolver indexed the database under the current rules (else the first
    build resolves everything again, as after an upgrade of quotetrack: not what is measured)."""
    db = store.open_db(path)
    try:
        if not db["speaker_refs"].exists():
            return False
        state = dict(db.execute("select name, value from resolver_state").fetchall())
    finally:
        db.close()
    return state.get("rules") == speaker_index.rules_fingerprint(load_curation(path.parent / "speakers.yml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="quotes to generate")
    parser.add_argument("--db", type=Path, default=None, help="default: data/incremental-ROWS.db")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it has --rows quotes or more")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = args.db or ROOT / "data" / f"incremental-{args.rows}.db"
    if not (args.reuse and row_count(base) >= args.rows):
        start = time.perf_counter()
        generate(base, args.rows, args.seed)
        print(f"generated {base} ({args.rows:,} quotes) in {time.perf_counter() - start:.0f} s", flush=True)
    if not resolved(base):  # the generator writes speakers of its own, not the resolver's
        start = time.perf_counter()
        stats = api.resolve(db_path=base)
        print(
            f"quotetrack resolve (index + full resolution): {time.perf_counter() - start:.1f} s, "
            f"{stats.refs:,} refs, {stats.speakers_written:,} speakers",
            flush=True,
        )
    db = store.open_db(base)
    start = time.perf_counter()
    grouped = api.group_claims(db)  # what the build after the resolution would do; nothing when done
    print(f"claims: {grouped:,} statements grouped in {time.perf_counter() - start:.1f} s", flush=True)
    counts = store.counts(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy below is then the whole database
    db.close()
    print(f"database: {counts['quotes']:,} quotes, {counts['speakers']:,} speakers, {counts['articles']:,} articles")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        one, hundred = new_articles(tmp / "one.jsonl", 1, 0), new_articles(tmp / "hundred.jsonl", 100, 1)
        work = tmp / "work.db"
        shutil.copy(base, work)
        with open(work, "rb+") as copy:  # on disk before timing: else the step's first fsync
            os.fsync(copy.fileno())  # writes the whole copy back (up to a second at a million)
        print(f"\nadding articles to {counts['quotes']:,} quotes (fresh process each):")
        report("1 article", step(one, work))
        report("100 more articles", step(hundred, work))
        print("\nthe same articles into an empty database (extraction, no archive):")
        report("1 article", step(one, tmp / "empty.db"))
        report("100 more articles", step(hundred, tmp / "empty.db"))


if __name__ == "__main__":
    main()
