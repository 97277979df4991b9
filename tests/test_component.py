"""The ``quotetrack_quotes`` spaCy component: add_pipe, span groups, serialization, errors."""

import importlib.metadata
import pathlib
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

from quotetrack.extract import DEFAULT_MODEL  # importing it registers the factory

TEXTS = pathlib.Path(__file__).parent / "texts"
# seed 003
SARRAJ = (TEXTS / "seed003_al_sarraj.txt").read_text("utf-8")
# seed 003, its "confirmed" made "proclaimed", a verb the default lexicon lacks
PROCLAIMED = "Al-Sarraj proclaimed that there is no military solution to the crisis in his country."


@pytest.fixture(scope="module")
def claims_nlp():
    """A freshly loaded pipeline with the components added by hand: the quotes under another
    spans key, a two-verb lexicon and no learned frames (so the lexicon alone decides)."""
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("quotetrack_paragraphs", before="parser")
    finder = nlp.add_pipe("quotetrack_quotes", config={"spans_key": "claims", "frames": False})
    finder.initialize(cues=["say", "Proclaim "])
    return nlp


def test_span_group_labels_are_the_quote_kinds(nlp):
    doc = nlp(SARRAJ)
    quotes = doc._.quotes
    spans = doc.spans["quotes"]
    assert len(quotes) == len(spans) >= 5
    assert [s.label_ for s in spans] == [q.kind for q in quotes]
    assert {s.label_ for s in spans} == {"direct", "indirect"}
    for span, q in zip(spans, quotes):
        assert span.start_char <= q.content_start < q.content_end <= span.end_char
        assert span._.qt_attribution["speaker"] == q.speaker


def test_component_declares_what_it_reads_and_writes(nlp):
    meta = nlp.get_pipe_meta("quotetrack_quotes")
    assert "doc.spans" in meta.assigns
    assert {"token.dep", "doc.sents"} <= set(meta.requires)


def test_spans_key_and_cue_lexicon_are_settings(claims_nlp):
    doc = claims_nlp(PROCLAIMED)
    assert "quotes" not in doc.spans
    assert [s.label_ for s in doc.spans["claims"]] == ["indirect"]
    [q] = doc._.quotes
    assert (q.speaker, q.cue_lemma, q.content) == (
        "Al-Sarraj",
        "proclaim",
        "there is no military solution to the crisis in his country",
    )
    # "confirm" is no longer a cue: the initialized lexicon replaced the default one
    assert claims_nlp(PROCLAIMED.replace("proclaimed", "confirmed"))._.quotes == []


def test_to_disk_and_spacy_load_keep_config_and_lexicon(claims_nlp, tmp_path):
    claims_nlp.to_disk(tmp_path)
    assert (tmp_path / "quotetrack_quotes" / "cues.txt").read_text("utf-8").split() == ["proclaim", "say"]
    loaded = spacy.load(tmp_path)
    assert loaded.pipe_names[-1] == "quotetrack_quotes"
    assert loaded.get_pipe_config("quotetrack_quotes")["spans_key"] == "claims"
    assert loaded.get_pipe_config("quotetrack_quotes")["frames"] is False
    assert loaded.get_pipe("quotetrack_quotes").rules.frame_model is None
    assert loaded.get_pipe("quotetrack_quotes").rules.cues == {"proclaim", "say"}
    assert [q.cue_lemma for q in loaded(PROCLAIMED)._.quotes] == ["proclaim"]


