"""quotetrack eval: the scorer on tiny hand-made gold, and its agreement with ../shared."""

import json
import random
import subprocess
import sys

import pytest
from click.testing import CliRunner

from quotetrack import evaluate as ev
from quotetrack.cli import cli
from quotetrack.errors import BadEvalFile

TEXT = (
    '"We will not retreat," said Mustafa Al-Mujie, the spokesman. '
    "Al-Majei added that the forces were ready. "
    "Analysts believe that the war is far from over."
)
GOLD = [
    {
        "id": "a1",
        "language": "en",
        "text": TEXT,
        "quotes": [
            {
                "kind": "direct",
                "content": "We will not retreat,",
                "cue": "said",
                "speaker_mention": "Mustafa Al-Mujie",
                "speaker": "Mustafa Al-Mujie",
                "speaker_type": "person",
            },
            {
                "kind": "indirect",
                "content": "the forces were ready",
                "cue": "added",
                "speaker_mention": "Al-Majei",
                "speaker": "Mustafa Al-Mujie",
                "speaker_type": "person",
            },
            {
                "kind": "indirect",
                "content": "the war is far from over",
                "cue": "believe",
                "speaker_mention": "Analysts",
                "speaker": "Analysts",
                "speaker_type": "anonymous",
            },
        ],
        "aliases": [["Mustafa Al-Mujie", "Al-Majei"]],
    },
    {"id": "b2", "language": "ar", "text": "نص", "quotes": [], "aliases": []},
]


def pred(content, kind="indirect", speaker=None, speaker_id=None, mention=None, article_id="a1"):
    """A predicted quote with its offsets in TEXT."""
    start = TEXT.find(content)
    return {
        "article_id": article_id,
        "kind": kind,
        "content": content,
        "content_start": start,
        "content_end": start + len(content),
        "speaker": speaker,
        "speaker_id": speaker_id,
        "speaker_mention": mention,
        "cue": None,
    }


PREDS = [
    pred(
        "We will not retreat,", kind="direct", speaker="Mustafa Al-Mujie", speaker_id="s1", mention="Mustafa Al-Mujie"
    ),
    pred("the forces were", speaker="Al-Majei", speaker_id="s2", mention="He"),  # partial, wrong id
    pred("the forces were", speaker="Al-Majei", speaker_id="s2"),  # same content: deduplicated
    pred("Analysts believe that", kind="direct", speaker="Analysts"),  # spurious
]


def test_tokens_normalize_and_drop_stop_words():
    assert ev.tokens("The ﬁnal WORD, al-Majei!") == ["the", "final", "word", "al", "majei"]
    assert ev.tokens("Mr. Al-Majei", drop_stop=True) == ["majei"]
    assert ev.tokens(None) == []


def test_token_f1():
    assert ev.token_f1(ev.bag("a b c d"), ev.bag("a b")) == pytest.approx(2 / 3)
    assert ev.token_f1(ev.bag("x x y"), ev.bag("x y y")) == pytest.approx(2 / 3)
    assert ev.token_f1(ev.bag(""), ev.bag("a")) == 0.0


def test_people_join_groups_sharing_a_name_across_articles():
    people = ev.People([["Mustafa Al-Mujie", "Al-Majei"], ["al-Majei", "Mujie Mustafa"], ["Fathi Bashagha"]])
    assert people.identity("Mujie Mustafa") == people.identity("Mustafa Al-Mujie")
    assert people.identity("Fathi Bashagha") != people.identity("Al-Majei")
    assert people.names("Al-Majei") >= {"Mustafa Al-Mujie", "Mujie Mustafa"}
    # "Majei" shares no half of "Mustafa Al-Mujie"'s tokens, but names an alias of him
    assert people.speaker_ok("Mustafa Al-Mujie", "Majei")
    assert not people.speaker_ok("Mustafa Al-Mujie", "He")
    assert people.speaker_ok(None, "") and not people.speaker_ok("Analysts", None)


def test_dedupe_predictions_by_content():
    kept = ev.dedupe_predictions([{"content": " a "}, {"content": "a"}, {"content": ""}, {"content": "b"}])
    assert [p["content"] for p in kept] == [" a ", "b"]


def test_bcubed():
    # gold: x x y; predicted: 1 1 1 -> precision (2/3+2/3+1/3)/3, recall 1
    p, r, f = ev.bcubed([("x", "1"), ("x", "1"), ("y", "1")])
    assert (p, r) == (pytest.approx(5 / 9), 1.0)
    assert f == pytest.approx(2 * p / (p + 1))
    assert ev.bcubed([]) == (0.0, 0.0, 0.0)


def test_score_quotes_speakers_and_kinds():
    report = ev.score(GOLD, PREDS)
    assert (report.articles, report.gold, report.pred) == (2, 3, 3)
    assert (report.precision, report.recall) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert report.recall_by_kind == {"direct": 1.0, "indirect": 0.5}
    # by predicted kind: the spurious quote was labelled direct
    assert report.precision_by_kind == {"direct": 0.5, "indirect": 1.0}
    assert report.f1_by_kind["direct"] == pytest.approx(2 / 3)
    assert report.mention_acc == 0.5  # "He" is not "Al-Majei"
    assert report.speaker_acc == 1.0
    assert report.end2end_f1 == pytest.approx(2 / 3)
    assert report.cluster_pairs == 2 and report.bcubed_p == 1.0 and report.bcubed_r == 0.5


def test_exact_span_needs_equal_offsets():
    report = ev.score(GOLD, PREDS)
    assert (report.exact_precision, report.exact_recall) == (pytest.approx(1 / 3), pytest.approx(1 / 3))
    shifted = [dict(PREDS[0], content_start=PREDS[0]["content_start"] + 1)]
    assert ev.score(GOLD, shifted).exact_precision == 0.0


def test_split_quote_matches_either_half():
    text = '"The first half of it," he said. "And the second half."'
    gold = [
        {
            "id": "s",
            "text": text,
            "quotes": [
                {
                    "kind": "direct",
                    "content": "The first half of it,",
                    "content_2": "And the second half.",
                    "speaker": "he",
                    "speaker_type": "person",
                }
            ],
        }
    ]
    second = {"article_id": "s", "content": "And the second half.", "content_start": 34, "content_end": 54}
    report = ev.score(gold, [second])
    assert report.recall == 1.0 and report.exact_recall == 1.0


def test_language_filter_and_unknown_articles():
    report = ev.score(GOLD, [*PREDS, pred("x", article_id="zz")], language="en")
    assert report.articles == 1 and report.unknown_article_ids == []
    assert ev.score(GOLD, [pred("x", article_id="zz")]).unknown_article_ids == ["zz"]


def test_errors_list_missed_and_spurious_with_context():
    report = ev.score(GOLD, PREDS, threshold=0.9)
    kinds = sorted((e.error, e.content) for e in report.errors)
    assert kinds == [
        ("missed", "the forces were ready"),
        ("missed", "the war is far from over"),
        ("spurious", "Analysts believe that"),
        ("spurious", "the forces were"),
    ]
    listing = report.error_listing()
    assert "missed    indirect  a1:" in listing
    assert "Al-Majei added that [[the forces were ready]]. Analysts" in listing


def test_table_has_a_row_per_kind():
    table = ev.score(GOLD, PREDS).table()
    assert "quotes                     3     3      0.667   0.667   0.667" in table
    assert "  direct                   1     2      0.500   1.000   0.667" in table
    assert "exact span" in table and "B-cubed over 2 quotes" in table


