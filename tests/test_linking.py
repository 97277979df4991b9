"""In-article speaker linking (``link_speakers``) on hand-made Quote records, no spaCy.

Names and roles are the seed articles' (data/000 and data/003).
"""

from quotetrack.extract.linking import NamedPerson, link_speakers
from quotetrack.types import Quote


def quote(mention, at, speaker_type="person", role=None):
    """A quote whose speaker is mentioned as ``mention`` at offset ``at``."""
    return Quote(
        article_id="seed-000",
        kind="indirect",
        content="...",
        content_start=at + 30,
        content_end=at + 90,
        speaker_mention=mention,
        mention_start=at,
        mention_end=at + len(mention),
        speaker=mention,
        article_speaker=mention,
        speaker_type=speaker_type,
        role=role,
    )


def named(at, name, roles=(), subject=False, mention=None):
    """A person the article names at offset ``at`` (its who-is-who), not necessarily quoted."""
    mention = mention or name
    return NamedPerson(start=at, end=at + len(mention), name=name, mention=mention, roles=roles, subject=subject)


def speakers(quotes):
    return [q.speaker for q in quotes]


def test_pronoun_takes_the_most_recent_person_speaker():
    quotes = [
        quote("Mustafa Al-Mujie", 0, role="the spokesman for the Berkane Fury operation"),
        quote("He", 200),
        quote("Al-Qasim Dabars", 400, role="a member of the Supreme Council of the State"),
        quote("He", 600),
    ]
    link_speakers(quotes)
    assert speakers(quotes) == ["Mustafa Al-Mujie", "Mustafa Al-Mujie", "Al-Qasim Dabars", "Al-Qasim Dabars"]
    assert quotes[1].role == "the spokesman for the Berkane Fury operation"  # taken from the antecedent
    assert [q.article_speaker for q in quotes] == speakers(quotes)


def test_pronoun_links_by_position_not_by_list_order():
    later, pronoun, earlier = quote("Al-Qasim Dabars", 400), quote("He", 300), quote("Mustafa Al-Mujie", 0)
    link_speakers([later, pronoun, earlier])
    assert pronoun.speaker == "Mustafa Al-Mujie"


def test_pronoun_skips_organizations_and_unnamed_sources():
    quotes = [
        quote("Fayez al-Sarraj", 0),
        quote("Reuters news agency", 100, "organization"),
        quote("a Turkish official", 200, "anonymous"),
        quote("He", 300),
    ]
    link_speakers(quotes)
    assert quotes[3].speaker == "Fayez al-Sarraj"
    assert speakers(quotes[1:3]) == ["Reuters news agency", "a Turkish official"]
    assert [q.speaker_type for q in quotes[1:3]] == ["organization", "anonymous"]


def test_pronoun_with_no_earlier_person_stays_as_written():
    quotes = [quote("He", 0), quote("Mustafa Al-Mujie", 100)]
    link_speakers(quotes)
    assert speakers(quotes) == ["He", "Mustafa Al-Mujie"]
    # not a person's name: the corpus-wide resolver must not merge it with "Victor Cha"
    assert [q.speaker_type for q in quotes] == ["anonymous", "person"]


def test_pronoun_skips_a_person_of_the_other_gender():
    quotes = [quote("Hillary Clinton", 0), quote("Donald J. Trump", 100), quote("she", 200), quote("He", 300)]
    link_speakers(quotes)
    assert speakers(quotes)[2:] == ["Hillary Clinton", "Donald J. Trump"]


def test_the_article_tells_a_gender_the_given_name_does_not():
    # Terry is borne by men and women; "widow" and "Mrs." settle it
    quotes = [
        quote("Josh Earnest", 0),
        quote("Terry Strada", 100, role="9/11 widow"),
        quote("he", 200),
        quote("Mrs. Kaur", 300),
        quote("Ravi Singh", 400, role="Scott's nephew"),
        quote("She", 500),
    ]
    link_speakers(quotes)
    assert speakers(quotes)[2] == "Josh Earnest"
    assert speakers(quotes)[5] == "Kaur"


def test_a_role_word_after_a_preposition_says_nothing_of_the_speaker():
    quotes = [quote("Peter Morgan", 0, role="a lawyer for the woman"), quote("he", 100)]
    link_speakers(quotes)
    assert speakers(quotes) == ["Peter Morgan", "Peter Morgan"]


