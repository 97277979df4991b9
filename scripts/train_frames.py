"""Fit the attribution-frame model (``quotetrack.extract.frames``) on a gold corpus.

    pip install -e '.[train]'
    python scripts/train_frames.py ../shared/bench/polnear/train.jsonl \
        --out src/quotetrack/data/models/en_frames.json

The candidates are the ones the extractor scores at run time, over whole articles: the
pipeline runs with the frame model switched off, and every (verb, frame) left free by the
lexicon rules is labelled 1 when its content matches a gold quote (token F1 ≥ 0.5, the
scorer's criterion), else 0. Whole articles, not the pre-filter's chunks, because the
pre-filter's verbs come from the model (``FrameModel.likely_cues``): every verb must be seen
to earn its weight. The file written holds feature weights and counts;
the feature names carry single words of the corpus (lemmas, first words), never its sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quotetrack.evaluate import THRESHOLD, bag, gold_parts, load_gold, token_f1
from quotetrack.extract import load_pipeline


def labelled_candidates(gold_path: str, model: str | None) -> tuple[list[list[str]], list[int]]:
    nlp = load_pipeline(model, frames=False)  # the lexicon rules alone decide what is taken
    rules = nlp.get_pipe("quotetrack_quotes").rules
    articles = [a for a in load_gold(gold_path) if a.get("language", "en") == "en"]
    X, y = [], []

    texts = ((article["text"], k) for k, article in enumerate(articles))
    for n, (doc, k) in enumerate(nlp.pipe(texts, as_tuples=True, batch_size=32)):
        golds = [gold_parts(q) for q in articles[k]["quotes"]]
        for cand, feats in rules.frame_candidates(doc, doc._.quotes):
            if rules.frame_speaker(cand) is None:
                continue
            start, end = cand.span
            content = bag(doc.text[start:end])
            y.append(int(any(token_f1(content, part) >= THRESHOLD for parts in golds for part in parts)))
            X.append(feats)
        if n % 100 == 0:
            print(f"  {n} articles, {len(X)} candidates", file=sys.stderr)
    return X, y


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", help="gold JSONL in the seeds' schema")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--model", help="spaCy pipeline (default: the project's)")
    ap.add_argument("--C", type=float, default=0.3, help="inverse L2 strength")
    ap.add_argument("--threshold", type=float, default=0.52, help="probability a candidate needs")
    ap.add_argument("--min-weight", type=float, default=0.02, help="drop weights smaller than this")
    a = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = labelled_candidates(a.gold, a.model)
    vec = DictVectorizer()
    matrix = vec.fit_transform([dict.fromkeys(f, 1) for f in X])
    clf = LogisticRegression(C=a.C, max_iter=5000).fit(matrix, y)
    weights = {name: round(float(w), 4) for name, w in zip(vec.feature_names_, clf.coef_[0]) if abs(w) >= a.min_weight}
    model = {
        "about": "Logistic model of quotetrack.extract.frames; written by scripts/train_frames.py.",
        "trained_on": f"{Path(a.gold).parent.name}/{Path(a.gold).name}",
        "candidates": len(y),
        "positives": sum(y),
        "C": a.C,
        "min_weight": a.min_weight,
        "threshold": a.threshold,
        "bias": round(float(clf.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(y)} candidates, {sum(y)} positive, {len(weights)} weights -> {a.out}")


if __name__ == "__main__":
    main()
