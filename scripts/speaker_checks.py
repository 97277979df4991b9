"""Count speaker errors a reader spots at once in ``quotetrack extract --format jsonl`` output.

    .venv/bin/quotetrack extract --format jsonl ../shared/bench/polnear/dev.jsonl > /tmp/dev.jsonl
    .venv/bin/python scripts/speaker_checks.py /tmp/dev.jsonl

No gold needed: PolNeAR's gold speaker is the mention itself ("who", "Gov. Mike Pence, the
running mate,"), so the scorer cannot tell a resolved speaker from an unresolved one. Printed:

- quotes whose speaker is a relative pronoun (``who``, ``which``, ``that``);
- person speakers whose name still holds a title (``Indiana Gov. Mike Pence``) or is one
  (``Judge``);
- "he"/"she" resolved to a person whose given name marks the other gender
  (``quotetrack.names.name_gender``, so the same lexicon linking uses: a floor, not a proof);
- "he"/"she" given a speaker the article never quotes by name (a cross-article merge);
- quotes whose one-word speaker is typed organization or anonymous although the same article
  has a person of that surname (``Trump`` as an organization beside ``Donald J. Trump``);
- distinct speakers.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from quotetrack.extract.lexicons import word_list
from quotetrack.extract.linking import pronoun_genders
from quotetrack.names import name_gender


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pred", help="JSONL printed by quotetrack extract --format jsonl")
    lines = Path(ap.parse_args().pred).read_text("utf-8").splitlines()
    quotes = [json.loads(line) for line in lines if line.strip()]
    titles = word_list("titles", "en.txt")
    by_article = defaultdict(list)
    for q in quotes:
        by_article[q["article_id"]].append(q)
    mistyped = unnamed = 0
    for article in by_article.values():
        surnames = {q["speaker"].split()[-1] for q in article if q["speaker_type"] == "person" and q["speaker"]}
        mistyped += sum(q["speaker_type"] != "person" and q["speaker"] in surnames for q in article)
        named = {q["speaker_id"] for q in article if pronoun(q) is None}
        unnamed += sum(
            pronoun(q) is not None and q["speaker_type"] == "person" and q["speaker_id"] not in named for q in article
        )
    titled = {
        q["speaker"]
        for q in quotes
        if q["speaker_type"] == "person"
        and q["speaker"]
        and (
            any(w.lower().rstrip(".") in titles for w in q["speaker"].split()[:-1])
            or q["speaker"].lower().rstrip(".") in titles
        )
    }
    crossed = sum(pronoun(q) not in (None, name_gender(q["speaker"] or "") or pronoun(q)) for q in quotes)
    print(f"quotes {len(quotes)}")
    print(f"speaker is a relative pronoun: {sum(q['speaker'] in ('who', 'which', 'that') for q in quotes)}")
    print(f"person speakers with a title in the name: {len(titled)}")
    print(f"he/she resolved to a person of the other gender (by given name): {crossed}")
    print(f"he/she resolved to a person the article never quotes by name: {unnamed}")
    print(f"surname of an article's person typed organization/anonymous: {mistyped}")
    print(f"distinct speakers: {len({q['speaker_id'] for q in quotes})}")


def pronoun(q: dict) -> str | None:
    """The gender of a he/she mention, None for any other mention."""
    return pronoun_genders().get((q["speaker_mention"] or "").lower())


if __name__ == "__main__":
    main()