def test_pronoun_whose_every_candidate_has_the_other_gender_stays_as_written():
    quotes = [quote("Donald J. Trump", 0), quote("she", 100)]
    link_speakers(quotes)
    assert speakers(quotes) == ["Donald J. Trump", "she"]
    assert quotes[1].speaker_type == "anonymous"


def test_name_variants_take_the_fullest_name():
    quotes = [
        quote("Mustafa Al-Mujie", 0),
        quote("al-Majei", 100),
        quote("Al-Majai", 200),
        quote("Adel Abdul Kafi", 300),
        quote("Abdul Kafi", 400),
        quote("Al-Qasim Dabars", 500),
        quote("Debre", 600),
    ]
    link_speakers(quotes)
    assert speakers(quotes) == ["Mustafa Al-Mujie"] * 3 + ["Adel Abdul Kafi"] * 2 + ["Al-Qasim Dabars"] * 2
    assert speakers(quotes) == [q.article_speaker for q in quotes]
    assert [q.speaker_mention for q in quotes][1:3] == ["al-Majei", "Al-Majai"]  # mentions kept as written


def test_different_people_stay_apart():
    quotes = [quote("Fayez al-Sarraj", 0), quote("Merkel", 100), quote("Al-Sarraj", 200)]
    link_speakers(quotes)
    assert speakers(quotes) == ["Fayez al-Sarraj", "Merkel", "Fayez al-Sarraj"]


def test_person_named_but_never_quoted_gives_the_full_name():
    quotes = [quote("Merkel", 300)]
    link_speakers(quotes, [named(120, "Angela Merkel")])
    assert speakers(quotes) == ["Angela Merkel"]


def test_role_mention_resolves_to_the_person_just_quoted():
    quotes = [
        quote("Colonel Muhammad Qanunu", 0, role="Colonel; spokesman for the al-Wefaq government"),
        quote("the spokesman", 300, "anonymous"),
    ]
    quotes[0].speaker = "Muhammad Qanunu"
    link_speakers(quotes)
    assert (quotes[1].speaker, quotes[1].speaker_type, quotes[1].role) == (
        "Muhammad Qanunu",
        "person",
        "Colonel; spokesman for the al-Wefaq government",
    )


def test_role_mention_that_does_not_match_stays_anonymous():
    spokesman = quote("Muhammad Qanunu", 0, role="spokesman for the al-Wefaq government")
    others = [
        quote("the mayor of Bani Walid", 100, "anonymous"),  # another role
        quote("a spokesman", 200, "anonymous"),
    ]  # indefinite: someone new
    link_speakers([spokesman, *others])
    assert speakers(others) == ["the mayor of Bani Walid", "a spokesman"]
    assert {q.speaker_type for q in others} == {"anonymous"}


def test_role_mention_takes_the_person_the_article_names_with_that_role_later():
    # a headline "Spokesman for Libyan east forces claims ..." names its speaker further down
    quotes = [
        quote("the spokesman", 0, "anonymous"),
        quote("Muhammad Qanunu", 100, role="spokesman for the al-Wefaq government"),
    ]
    link_speakers(quotes)
    assert (quotes[0].speaker, quotes[0].speaker_type) == ("Muhammad Qanunu", "person")


def test_role_mention_with_two_holders_stays_as_written():
    quotes = [
        quote("Muhammad Qanunu", 0, role="spokesman for the al-Wefaq government"),
        quote("Ahmed al-Mismari", 100, role="spokesman for the Libyan National Army"),
        quote("the spokesman", 200, "anonymous"),
    ]
    link_speakers(quotes)
    assert (quotes[2].speaker, quotes[2].speaker_type) == ("the spokesman", "anonymous")


def test_a_surname_the_tagger_typed_as_organization_is_the_person_named_there():
    # en_core_web_sm tags "Trump" ORG and "Sanders" a plural noun in many PolNeAR sentences
    quotes = [
        quote("Donald J. Trump", 0),
        quote("Trump", 200, "organization"),
        quote("Bernie Sanders", 400),
        quote("Sanders", 600, "anonymous"),
    ]
    link_speakers(quotes)
    assert speakers(quotes) == ["Donald J. Trump"] * 2 + ["Bernie Sanders"] * 2
    assert {q.speaker_type for q in quotes} == {"person"}


def test_a_surname_typed_as_organization_links_to_a_person_named_but_never_quoted():
    quotes = [quote("DuVernay", 300, "organization")]
    link_speakers(quotes, [named(120, "Ava DuVernay")])
    assert (quotes[0].speaker, quotes[0].speaker_type) == ("Ava DuVernay", "person")