def test_saved_pipeline_loads_through_the_entry_point_alone(claims_nlp, tmp_path):
    # a user who never imports quotetrack: spaCy finds the factory by its entry point
    [entry] = [e for e in importlib.metadata.entry_points(group="spacy_factories") if e.name == "quotetrack_quotes"]
    assert entry.value == "quotetrack.extract:make_quote_finder"
    claims_nlp.to_disk(tmp_path)
    script = (
        f"import spacy\nnlp = spacy.load({str(tmp_path)!r})\ndoc = nlp({PROCLAIMED!r})\n"
        "print([s.label_ for s in doc.spans['claims']])"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['indirect']"


def test_a_sentence_never_runs_over_a_paragraph_break(nlp):
    # seed 002, adapted: the parser alone reads the next paragraph into the quote's sentence
    text = (
        "Stevie Wonder, who joked of the museum, ''I haven't seen it yet, but I'm going to.''\n\n"
        "Ms. LaBelle got a huge roar from the crowd when she added the words, ''Hillary Clinton.''"
    )
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == text.split("\n\n")
    assert not [q for q in doc._.quotes if q.cue == "added" and "seen it" in q.content]


@pytest.mark.parametrize(
    "text, starts",
    [
        ("Mr. Wonder said, ''I haven't seen it yet.''\n\nMs. LaBelle sang.", ["Ms."]),
        # seed 000, hard-wrapped: the line goes on in lower case
        (
            "The Libyan-Turkish agreement, and in\nturn, the Libyan army leader, Brigadier Al-Tahir Al-Gharabli, "
            "affirms that one of the most important factors is the enhancement of the forces.",
            [],
        ),
        # seed 003, adapted: a colon introduces the next paragraph
        ("Fayez al-Sarraj said:\n\nOur battle continues.", []),
        # seed 002: a headline and its article
        (
            "Saving the extraordinary Haftar, or who will break faster in Libya?\n\nThe successes of the "
            "internationally recognized, Turkish-backed Government of National Accord",
            ["The"],
        ),
        ("- Advertisement -\n\nIn Libya, since the launch of Operation", ["In"]),  # seed 001
    ],
)
def test_paragraph_breaks_start_sentences_where_a_new_line_does(blank_nlp, text, starts):
    from quotetrack.extract import paragraph_breaks

    doc = paragraph_breaks(blank_nlp(text))
    assert [t.text for t in doc if t.is_sent_start and t.i > 0] == starts


def test_spans_and_quotes_survive_docbin(nlp):
    doc = nlp(SARRAJ)
    stored = DocBin(store_user_data=True)
    stored.add(doc)
    [back] = DocBin().from_bytes(stored.to_bytes()).get_docs(nlp.vocab)
    assert [(s.start_char, s.end_char, s.label_) for s in back.spans["quotes"]] == [
        (s.start_char, s.end_char, s.label_) for s in doc.spans["quotes"]
    ]
    assert back._.quotes == doc._.quotes


def test_error_handler_receives_failures(claims_nlp, monkeypatch):
    finder = claims_nlp.get_pipe("quotetrack_quotes")

    def broken(doc):
        raise ValueError("boom")

    monkeypatch.setattr(finder.rules, "find_quotes", broken)
    with pytest.raises(ValueError, match="boom"):
        claims_nlp(PROCLAIMED)  # spaCy's default handler re-raises
    seen = []
    finder.set_error_handler(lambda name, proc, docs, e: seen.append((name, str(e), docs[0].text)))
    try:
        docs = list(claims_nlp.pipe([PROCLAIMED, SARRAJ]))
    finally:
        finder.set_error_handler(spacy.util.raise_error)
    assert [d.text for d in docs] == [PROCLAIMED, SARRAJ]  # nothing dropped
    assert seen == [("quotetrack_quotes", "boom", PROCLAIMED), ("quotetrack_quotes", "boom", SARRAJ)]


def test_a_failing_doc_leaves_the_rest_of_its_batch_alone(claims_nlp, monkeypatch):
    finder = claims_nlp.get_pipe("quotetrack_quotes")
    find_quotes = finder.rules.find_quotes

    def broken_on_proclaimed(doc):
        if doc.text == PROCLAIMED:
            raise ValueError("boom")
        return find_quotes(doc)

    monkeypatch.setattr(finder.rules, "find_quotes", broken_on_proclaimed)
    seen = []
    finder.set_error_handler(lambda name, proc, docs, e: seen.append(docs[0].text))
    try:
        docs = list(claims_nlp.pipe([PROCLAIMED, SARRAJ]))
    finally:
        finder.set_error_handler(spacy.util.raise_error)
    assert seen == [PROCLAIMED]
    assert docs[1]._.quotes and not docs[0]._.quotes


def test_a_batch_gets_the_same_quotes_and_entities_as_one_doc_at_a_time(nlp):
    texts = [SARRAJ, "Donald Trump visited Paris.\n\nLater, Tripoli announced that the talks had failed.", PROCLAIMED]
    one_by_one = [nlp(t) for t in texts]
    batched = list(nlp.pipe(texts, batch_size=3))
    assert [d._.quotes for d in batched] == [d._.quotes for d in one_by_one]
    assert [[(e.text, e.label_) for e in d.ents] for d in batched] == [
        [(e.text, e.label_) for e in d.ents] for d in one_by_one
    ]
    assert any(d.ents for d in batched)


def test_entities_are_tagged_around_proper_names_only(nlp):
    # load_pipeline disables "ner"; the component runs it beside each proper-noun name (the
    # speakers and the article's who-is-who) with a few tokens either side, never elsewhere
    text = (
        "Donald Trump visited Paris on Monday with his family.\n\nLater, Tripoli announced that the talks had failed."
    )
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Donald Trump", "PERSON"),
        ("Paris", "GPE"),
        ("Monday", "DATE"),
        ("Tripoli", "GPE"),
    ]
    [q] = doc._.quotes
    assert (q.speaker, q.speaker_type) == ("Tripoli", "organization")
    assert [p["name"] for p in doc._.qt_people] == ["Donald Trump"]


def test_a_pipeline_with_ner_enabled_keeps_its_own_entities(claims_nlp):
    doc = claims_nlp("Donald Trump visited Paris on Monday. " + PROCLAIMED)
    assert {"Donald Trump", "Paris"} <= {e.text for e in doc.ents}


def test_a_saved_pipeline_carries_its_frame_model(tmp_path):
    from quotetrack.extract import load_pipeline
    from quotetrack.extract.frames import FrameModel

    nlp = load_pipeline(frames=True)
    finder = nlp.get_pipe("quotetrack_quotes")
    finder.rules.frame_model = FrameModel(weights={"lf=complain|prep:about": 6.0}, bias=-3.0, threshold=0.5)
    nlp.to_disk(tmp_path)
    assert (tmp_path / "quotetrack_quotes" / "frames.json").exists()
    loaded = spacy.load(tmp_path)
    assert loaded.get_pipe("quotetrack_quotes").rules.frame_model == finder.rules.frame_model
    [q] = loaded("The governor complained about the new tax rules on Monday.")._.quotes
    assert (q.cue, q.content) == ("complained", "the new tax rules")


def test_a_pipeline_saved_without_frames_loads_without_them(claims_nlp, tmp_path):
    claims_nlp.to_disk(tmp_path)
    assert not (tmp_path / "quotetrack_quotes" / "frames.json").exists()
