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
def db_path(tmp_path):
    return tmp_path / "quotes.db"


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED
