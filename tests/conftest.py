import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The small English pipeline with the quote component (statements: the default), loaded
    once per run."""
    from quotetrack.extract import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def frames_nlp():
    """The same pipeline with the learned frames on (``--frames``: beliefs, stances, plans)."""
    from quotetrack.extract import load_pipeline

    return load_pipeline(frames=True)


@pytest.fixture
def blank_nlp():
    import spacy

    return spacy.blank("en")


@pytest.fixture
def fresh_db():
    from sqlite_utils import Database

    return Database(memory=True)


@pytest.fixture
def seen(monkeypatch, tmp_path):
    """``test_build``'s fake extractor swapped in, in an empty folder (no curation file): the
    ids of the articles it was given."""
    from test_build import fake_extract_articles

    ids: list[str] = []
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_articles(ids))
    monkeypatch.chdir(tmp_path)
    return ids


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "quotes.db"


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


def as_schema_3(conn):
    """Turn a database of this schema into one quotetrack wrote at schema 3, which called the
    publisher "source" (in this field the word means the speaker)."""
    conn.execute("drop view claims")
    for table, old, new in (
        ("articles", "outlet", "source"),
        ("quotes", "outlet", "source"),
        ("claim_groups", "first_outlet", "first_source"),
    ):
        conn.execute(f"alter table {table} rename column {old} to {new}")
    conn.execute("create view claims as select id as quote_id, source from quotes")
    conn.execute("pragma user_version = 3")
