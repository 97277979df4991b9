"""Any input size: over-long texts are cut at gentle boundaries, per-article failures stay local."""

from click.testing import CliRunner

from quotetrack import api, store
from quotetrack.cli import cli
from quotetrack.extract import candidate_chunks, extract_articles, long_texts
from quotetrack.extract.long_texts import split_long
from quotetrack.types import Article
import itertools

GOOD = 'The bridge will reopen in May. "We have the money now," Mayor Ana Lopez said on Tuesday.\n'


def test_short_pieces_are_returned_as_they_are():
    text = "One paragraph.\nAnother one."
    assert split_long([(0, 14), (15, 27)], text, limit=100) == [(0, 14), (15, 27)]


def test_cut_prefers_paragraph_then_sentence_then_space_then_the_limit():
    paragraphs = "aaaa bbbb.\ncccc dddd."  # newline at 10
    assert split_long([(0, len(paragraphs))], paragraphs, limit=14) == [(0, 10), (11, 21)]
    sentences = "Aaaa bbbb. Cccc dddd. Eeee"
    assert split_long([(0, len(sentences))], sentences, limit=24)[0] == (0, 21)
    words = "aaaa bbbb cccc dddd eeee"
    assert split_long([(0, len(words))], words, limit=12) == [(0, 9), (10, 19), (20, 24)]
    run = "x" * 25
    assert split_long([(0, 25)], run, limit=10) == [(0, 10), (10, 20), (20, 25)]


def test_pieces_cover_the_text_within_the_limit():
    text = ("Word " * 7 + "end. ") * 3000 + "\n" + "y" * 5000
    pieces = split_long([(0, len(text))], text, limit=997)
    assert all(0 < end - start <= 997 for start, end in pieces)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(pieces))
    covered = "".join(text[s:e] for s, e in pieces)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_no_candidate_paragraph_costs_one_piece_at_most():
    text = "plain words " * 100_000  # 1.2 MB, no newline, nothing to attribute
    pieces = candidate_chunks(text, frozenset())
    assert len(pieces) == 1 and pieces[0][1] - pieces[0][0] <= long_texts.PIECE_LIMIT


def test_quotes_of_a_cut_text_keep_article_offsets(nlp, monkeypatch):
    monkeypatch.setattr(long_texts, "PIECE_LIMIT", 400)
    text = " ".join([GOOD.strip()] * 30)  # one 2,700-character line: cut into 7 pieces
    [result] = extract_articles([Article(id="long", text=text, language="en")])
    assert len(result.quotes) == 30 and not result.problems
    for quote in result.quotes:
        assert text[quote.content_start : quote.content_end] == quote.content == "We have the money now"


def test_five_megabyte_line_and_a_good_file_both_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "huge.txt").write_text("plain words " * 440_000, encoding="utf-8")  # 5.3 MB
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "in"), "--db", "q.db"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    db = store.open_db(tmp_path / "q.db")
    rows = {r["id"]: r["status"] for r in db["articles"].rows}
    assert rows == {"huge": "extracted", "good": "extracted"}
    assert [r["speaker"] for r in db["quotes"].rows] == ["Ana Lopez"]


def test_progress_counts_articles_and_bytes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    for name in ("a", "b"):
        (tmp_path / "in" / f"{name}.txt").write_text(GOOD + name, encoding="utf-8")
    steps, sizes = [], []
    api.build([tmp_path / "in"], db_path=tmp_path / "q.db", progress=steps.append, progress_bytes=sizes.append)
    assert steps == [1, 1] and sorted(sizes) == [len((GOOD + "a").encode())] * 2
    steps, sizes = [], []
    api.build([tmp_path / "in"], db_path=tmp_path / "q.db", progress=steps.append, progress_bytes=sizes.append)
    assert steps == [1, 1] and len(sizes) == 2  # unchanged articles count too


def test_a_failing_arabic_rule_is_that_articles_problem(tmp_path, monkeypatch):
    def broken(article):
        raise IndexError("rule out of range")

    monkeypatch.setattr("quotetrack.extract.arabic.extract_arabic", broken)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text('قال الوزير: "سنبني الجسر".\n', encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(GOOD, encoding="utf-8")
    summary = api.build([tmp_path / "in"], db_path=tmp_path / "q.db")
    assert summary.failed == 1 and summary.extracted == 1
    db = store.open_db(tmp_path / "q.db")
    [problem] = [r for r in db["problems"].rows if r["code"] == "QT200"]
    assert problem["article_id"] == "a" and "IndexError: rule out of range" in problem["message"]
    assert [r["speaker"] for r in db["quotes"].rows] == ["Ana Lopez"]


def test_a_parser_failure_fails_one_article_of_the_batch(nlp, monkeypatch):
    articles = [
        Article(id=f"a{i}", text=GOOD.replace("money", "money" if i != 2 else "BOOM"), language="en") for i in range(5)
    ]
    tagger = nlp.get_pipe("tok2vec")
    original = type(tagger).predict

    def predict(self, docs):
        if any("BOOM" in doc.text for doc in docs):
            raise ValueError("parser broke")
        return original(self, docs)

    monkeypatch.setattr(type(tagger), "predict", predict)
    results = list(extract_articles(articles, batch_size=4))
    assert [r.article.id for r in results] == ["a0", "a1", "a2", "a3", "a4"]
    assert [len(r.quotes) for r in results] == [1, 1, 0, 1, 1]
    assert results[2].problems[0].code == "QT200" and "parser broke" in results[2].problems[0].message
