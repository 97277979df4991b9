"""Ingest: files and folders in, Article or Problem records out; no spaCy model needed."""

import json
import pathlib

import pytest

from quotetrack.errors import PROBLEM_CODES
from quotetrack.ingest import boilerplate_spans, detect_language, header_metadata, mask, read_articles
from quotetrack.types import Article, Problem

TEXTS = pathlib.Path(__file__).parent / "texts"
SEED_004 = TEXTS / "seed004_header_boilerplate.txt"


def read(*paths, **kwargs):
    return list(read_articles([str(p) for p in paths], **kwargs))


def only_problem(records) -> Problem:
    assert len(records) == 1 and isinstance(records[0], Problem), records
    assert records[0].code in PROBLEM_CODES
    return records[0]


def test_text_file_id_is_stem_and_text_keeps_length(tmp_path):
    raw = '"We will not retreat," Mustafa Al-Mujie said.\n\nHe added that the base had fallen.\n'
    (tmp_path / "mujie.txt").write_text(raw, encoding="utf-8")
    [article] = read(tmp_path / "mujie.txt")
    assert article.id == "mujie"
    assert article.path == str(tmp_path / "mujie.txt")
    assert article.text == raw
    assert article.language == "en"
    assert (article.title, article.outlet, article.url, article.published) == (None,) * 4


def test_seed_004_header_lines_become_metadata_and_are_blanked():
    raw = SEED_004.read_text(encoding="utf-8")
    [article] = read(SEED_004)
    assert article.published == "2020-06-06"
    assert article.outlet == "Reuters"
    assert article.language == "ar"
    assert article.title is None  # no Title: header, so none is invented
    assert len(article.text) == len(raw)
    assert "Date:" not in article.text and "Source:" not in article.text
    assert article.text.startswith("WED 27 - 11 - 2024\n")
    quote = "تتحرك قوات الحكومة الليبية سريعا"
    assert article.text.index(quote) == raw.index(quote)


def test_seed_004_trailing_boilerplate_is_blanked():
    [article] = read(SEED_004)
    for line in (
        "Readers Comments",
        "Related News",
        "says Moscow",
        "Related Articles",
        "Erdogan wades into Libya quagmire",
        "Copyright 2024",
        "security code",
    ):
        assert line not in article.text
    assert article.text.count("\n") == SEED_004.read_text(encoding="utf-8").count("\n")
    assert "حفتر تخسر أراضي بكل المقاييس" in article.text


@pytest.mark.parametrize(
    "line",
    [
        "- Advertisement -",
        "ADVERTISEMENT",
        "This website uses cookies to improve your experience. We'll assume you're ok with this, "
        "but you can opt-out if you wish. Accept Read More",
        "2015 — 2023 ©. All rights reserved.",
        "Copyright 2024 . All rights reserved",
        "Read also: Haftar's forces withdraw from Tarhuna",
        "اقرأ أيضا: قوات حفتر تنسحب",
    ],
)
def test_boilerplate_line_is_found(line):
    text = f"Officials said the talks failed.\n{line}\nThe army said it had withdrawn."
    start = text.index(line)
    assert boilerplate_spans(text) == [(start, start + len(line))]


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the copyright law would change, and the website's owners agreed.",
        "Analysts say the advertisement campaign by the government failed to convince voters.",
        "Related talks continue in Berlin, the spokesman said.",
    ],
)
def test_prose_is_not_boilerplate(line):
    assert boilerplate_spans(f"{line}\n") == []


def test_related_list_runs_until_the_first_paragraph():
    paragraph = (
        "Abdul Kafi told Al Jazeera Net that the countries supporting Haftar had failed to match the "
        "Turkish force, despite the presence of Emirati forces."
    )
    text = "Related News\nRussia and Turkey agree to push for Libya ceasefire, says Moscow\n\n" + paragraph
    masked = mask(text, boilerplate_spans(text))
    assert masked.endswith(paragraph)
    assert masked[: -len(paragraph)].strip() == ""


