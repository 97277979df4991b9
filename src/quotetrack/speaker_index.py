"""The resolver's index in the database, so an update resolves only what it touches.

Tables (plain SQL on the ``store`` connection; Datasette shows them like the others):

- ``speaker_refs``: what one article says about one speaker (``types.SpeakerRef``): article,
  name, type, group key, quotes, aliases and roles (JSON), the position of its first quote
  (the resolver's input order) and the ``speaker_id`` it resolved to.
- ``speaker_blocks``: (blocking key, group key): which person groups may meet, and which
  groups have a ref of the same name in one article (``_same_name_blocks``).
- ``speaker_dirty``: the groups (``kind`` 'group') an article write added or removed and
  the speakers (``kind`` 'speaker') its removed refs had, since the last resolution (written
  in the article's transaction, so a killed build resolves them next time).
- ``resolver_state``: the fingerprint of the resolver's rules and the curation file the
  stored speakers were resolved with.

``resolve_index`` takes the dirty groups, widens them to every group they can interact with
(shared blocking keys, a shared former speaker, a curated speaker: see ``resolve``), resolves
that part alone, and rewrites only the speakers, aliases, refs and quote rows that changed.
When the fingerprint differs (new rules, an edited curation file), or on ``full=True``, the
whole index is regrouped and resolved: the result is the same as resolving everything, so
building A then B gives the speakers, ids and assignments of building A and B at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version as _version
from importlib.resources import files
from pathlib import Path

from quotetrack import resolve
from quotetrack.curation import Curation
from quotetrack.names import name_key
from quotetrack.types import Quote, Speaker, SpeakerRef

SQL_VARIABLES = 500  # keys per IN (...) query
# the quote columns resolution reads (never whole rows)
INDEXED_COLUMNS = (
    "article_id",
    "content_start",
    "article_speaker",
    "speaker_type",
    "speaker_mention",
    "role",
    "language",
    "speaker_gender",
)
SPEAKER_ID = 10  # the speaker_id of a (rowid, *columns) row of speaker_refs
INDEX_BATCH = 20_000  # quotes per insert when indexing an older database
RULE_MODULES = ("resolve.py", "curation.py", "names.py", "romanize.py", "speaker_index.py")
RULE_DATA = ("names", "speakers", "titles")

TABLES = """
create table if not exists speaker_refs (
  article_id text not null, name text not null, speaker_type text not null, group_key text not null,
  language text, quotes integer, aliases text, roles text, position integer, speaker_id text, gender text,
  primary key (article_id, name, speaker_type));
create table if not exists speaker_blocks (
  block text not null, group_key text not null, primary key (block, group_key));
