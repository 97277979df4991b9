"""Builds that are safe to run every day (issue 25): one writer, failures that name their cause
and leave the last complete build, warnings summarised, the curation file beside the database.

The extractor is the fake of ``test_build`` (one quote per ``"...," Name said``).
"""

import os
import sqlite3
import subprocess
import threading
import time

import pytest
from click.testing import CliRunner

from quotetrack import api, lock, store
from quotetrack.cli import cli
from quotetrack.types import Problem

from test_build import counts, english_corpus, fake_extract_articles, write


@pytest.fixture
def corpus(tmp_path):
    return english_corpus(tmp_path / "corpus")


def big_corpus(folder, n, size=2000):
    """``n`` articles of about ``size`` characters each, one quote apiece."""
    for i in range(n):
        filler = "Filler text. " * (size // 13)
        write(folder / f"big{i:03d}.txt", f'"We hold district {i}," Mustafa Al-Mujie said. ' + filler)
    return folder


def intact(db_path) -> bool:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("pragma integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def run_build(*args):
    return CliRunner().invoke(cli, ["build", *map(str, args)])


# --- one writer ------------------------------------------------------------------------


def test_a_second_build_names_the_one_that_holds_the_database(corpus, db_path, seen):
    assert run_build(corpus, "--db", db_path).exit_code == 0
    before = counts(db_path)
    write(corpus / "new.txt", '"New words," Fayez al-Sarraj said.\n')
    with lock.build_lock(db_path):
        started = lock.lock_path(db_path).read_text().split()[1]
        result = run_build(corpus, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {db_path} is being built by process {os.getpid()} (started {started}). "
        "Wait for it to finish, or run this build again with --wait."
    )
    assert "Traceback" not in result.output
    assert counts(db_path) == before and intact(db_path)


def test_a_second_build_in_another_process_is_refused(corpus, db_path, seen):
    holder = subprocess.Popen(
        [
            "python3",
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'4242 2026-12-03T08:00:00+00:00'); "
            "print('held', flush=True); time.sleep(30)",
            str(lock.lock_path(db_path)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        result = run_build(corpus, "--db", db_path)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"Error: {db_path} is being built by process 4242 (started 2026-12-03T08:00:00+00:00)."
    )
    assert run_build(corpus, "--db", db_path).exit_code == 0  # the lock went with the process


def test_wait_waits_for_the_other_build(corpus, db_path, seen):
    held = lock.build_lock(db_path)
    held.__enter__()
    threading.Timer(0.5, held.__exit__, (None, None, None)).start()
    start = time.monotonic()
    result = run_build(corpus, "--db", db_path, "--wait")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - start >= 0.5
    assert f"Waiting for process {os.getpid()}" in result.stderr
    assert counts(db_path)["articles"] == 2


# --- failures name the cause -----------------------------------------------------------


def limit_pages(monkeypatch, extra_pages):
    """Every database ``store.open_db`` opens may grow by ``extra_pages`` pages only: SQLite
    then fails with SQLITE_FULL, as on a full disk."""
    real = store.open_db

    def open_db(path, **kwargs):
        db = real(path, **kwargs)
        pages = db.execute("pragma page_count").fetchone()[0]
        db.execute(f"pragma max_page_count = {pages + extra_pages}")
        return db

    monkeypatch.setattr(store, "open_db", open_db)


def test_full_disk_keeps_the_last_build_and_a_rerun_completes(corpus, db_path, seen, monkeypatch):
    assert run_build(corpus, "--db", db_path).exit_code == 0
    before = counts(db_path)
    big_corpus(corpus, 60)
    with monkeypatch.context() as m:
        limit_pages(m, 20)
        full = run_build(corpus, "--db", db_path)
    assert full.exit_code == 1
    assert full.stderr.splitlines()[-1] == (
        f"Error: {db_path}: the disk is full (database or disk is full). "
        "The database holds its last complete build; run the build again once this is fixed."
    )
    assert counts(db_path) == before and intact(db_path)
    seen.clear()
    rerun = run_build(corpus, "--db", db_path)
    assert rerun.exit_code == 0, rerun.output
    assert "62 articles read: 60 extracted (60 by a build that stopped), 2 unchanged" in rerun.stderr
    assert seen == []  # nothing extracted twice
    after = counts(db_path)
    assert after["articles"] == 62 and after["quotes"] == before["quotes"] + 60


def test_no_quote_points_at_a_missing_speaker_after_a_failed_build(corpus, db_path, seen, monkeypatch):
    assert run_build(corpus, "--db", db_path).exit_code == 0
    write(corpus / "c.txt", '"Another thing," Khalifa Haftar said.\n' + "Filler. " * 3000)
    limit_pages(monkeypatch, 3)
    assert run_build(corpus, "--db", db_path).exit_code == 1
    conn = sqlite3.connect(db_path)
    orphans = conn.execute(
        "select count(*) from quotes where speaker_id is null or speaker_id not in (select id from speakers)"
    ).fetchone()[0]
    assert orphans == 0 and conn.execute("select count(*) from articles").fetchone()[0] == 2


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_full_tmpfs_then_more_space(tiny_disk, corpus, seen):
    db_path = tiny_disk / "quotes.db"
    assert run_build(corpus, "--db", db_path).exit_code == 0
    before = counts(db_path)
    big_corpus(corpus, 300)
    full = run_build(corpus, "--db", db_path)
    assert full.exit_code == 1
    assert full.stderr.splitlines()[-1].startswith(f"Error: {db_path}: the disk is full")
    assert counts(db_path) == before and intact(db_path)
    subprocess.run(["mount", "-o", "remount,size=16m", str(tiny_disk)], check=True)
    rerun = run_build(corpus, "--db", db_path)
    assert rerun.exit_code == 0, rerun.output
    assert counts(db_path)["articles"] == 302 and intact(db_path)


def test_read_only_database_is_one_error_line(corpus, db_path, seen, monkeypatch):
    assert run_build(corpus, "--db", db_path).exit_code == 0
    write(corpus / "new.txt", '"New words," Fayez al-Sarraj said.\n')
    real = store.open_db

    def read_only(path, **kwargs):  # root writes through chmod: make SQLite refuse instead
        db = real(path, **kwargs)
        db.execute("pragma query_only = 1")
        return db

    monkeypatch.setattr(store, "open_db", read_only)
    result = run_build(corpus, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {db_path}: the file or its folder is read-only (attempt to write a readonly database). "
        "The database holds its last complete build; run the build again once this is fixed."
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_one_error_line(corpus, tmp_path, seen):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    result = run_build(corpus, "--db", folder / "quotes.db")
    assert result.exit_code == 1
    lock = folder / "quotes.db-lock"
    assert result.stderr.splitlines()[-1].startswith(f"Error: {lock}: cannot create the build lock")


def test_rebuild_replaces_a_foreign_database(corpus, db_path, seen):
    sqlite3.connect(db_path).execute("pragma user_version = 7")
    assert run_build(corpus, "--db", db_path).exit_code == 1
    assert run_build(corpus, "--db", db_path, "--rebuild").exit_code == 0
    assert counts(db_path)["articles"] == 2


def test_a_file_that_is_not_a_database_is_one_error_line_and_rebuild_replaces_it(corpus, db_path, seen):
    db_path.write_bytes(b"not a database at all, just text " * 200)
    result = run_build(corpus, "--db", db_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {db_path}: not a SQLite database (file is not a database). "
        "The database holds its last complete build; run the build again once this is fixed."
    )
    assert run_build(corpus, "--db", db_path, "--rebuild").exit_code == 0
    assert counts(db_path)["articles"] == 2


def test_folder_that_cannot_be_created_is_one_error_line(corpus, tmp_path, seen):
    (tmp_path / "file").write_text("x")
    result = run_build(corpus, "--db", tmp_path / "file" / "quotes.db")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {tmp_path / 'file'}: cannot create the folder")


def test_rebuild_keeps_the_file_a_reader_has_open(corpus, db_path, seen):
    assert run_build(corpus, "--db", db_path).exit_code == 0
    reader = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    (corpus / "a.txt").unlink()
    assert run_build(corpus, "--db", db_path, "--rebuild").exit_code == 0
    assert reader.execute("select id from articles").fetchall() == [("b",)]
    reader.close()


# --- warnings and curation -------------------------------------------------------------


def test_warnings_are_summarised_by_code_in_correct_english(corpus, db_path, monkeypatch, tmp_path):
    fake = fake_extract_articles([])

    def with_warnings(articles, **options):
        for result in fake(articles, **options):
            marks = result.article.text.count("«")
            result.problems += [
                Problem(result.article.path, "QT001", "unbalanced", article_id=result.article.id, stage="extract")
            ] * marks
            yield result

    monkeypatch.setattr("quotetrack.extract.extract_articles", with_warnings)
    monkeypatch.chdir(tmp_path)
    for name in "cdefg":
        write(corpus / f"{name}.txt", f'"Words {name}," Fayez al-Sarraj said. «\n')
    result = run_build(corpus, "--db", db_path)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert (
        f"Warning: QT001 x5 (unbalanced quotation marks: the unpaired marks were left out): "
        f"{corpus / 'c.txt'}, {corpus / 'd.txt'}, {corpus / 'e.txt'} and 2 more"
    ) in lines
    assert lines[-1] == (
        "7 articles read: 7 extracted, 0 unchanged, 0 skipped (no extractor for their "
        "language), 0 failed, 5 warnings. Database: 8 quotes, 2 speakers, 4 claims."
    )
    (corpus / "c.txt").write_text('"Other words," Fayez al-Sarraj said. «\n', "utf-8")
    again = run_build(corpus, "--db", db_path).stderr.splitlines()
    assert "1 warning" in again[-1] and "1 warnings" not in again[-1]
    assert again[-1].startswith("7 articles read: 1 extracted, 6 unchanged")


def test_curation_file_beside_the_database_from_any_folder(corpus, tmp_path, seen, monkeypatch):
    site = tmp_path / "site"
    write(site / "speakers.yml", "speakers:\n  - name: Mustafa Al-Mujie\n    id: p-mujie\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write(elsewhere / "speakers.yml", "speakers:\n  - name: Mustafa Al-Mujie\n    id: p-wrong\n")
    monkeypatch.chdir(elsewhere)
    assert run_build(corpus, "--db", site / "quotes.db").exit_code == 0
    assert "p-mujie" in {s.id for s in api.speakers(db_path=site / "quotes.db")}
    other = tmp_path / "other.yml"
    write(other, "speakers:\n  - name: Mustafa Al-Mujie\n    id: p-other\n")
    assert run_build(corpus, "--db", site / "quotes.db", "--curation", other).exit_code == 0
    assert "p-other" in {s.id for s in api.speakers(db_path=site / "quotes.db")}


def test_extract_applies_a_curation_file_only_when_given(corpus, tmp_path, seen):
    write(tmp_path / "data" / "speakers.yml", "speakers:\n  - name: Mustafa Al-Mujie\n    id: p-cwd\n")
    plain = CliRunner().invoke(cli, ["extract", "--format", "jsonl", str(corpus / "a.txt")])
    assert plain.exit_code == 0 and '"p-cwd"' not in plain.output  # never the current folder's file
    other = write(tmp_path / "mine.yml", "speakers:\n  - name: Mustafa Al-Mujie\n    id: p-mine\n")
    curated = CliRunner().invoke(cli, ["extract", "--format", "jsonl", "--curation", str(other), str(corpus / "a.txt")])
    assert curated.exit_code == 0 and '"speaker_id": "p-mine"' in curated.output
