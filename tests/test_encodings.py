"""Files that are not UTF-8 (issue 25): BOM-marked UTF-16/32 read as they are, Windows-1252 and
Latin-1 read in the encoding charset-normalizer detects with a QT111 warning, the rest refused."""

import sqlite3

import pytest
from click.testing import CliRunner

from quotetrack import api, ingest
from quotetrack.cli import cli
from quotetrack.types import Article, Problem

from test_build import fake_extract_articles

ENGLISH = "\u201cWe will not retreat,\u201d said Mustafa Al-Mujie \u2014 the spokesman \u2013 at the caf\u00e9.\n"
FRENCH = "Le ministre a déclaré que la sécurité était assurée à Tripoli, où les forces se sont retirées.\n"


def read_one(path):
    return list(ingest.read_articles([path]))


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_bom_marked_utf16_and_utf32_are_read_without_a_warning(tmp_path, codec, bom):
    path = tmp_path / "a.txt"
    path.write_bytes(bom + ENGLISH.encode(codec))
    [article] = read_one(path)
    assert isinstance(article, Article) and article.text == ENGLISH


@pytest.mark.parametrize(
    "text, codec, named",
    [
        (ENGLISH, "cp1252", "Windows-1252"),
        (FRENCH, "latin-1", "Windows-1252"),
        ("Café crème, naïve façade, £100.\n", "latin-1", "Windows-1252"),
    ],
)
def test_legacy_encodings_are_read_with_a_warning_naming_them(tmp_path, text, codec, named):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(codec))
    warning, article = read_one(path)
    assert article.text == text
    assert (warning.code, warning.article_id, warning.path) == ("QT111", "legacy", str(path))
    assert warning.message == (
        f"not UTF-8: read as {named} (detected by charset-normalizer); re-save the file as UTF-8 to be sure"
    )


def test_arabic_windows_1256(tmp_path):
    text = "قال المتحدث إن القوات انسحبت من المدينة يوم الاثنين.\n"
    path = tmp_path / "ar.txt"
    path.write_bytes(text.encode("cp1256"))
    warning, article = read_one(path)
    assert article.text == text and "Windows-1256" in warning.message


def test_bytes_no_encoding_fits_stay_an_error(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    [problem] = read_one(path)
    assert isinstance(problem, Problem) and problem.code == "QT103"


def test_broken_bom_file_is_an_error(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"\xff\xfe" + "text".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    [problem] = read_one(path)
    assert problem.code == "QT103" and "UTF-16 byte-order mark" in problem.message


def test_build_stores_the_article_and_its_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_articles([]))
    corpus, db_path = tmp_path / "corpus", tmp_path / "quotes.db"
    corpus.mkdir()
    (corpus / "w.txt").write_bytes('"We hold the base," Mustafa Al-Mujie said at the caf\u00e9.\n'.encode("cp1252"))
    (corpus / "u.txt").write_bytes(b"\xff\xfe" + '"Talks failed," Fayez al-Sarraj said.\n'.encode("utf-16-le"))
    result = CliRunner().invoke(cli, ["build", str(corpus), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert (
        f"Warning: QT111 x1 (file is not UTF-8: read in the encoding detected (a warning)): {corpus / 'w.txt'}"
        in result.stderr.splitlines()
    )
    assert "2 articles read: 2 extracted" in result.stderr and "1 warning." in result.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("select article_id, code from problems").fetchall() == [("w", "QT111")]
    assert sorted(conn.execute("select content from quotes").fetchall()) == [("Talks failed",), ("We hold the base",)]
    again = api.build([corpus], db_path=db_path)  # unchanged: the warning stays, once
    assert again.unchanged == 2 and conn.execute("select count(*) from problems").fetchone() == (1,)


def test_extract_reports_the_warning_and_succeeds(tmp_path, monkeypatch):
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_articles([]))
    path = tmp_path / "w.txt"
    path.write_bytes('"We hold the base," Mustafa Al-Mujie said at the caf\u00e9.\n'.encode("cp1252"))
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}: not UTF-8: read as Windows-1252" in result.stderr
