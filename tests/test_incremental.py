"""Incremental resolution: a build resolves what its articles touch, and agrees with a full one."""

import re

import pytest
from click.testing import CliRunner

from quotetrack import api, store
from quotetrack.cli import cli
from quotetrack.extract import ArticleResult

from test_build import direct_quote

QUOTE = re.compile(r'"([^"]+)," ([A-Z][\w.-]*(?: [A-Z][\w.-]*)*) (said|announced)')

ARTICLES_A = {
    "a1": '"We will win," Trump said. "Taxes go down," Sanders said.',
    "a2": '"The plan works," Sanders said. "No comment," Acme Corp announced.',
    "a3": '"Rates stay," Janet Yellen said. "Trump is wrong," Yellen said.',
    "a4": '"Roads first," Haftar said.',
}
ARTICLES_B = {
    "b1": '"I am running," Donald Trump said. "So am I," Bernie Sanders said.',
    "b2": '"Profits rose," ACME Corp. announced. "Yes," Trump said.',
    "b3": '"Tripoli will fall," Khalifa Hifter said.',
    "b4": '"Nothing to add," Zed Quill said.',
}


def fake_extract_articles(articles, *, model=None, batch_size=32, workers=1, frames=True, scheduler=None, encode=False):
    """One quote per ``"...," Name said`` (a person) or ``announced`` (an organization)."""
    for article in articles:
        quotes = [
            direct_quote(article, m, m.group(3), m.group(3), "person" if m.group(3) == "said" else "organization")
            for m in QUOTE.finditer(article.text)
        ]
        yield ArticleResult(article, quotes, [])


@pytest.fixture
def folder(monkeypatch, tmp_path):
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_articles)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder, name, articles):
    path = folder / name
    path.mkdir(exist_ok=True)
    for article_id, text in articles.items():
        (path / f"{article_id}.txt").write_text(text + "\n", encoding="utf-8")
    return path


def snapshot(db_path):
    """Speakers, aliases and each quote's speaker link, as sorted rows."""
    db = store.open_db(db_path)
    return {
        "quotes": db.execute("select id, speaker_id, speaker from quotes order by id").fetchall(),
        "speakers": db.execute(
            "select id, name, speaker_type, roles, quote_count, first_published, "
            "last_published from speakers order by id"
        ).fetchall(),
        "aliases": db.execute(
            "select speaker_id, name, key, rule, score, count from aliases order by speaker_id, name"
        ).fetchall(),
    }


def in_memory_resolution(db_path):
    """What the whole-corpus resolver gives the stored quotes: (quote id, speaker id, name)."""
    db = store.open_db(db_path)
    _, quotes = api._resolved(list(store.read_quotes(db)))
    return sorted((store._quote_id(vars(q)), q.speaker_id, q.speaker) for q in quotes)


def built_in_every_order(a, b):
    """Snapshots of building a then b, b then a, and both at once (``all.db``)."""
    for first, second, db_path in ((a, b, "ab.db"), (b, a, "ba.db")):
        api.build([first], db_path=db_path)
        api.build([second], db_path=db_path)
    api.build([a, b], db_path="all.db")
    return snapshot("ab.db"), snapshot("ba.db"), snapshot("all.db")


def test_a_then_b_equals_a_and_b_at_once_in_either_order(folder):
    a, b = write(folder, "A", ARTICLES_A), write(folder, "B", ARTICLES_B)
    ab, ba, everything = built_in_every_order(a, b)
    assert ab == everything == ba
    assert [tuple(row) for row in everything["quotes"]] == in_memory_resolution("all.db")
    names = {row[1] for row in everything["speakers"]}
    # the fuller names arriving later took the short ones along
    assert {"Donald Trump", "Bernie Sanders", "Janet Yellen", "Khalifa Hifter"} <= names
    assert not {"Trump", "Sanders", "Yellen"} & names


def test_an_unrelated_article_rewrites_only_its_own_rows(folder):
    api.build([write(folder, "A", ARTICLES_A)], db_path="q.db")
    before = snapshot("q.db")
    summary = api.build([write(folder, "C", {"c1": '"Hello," Zed Quill said. "Bye," Zed Quill said.'})], db_path="q.db")
    stats = summary.resolution
    assert not stats.full and stats.groups == 1 and stats.refs == 1
    assert stats.quotes_rewritten == 2 and stats.speakers_written == 1 and stats.speakers_removed == 0
    after = snapshot("q.db")
    assert set(before["speakers"]) < set(after["speakers"]) and set(before["quotes"]) < set(after["quotes"])


