"""Claim grouping at a million statements: the full grouping, the encoder, one new article.

1. Takes the database of ``benchmarks/scale.py`` (1,000,000 PolNeAR quotes under Zipf-drawn
   speakers; generated through ``scale.generate`` when missing, or with ``--rows``).
2. Groups every statement into claims as a build does (``api.group_claims``: blocks by
   speaker, the encoder on every distinct statement of a block with two or more, vectors
   stored) and reports the wall time, the encoder's share, statements encoded, claims and
   peak memory. Target (issue 27): within 15 minutes.
3. Adds one article (a PolNeAR article's quotes, given speakers drawn like the others,
   the most quoted speaker among them) and times what a build then spends on claims: the
   regrouping of that article's blocks. Target: under a second.

Usage:
    .venv/bin/python benchmarks/claims_scale.py [--rows N] [--db PATH] [--regroup]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path


from quotetrack import api, store
from quotetrack.types import Article, Quote

import scale  # benchmarks/scale.py: the million-quote database

ROOT = Path(__file__).resolve().parent.parent


def timed_vectors(db, totals: dict):
    """``api.cached_vectors`` with the time spent inside the encoder counted apart."""
    from quotetrack.claims import encoder as encoder_module

    real = encoder_module.default_encoder()

    class Timed:
        def encode(self, texts):
            start = time.perf_counter()
            out = real.encode(texts)
            totals["encode_s"] += time.perf_counter() - start
            totals["encoded"] += len(texts)
            return out

    encoder_module.default_encoder = lambda: Timed()
    return api.cached_vectors(db)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_article(db, number: int) -> list[str]:
    """Store one more article (PolNeAR text and quotes), its quotes linked to the top speakers."""
    source = next(a for a in scale.load_polnear() if len(scale.unique_spans(a["quotes"])) >= 8)
    top = [row[0] for row in db.execute("select id, name from speakers order by quote_count desc limit 5").fetchall()]
    names = dict(db.execute("select id, name from speakers").fetchall())
    article = Article(
        id=f"new{number}",
        text=source["text"],
        language="en",
        outlet="New Outlet",
        published="2024-01-01",
        url=f"https://example.org/new/{number}",
    )
    rnd = random.Random(number)
    quotes = []
    for q in scale.unique_spans(source["quotes"])[:8]:
        speaker_id = rnd.choice(top)
        quotes.append(
            Quote(
                article_id=article.id,
                kind=q["kind"],
                content=q["content"],
                content_start=q["start"],
                content_end=q["end"],
                cue=q["cue"],
                speaker=names[speaker_id],
                article_speaker=names[speaker_id],
                speaker_type="person",
                language="en",
            )
        )
    store.write_article(db, article, quotes, [], status="extracted")
    with db.atomic():  # the build's resolution links every quote; here only the new ones need it
        for q in quotes:
            db.execute(
                "update quotes set speaker_id = ? where article_id = ? and content_start = ?",
                [next(k for k, v in names.items() if v == q.speaker), article.id, q.content_start],
            )
    return sorted({names[next(k for k, v in names.items() if v == q.speaker)] for q in quotes})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "scale.db")
    parser.add_argument(
        "--regroup", action="store_true", help="forget the claims and stored vectors and group everything again"
    )
    args = parser.parse_args()

    if scale.row_count(args.db) != args.rows:
        start = time.perf_counter()
        scale.generate(args.db, args.rows, seed=1)
        print(f"generated {args.db} ({args.rows:,} quotes) in {time.perf_counter() - start:.0f} s", flush=True)
    db = store.open_db(args.db)
    db.execute("PRAGMA cache_size = -1000000")
    if args.regroup:
        with db.atomic():
            db.execute("update quotes set claim_group_id = null, claim_outlets = null, claim_drift = null")
            db.execute("delete from claim_groups")
            db.execute("delete from claim_vectors")
    totals = {"encode_s": 0.0, "encoded": 0}
    vectors = timed_vectors(db, totals)

    start, cpu = time.perf_counter(), time.process_time()
    regrouped = api.group_claims(db, vectors=vectors)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    groups = db["claim_groups"].count
    multi = db.execute("select count(*), sum(quote_count) from claim_groups where quote_count > 1").fetchone()
    # the machine is shared: CPU time shows the work when the wall clock also counts other jobs
    print(
        f"grouped {regrouped:,} statements into {groups:,} claims in {took:.0f} s wall ({took / 60:.1f} min; "
        f"target 15 min), {cpu:.0f} s CPU"
    )
    print(f"  {multi[0]:,} claims carried more than once hold {multi[1] or 0:,} statements")
    print(
        f"  encoder: {totals['encoded']:,} distinct statements in {totals['encode_s']:.0f} s "
        f"({totals['encode_s'] / max(totals['encoded'], 1) * 1000:.1f} ms each); "
        f"{db['claim_vectors'].count:,} vectors stored; peak RSS {peak_mb():,.0f} MB",
        flush=True,
    )

    for number in (1, 2, 3):
        speakers = add_article(db, number)
        totals.update(encode_s=0.0, encoded=0)
        start, cpu = time.perf_counter(), time.process_time()
        regrouped = api.group_claims(db, vectors=vectors)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"one new article (8 quotes by {', '.join(speakers)}): claims done in {took:.2f} s wall, {cpu:.2f} s CPU "
            f"({regrouped:,} statements compared; {totals['encoded']} encoded in {totals['encode_s']:.2f} s)"
            "; target < 1 s",
            flush=True,
        )
    print(f"peak RSS {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
