"""Every file under src/quotetrack/data loads and follows the data-file rules (STYLE.md §6).

Files are UTF-8; the one-entry-a-line lexicons are sorted, lowercase and deduplicated, with
``#`` comments allowed. Files are found through ``importlib.resources``, as the code loads them.
"""

import json
from importlib.resources import files

import pytest
from spacy.matcher import Matcher

from quotetrack.extract.lexicons import cue_patterns, word_list, word_table

DATA = files("quotetrack") / "data"
LOADABLE = (".txt", ".json", ".jsonl")


def _walk(folder, prefix=""):
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.is_dir():
            yield from _walk(item, f"{prefix}{item.name}/")
        elif not item.name.startswith("."):
            yield f"{prefix}{item.name}"


ALL = list(_walk(DATA))
LEXICONS = [name for name in ALL if name.endswith(".txt")]
# files another session owns that break a rule: reported, not edited
KNOWN_BAD: dict[str, str] = {}


def entries(name):
    """The non-comment entries of a lexicon, as written (``#`` starts a comment anywhere)."""
    lines = (DATA / name).read_text("utf-8").splitlines()
    return [e for e in (line.split("#", 1)[0].strip() for line in lines) if e]


def known_bad(names):
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BAD[n])) if n in KNOWN_BAD else n
        for n in names
    ]


def test_data_folder_has_the_lexicons():
    assert {"quote_marks.json", "cues/en.txt", "cue_patterns/en.jsonl", "titles/en.txt"} <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_file_is_clean_utf8(name):
    raw = (DATA / name).read_bytes()
    text = raw.decode("utf-8")  # raises on anything else
    assert not text.startswith("\ufeff"), "byte-order mark"
    assert "\r" not in text, "CRLF line ends"
    assert text.endswith("\n"), "no final newline"


@pytest.mark.parametrize("name", ALL)
def test_file_is_a_known_kind(name):
    assert name == "SOURCES.md" or name.endswith(LOADABLE), f"no loader for {name}"


def test_sources_file_names_every_data_file():
    sources = (DATA / "SOURCES.md").read_text("utf-8")
    missing = [name for name in ALL if name != "SOURCES.md" and name not in sources]
    assert missing == []


@pytest.mark.parametrize("name", known_bad(LEXICONS))
def test_lexicon_is_sorted_lowercase_and_deduplicated(name):
    found = entries(name)
    assert found, "empty lexicon"
    assert [e for e in found if e != e.lower()] == []
    assert [e for e in found if e != " ".join(e.split()) and "\t" not in e] == [], "stray white space"
    assert len(set(found)) == len(found), "duplicates"
    assert found == sorted(found), "not sorted"


@pytest.mark.parametrize("name", LEXICONS)
def test_lexicon_loads(name):
    parts = name.split("/")
    if "\t" in (DATA / name).read_text("utf-8"):
        table = word_table(*parts)
        assert len(table) == len(entries(name))
        assert all("\t" not in value for value in table.values())
    else:
        assert word_list(*parts) == frozenset(entries(name))


def test_pronoun_table_genders():
    assert set(word_table("speakers", "en_pronouns.txt").values()) <= {"m", "f", "-"}
    assert word_table("speakers", "en_pronouns.txt")["he"] == "m"


def test_given_name_spellings_are_on_one_line_only():
    spellings = [s for line in entries("names/given.txt") for s in line.split()]
    assert len(spellings) == len(set(spellings))


def test_english_cues_cover_the_verbs_news_uses():
    # the verbs named in issue 2
    named = {
        "say",
        "tell",
        "add",
        "affirm",
        "confirm",
        "believe",
        "consider",
        "explain",
        "point out",
        "note",
        "warn",
        "stress",
        "insist",
        "argue",
        "claim",
        "deny",
        "accuse",
        "announce",
        "continue",
        "report",
    }
    assert named - word_list("cues", "en.txt") == set()


def test_quote_marks_pair_the_usual_marks():
    marks = json.loads((DATA / "quote_marks.json").read_text("utf-8"))
    assert set(marks) == {"doubles", "singles"}
    pairs = {**marks["doubles"], **marks["singles"]}
    for open_mark, close_mark in pairs.items():
        assert len(open_mark) == len(close_mark) == 1 and not (open_mark + close_mark).isalnum()
    expected = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’"}
    assert expected.items() <= pairs.items()


def test_cue_patterns_are_valid_matcher_patterns(blank_nlp):
    patterns = cue_patterns("en")
    matcher = Matcher(blank_nlp.vocab, validate=True)
    for entry in patterns:
        assert set(entry) == {"label", "pattern"}
        assert entry["label"] == " ".join(tok["LOWER"] for tok in entry["pattern"])
        matcher.add(entry["label"], [entry["pattern"]])  # raises on a bad pattern
    labels = [entry["label"] for entry in patterns]
    assert "according to" in labels and len(set(labels)) == len(labels)
    doc = blank_nlp("From the point of view of a member of the Supreme Council, it failed.")
    assert [blank_nlp.vocab.strings[m] for m, _, _ in matcher(doc)] == ["from the point of view of"]
