"""The stand-ins for spaCy's attribute ruler and lemmatizer set exactly what the originals set."""

import pathlib

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer

from quotetrack.extract import DEFAULT_MODEL, load_pipeline
from quotetrack.extract.token_attributes import CompiledRules, Uncompilable, speed_up, with_indexed_words

TEXTS = pathlib.Path(__file__).parent / "texts"
ATTRS = [POS, TAG, MORPH, LEMMA, DEP, HEAD]
# what the ruler's rarer patterns are about: expletive "there is", "n't", "nothin'", "y'",
# "gets"/"got", "'s", whitespace tokens; and words the lemma index has and lacks
EDGE_CASES = (
    "There's no deal, and there were no talks.  Y' know, he don't care 'bout nothin' at all.\n\n"
    "She gets what she wants; he got nothing. Isn't it? The ministers' spokesmen were zorbing "
    "the meeting's agendas, and they’re quoting cheaper, faster analyses.\n \n \"I'm tired,\" he's said."
)


@pytest.fixture(scope="module")
def stock_and_tables():
    stock = spacy.load(DEFAULT_MODEL, disable=["ner"])
    tables = spacy.load(DEFAULT_MODEL, disable=["ner"])
    return stock, tables, speed_up(tables)


def texts():
    return ["", "\n \n", EDGE_CASES] + [p.read_text("utf-8") for p in sorted(TEXTS.glob("*.txt"))]


def test_speed_up_replaces_and_disables_the_ruler_and_the_lemmatizer(stock_and_tables):
    _, tables, replaced = stock_and_tables
    assert replaced == ["attribute_ruler", "lemmatizer"]
    assert set(replaced) <= set(tables.disabled)
    assert tables.pipe_names[-2:] == ["quotetrack_attribute_table_attribute_ruler", "quotetrack_lemma_table_lemmatizer"]


@pytest.mark.parametrize("text", texts(), ids=lambda t: repr(t[:20]))
def test_the_tables_set_what_the_originals_set(stock_and_tables, text):
    stock, tables, _ = stock_and_tables
    expected, got = stock(text), tables(text)
    assert [t.text for t in got] == [t.text for t in expected]
    assert (got.to_array(ATTRS) == expected.to_array(ATTRS)).all(), [
        (t.text, t.pos_, t.lemma_, str(t.morph), u.pos_, u.lemma_, str(u.morph))
        for t, u in zip(expected, got)
        if (t.pos, t.lemma, t.morph.key) != (u.pos, u.lemma, u.morph.key)
    ]


def test_the_tables_agree_in_a_batch_after_their_memory_has_filled(stock_and_tables):
    stock, tables, _ = stock_and_tables
    for expected, got in zip(stock.pipe(texts() * 2), tables.pipe(texts() * 2)):
        assert (got.to_array(ATTRS) == expected.to_array(ATTRS)).all()


def test_the_indexed_copy_lemmatizes_like_the_original():
    lemmatizer = spacy.load(DEFAULT_MODEL).get_pipe("lemmatizer")
    copy = with_indexed_words(lemmatizer)
    assert all(isinstance(words, frozenset) for words in copy.lookups.get_table("lemma_index").values())
    assert all(isinstance(words, list) for words in lemmatizer.lookups.get_table("lemma_index").values())
    nlp = spacy.load(DEFAULT_MODEL, disable=["lemmatizer", "ner"])
    for token in nlp("The zorbing analyses were quoting children, who ran faster than mice."):
        assert copy.lemmatize(token) == lemmatizer.lemmatize(token)


def test_a_ruler_pattern_with_an_operator_keeps_the_original():
    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})
    with pytest.raises(Uncompilable):
        CompiledRules(nlp.get_pipe("attribute_ruler"))
    assert speed_up(nlp) == ["lemmatizer"]
    assert "attribute_ruler" in nlp.pipe_names


def test_a_ruler_pattern_on_an_untested_attribute_keeps_the_original():
    nlp = spacy.load(DEFAULT_MODEL, exclude=["ner", "lemmatizer"])
    nlp.get_pipe("attribute_ruler").add([[{"LENGTH": 4}]], {"LEMMA": "four"})
    assert speed_up(nlp) == []
    assert nlp("This is it")[0].lemma_ == "four"


class ShoutingLemmatizer(Lemmatizer):
    """A lemmatizer whose lemmas the table cannot know to depend on (text, pos, morph) only."""

    def lookup_lemmatize(self, token):
        return [token.text.upper()]


@Language.factory("test_shouting_lemmatizer")
def make_shouting_lemmatizer(nlp, name):
    lemmatizer = ShoutingLemmatizer(nlp.vocab, None, name, mode="lookup")
    lemmatizer.lookups.add_table("lemma_lookup", {})
    return lemmatizer


def test_a_lemmatizer_of_another_class_keeps_the_original():
    nlp = spacy.blank("en")
    nlp.add_pipe("test_shouting_lemmatizer")
    assert speed_up(nlp) == []
    assert nlp("quotes")[0].lemma_ == "QUOTES"


def test_a_lookup_lemmatizer_is_replaced_and_agrees():
    stock = spacy.blank("en")
    lemmatizer = stock.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.lookups.add_table("lemma_lookup", {"said": "say", "quotes": "quote"})
    tables = spacy.blank("en")
    tables.add_pipe("lemmatizer", config={"mode": "lookup"}).lookups = lemmatizer.lookups
    assert type(lemmatizer) in (Lemmatizer, EnglishLemmatizer)
    assert speed_up(tables) == ["lemmatizer"]
    text = "He said the quotes were said twice"
    assert (
        [t.lemma_ for t in tables(text)]
        == [t.lemma_ for t in stock(text)]
        == ["He", "say", "the", "quote", "were", "say", "twice"]
    )


def test_the_extraction_pipeline_runs_the_tables(nlp):
    assert {"attribute_ruler", "lemmatizer", "ner"} <= set(nlp.disabled)
    assert "quotetrack_attribute_table_attribute_ruler" in nlp.pipe_names


def test_a_saved_extraction_pipeline_loads_with_its_tables(tmp_path):
    nlp = load_pipeline()
    nlp.to_disk(tmp_path)
    loaded = spacy.load(tmp_path)
    assert loaded.pipe_names == nlp.pipe_names and loaded.disabled == nlp.disabled
    doc, again = nlp(EDGE_CASES), loaded(EDGE_CASES)
    assert (again.to_array(ATTRS) == doc.to_array(ATTRS)).all()
    assert [q.to_dict() for q in again._.quotes] == [q.to_dict() for q in doc._.quotes]


def test_the_tables_start_afresh_when_full_and_still_agree(monkeypatch):
    monkeypatch.setattr("quotetrack.extract.token_attributes.MEMORY_LIMIT", 25)
    stock = spacy.load(DEFAULT_MODEL, disable=["ner"])
    tables = spacy.load(DEFAULT_MODEL, disable=["ner"])
    speed_up(tables)
    for expected, got in zip(stock.pipe(texts()), tables.pipe(texts())):
        assert (got.to_array(ATTRS) == expected.to_array(ATTRS)).all()
    assert 0 < len(tables.get_pipe("quotetrack_attribute_table_attribute_ruler")._seen) <= 25
    lemma_table = tables.get_pipe("quotetrack_lemma_table_lemmatizer")
    assert 0 < len(lemma_table._lemmas) <= 25 and len(lemma_table._lemmatizer.cache) <= 25