def test_kind_without_gold_has_no_recall():
    report = ev.score(GOLD, [pred("the war is far from over", kind="mixed")])
    assert report.precision_by_kind == {"mixed": 1.0} and "mixed" not in report.f1_by_kind
    assert "  mixed                    0     1      1.000       -       -" in report.table()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "t", "quotes": []}\n\n[1]\n', "gold.jsonl:3: expected a JSON object"),
        ('{"id": "a", "quotes": []}\n', "gold.jsonl:1: gold article lacks text"),
        ('{"id": "a", "text": "t", "quotes": [{}]}\n', "gold.jsonl:1: every gold quote needs a content"),
    ],
)
def test_bad_gold_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadEvalFile) as info:
        ev.load_gold(path)
    assert str(info.value).endswith(message)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_cli_eval_json_and_errors(tmp_path):
    gold, preds = write_jsonl(tmp_path / "gold.jsonl", GOLD), write_jsonl(tmp_path / "pred.jsonl", PREDS)
    result = CliRunner().invoke(cli, ["eval", gold, "--pred", preds, "--json", "--errors", "--language", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["f1"] == pytest.approx(2 / 3) and len(data["errors"]) == 2
    text = CliRunner().invoke(cli, ["eval", gold, "--pred", preds, "--errors"]).output
    assert "resolved speaker accuracy  1.000" in text and "spurious  direct    a1:" in text


def test_cli_eval_bad_prediction_line(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    preds = tmp_path / "pred.jsonl"
    preds.write_text('{"article_id": "a1", "content": "x"}\n{"content": "y"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", gold, "--pred", str(preds)])
    assert result.exit_code == 1
    assert result.output == f"Error: {preds}:2: predicted quote lacks article_id\n"


# --- agreement with ../shared/eval/score.py ---------------------------------------------------

SHARED_KEYS = (
    "articles",
    "gold",
    "pred",
    "precision",
    "recall",
    "f1",
    "recall_by_kind",
    "mention_acc",
    "speaker_acc",
    "end2end_f1",
    "cluster_pairs",
    "bcubed_p",
    "bcubed_r",
    "bcubed_f1",
)


def shared_score(shared_dir, gold_path, pred_path, *args):
    """The figures of ../shared/eval/score.py, run as a subprocess."""
    command = [sys.executable, str(shared_dir / "eval" / "score.py"), gold_path, pred_path, "--json", *args]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def rounded(value):
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return round(value, 3) if isinstance(value, float) else value


def perturbed_predictions(gold, seed):
    """Gold quotes dropped, cut, relabelled and re-attributed at random, plus noise."""
    rnd = random.Random(seed)
    preds = []
    for article in gold:
        for q in article["quotes"]:
            if rnd.random() < 0.15:
                continue
            words = q["content"].split()
            content = rnd.choice(
                [q["content"], " ".join(words[: len(words) // 3 + 1]), " ".join(words[len(words) // 4 :])]
            )
            speaker = rnd.choice([q["speaker"], q["speaker"].split()[-1], "He", None])
            preds.append(
                {
                    "article_id": article["id"],
                    "kind": rnd.choice(ev.KINDS),
                    "content": content,
                    "speaker": speaker,
                    "speaker_id": rnd.choice(["1", "2", None]),
                    "speaker_mention": rnd.choice([q["speaker_mention"], "it", None]),
                }
            )
        at = rnd.randrange(max(1, len(article["text"]) - 60))
        preds.append({"article_id": article["id"], "kind": "direct", "content": article["text"][at : at + 60]})
    return preds


def test_agrees_with_shared_scorer_on_tiny_gold(shared_dir, tmp_path):
    gold, preds = write_jsonl(tmp_path / "gold.jsonl", GOLD), write_jsonl(tmp_path / "pred.jsonl", PREDS)
    expected = shared_score(shared_dir, gold, preds)
    mine = ev.score(GOLD, PREDS).to_dict()
    assert {k: rounded(mine[k]) for k in SHARED_KEYS} == {k: rounded(expected[k]) for k in SHARED_KEYS}


@pytest.mark.parametrize("language", [None, "en"])
def test_agrees_with_shared_scorer_on_perturbed_seeds(shared_dir, tmp_path, language):
    gold_path = str(shared_dir / "gold" / "seeds.jsonl")
    gold = ev.load_gold(gold_path)
    preds = perturbed_predictions(gold, seed=7)
    expected = shared_score(
        shared_dir,
        gold_path,
        write_jsonl(tmp_path / "pred.jsonl", preds),
        *(["--language", language] if language else []),
    )
    mine = ev.score(gold, preds, language=language).to_dict()
    assert expected["cluster_pairs"] > 0 and 0 < expected["f1"] < 1
    assert {k: rounded(mine[k]) for k in SHARED_KEYS} == {k: rounded(expected[k]) for k in SHARED_KEYS}