def test_a_known_speaker_quoted_again_relinks_only_the_new_ref(folder):
    api.build([write(folder, "A", ARTICLES_A)], db_path="q.db")
    before = snapshot("q.db")
    stats = api.build([write(folder, "C", {"c1": '"More," Yellen said.'})], db_path="q.db").resolution
    assert stats.refs == 3  # a3's two refs of Janet Yellen are read and resolved again with it...
    assert stats.refs_relinked == 1 and stats.quotes_rewritten == 1  # ...and only the new one written
    after = snapshot("q.db")
    assert set(before["quotes"]) < set(after["quotes"])


def test_one_name_as_a_person_and_an_organization_in_one_article_resolves_alike_in_any_order(folder):
    # its quotes find their speaker by (article, name): both groups are resolved together
    a = write(folder, "A", {"a1": '"Hi," Jordan said. "No," Jordan announced.'})
    b = write(folder, "B", {"b1": '"Yes," Michael Jordan said.'})
    ab, ba, everything = built_in_every_order(a, b)
    assert ab == everything == ba
    assert [tuple(row) for row in everything["quotes"]] == in_memory_resolution("all.db")


def test_a_changed_article_moves_its_quotes_and_drops_an_empty_speaker(folder):
    a = write(folder, "A", ARTICLES_A)
    api.build([a], db_path="q.db")
    (a / "a4.txt").write_text('"Roads first," Zed Quill said.\n', encoding="utf-8")
    summary = api.build([a], db_path="q.db")
    assert summary.resolution.speakers_removed == 1 and not summary.resolution.full
    api.build([a], db_path="fresh.db")
    assert snapshot("q.db") == snapshot("fresh.db")


def test_a_curation_change_resolves_everything_again(folder):
    a = write(folder, "A", ARTICLES_A)
    api.build([a], db_path="q.db")
    (folder / "speakers.yml").write_text(  # the curation file beside the database
        "speakers:\n  - name: Bernard Sanders\n    id: sanders\n    aliases: [Sanders]\n", encoding="utf-8"
    )
    summary = api.build([a], db_path="q.db")
    assert summary.resolution.full and summary.extracted == 0
    assert ("sanders", "Bernard Sanders") in {(r[0], r[1]) for r in snapshot("q.db")["speakers"]}
    assert api.build([a], db_path="q.db").resolution.full is False  # recorded: next time incremental


def test_resolve_command_and_a_database_without_the_index(folder):
    a = write(folder, "A", ARTICLES_A)
    api.build([a], db_path="q.db")
    expected = snapshot("q.db")
    db = store.open_db("q.db")
    for table in ("speaker_refs", "speaker_blocks", "speaker_dirty", "resolver_state"):
        db.execute(f"drop table {table}")  # a database from before the index
    db.execute("update quotes set speaker_id = null")
    db.conn.commit()
    result = CliRunner().invoke(cli, ["resolve", "--db", "q.db"])
    assert result.exit_code == 0, result.output
    assert "quotes relinked" in result.output
    assert snapshot("q.db") == expected
    missing = CliRunner().invoke(cli, ["resolve", "--db", "nope.db"])
    assert missing.exit_code == 1 and "not found" in missing.output


AKA = re.compile(r"\(also known as ([^)]+)\)")


def fake_extract_with_declared_names(articles, **options):
    """``fake_extract_articles``, plus "(also known as X)" declaring X for the article's persons."""
    for result in fake_extract_articles(articles, **options):
        declared = AKA.findall(result.article.text)
        for quote in result.quotes:
            quote.speaker_other_names = declared if quote.speaker_type == "person" else []
        yield result


def test_a_declared_name_links_articles_the_same_way_in_any_build_order(folder, monkeypatch):
    monkeypatch.setattr("quotetrack.extract.extract_articles", fake_extract_with_declared_names)
    c = write(folder, "C", {"c1": '"Syria is tired," Ahmed Al-Sharaa said.'})
    d = write(folder, "D", {"d1": '"Iran must change," Abu Mohammad Al-Julani said. (also known as Ahmed Al-Shara\'a)'})
    cd, dc, everything = built_in_every_order(c, d)
    assert cd == everything == dc
    assert len({row[1] for row in everything["quotes"]}) == 1  # one speaker
    assert ("Ahmed Al-Shara'a", "declared") in {(row[1], row[3]) for row in everything["aliases"]}