def test_mask_keeps_newlines_and_length():
    text = "ab\r\ncd\nef"
    assert mask(text, [(0, 6), (3, 4)]) == "  \r\n  \nef"


def test_front_matter(tmp_path):
    raw = (
        "---\ntitle: Haftar retreats\ndate: 2020-06-06T10:00:00Z\nurl: https://example.com/a\nauthor: ignored\n---\n"
        "The army said it withdrew.\n"
    )
    (tmp_path / "a.md").write_text(raw, encoding="utf-8")
    [article] = read(tmp_path / "a.md")
    assert (article.title, article.published, article.url) == ("Haftar retreats", "2020-06-06", "https://example.com/a")
    assert article.text.strip() == "The army said it withdrew."
    assert len(article.text) == len(raw)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date: Jun 6, 2020", {"published": "2020-06-06"}),
        ("Published: 6 June 2020", {"published": "2020-06-06"}),
        ("date: sometime in June", {"published": "sometime in June"}),
        ("Language: AR", {"language": "ar"}),
        (
            "Title: Haftar retreats\nURL: https://example.com/a",
            {"title": "Haftar retreats", "url": "https://example.com/a"},
        ),
    ],
)
def test_header_metadata(header, expected):
    fields, spans = header_metadata(f"{header}\nThe army said it withdrew.")
    assert fields == expected
    assert len(spans) == header.count("\n") + 1


def test_header_lines_are_only_read_at_the_top():
    text = "The army said it withdrew.\nSource: a military official\n"
    assert header_metadata(text) == ({}, [])