def test_a_surname_with_a_particle_typed_as_organization_is_the_person_named_there():
    # PolNeAR dev: the tagger's ORG "De Blasio" beside "Mayor Bill de Blasio"
    quotes = [quote("De Blasio", 0, "organization"), quote("Mayor Bill de Blasio", 100, role="Mayor")]
    quotes[1].speaker = "Bill de Blasio"
    link_speakers(quotes)
    assert [(q.speaker, q.speaker_type) for q in quotes] == [("Bill de Blasio", "person")] * 2


def test_an_organization_no_person_is_named_for_stays_an_organization():
    quotes = [
        quote("Mustafa Al-Mujie", 0),
        quote("Reuters", 100, "organization"),
        quote("Tripoli", 200, "organization"),
        quote("IMF", 300, "organization"),
        quote("Pro-Haftar sources", 400, "anonymous"),
        quote("China", 700, "organization"),
    ]
    link_speakers(quotes, [named(500, "Khalifa Haftar"), named(800, "Dante Chinni")])
    assert [q.speaker_type for q in quotes] == [
        "person",
        "organization",
        "organization",
        "organization",
        "anonymous",
        "organization",
    ]
    # "China" shares the skeleton of "Chinni" (chn), not its spelling
    assert speakers(quotes)[1:] == ["Reuters", "Tripoli", "IMF", "Pro-Haftar sources", "China"]


def test_no_quotes():
    quotes = []
    link_speakers(quotes, [named(0, "Khalifa Haftar")])
    assert quotes == []


def test_an_organization_the_next_quote_calls_he_is_a_person():
    # PolNeAR dev: the tagger's ORG "Husted", then "He said that ..."; "Reuters" is not retyped
    # by a pronoun that far away, nor "the ministry" by one at all
    quotes = [
        quote("Jon Smith", 0),
        quote("Husted", 200, "organization"),
        quote("He", 300),
        quote("Reuters", 400, "organization"),
        quote("He", 1200),
        quote("the ministry", 1300, "organization"),
        quote("he", 1350),
    ]
    link_speakers(quotes)
    assert [q.speaker_type for q in quotes[:4]] == ["person", "person", "person", "organization"]
    assert speakers(quotes) == ["Jon Smith", "Husted", "Husted", "Reuters", "Husted", "the ministry", "Husted"]


def test_a_role_mention_must_name_the_role_not_a_word_of_it():
    quotes = [quote("Jim Jordan", 0, role="Rep.; an oversight panel member"), quote("the panel", 100, "anonymous")]
    link_speakers(quotes)
    assert (quotes[1].speaker, quotes[1].speaker_type) == ("the panel", "anonymous")


def test_later_mentions_keep_the_persons_role():
    # PolNeAR dev: a bare surname quote between the titled name and "the mayor" or "she"
    quotes = [
        quote("Bill de Blasio", 0, role="Mayor"),
        quote("De Blasio", 100),
        quote("the mayor", 200, "anonymous"),
        quote("Terry Strada", 300, role="9/11 widow"),
        quote("Strada", 400),
        quote("She", 500),
    ]
    link_speakers(quotes)
    assert [(q.speaker, q.role) for q in quotes[2::3]] == [("Bill de Blasio", "Mayor"), ("Terry Strada", "9/11 widow")]


def test_a_speaker_written_with_a_quoted_nickname_speaks_under_the_name():
    # Arabic news writes محمد حمدان دقلو “حميدتي”; the name alone matches his other spellings
    quotes = [quote("محمد حمدان دقلو “حميدتي", 0), quote("حميدتي", 200)]
    link_speakers(quotes)
    assert speakers(quotes) == ["محمد حمدان دقلو", "محمد حمدان دقلو"]


def test_an_apostrophe_inside_a_name_is_no_nickname():
    quotes = [quote("Ahmed al-Shara'a", 0)]
    link_speakers(quotes)
    assert speakers(quotes) == ["Ahmed al-Shara'a"]


def test_an_acronym_and_an_office_are_a_role_mention():
    quotes = [quote("Mazloum Abdi", 0, role="SDF commander"), quote("SDF Commander", 200)]
    link_speakers(quotes)
    assert speakers(quotes) == ["Mazloum Abdi", "Mazloum Abdi"]
