"""Corpus-wide speaker resolution, curation and the ``speakers`` command (issue 4)."""

import pytest

from quotetrack.errors import CurationError
from quotetrack.curation import CuratedSpeaker, Curation, load_curation
from quotetrack.resolve import apply_resolution, resolve_speakers, speaker_refs
from quotetrack.types import Quote, SpeakerRef


def person(article, name, *aliases, quotes=1, roles=()):
    return SpeakerRef(
        article_id=article, name=name, speaker_type="person", aliases=[name, *aliases], roles=list(roles), quotes=quotes
    )


def ids(resolution, *pairs):
    """Speaker ids of (article, name) pairs."""
    return [resolution.speaker_for(article, name).id for article, name in pairs]


def aliases(speaker):
    return {a.name: (a.rule, a.score, a.count) for a in speaker.aliases}


def test_issue_4_cross_article_variants_become_one_speaker():
    res = resolve_speakers(
        [
            person("a1", "Khalifa Haftar", "Haftar", "Hifter"),
            person("a2", "Khalifa Hifter", "Haftar"),
            person("a3", "Fayez al-Sarraj", "Al-Sarraj", quotes=2),
            person("a4", "Fayez al Sarraj"),
            person("a5", "Al-Sarraaj"),
            person("a6", "Gaddafi"),
            person("a7", "Gadhafi"),
            person("a8", "Qaddafi"),
            person("a9", "Kadhafi"),
        ]
    )
    assert len(set(ids(res, ("a1", "Khalifa Haftar"), ("a2", "Haftar")))) == 1
    assert len(set(ids(res, ("a3", "Al-Sarraj"), ("a4", "Fayez al Sarraj"), ("a5", "Al-Sarraaj")))) == 1
    assert len(set(ids(res, ("a6", "Gaddafi"), ("a7", "Gadhafi"), ("a8", "Qaddafi"), ("a9", "Kadhafi")))) == 1
    assert len(res.speakers) == 3
    sarraj = res.speaker_for("a5", "Al-Sarraaj")
    assert sarraj.name == "Fayez al-Sarraj"  # fullest, then most quoted
    assert aliases(sarraj)["Al-Sarraaj"] == ("shorter", 1.0, 1)
    assert aliases(sarraj)["Fayez al Sarraj"] == ("same-key", 1.0, 1)
    assert aliases(sarraj)["Al-Sarraj"][0] == "in-article"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Amin Al-Hashemi", "Mohammed Al-Hashemi"),
        ("Mohammed Al-Hashemi", "Mahmoud Al-Hashemi"),
        ("Adel Abdul Kafi", "Adel Abdul Karim"),
        ("Haftar", "Hafez"),
        ("Al-Namroush", "Al-Hashemi"),
    ],
)
def test_never_merge_pairs_stay_apart(a, b):
    res = resolve_speakers([person("x", a), person("y", b)])
    assert len(res.speakers) == 2


def test_bare_surname_shared_by_two_people_stays_with_its_article():
    res = resolve_speakers(
        [
            person("a1", "Amin Al-Hashemi", quotes=3),
            person("a2", "Mohammed Al-Hashemi"),
            person("a2", "Al-Hashemi"),  # the article names Mohammed: his
            person("a3", "Al-Hashemi"),  # names neither: a speaker of its own
        ]
    )
    amin, mohammed, bare = ids(res, ("a1", "Amin Al-Hashemi"), ("a2", "Mohammed Al-Hashemi"), ("a3", "Al-Hashemi"))
    assert res.speaker_for("a2", "Al-Hashemi").id == mohammed
    assert len({amin, mohammed, bare}) == 3


def test_bare_surname_with_one_known_person_joins_them():
    res = resolve_speakers([person("a1", "Khalifa Haftar"), person("a2", "Hifter")])
    assert len(res.speakers) == 1
    assert aliases(res.speakers[0])["Hifter"] == ("shorter", 1.0, 1)


def test_no_chaining_through_intermediate_names():
    # each is one letter from the next, but only the canonical name is compared with
    refs = [person("a1", "Salem Dabars", quotes=5), person("a2", "Salem Dabarsi"), person("a3", "Salem Dabarsiq")]
    res = resolve_speakers(refs)
    first, _, third = ids(res, ("a1", "Salem Dabars"), ("a2", "Salem Dabarsi"), ("a3", "Salem Dabarsiq"))
    assert first != third


def test_organizations_merge_on_normalized_name_and_anonymous_never_across_articles():
    res = resolve_speakers(
        [
            SpeakerRef("a1", "Al-Jazeera", "organization"),
            SpeakerRef("a2", "Al Jazeera", "organization"),
            SpeakerRef("a3", "the UN", "organization"),
            SpeakerRef("a1", "a Turkish official", "anonymous"),
            SpeakerRef("a2", "a Turkish official", "anonymous"),
        ]
    )
    assert len(set(ids(res, ("a1", "Al-Jazeera"), ("a2", "Al Jazeera")))) == 1
    assert len(set(ids(res, ("a1", "a Turkish official"), ("a2", "a Turkish official")))) == 2
    types = {s.id[:2] for s in res.speakers}
    assert types == {"o-", "a-"}


@pytest.mark.parametrize("name", ["General Motors", "Justice Department", "Republican National Committee"])
def test_an_organization_keeps_the_words_a_person_title_would_lose(name):
    res = resolve_speakers([SpeakerRef("a1", name, "organization"), SpeakerRef("a2", name, "organization")])
    assert [s.name for s in res.speakers] == [name]


def test_ids_are_stable_and_independent_of_input_order():
    refs = [
        person("a1", "Khalifa Haftar"),
        person("a2", "Hifter"),
        person("a3", "Amin Al-Hashemi"),
        SpeakerRef("a1", "Reuters", "organization"),
    ]
    first = {s.name: s.id for s in resolve_speakers(refs).speakers}
    again = {s.name: s.id for s in resolve_speakers(list(reversed(refs))).speakers}
    assert first == again
    assert first["Khalifa Haftar"].startswith("p-")
    # a new article does not change existing ids
    more = {s.name: s.id for s in resolve_speakers(refs + [person("a9", "Hafez")]).speakers}
    assert {k: more[k] for k in first} == first


def test_romanize_hook_links_arabic_script_only_on_a_strong_score():
    romanized = {"خليفة حفتر": ["Khalifa Haftar"], "فايز السراج": ["Fayiz Sarraj"], "سعيد مغيب": ["Said Mughayyib"]}
    res = resolve_speakers(
        [
            person("en", "Khalifa Hifter"),
            person("en", "Fayez al-Sarraj"),
            person("en", "Saad Mughib"),
            person("ar", "خليفة حفتر", "حفتر"),
            person("ar", "فايز السراج"),
            person("ar", "سعيد مغيب"),
        ],
        romanize=lambda name: romanized.get(name, []),
    )
    assert res.speaker_for("ar", "حفتر").id == res.speaker_for("en", "Khalifa Hifter").id
    assert res.speaker_for("ar", "فايز السراج").id == res.speaker_for("en", "Fayez al-Sarraj").id
    assert aliases(res.speaker_for("ar", "حفتر"))["خليفة حفتر"][0] == "romanized"
    # Said is not Saad: no link, the Arabic name is a speaker of its own
    assert res.speaker_for("ar", "سعيد مغيب").id != res.speaker_for("en", "Saad Mughib").id


def test_arabic_names_without_romanizer_are_their_own_speakers():
    res = resolve_speakers([person("ar1", "خليفة حفتر"), person("ar2", "خليفه حفتر"), person("en", "Khalifa Haftar")])
    assert len(res.speakers) == 2


# --- curation ------------------------------------------------------------------------------


def test_curation_merges_renames_and_pins():
    curation = Curation(
        speakers=[CuratedSpeaker(name="Khalifa Haftar", id="haftar", aliases=["Field Marshal Abu Saddam"])]
    )
    res = resolve_speakers([person("a1", "Khalifa Hifter"), person("a2", "Abu Saddam")], curation)
    assert len(res.speakers) == 1
    speaker = res.speakers[0]
    assert (speaker.id, speaker.name) == ("haftar", "Khalifa Haftar")
    assert aliases(speaker)["Abu Saddam"][0] == "curated"
    assert aliases(speaker)["Khalifa Hifter"][0] == "same-key"


def test_curation_never_merge_splits_a_wrong_merge():
    refs = [person("a1", "Khalifa Haftar"), person("a2", "Haftar")]
    assert len(resolve_speakers(refs).speakers) == 1
    split = resolve_speakers(refs, Curation(never_merge=[["Khalifa Haftar", "Haftar"]]))
    assert len(split.speakers) == 2


def test_curation_never_merge_splits_spellings_that_share_a_key():
    refs = [person("a1", "Mohamed Hamdi"), person("a2", "Mohamed Hamadi")]
    assert len(resolve_speakers(refs).speakers) == 1
    split = resolve_speakers(refs, Curation(never_merge=[["Mohamed Hamdi", "Mohamed Hamadi"]]))
    assert len(split.speakers) == 2


def test_load_curation_missing_file_is_empty(tmp_path):
    curation = load_curation(tmp_path / "speakers.yml")
    assert (curation.speakers, curation.never_merge) == ([], [])