create index if not exists speaker_blocks_group_key on speaker_blocks (group_key);
create table if not exists speaker_dirty (kind text not null, key text not null, primary key (kind, key));
create table if not exists resolver_state (name text primary key, value text);
"""
# both ways between groups and speakers, read from the index alone (the closure asks for
# the distinct speakers of groups with a hundred thousand refs); replace single-column ones
INDEXES = """
create index if not exists speaker_refs_group_speaker on speaker_refs (group_key, speaker_id);
create index if not exists speaker_refs_speaker_group on speaker_refs (speaker_id, group_key);
drop index if exists speaker_refs_group_key;
drop index if exists speaker_refs_speaker_id;
"""


@dataclass
class ResolveStats:
    """What one resolution did: how much it read and rewrote."""

    full: bool = False
    groups: int = 0  # groups resolved (dirty ones and all they can interact with)
    refs: int = 0  # refs read and resolved
    refs_relinked: int = 0  # refs whose speaker changed (new refs included)
    speakers_written: int = 0  # speaker rows inserted or replaced
    speakers_removed: int = 0
    aliases_written: int = 0
    quotes_rewritten: int = 0  # quote rows whose speaker_id or speaker changed


@dataclass
class Keys:
    """How refs are grouped and blocked under one curation."""

    curation: Curation
    romanize: resolve.Romanizer | None = None

    def __post_init__(self) -> None:
        self.person_key = resolve.person_key_for(self.curation)
        self._blocks: dict[tuple[str, str], frozenset[str]] = {}  # names repeat: parse each once

    def group(self, ref: SpeakerRef) -> str:
        return resolve.group_key(ref, self.person_key)

    def blocks(self, ref: SpeakerRef) -> frozenset[str]:
        key = (ref.speaker_type, ref.name)
        if key not in self._blocks:
            self._blocks[key] = frozenset(resolve.block_keys(ref, self.romanize))
        return self._blocks[key]


def ensure_tables(db, keys: Keys) -> None:
    """Create the index tables if this database has none yet, and index its stored quotes
    (a database from before the index: its next resolution is a full one); then the table
    indexes (``INDEXES``: an older quotetrack's are replaced, once)."""
    with db.atomic():
        if not db.execute("select 1 from sqlite_master where name = 'speaker_refs'").fetchone():
            _create_tables(db, keys)
        _run(db, INDEXES)


def _create_tables(db, keys: Keys) -> None:
    _run(db, TABLES)
    quotes: list[Quote] = []
    for row in db.execute(f"select {', '.join(INDEXED_COLUMNS)} from quotes order by article_id, content_start"):
        if len(quotes) >= INDEX_BATCH and row[0] != quotes[-1].article_id:
            _insert(db, *_index_rows(quotes, keys))
            quotes = []
        quotes.append(Quote(**dict(zip(INDEXED_COLUMNS, row)), kind="", content="", content_end=row[1]))
    _insert(db, *_index_rows(quotes, keys))
    db.execute(
        "insert or replace into resolver_state (name, value) values ('groups', ?)", [rules_fingerprint(keys.curation)]
    )


def _run(db, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def clear(db) -> None:
    """Forget every ref (``build --rebuild``, in its transaction): the index is made anew."""
    for table in ("speaker_refs", "speaker_blocks", "speaker_dirty", "resolver_state"):
        db.execute(f"delete from {table}")


def replace_article(db, article_id: str, quotes: list[Quote], keys: Keys) -> None:
    """Replace one article's refs (call it in the article's write transaction)."""
    old = db.execute("select group_key, speaker_id from speaker_refs where article_id = ?", [article_id]).fetchall()
    db.execute("delete from speaker_refs where article_id = ?", [article_id])
    rows, blocks = _index_rows(quotes, keys)
    _insert(db, rows, blocks)
    dirty = {("group", group) for group, _ in old} | {("group", row[3]) for row in rows}
    dirty |= {("speaker", sid) for _, sid in old if sid}
    db.conn.executemany("insert or ignore into speaker_dirty (kind, key) values (?, ?)", sorted(dirty))


def _index_rows(quotes: list[Quote], keys: Keys) -> tuple[list[tuple], set[tuple[str, str]]]:
    """``speaker_refs`` rows and (block, group) pairs of the quotes' refs."""
    positions = _first_positions(quotes)
    rows, blocks = [], set()
    for ref in resolve.speaker_refs(quotes):
        group = keys.group(ref)
        rows.append(
            (
                ref.article_id,
                ref.name,
                ref.speaker_type,
                group,
                ref.language,
                ref.quotes,
                json.dumps(ref.aliases, ensure_ascii=False),
                json.dumps(ref.roles, ensure_ascii=False),
                positions.get((ref.article_id, ref.name, ref.speaker_type)),
                ref.gender,
            )
        )
        blocks |= {(block, group) for block in keys.blocks(ref)}
    return rows, blocks | _same_name_blocks((row[0], row[1], row[3]) for row in rows)


def _same_name_blocks(refs: Iterable[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """A block shared by the groups of refs with one name in one article (a person and an
    organization, say): their quotes find their speaker by (article, name), so the groups
    are resolved together. ``refs``: (article, name, group) triples."""
    groups: dict[tuple[str, str], set[str]] = {}
    for article_id, name, group in refs:
        groups.setdefault((article_id, name), set()).add(group)
    return {
        (f"same-name\x1f{article_id}\x1f{name}", group)
        for (article_id, name), linked in groups.items()
        if len(linked) > 1
        for group in linked
    }


def _insert(db, rows: list[tuple], blocks: set[tuple[str, str]]) -> None:
    db.conn.executemany(
        "insert into speaker_refs (article_id, name, speaker_type, group_key, language, quotes,"
        " aliases, roles, position, gender) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany("insert or ignore into speaker_blocks (block, group_key) values (?, ?)", sorted(blocks))


def _first_positions(quotes: list[Quote]) -> dict[tuple[str, str, str], int]:
    """(article, in-article name, type) -> offset of its first quote: the refs' order in a full read."""
    first: dict[tuple[str, str, str], int] = {}
    for quote in quotes:
        name = quote.article_speaker or quote.speaker
        if name:
            key = (quote.article_id, name, quote.speaker_type or "person")
            first[key] = min(first.get(key, quote.content_start), quote.content_start)
    return first


def rules_fingerprint(curation: Curation) -> str:
    """What resolution depends on besides the refs: the resolver's code and data, the
    romanizer's version and the curation file's bytes."""
    digest = hashlib.sha256()
    package = files("quotetrack")
    for name in RULE_MODULES:
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    for folder in RULE_DATA:
        for entry in sorted(package.joinpath("data", folder).iterdir(), key=lambda e: e.name):
            if entry.is_file():
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    digest.update(_version("arabic-name-romanizer").encode())
    path = Path(curation.path) if curation.path else None
    digest.update(path.read_bytes() if path is not None and path.exists() else b"no curation file")
    return digest.hexdigest()[:16]


def resolve_index(db, keys: Keys, *, full: bool = False) -> ResolveStats:
    """Resolve the dirty groups and all they can interact with; rewrite what changed.

    Runs in one transaction. ``full`` (or a changed rules fingerprint) regroups and
    resolves every ref.
    """
    fingerprint = rules_fingerprint(keys.curation)
    state = dict(db.execute("select name, value from resolver_state").fetchall())
    full = full or state.get("rules") != fingerprint
    with db.atomic():
        if state.get("groups") != fingerprint:  # keys from other rules or another curation
            _regroup(db, keys)
        if full:
            groups = {row[0] for row in db.execute("select group_key from speaker_refs")}
            speakers = {row[0] for row in db.execute("select id from speakers")}
        else:
            dirty = db.execute("select kind, key from speaker_dirty").fetchall()
            groups, speakers = _closure(
                db, {k for kind, k in dirty if kind == "group"}, {k for kind, k in dirty if kind == "speaker"}, keys
            )
        stats = _resolve_groups(db, groups, speakers, keys, full)
        db.execute("delete from speaker_dirty")
        db.conn.executemany(
            "insert or replace into resolver_state (name, value) values (?, ?)",
            [("rules", fingerprint), ("groups", fingerprint)],
        )
    return stats


def _regroup(db, keys: Keys) -> None:
    """Recompute every ref's group key and the blocks (the curation or the rules changed)."""
    db.execute("delete from speaker_blocks")
    updates, blocks, named = [], set(), []
    for rowid, ref in _refs(db, "select rowid, * from speaker_refs", []):
        group = keys.group(ref)
        updates.append((group, rowid))
        named.append((ref.article_id, ref.name, group))
        blocks |= {(block, group) for block in keys.blocks(ref)}
    blocks |= _same_name_blocks(named)
    db.conn.executemany("update speaker_refs set group_key = ? where rowid = ?", updates)
    db.conn.executemany("insert or ignore into speaker_blocks (block, group_key) values (?, ?)", sorted(blocks))


def _closure(db, dirty: set[str], dropped: set[str], keys: Keys) -> tuple[set[str], set[str]]:
    """The dirty groups and every group linked to them by a blocking key (a same-name ref of
    their article shares one: ``_same_name_blocks``), a former speaker (``dropped``: speakers
    of removed refs) or a curated speaker, transitively; and the former speakers of all of them."""
    curated = resolve.curated_links(keys.curation)
    by_key = {k: n for n, (ks, _) in enumerate(curated) for k in ks}
    by_block = {b: n for n, (_, bs) in enumerate(curated) for b in bs}
    groups: set[str] = set()
    blocks: set[str] = set()
    touched: set[int] = set()  # curated speakers reached, by index
    speakers = set(dropped)
    frontier = set(dirty) | _column(db, "select group_key from speaker_refs where speaker_id in ({})", dropped)
    while frontier:
        groups |= frontier
        new_blocks = _column(db, "select block from speaker_blocks where group_key in ({})", frontier) - blocks
        new_speakers = (
            _column(
                db,
                "select distinct speaker_id from speaker_refs where group_key in ({}) and speaker_id is not null",
                frontier,
            )
            - speakers
        )
        blocks |= new_blocks
        speakers |= new_speakers
        cur = (
            {by_key[g] for g in frontier if g in by_key} | {by_block[b] for b in new_blocks if b in by_block}
        ) - touched
        touched |= cur
        reached = set().union(*(curated[n][0] for n in cur)) if cur else set()
        more_blocks = set().union(*(curated[n][1] for n in cur)) - blocks if cur else set()
        blocks |= more_blocks
        reached |= _column(db, "select group_key from speaker_blocks where block in ({})", new_blocks | more_blocks)
        reached |= _column(db, "select distinct group_key from speaker_refs where speaker_id in ({})", new_speakers)
        frontier = reached - groups
    return groups, speakers


def _column(db, sql: str, values: Iterable[str]) -> set[str]:
    """The first column of ``sql`` run over ``values`` in chunks (``{}`` takes the placeholders)."""
    values, out = list(values), set()
    for i in range(0, len(values), SQL_VARIABLES):
        chunk = values[i : i + SQL_VARIABLES]
        out |= {row[0] for row in db.execute(sql.format(", ".join("?" * len(chunk))), chunk)}
    return out


def _refs(db, sql: str, params: list) -> Iterator[tuple[int, SpeakerRef]]:
    for row in db.execute(sql, params):
        yield row[0], _ref(row[1:])


def _ref(row: tuple) -> SpeakerRef:
    """A ``SpeakerRef`` from a ``speaker_refs`` row (columns in table order)."""
    article_id, name, stype, _, language, quotes, aliases, roles = row[:8]
    gender = row[10] if len(row) > 10 else None  # after position and speaker_id
    return SpeakerRef(
        article_id=article_id,
        name=name,
        speaker_type=stype,
        aliases=list(_json_list(aliases)),
        roles=list(_json_list(roles)),
        language=language,
        quotes=quotes,
        gender=gender,
    )


@lru_cache(maxsize=1 << 16)  # a big speaker's refs repeat the same few alias and role lists
def _json_list(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _resolve_groups(db, groups: set[str], speakers: set[str], keys: Keys, full: bool) -> ResolveStats:
    """Resolve the refs of ``groups`` alone, replacing ``speakers``; write the differences."""
    stats = ResolveStats(full=full, groups=len(groups))
    rows = _ref_rows(db, groups, full)
    stats.refs = len(rows)
    old_ids = {row[SPEAKER_ID] for row in rows if row[SPEAKER_ID]} | speakers
    outside = _ids_outside(db, old_ids)
    refs = [_ref(row[1:]) for row in rows]
    resolution = resolve.resolve_speakers(refs, keys.curation, romanize=keys.romanize, taken=outside)
    new = {s.id: s for s in resolution.speakers}
    changed, renamed = _write_speakers(db, old_ids, new, stats)
    relinks, quote_links, recount = [], [], set(changed)
    for row, ref in zip(rows, refs):
        sid, before = resolution.joined.get((ref.article_id, ref.name, ref.speaker_type)), row[SPEAKER_ID]
        if sid != before:
            relinks.append((sid, row[0]))
            recount |= {s for s in (sid, before) if s}
        # quotes take the speaker of their (article, name), as resolve.apply_resolution does
        speaker = resolution.speaker_for(ref.article_id, ref.name)
        if sid != before or speaker is None or speaker.id != sid or speaker.id in renamed:
            quote_links.append((speaker and speaker.id, speaker and speaker.name, ref.article_id, ref.name))
    db.conn.executemany("update speaker_refs set speaker_id = ? where rowid = ?", relinks)
    stats.refs_relinked = len(relinks)
    stats.quotes_rewritten = _relink_quotes(db, quote_links)
    _count_quotes(db, (recount - {None}) & new.keys())
    return stats


def _ref_rows(db, groups: set[str], full: bool) -> list[tuple]:
    """(rowid, the ``speaker_refs`` columns in table order) of the groups' refs, in the
    resolver's input order (``SPEAKER_ID``: where the speaker is)."""
    order = " order by article_id, position, name, speaker_type"
    if full:
        return list(db.execute("select rowid, * from speaker_refs" + order))
    rows: list[tuple] = []
    keys = sorted(groups)
    for i in range(0, len(keys), SQL_VARIABLES):
        chunk = keys[i : i + SQL_VARIABLES]
        rows += db.execute(
            f"select rowid, * from speaker_refs where group_key in ({', '.join('?' * len(chunk))})", chunk
        ).fetchall()
    rows.sort(key=lambda r: (r[1], r[9] if r[9] is not None else -1, r[2], r[3]))
    return rows


def _ids_outside(db, inside: set[str]) -> set[str]:
    """Speaker ids in use outside the part being resolved."""
    return {row[0] for row in db.execute("select id from speakers")} - inside


def _write_speakers(db, old_ids: set[str], new: dict[str, Speaker], stats: ResolveStats) -> tuple[set[str], set[str]]:
    """Replace the part's speakers and aliases where they differ.

    Returns the ids whose rows were written and those whose canonical name changed.
    """
    old = _speaker_rows(db, old_ids)
    changed, renamed = set(), set()
    speaker_rows, alias_rows = [], []
    for sid, speaker in new.items():
        row = (speaker.name, speaker.speaker_type, json.dumps(speaker.roles, ensure_ascii=False), speaker.gender)
        aliases = sorted((a.name, name_key(a.name), a.rule, a.score, a.count) for a in speaker.aliases)
        if old.get(sid) == (row, aliases):
            continue
        changed.add(sid)
        if sid not in old or old[sid][0][0] != speaker.name:
            renamed.add(sid)
        speaker_rows.append((sid, *row))
        alias_rows += [(sid, *alias) for alias in aliases]
    gone = sorted(old.keys() - new.keys())
    db.conn.executemany("delete from aliases where speaker_id = ?", [(sid,) for sid in gone + sorted(changed)])
    db.conn.executemany("delete from speakers where id = ?", [(sid,) for sid in gone])
    db.conn.executemany(
        "insert or replace into speakers (id, name, speaker_type, roles, gender) values (?, ?, ?, ?, ?)", speaker_rows
    )
    db.conn.executemany(
        "insert into aliases (speaker_id, name, key, rule, score, count) values (?, ?, ?, ?, ?, ?)", alias_rows
    )
    stats.speakers_removed += len(gone)
    stats.speakers_written += len(speaker_rows)
    stats.aliases_written += len(alias_rows)
    return changed, renamed


def _speaker_rows(db, ids: set[str]) -> dict[str, tuple]:
    """id -> ((name, type, roles), sorted alias tuples) of stored speakers."""
    out: dict[str, tuple] = {}
    ids_list = sorted(ids)
    for i in range(0, len(ids_list), SQL_VARIABLES):
        chunk = ids_list[i : i + SQL_VARIABLES]
        marks = ", ".join("?" * len(chunk))
        for sid, name, stype, roles, gender in db.execute(
            f"select id, name, speaker_type, roles, gender from speakers where id in ({marks})", chunk
        ):
            out[sid] = ((name, stype, roles, gender), [])
        for row in db.execute(
            f"select speaker_id, name, key, rule, score, count from aliases where speaker_id in ({marks})", chunk
        ):
            if row[0] in out:
                out[row[0]][1].append(tuple(row[1:]))
    return {sid: (row, sorted(aliases)) for sid, (row, aliases) in out.items()}


def _relink_quotes(db, links: list[tuple]) -> int:
    """Point the quotes of each (article, in-article name) at their speaker; rows changed."""
    db.execute(
        "create temp table if not exists relink (speaker_id text, speaker text, article_id text,"
        " article_speaker text, primary key (article_id, article_speaker))"
    )
    db.execute("delete from relink")
    db.conn.executemany("insert or replace into relink values (?, ?, ?, ?)", links)
    # without statistics the planner takes the temp table for a big one and scans every quote
    # (0.4 s at a million): with them, a few links look their quotes up by article
    db.execute("analyze temp.relink")
    cursor = db.execute(
        """
        update quotes set speaker_id = relink.speaker_id, speaker = relink.speaker from relink
        where quotes.article_id = relink.article_id and quotes.article_speaker = relink.article_speaker
          and (quotes.speaker_id is not relink.speaker_id or quotes.speaker is not relink.speaker)
        """
    )
    return cursor.rowcount


def _count_quotes(db, ids: set[str]) -> None:
    """Recount quote_count and first/last dates of these speakers from ``quotes``."""
    db.conn.executemany(
        """
        update speakers set
          quote_count = (select count(*) from quotes where speaker_id = speakers.id),
          first_published = (select min(published) from quotes where speaker_id = speakers.id),
          last_published = (select max(published) from quotes where speaker_id = speakers.id)
        where id = ?
        """,
        [(sid,) for sid in sorted(ids)],
    )
