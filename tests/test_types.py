"""The records that cross stage boundaries go to and from plain dicts the same way."""

import pytest

from quotetrack.types import Alias, Article, Problem, Quote, Speaker, SpeakerRef

RECORDS = [
    Article(id="a1", text="He said it.", language="en", title="T", path="a1.txt"),
    Quote(article_id="a1", kind="direct", content="it", content_start=8, content_end=10, speaker="He"),
    SpeakerRef(article_id="a1", name="Mustafa Al-Mujie", speaker_type="person", aliases=["al-Majei"]),
    Alias(name="al-Majei", speaker_id="p-1", rule="skeleton", score=0.9, count=2),
    Speaker(
        id="p-1",
        name="Mustafa Al-Mujie",
        speaker_type="person",
        roles=["spokesman"],
        aliases=[Alias(name="al-Majei", speaker_id="p-1", rule="skeleton")],
        quote_count=3,
    ),
    Problem(path="a.jsonl", code="QT104", message="not valid JSON", line=2),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_a_record_round_trips_through_a_dict(record):
    assert type(record).from_dict(record.to_dict()) == record


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_keys_that_are_not_fields_are_ignored(record):
    assert type(record).from_dict({**record.to_dict(), "desk": "Reuters", "rowid": 7}) == record


def test_to_dict_gives_plain_values_all_the_way_down():
    speaker = RECORDS[4].to_dict()
    assert speaker["aliases"] == [
        {"name": "al-Majei", "speaker_id": "p-1", "rule": "skeleton", "score": 1.0, "count": 1}
    ]
    assert RECORDS[1].to_dict()["content_2"] is None


def test_a_speakers_aliases_become_alias_records():
    speaker = Speaker.from_dict(
        {
            "id": "p-1",
            "name": "N",
            "speaker_type": "person",
            "aliases": [{"name": "N", "speaker_id": "p-1", "rule": "canonical"}],
        }
    )
    assert speaker.aliases == [Alias(name="N", speaker_id="p-1", rule="canonical")]
    assert Speaker.from_dict({"id": "p-2", "name": "M", "speaker_type": "person"}).aliases == []


def test_a_missing_required_field_raises():
    with pytest.raises(TypeError):
        Quote.from_dict({"article_id": "a1", "kind": "direct"})
