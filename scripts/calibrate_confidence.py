#!/usr/bin/env python
"""Fit the rates behind ``Quote.confidence`` on hand-annotated news (quotetrack.extract.confidence).

    .venv/bin/python scripts/calibrate_confidence.py ../shared/gold/news-dev.jsonl \
        --aliases ../shared/gold/news-dev-aliases.json --out src/quotetrack/data/models/confidence.json

For each way a statement is found, the share of such predictions that match a gold statement
(token F1 >= 0.5, as the scorer counts); for each way a speaker is found, the share of matched
predictions whose resolved speaker is the gold speaker. Kinds seen fewer than MIN_SEEN times
take the overall rate. Prints the table and the calibration of the product by band.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from quotetrack import api
from quotetrack.evaluate import People, best_match, dedupe_predictions, load_aliases, load_gold, match_scores
from quotetrack.extract.confidence import speaker_kind, statement_kind
from quotetrack.extract.linking import is_pronoun
from quotetrack.types import Quote, confidence_band

MIN_SEEN = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold")
    parser.add_argument("--aliases")
    parser.add_argument("--out")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    extra = load_aliases(args.aliases) if args.aliases else []
    people = People([g for a in gold for g in a.get("aliases", [])] + extra)
    predicted = [q.to_dict() for q in api.extract([args.gold])]
    seen, hit, spoken, right = Counter(), Counter(), Counter(), Counter()
    outcomes = []  # (statement kind, speaker kind, both right)
    for article in gold:
        preds = dedupe_predictions(p for p in predicted if str(p["article_id"]) == str(article["id"]))
        for p, row in zip(preds, match_scores(article["quotes"], preds)):
            q = Quote.from_dict(p)
            s_kind, p_kind = statement_kind(q), speaker_kind(q, is_pronoun(q.speaker_mention))
            j = best_match(row, 0.5)
            seen[s_kind] += 1
            hit[s_kind] += j is not None
            ok = j is not None and people.speaker_ok(article["quotes"][j].get("speaker"), q.speaker)
            if j is not None:
                spoken[p_kind] += 1
                right[p_kind] += ok
            outcomes.append((s_kind, p_kind, ok))
    overall = sum(right.values()) / max(1, sum(spoken.values()))
    table = {
        "statement": {k: round(hit[k] / seen[k], 3) for k in seen if seen[k] >= MIN_SEEN},
        "speaker": {k: round(right[k] / spoken[k], 3) for k in spoken if spoken[k] >= MIN_SEEN},
        "default": round(overall, 3),
        "fitted_on": Path(args.gold).name,
        "counts": {"statement": dict(seen), "speaker": dict(spoken)},
    }
    print(json.dumps(table, indent=1, ensure_ascii=False))
    bands = Counter()
    for s_kind, p_kind, ok in outcomes:
        c = table["statement"].get(s_kind, table["default"]) * table["speaker"].get(p_kind, table["default"])
        bands[confidence_band(round(c, 2)), "n"] += 1
        bands[confidence_band(round(c, 2)), "right"] += ok
    for name in ("high", "medium", "low"):
        n = bands[name, "n"]
        print(f"{name}: {n} statements, {bands[name, 'right'] / n if n else 0:.3f} right end to end")
    if args.out:
        Path(args.out).write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
