"""Any input size: extraction time and memory of one article of 1, 2 and 4 MB.

The texts are PolNeAR dev articles run together (real news prose, quotes and all), either
with their paragraph breaks or as one line (no newline at all: the text spaCy refused with
E088 over 1,000,000 characters). Each size runs in a fresh process, so the peak RSS is its
own. Prints wall time, quotes found, time per MB and the 4 MB / 1 MB ratio.

Target (issue 24): a 4 MB text takes at most about 4 x a 1 MB one; no E088.

Usage:
    .venv/bin/python benchmarks/long_texts.py [--sizes 1 2 4] [--one-line]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "bench" / "polnear" / "dev.jsonl"

STEP = """
import json, sys, time
from quotetrack.extract import extract_articles
from quotetrack.types import Article
text = open(sys.argv[1], encoding="utf-8").read()
list(extract_articles([Article(id="warm", text="Warm-up, he said.", language="en")]))
start = time.perf_counter()
[result] = extract_articles([Article(id="long", text=text, language="en")])
print(json.dumps({"wall": time.perf_counter() - start, "quotes": len(result.quotes),
                  "problems": sorted({p.code for p in result.problems}),
                  "rss_mb": next(int(line.split()[1]) for line in open("/proc/self/status")
                                 if line.startswith("VmHWM:")) / 1024}))
"""


def long_text(megabytes: float, one_line: bool) -> str:
    prose = "\n\n".join(json.loads(line)["text"] for line in DEV.read_text("utf-8").splitlines())
    if one_line:
        prose = " ".join(prose.split())
    text = prose
    while len(text.encode("utf-8")) < megabytes * 1_000_000:
        text += "\n\n" + prose if not one_line else " " + prose
    return text.encode("utf-8")[: int(megabytes * 1_000_000)].decode("utf-8", "ignore")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4], help="megabytes")
    parser.add_argument("--one-line", action="store_true", help="no newline in the text")
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        path = Path(f"/tmp/quotetrack-long-{size}.txt")
        path.write_text(long_text(size, args.one_line), "utf-8")
        out = subprocess.run([sys.executable, "-c", STEP, str(path)], capture_output=True, text=True, check=True)
        path.unlink()
        results[size] = result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{size} MB{' (one line)' if args.one_line else ''}: {result['wall']:7.1f} s "
            f"({result['wall'] / size:5.1f} s/MB), {result['rss_mb']:5.0f} MB peak, {result['quotes']:,} quotes, "
            f"problems {result['problems']}",
            flush=True,
        )
    if 1 in results and 4 in results:
        print(f"4 MB / 1 MB time: {results[4]['wall'] / results[1]['wall']:.2f} (target about 4 or less)")


if __name__ == "__main__":
    main()
