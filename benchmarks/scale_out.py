"""Extraction scale-out: PolNeAR train through a local Dask cluster against the local build.

Builds ``../shared/bench/polnear/train.jsonl`` (840 articles) into a fresh database four ways:
locally with one process, locally with ``--workers 2``, and through a Dask cluster this
script starts on 127.0.0.1 (``LocalCluster``, processes, one thread each) with 1 and with 2
workers. Each cluster's workers load the pipeline first (``Client.run``), so the timings
are of the build. Prints each wall time, the speed-up of 2 Dask workers over 1, and whether
every database holds the same rows (articles, quotes, speakers, aliases; times left out).

Then the parts of a capacity model: articles per hour per worker core (1 Dask worker), the
SQLite writer's quote rows per second (the results written again into a fresh database,
nothing else running), and speaker resolution per million mentions (the train refs
resolved 1,2,4... times over under new article ids).

Target (issue 24): 2 workers at least 1.7 x one on this 2-core machine; same rows.

Usage:
    .venv/bin/python benchmarks/scale_out.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from quotetrack import api, resolve, store
from quotetrack.curation import load_curation
from quotetrack.romanize import romanize_name
from quotetrack.types import SpeakerRef

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "bench" / "polnear" / "train.jsonl"
TABLES = {"articles": "id", "quotes": "id", "speakers": "id", "aliases": "speaker_id, name"}
VOLATILE = {"ingested_at"}


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of the built tables, in key order, without the write times."""
    db = store.open_db(db_path)
    out = {}
    for table, order in TABLES.items():
        out[table] = [
            tuple(v for k, v in row.items() if k not in VOLATILE) for row in db[table].rows_where(order_by=order)
        ]
    db.close()
    return out


def timed_build(inputs: Path, db_path: Path, **options) -> float:
    start = time.perf_counter()
    api.build([inputs], db_path=db_path, rebuild=True, **options)
    return time.perf_counter() - start


def dask_build(inputs: Path, db_path: Path, workers: int) -> float:
    from distributed import Client, LocalCluster

    from quotetrack.extract import extract_batch, extractor_spec

    import dask
    import yaml

    # the workers' configuration docs/scale-out.md gives (no profiler, glibc's own malloc trimming),
    # as dotted keys: a nested mapping would replace Dask's whole "distributed" section
    worker_config = dotted(yaml.safe_load((ROOT / "deploy" / "dask.yaml").read_text("utf-8")))
    with (
        dask.config.set(worker_config),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        # every worker loads the pipeline and the encoder before the clock starts (a warm-up
        # build may hand all its batches to one worker)
        client.run(extract_batch, extractor_spec(frames=False, encode=True), [])  # what build runs by default
        return timed_build(inputs, db_path, scheduler=cluster.scheduler_address)


def dotted(config: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}} -> {"a.b": 1}."""
    out = {}
    for key, value in config.items():
        if isinstance(value, dict):
            out.update(dotted(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def writer_rate(db_path: Path, scratch: Path) -> tuple[int, float]:
    """Quote rows per second of ``store.write_article`` alone, replaying a built database."""
    from quotetrack.types import Article, Quote

    source = store.open_db(db_path)
    articles = [Article.from_dict(row) for row in source["articles"].rows_where(order_by="id")]
    quotes: dict[str, list[Quote]] = {}
    for row in source["quotes"].rows_where(order_by="article_id, content_start"):
        quotes.setdefault(row["article_id"], []).append(Quote.from_dict(row))
    target = store.open_db(scratch, rebuild=True)
    start = time.perf_counter()
    for article in articles:
        store.write_article(target, article, quotes.get(article.id, []), [], status="extracted")
    seconds = time.perf_counter() - start
    return sum(len(q) for q in quotes.values()), seconds


def resolution_rate(db_path: Path) -> list[tuple[int, float]]:
    """(mentions, seconds) of resolving the train refs copied 1, 2, 4 and 8 times."""
    refs = resolve.speaker_refs(store.read_quotes(store.open_db(db_path)))
    out = []
    for copies in (1, 2, 4, 8):
        many = [
            SpeakerRef(
                **{**vars(r), "article_id": f"{r.article_id}#{n}", "aliases": list(r.aliases), "roles": list(r.roles)}
            )
            for n in range(copies)
            for r in refs
        ]
        start = time.perf_counter()
        resolve.resolve_speakers(many, load_curation(), romanize=romanize_name)
        out.append((sum(r.quotes for r in many), time.perf_counter() - start))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N train articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs, warmup = TRAIN, tmp / "warmup.jsonl"
        lines = TRAIN.read_text("utf-8").splitlines()
        if args.limit:
            inputs = tmp / "train.jsonl"
            inputs.write_text("\n".join(lines[: args.limit]) + "\n", "utf-8")
        warmup.write_text(
            "\n".join(json.dumps({**json.loads(line), "id": f"warm{n}"}) for n, line in enumerate(lines[:4])) + "\n",
            "utf-8",
        )
        articles = len(inputs.read_text("utf-8").splitlines())
        api.build([warmup], db_path=tmp / "warm.db")  # this process loads its pipeline untimed
        print(f"PolNeAR train, {articles} articles", flush=True)
        runs = {}
        for name, run in (
            ("local, 1 process", lambda: timed_build(inputs, tmp / "local1.db")),
            ("local, --workers 2", lambda: timed_build(inputs, tmp / "local2.db", workers=2)),
            ("Dask, 1 worker", lambda: dask_build(inputs, tmp / "dask1.db", 1)),
            ("Dask, 2 workers", lambda: dask_build(inputs, tmp / "dask2.db", 2)),
        ):
            runs[name] = seconds = run()
            print(f"  {name:<20}{seconds:8.1f} s  {articles / seconds:6.1f} articles/s", flush=True)
        print(
            f"  speed-up, 2 Dask workers over 1: {runs['Dask, 1 worker'] / runs['Dask, 2 workers']:.2f} x"
            " (target >= 1.7)"
        )
        reference = snapshot(tmp / "local1.db")
        for name in ("local2", "dask1", "dask2"):
            same = snapshot(tmp / f"{name}.db") == reference
            print(f"  {name}.db rows identical to local1.db: {same}")
        counts = {t: len(rows) for t, rows in reference.items()}
        print(f"  rows: {counts}")

        print("\ncapacity model parts")
        print(f"  extraction: {articles / runs['Dask, 1 worker'] * 3600:,.0f} articles/hour per worker core")
        rows, seconds = writer_rate(tmp / "local1.db", tmp / "writer.db")
        print(
            f"  SQLite writer: {rows:,} quote rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s "
            f"({articles / seconds:,.0f} articles/s)"
        )
        for mentions, seconds in resolution_rate(tmp / "local1.db"):
            print(
                f"  resolution: {mentions:,} mentions in {seconds:.2f} s = "
                f"{seconds / mentions * 1e6:.1f} s per million mentions"
            )


if __name__ == "__main__":
    main()
