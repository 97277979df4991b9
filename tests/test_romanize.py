"""Cross-script speakers (issue 6): Arabic-script names romanized and linked to Latin spellings."""

import pytest

from quotetrack import names
from quotetrack.resolve import resolve_speakers
from quotetrack.romanize import romanize_name
from quotetrack.types import SpeakerRef


def person(article_id, name, language):
    return SpeakerRef(article_id, name, "person", aliases=[name], language=language)


@pytest.mark.parametrize(
    "arabic, latin",
    [
        ("أحمد المسماري", "Ahmed al-Mismari"),
        ("أحمد المسماري", "Al-Mesmari"),
        ("خليفة حفتر", "Khalifa Haftar"),
        ("خليفة حفتر", "Hifter"),
        ("فايز السراج", "Fayez al-Sarraj"),
        ("فايز السراج", "Al-Sarraaj"),
    ],
)
def test_romanizations_reach_the_latin_spellings_news_uses(arabic, latin):
    target = names.parse_name(latin)
    best = max(names.name_similarity(names.parse_name(c), target) for c in romanize_name(arabic))
    assert best >= names.STRONG


def test_romanize_name_gives_the_usual_spelling_first_and_nothing_for_latin_text():
    assert romanize_name("خليفة حفتر")[0] == "Khalifa Haftar"
    assert romanize_name(" فايز   السراج ")[0] == romanize_name("فايز السراج")[0]
    assert romanize_name("Khalifa Haftar") == []
    assert romanize_name("") == []


LATIN = [
    "Ahmed al-Mismari",
    "Khalifa Haftar",
    "Fayez al-Sarraj",
    "Amin Al-Hashemi",
    "Mohammed Al-Hashemi",
    "Adel Abdul Kafi",
    "Adel Abdul Karim",
    "Saddam Haftar",
    "Aguila Saleh",
]


@pytest.fixture(scope="module")
def resolution():
    arabic = [
        "أحمد المسماري",
        "خليفة حفتر",
        "فايز السراج",
        "أمين الهاشمي",
        "محمود الهاشمي",
        "عادل عبد الكافي",
        "صدام حفتر",
        "حافظ الأسد",
        "سعيد مغيب",
    ]
    refs = [person(f"en-{name}", name, "en") for name in LATIN]
    refs += [person(f"ar-{name}", name, "ar") for name in arabic]
    return resolve_speakers(refs, romanize=romanize_name)


def same_speaker(res, arabic, latin):
    return res.speaker_for(f"ar-{arabic}", arabic).id == res.speaker_for(f"en-{latin}", latin).id


@pytest.mark.parametrize(
    "arabic, latin",
    [
        ("أحمد المسماري", "Ahmed al-Mismari"),
        ("خليفة حفتر", "Khalifa Haftar"),
        ("فايز السراج", "Fayez al-Sarraj"),
        ("أمين الهاشمي", "Amin Al-Hashemi"),
        ("عادل عبد الكافي", "Adel Abdul Kafi"),
        ("صدام حفتر", "Saddam Haftar"),
    ],
)
def test_arabic_name_joins_its_latin_speaker(resolution, arabic, latin):
    assert same_speaker(resolution, arabic, latin)
    speaker = resolution.speaker_for(f"ar-{arabic}", arabic)
    rules = {alias.name: alias.rule for alias in speaker.aliases}
    assert rules[arabic] == "romanized" and latin in rules  # both scripts kept as aliases


@pytest.mark.parametrize(
    "arabic, latin",
    [
        ("محمود الهاشمي", "Mohammed Al-Hashemi"),  # Mahmoud is not Mohammed
        ("محمود الهاشمي", "Amin Al-Hashemi"),
        ("عادل عبد الكافي", "Adel Abdul Karim"),
        ("صدام حفتر", "Khalifa Haftar"),  # father and son
        ("خليفة حفتر", "Saddam Haftar"),
        ("أمين الهاشمي", "Mohammed Al-Hashemi"),
    ],
)
def test_names_that_must_not_merge(resolution, arabic, latin):
    assert not same_speaker(resolution, arabic, latin)


@pytest.mark.parametrize("arabic", ["حافظ الأسد", "سعيد مغيب"])
def test_arabic_name_without_a_latin_match_is_a_speaker_of_its_own(resolution, arabic):
    speaker = resolution.speaker_for(f"ar-{arabic}", arabic)
    assert [alias.name for alias in speaker.aliases] == [arabic]


def test_issue_6_build_keeps_one_speaker_for_both_scripts(tmp_path, db_path):
    (tmp_path / "en.txt").write_text(
        'Khalifa Haftar said his forces would keep fighting.\n\n"We will not stop," Haftar said.\n', encoding="utf-8"
    )
    (tmp_path / "ar.txt").write_text("وقال خليفة حفتر إن قواته ستواصل القتال.\n", encoding="utf-8")
    from quotetrack import api

    api.build([tmp_path / "en.txt", tmp_path / "ar.txt"], db_path=db_path)
    haftar = [s for s in api.speakers(db_path=db_path) if "خليفة حفتر" in {a.name for a in s.aliases}]
    assert len(haftar) == 1
    rules = {alias.name: alias.rule for alias in haftar[0].aliases}
    assert "Khalifa Haftar" in rules and rules["خليفة حفتر"] == "romanized"