def test_load_curation_reads_entries(tmp_path):
    path = tmp_path / "speakers.yml"
    path.write_text(
        "speakers:\n"
        "  - name: Khalifa Haftar\n"
        "    id: p-haftar\n"
        "    aliases: [Hifter]\n"
        "  - name: Reuters\n"
        "    type: organization\n"
        "never_merge:\n"
        "  - [Amin Al-Hashemi, Mohammed Al-Hashemi]\n",
        encoding="utf-8",
    )
    curation = load_curation(path)
    assert curation.speakers[0] == CuratedSpeaker("Khalifa Haftar", "person", "p-haftar", ["Hifter"], line=2)
    assert curation.speakers[1].speaker_type == "organization"
    assert curation.never_merge == [["Amin Al-Hashemi", "Mohammed Al-Hashemi"]]


@pytest.mark.parametrize(
    "text, message",
    [
        ("speakers:\n\t- name: A\n", ":2: not valid YAML"),
        ("speakers:\n  - id: x\n", ":2: each speakers entry needs a 'name'"),
        ("speakers:\n  - name: A\n    typo: 1\n", ":2: unknown key 'typo'"),
        ("speakers:\n  - name: A\n    type: robot\n", ":2: type 'robot'"),
        ("- a\n- b\n", ":1: expected a mapping"),
        ("never_merge:\n  - [Haftar]\n", ":1: never_merge group ['Haftar'] needs two names"),
        (
            "speakers:\n  - name: Khalifa Haftar\n  - name: Khalifa Hifter\n",
            ":3: 'Khalifa Hifter' is already a spelling of 'Khalifa Haftar' (line 2)",
        ),
    ],
)
def test_load_curation_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "speakers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError) as e:
        load_curation(path)
    assert str(e.value).startswith(str(path))
    assert message in str(e.value)


def test_project_curation_file_loads():
    from conftest import ROOT

    load_curation(ROOT / "data" / "speakers.yml")


# --- quotes in, quotes out -----------------------------------------------------------------


def quote(article, speaker, mention, stype="person", role=None, start=0):
    return Quote(
        article_id=article,
        kind="direct",
        content="...",
        content_start=start,
        content_end=start + 3,
        speaker=speaker,
        article_speaker=speaker,
        speaker_mention=mention,
        speaker_type=stype,
        role=role,
    )


def test_speaker_refs_group_quotes_and_keep_naming_mentions():
    quotes = [
        quote("a1", "Mustafa Al-Mujie", "Mustafa Al-Mujie", role="the spokesman"),
        quote("a1", "Mustafa Al-Mujie", "al-Majei"),
        quote("a1", "Mustafa Al-Mujie", "He"),
        quote("a1", "Mustafa Al-Mujie", "the spokesman"),
        quote("a1", "Al-Tahir Al-Gharabli", "Brigadier Al-Tahir Al-Gharabli"),
        quote("a1", "Reuters", "Reuters news agency", "organization"),
        quote("a1", "Reuters", "it", "organization"),
        quote("a2", "Mustafa Al-Mujie", "Al-Majai"),
    ]
    refs = {(r.article_id, r.name): r for r in speaker_refs(quotes)}
    mujie = refs["a1", "Mustafa Al-Mujie"]
    assert (mujie.aliases, mujie.roles, mujie.quotes) == (["Mustafa Al-Mujie", "al-Majei"], ["the spokesman"], 4)
    assert refs["a1", "Al-Tahir Al-Gharabli"].aliases == ["Al-Tahir Al-Gharabli"]
    assert refs["a1", "Reuters"].aliases == ["Reuters", "Reuters news agency"]
    assert len(refs) == 4


def test_apply_resolution_sets_canonical_name_and_id():
    quotes = [quote("a1", "Khalifa Haftar", "Haftar"), quote("a2", "Khalifa Hifter", "He"), quote("a3", None, None)]
    resolution = resolve_speakers(speaker_refs(quotes))
    out = list(apply_resolution(quotes, resolution))
    assert [q.speaker for q in out] == ["Khalifa Haftar", "Khalifa Haftar", None]
    assert out[0].speaker_id == out[1].speaker_id is not None
    assert out[1].article_speaker == "Khalifa Hifter"
    assert out[2].speaker_id is None


def test_a_pronoun_no_one_in_its_article_fits_never_joins_a_named_person():
    # "she" and "Cha" share the skeleton "sh"; before linking typed such a pronoun anonymous,
    # every unresolved "she" of the corpus became Victor Cha
    from quotetrack.extract.linking import link_speakers

    quotes = [
        quote("a1", "Victor Cha", "Victor Cha"),
        quote("a2", "Donald J. Trump", "Donald J. Trump"),
        quote("a2", "she", "she", start=40),
        quote("a3", "She", "She"),
    ]
    for article in ("a1", "a2", "a3"):
        link_speakers([q for q in quotes if q.article_id == article])
    out = list(apply_resolution(quotes, resolve_speakers(speaker_refs(quotes))))
    assert [q.speaker for q in out] == ["Victor Cha", "Donald J. Trump", "she", "She"]
    assert len({q.speaker_id for q in out}) == 4


