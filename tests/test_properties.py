"""Property tests (Hypothesis): extraction never raises and its offsets are exact; the store
round-trips and a second write changes no row counts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from quotetrack import store
from quotetrack.ingest import detect_language
from quotetrack.types import Article, Quote

# pieces of news typography, so random texts reach the quote and cue rules
PIECES = [
    '"',
    "“",
    "”",
    "«",
    "»",
    "‘",
    "’",
    "'",
    '\\"',
    "said",
    "told",
    "that",
    "He",
    "she",
    "according to",
    "Mustafa Al-Mujie",
    "the spokesman for Y",
    ",",
    ".",
    ":",
    " - ",
    "\n",
    "\n\n",
    " ",
    "قال",
    "إن",
    "وأضاف",
]
texts = st.one_of(
    st.text(max_size=300), st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map(" ".join)
)

OFFSETS = (
    ("content", "content_start", "content_end"),
    ("content_2", "content_2_start", "content_2_end"),
    ("cue", "cue_start", "cue_end"),
    ("speaker_mention", "mention_start", "mention_end"),
)


@pytest.fixture(scope="module")
def extract(nlp):
    """``extract_articles`` running on the session's pipeline instead of loading one per call."""
    from quotetrack import extract as extract_package

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extract_package, "load_pipeline", lambda model=None, frames=True: nlp)
        yield extract_package.extract_articles


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_extraction_never_raises_and_offsets_slice_to_content(extract, text):
    [result] = extract([Article(id="x", text=text, language=detect_language(text))])  # as ingest gives it
    for quote in result.quotes:
        assert quote.article_id == "x"
        for field, start, end in OFFSETS:
            value, a, b = getattr(quote, field), getattr(quote, start), getattr(quote, end)
            if value is None:
                continue
            assert 0 <= a <= b <= len(text)
            assert text[a:b] == value


articles = st.builds(
    Article,
    id=st.text(min_size=1, max_size=20),
    text=st.text(min_size=1, max_size=200),
    language=st.sampled_from(["en", "ar", None]),
    title=st.one_of(st.none(), st.text(max_size=30)),
    published=st.one_of(st.none(), st.dates().map(str)),
)


@settings(max_examples=60, deadline=None)
@given(article=articles, spans=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=5))
def test_store_round_trips_and_rewrites_change_no_counts(article, spans):
    db = Database(memory=True)
    store.ensure_schema(db)
    text = article.text
    quotes = [
        Quote("ignored", "direct", text[a:b], a, b, speaker="Mustafa Al-Mujie", speaker_type="person")
        for a, b in {(min(x, y, len(text)), min(max(x, y), len(text))) for x, y in spans}
    ]
    for _ in range(2):
        store.write_article(db, article, quotes, [], status="extracted")
        assert store.counts(db)["articles"] == 1 and store.counts(db)["quotes"] == len(quotes)
    assert store.content_hash(Article.from_dict(db["articles"].get(article.id))) == store.content_hash(article)
    stored = sorted((q.content_start, q.content_end, q.content) for q in store.read_quotes(db))
    assert stored == sorted((q.content_start, q.content_end, q.content) for q in quotes)
