"""``quotetrack extract`` through click's CliRunner (other commands are tested beside their stage)."""

import csv
import io
import json
import pathlib
import shutil

import pytest
from click.testing import CliRunner

from quotetrack.cli import cli

TEXTS = pathlib.Path(__file__).parent / "texts"
JSONL_FIELDS = {
    "article_id",
    "kind",
    "content",
    "content_start",
    "content_end",
    "cue",
    "speaker",
    "speaker_id",
    "speaker_mention",
    "speaker_type",
    "role",
}
# seed 003: two excerpts as the articles of a JSONL file
TARHUNA = [
    {
        "id": "tarhuna-1",
        "title": "Tarhuna",
        "section": "Libya",  # unknown fields are ignored
        "text": '"Our heroic forces took control of the entire city of Tarhuna, and defeated the terrorist '
        'militia of Haftar," said Colonel Muhammad Qanunu, spokesman for the al-Wefaq government.\n\n'
        '"The Libyan government forces are moving quickly in an organized manner and using armed '
        'drones," a Turkish official said. "There may be a solution on the table, but Haftar\'s forces '
        'are losing territory by all accounts."',
    },
    {
        "id": "tarhuna-2",
        "text": '"We are committed to national principles, and we have values and principles in which we take '
        "our positions,\" Al-Sarraj said.\n\nIn turn, Merkel confirmed her country's readiness to "
        "support the political track and implement the outputs of the Berlin Conference, to achieve "
        "security and stability in Libya.",
    },
]


def run(*args):
    """Invoke the CLI; stdout and stderr come back apart."""
    return CliRunner().invoke(cli, ["extract", *map(str, args)])


def rows(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def jsonl_file(tmp_path):
    path = tmp_path / "tarhuna.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in TARHUNA), encoding="utf-8")
    return path


def test_txt_file_as_a_table():
    result = run(TEXTS / "seed001_williams.txt")
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert line.startswith("seed001_williams  direct")
    assert "Stéphanie Williams (person) — Warned: We are in a new turning point" in line
    # the unclosed quote is a warning, not a failure
    assert [ln for ln in result.stderr.splitlines() if "QT002" in ln] != []


def test_jsonl_output_fields_and_one_speaker_id_per_person_across_articles(jsonl_file):
    result = run("--format", "jsonl", TEXTS / "seed003_al_sarraj.txt", jsonl_file)
    assert result.exit_code == 0, result.output
    found = rows(result)
    texts = {
        "seed003_al_sarraj": (TEXTS / "seed003_al_sarraj.txt").read_text("utf-8"),
        **{a["id"]: a["text"] for a in TARHUNA},
    }
    assert {r["article_id"] for r in found} == set(texts)
    for r in found:
        assert set(r) >= JSONL_FIELDS
        assert texts[r["article_id"]][r["content_start"] : r["content_end"]] == r["content"]
        assert r["kind"] in ("direct", "indirect", "mixed")
    qanunu = next(r for r in found if r["speaker_mention"] == "Colonel Muhammad Qanunu")
    assert (qanunu["article_id"], qanunu["speaker"], qanunu["speaker_type"], qanunu["cue"]) == (
        "tarhuna-1",
        "Muhammad Qanunu",
        "person",
        "said",
    )
    assert "spokesman for the al-Wefaq government" in qanunu["role"]
    official = next(r for r in found if r["speaker_mention"] == "a Turkish official")
    assert (official["speaker"], official["speaker_type"]) == ("a Turkish official", "anonymous")
    # "Al-Sarraj" in tarhuna-2 and "Fayez al-Sarraj"/"He" in the text file: one person, one id
    sarraj = [r for r in found if r["speaker"] == "Fayez al-Sarraj"]
    assert {r["article_id"] for r in sarraj} == {"seed003_al_sarraj", "tarhuna-2"}
    assert len({r["speaker_id"] for r in sarraj}) == 1
    others = {r["speaker_id"] for r in found if r["speaker"] != "Fayez al-Sarraj"}
    assert sarraj[0]["speaker_id"] not in others


def test_folder_as_csv(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("seed000_al_mujie_dabars.txt", "seed003_al_sarraj.txt"):
        shutil.copy(TEXTS / name, folder / name)
    (folder / "notes.md").write_text("Tarhuna lies southeast of Tripoli.\n", encoding="utf-8")
    result = run("--format", "csv", folder)
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["article_id"] for r in table} == {"seed000_al_mujie_dabars", "seed003_al_sarraj"}
    mujie = {r["speaker_id"] for r in table if r["speaker"] == "Mustafa Al-Mujie"}
    dabars = {r["speaker_id"] for r in table if r["speaker"] == "Al-Qasim Dabars"}
    assert len(mujie) == len(dabars) == 1 and mujie != dabars
    assert {r["speaker_mention"] for r in table if r["speaker"] == "Mustafa Al-Mujie"} >= {"al-Majei", "He"}


def test_unreadable_inputs_are_named_and_the_rest_still_processed(tmp_path, jsonl_file):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01PK\x03\x04" * 50)
    with jsonl_file.open("a", encoding="utf-8") as fp:
        fp.write("{not json\n")
    missing = tmp_path / "missing.txt"
    result = run("--format", "jsonl", missing, binary, jsonl_file)
    assert result.exit_code == 1
    assert {r["article_id"] for r in rows(result)} == {"tarhuna-1", "tarhuna-2"}
    errors = result.stderr.splitlines()
    assert len([ln for ln in errors if "missing.txt" in ln]) == 1
    assert len([ln for ln in errors if "scan.txt" in ln]) == 1
    assert len([ln for ln in errors if "tarhuna.jsonl:3" in ln]) == 1  # the file and the line
    assert errors[-1] == "Error: 3 input(s) could not be read"


def test_unreadable_input_is_reported_as_an_error(tmp_path):
    missing = tmp_path / "missing.txt"
    result = run(missing, TEXTS / "seed001_williams.txt")
    [line] = [ln for ln in result.stderr.splitlines() if str(missing) in ln]
    assert line.startswith(f"Error: {missing}: ") and line.endswith("[QT106]")


def test_missing_model_is_one_error_line():
    result = run("--model", "no_such_model", TEXTS / "seed001_williams.txt")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: spaCy pipeline 'no_such_model' is not installed. "
        "Run: pip install no-such-model  (or pass --model with an installed pipeline)\n"
    )


def test_no_path_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


def test_statements_by_default_and_learned_frames_with_an_option(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "The governor complained about the new tax rules on Monday. "
        "The mayor said that the rules would hurt farmers.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    statements = runner.invoke(cli, ["extract", "--format", "jsonl", str(article)])  # --no-frames is the default
    assert statements.exit_code == 0, statements.output
    assert [json.loads(line)["cue"] for line in statements.output.splitlines()] == ["said"]
    learned = runner.invoke(cli, ["extract", "--format", "jsonl", "--frames", str(article)])
    assert [json.loads(line)["cue"] for line in learned.output.splitlines()] == ["complained", "said"]