# --- the speakers command ------------------------------------------------------------------


@pytest.fixture
def speaker_db(db_path):
    """A database written through store: two articles naming Haftar and al-Mujie."""
    from quotetrack import store
    from quotetrack.types import Article

    db = store.open_db(db_path)
    quotes = {
        "a1": [
            quote("a1", "Khalifa Haftar", "Haftar"),
            quote("a1", "Mustafa Al-Mujie", "al-Majei", role="the spokesman", start=10),
        ],
        "a2": [quote("a2", "Khalifa Hifter", "Hifter")],
    }
    for article_id, found in quotes.items():
        store.write_article(db, Article(id=article_id, text="..."), found, [], status="extracted")
    every = [q for found in quotes.values() for q in found]
    resolution = resolve_speakers(speaker_refs(every))
    store.write_resolution(db, resolution.speakers, apply_resolution(every, resolution))
    return db_path


def test_api_speakers_finds_any_spelling(speaker_db):
    from quotetrack import api

    assert [s.name for s in api.speakers(db_path=speaker_db)] == ["Khalifa Haftar", "Mustafa Al-Mujie"]
    (haftar,) = api.speakers("Field Marshal Haftar", db_path=speaker_db)
    assert haftar.quote_count == 2
    assert [(a.name, a.rule) for a in haftar.aliases] == [
        ("Khalifa Haftar", "canonical"),
        ("Khalifa Hifter", "same-key"),
        ("Haftar", "in-article"),
        ("Hifter", "in-article"),
    ]


def test_cli_speakers_lists_and_explains(speaker_db):
    from click.testing import CliRunner

    from quotetrack.cli import cli

    listing = CliRunner().invoke(cli, ["speakers", "--db", str(speaker_db)])
    assert listing.exit_code == 0
    assert "Khalifa Haftar (person), 2 quotes: Khalifa Haftar, Khalifa Hifter, Haftar, Hifter" in listing.output
    one = CliRunner().invoke(cli, ["speakers", "al-Majai", "--db", str(speaker_db)])
    assert one.exit_code == 0
    assert "roles: the spokesman" in one.output
    assert "al-Majei                         in-article 1.000  1 article(s)" in one.output


def test_cli_speakers_errors(speaker_db, tmp_path):
    from click.testing import CliRunner

    from quotetrack.cli import cli

    missing = CliRunner().invoke(cli, ["speakers", "Hafez", "--db", str(speaker_db)])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: No speaker named 'Hafez' (name key 'hfd')")
    nodb = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["speakers", "--db", str(nodb)])
    assert result.exit_code == 1
    assert result.output == f"Error: Database {nodb} not found. Run: quotetrack build data/ --db {nodb}\n"


@pytest.mark.parametrize("order", [1, -1])
def test_a_name_an_article_declares_links_articles_that_use_only_it(order):
    # "Abu Mohammad al-Julani, also known as Ahmed al-Shara'a" in one article; only
    # "Ahmed al-Sharaa" in another; in either order
    refs = [
        person("a12", "Abu Mohammad al-Julani", "Julani", "Ahmed al-Shara'a", quotes=7),
        person("a13", "Ahmed al-Sharaa", "Sharaa", quotes=7),
    ][::order]
    res = resolve_speakers(refs)
    assert res.speaker_for("a12", "Julani").id == res.speaker_for("a13", "Ahmed al-Sharaa").id
    assert aliases(res.speaker_for("a13", "Sharaa"))["Ahmed al-Shara'a"][0] == "declared"


def test_a_declared_name_finds_a_speaker_resolved_before_it():
    # the fuller name resolves first; the shorter one declares it ("formerly known as")
    res = resolve_speakers(
        [person("b1", "Abu Mohammed al-Jolani"), person("b2", "Ahmed al-Sharaa", "Abu Mohammad al-Julani")]
    )
    assert len(res.speakers) == 1


def test_a_mention_that_only_spells_the_name_is_no_declared_name():
    # "Al-Mismari" spells Ahmed Al-Mismari's name: it must not pull him to another Al-Mismari
    res = resolve_speakers([person("a1", "Ahmed Al-Mismari", "Al-Mismari"), person("a2", "Mohamed Al-Mismari")])
    assert len(res.speakers) == 2