def test_jsonl_fields_ids_and_paths(tmp_path):
    lines = [
        {
            "id": 7,
            "text": "He said it was over.",
            "title": "T",
            "url": "u",
            "source": "Reuters",
            "published": "2020-06-06",
            "language": "en-GB",
            "extra": "ignored",
        },
        {"text": "قال المتحدث إن القوات انسحبت."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n", encoding="utf-8")
    first, second = read(path)
    assert first == Article(
        id="7",
        text="He said it was over.",
        language="en",
        title="T",
        outlet="Reuters",
        url="u",
        published="2020-06-06",
        path=f"{path}:1",
    )
    assert (second.id, second.path, second.language) == ("corpus:2", f"{path}:2", "ar")


def test_every_article_leaves_ingest_with_a_language(tmp_path):
    # extraction never guesses a language: a tag that normalizes to nothing ("-GB") is detected here
    lines = [
        {"id": "a", "text": "The army said it withdrew.", "language": "-GB"},
        {"id": "b", "text": "قال المتحدث إن القوات انسحبت.", "language": " "},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    assert [a.language for a in read(path)] == ["en", "ar"]


def test_jsonl_bad_lines_are_problems_and_the_rest_goes_in(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "One."}\n'
        b'{"id": "b", "text": \n'
        b'["not", "an", "object"]\n'
        b'{"id": "c"}\n'
        b'{"id": "d", "text": "   "}\n'
        b'{"id": "e", "text": "caf\xe9"}\n'
        b'{"id": "f", "text": "Two."}\n'
    )
    records = read(path)
    assert [r.id for r in records if isinstance(r, Article)] == ["a", "f"]
    problems = [(p.code, p.line) for p in records if isinstance(p, Problem)]
    assert problems == [("QT104", 2), ("QT104", 3), ("QT107", 4), ("QT107", 5), ("QT103", 6)]
    assert str(records[1]).startswith(f"{path}:2: malformed JSON")


def test_large_jsonl_is_streamed_and_long_lines_refused(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w") as f:
        for i in range(2000):
            f.write(json.dumps({"id": i, "text": "The army said it withdrew. " * 20}) + "\n")
    records = read(path, max_bytes=600)
    assert len(records) == 2000 and all(isinstance(r, Article) for r in records)
    problem = only_problem(read(path, max_bytes=100)[:1])
    assert (problem.code, problem.line) == ("QT105", 1)


def test_html_goes_through_trafilatura(tmp_path):
    html = """<html><head><title>Haftar retreats | Example News</title>
    <meta property="og:site_name" content="Example News"><meta name="date" content="2020-06-06">
    <link rel="canonical" href="https://example.com/a"></head><body>
    <nav>Home | World | Sport</nav><div id="cookies">This website uses cookies. Accept</div>
    <article><h1>Haftar retreats</h1>
    <p>"We are winning," said Mustafa Al-Mujie, the spokesman for the Berkane Fury operation.
    He added that the forces had taken the base in the morning after long fighting.</p>
    <p>Analysts believe the war is far from over and that more fighting will follow soon.</p>
    </article><footer>Copyright 2024 Example News</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    [article] = read(tmp_path / "page.html")
    assert (article.id, article.title, article.outlet, article.published, article.url) == (
        "page",
        "Haftar retreats",
        "Example News",
        "2020-06-06",
        "https://example.com/a",
    )
    assert '"We are winning," said Mustafa Al-Mujie' in article.text
    assert "Home | World" not in article.text and "cookies" not in article.text


def test_html_without_article_text(tmp_path):
    (tmp_path / "empty.htm").write_text(
        "<html><head><title>Home</title></head><body><script>var a;</script></body></html>", encoding="utf-8"
    )
    assert only_problem(read(tmp_path / "empty.htm")).code == "QT110"


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (b"", "QT101", None),
        (b"  \n\n", "QT101", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "QT102", None),
        (b"First line caf\xc3\xa9.\nsecond line caf\xe9\n", "QT103", 2),  # UTF-8 with a broken byte
        (bytes(range(128, 256)) * 4, "QT103", 1),  # no encoding fits
    ],
)
def test_bad_text_files(tmp_path, content, code, line):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    problem = only_problem(read(path))
    assert (problem.code, problem.line, problem.path) == (code, line, str(path))


def test_100_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    problem = only_problem(read(path))
    assert problem.code == "QT105"
    assert "104.9 MB, over the 52.4 MB limit" in problem.message and ".jsonl" in problem.message


def test_missing_path_and_unsupported_type(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    missing, pdf = read(tmp_path / "nope.txt", tmp_path / "notes.pdf")
    assert (missing.code, missing.path) == ("QT106", str(tmp_path / "nope.txt"))
    assert pdf.code == "QT108"


def test_folders_are_walked_sorted_recursively_once(tmp_path):
    for name in ("b.txt", "a/c.md", "a/z.html.bak", ".hidden/d.txt", "a/.e.txt"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("The army said it withdrew.", encoding="utf-8")
    records = read(tmp_path, tmp_path / "b.txt")
    assert [r.id for r in records] == ["c", "b"]


def test_duplicate_ids_keep_the_first(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"Article in {folder}.", encoding="utf-8")
    first, duplicate = read(tmp_path)
    assert first.path == str(tmp_path / "x" / "same.txt")
    assert (duplicate.code, duplicate.path) == ("QT109", str(tmp_path / "y" / "same.txt"))


def test_bad_input_never_stops_the_rest(tmp_path):
    (tmp_path / "1.txt").write_bytes(b"")
    (tmp_path / "2.txt").write_text("Good article.", encoding="utf-8")
    records = read(tmp_path / "missing", tmp_path)
    assert [type(r).__name__ for r in records] == ["Problem", "Problem", "Article"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The army said it withdrew.", "en"),
        ("قال المتحدث إن القوات انسحبت من ترهونة.", "ar"),
        ("قال Mustafa Al-Mujie إن القوات انسحبت.", "ar"),
        ("Армия заявила, что отступила.", "und"),
        ("2020 — 2023", "und"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_html_metadata_is_never_invented(tmp_path):
    html = (
        "<html><head><title>Talks fail</title></head><body><article><h1>Talks fail</h1>"
        '<p>"We will not retreat," Mustafa Al-Mujie said on Friday, adding that the forces had '
        "taken the base in the morning after long fighting around the city.</p></article></body></html>"
    )
    (tmp_path / "nodate.html").write_text(html, encoding="utf-8")
    [article] = read(tmp_path / "nodate.html")
    assert (article.title, article.published, article.outlet, article.url) == ("Talks fail", None, None, None)
