"""Claim grouping at a million statements: the full grouping, the encoder, one new article.

1. Takes the database of ``benchmarks/scale.py`` (1,000,000 PolNeAR quotes under Zipf-drawn
   speakers; generated through ``scale.generate`` when missing, or with ``--rows``).
2. Groups every statement into claims as a build does (``api.group_claims``: blocks by
   speaker, the encoder on every distinct statement of a block with two or more, vectors
   stored) and reports the wall time, the encoder's share, statements encoded, claims and
   peak memory. Target (issue 27): within 15 minutes.
3. Adds one article, three times (a PolNeAR article's quotes with two words added, so they
   are new statements to encode, given to the five most quoted speakers) and times what a
   build then spends on claims: taking its statements into those speakers' claims. Target:
   under a second. The encoder is loaded before (a build loads it once, ~1 s, see
   ``--regroup``'s figures); a database from before ``claim_index`` gains it on open.

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


class TimedEncoder:
    """The packaged sentence encoder, with the time spent inside it counted apart."""

    def __init__(self, totals: dict):
        from quotetrack.claims.encoder import MODEL_NAME, default_encoder

        self.name = MODEL_NAME  # its vectors are the packaged encoder's: stored under its name
        start = time.perf_counter()
        self.real = default_encoder()
        self.real.encode(["A first call sets the model up."])
        totals["load_s"] = time.perf_counter() - start  # once per build process
        self.totals = totals

    def encode(self, texts):
        start = time.perf_counter()
        out = self.real.encode(texts)
        self.totals["encode_s"] += time.perf_counter() - start
        self.totals["encoded"] += len(texts)
        return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def add_article(db, number: int) -> list[str]:
    """Store one more article (PolNeAR text and quotes), its quotes linked to the top speakers."""
    sources = [a for a in scale.load_polnear() if len(scale.unique_spans(a["quotes"])) >= 8]
    source = sources[number % len(sources)]
    top = [row[0] for row in db.execute("select id, name from speakers order by quote_count desc limit 5").fetchall()]
    names = dict(db.execute("select id, name from speakers").fetchall())
    earlier = db.execute("select count(*) from articles where id like 'new%'").fetchone()[0]  # of earlier runs
    article = Article(
        id=f"new{earlier + 1}",
        text=source["text"],
        language="en",
        outlet="New Outlet",
        published="2024-01-01",
        url=f"https://example.org/new/{earlier + 1}",
    )
    rnd = random.Random(number)
    quotes = []
    for q in scale.unique_spans(source["quotes"])[:8]:
        speaker_id = rnd.choice(top)
        quotes.append(
            Quote(
                article_id=article.id,
                kind=q["kind"],
                content=f"{q['content']} (update {earlier + 1})",  # words no statement had: encoded
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

    if scale.row_count(args.db) < args.rows:  # the articles earlier runs added stay
        start = time.perf_counter()
        scale.generate(args.db, args.rows, seed=1)
        print(f"generated {args.db} ({args.rows:,} quotes) in {time.perf_counter() - start:.0f} s", flush=True)
    db = store.open_db(args.db)
    db.execute("PRAGMA cache_size = -1000000")
    if args.regroup:
        with db.atomic():
            db.execute("update quotes set claim_group_id = null, claim_outlets = null, claim_drift = null")
            db.execute("delete from claim_index")
            db.execute("delete from claim_groups")
            db.execute("delete from claim_vectors")
    totals = {"encode_s": 0.0, "encoded": 0}
    encoder = TimedEncoder(totals)
    print(f"encoder loaded and set up in {totals['load_s']:.2f} s (once per build process)", flush=True)

    start, cpu = time.perf_counter(), time.process_time()
    regrouped = api.group_claims(db, encoder=encoder)
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
        regrouped = api.group_claims(db, encoder=encoder)
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
