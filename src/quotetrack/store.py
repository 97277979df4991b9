"""The SQLite store: schema, writes and reads. The only module that imports sqlite_utils.

Tables (every column is listed in the docstring of the function that writes it):

- ``articles``: one row per article read (``write_article``).
- ``quotes``: one row per quote (``write_article``), speaker fields rewritten by
  ``write_resolution``.
- ``speakers`` and ``aliases``: derived state, rewritten whole at the end of every build
  (``write_resolution``); never patched by hand.
- ``problems``: bad inputs and extraction warnings (``write_problems``).
- view ``claims``: the attributed claims users read and export (``CLAIMS_SQL``).
- ``quotes_folded_fts``: full-text index of each quote's words folded by ``fold.index_text``
  (Arabic hamza forms, tashkeel, the article), rowid = the quote's rowid
  (``write_folded_search``); the site's search reads it.
- ``claim_groups`` (one row per claim), ``claim_vectors`` (encoder vectors, once per
  statement) and ``quotes.claim_*``: derived state written by ``write_claim_groups`` (issue 27).

Consistency: the database runs in WAL mode (Datasette reads while a build writes); each
article, with its quotes and problems, is written in one transaction, and so is the whole
resolution; ``build`` nests them all in one ``build_transaction``, so readers see a whole
build or the one before it, and a build stopped at any moment leaves the one before. Foreign keys are
declared (Datasette shows labels through them) but not enforced: ``speakers`` is replaced
wholesale while ``quotes`` point at it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.utils import hash_record

from quotetrack.errors import QuotetrackError
from quotetrack.fold import index_text
from quotetrack.names import name_key
from quotetrack.store_claims import CLAIM_COLUMNS_ON_QUOTES, create_claim_tables, ensure_claim_index
from quotetrack.types import Alias, Article, Problem, Quote, Speaker, confidence_band

SCHEMA_VERSION = 4  # PRAGMA user_version this module writes (3: confidence, gender, claims; 4: outlet)
STATUSES = ("extracted", "skipped", "failed")
QUOTE_ID_COLUMNS = ("article_id", "content_start", "content_end")
PROBLEM_ID_COLUMNS = ("path", "line", "article_id", "stage", "code")
BATCH_SIZE = 500  # rows per insert_all/upsert_all statement batch
BUSY_TIMEOUT_MS = 5000

# One table, no join: the article fields the claims show are copied onto each quote row
# (``write_article`` writes both in one transaction), so the view's facets read indexes of
# ``quotes`` alone and stay fast at a million rows (benchmarks/scale.py).
CLAIMS_SQL = """
select
  id as quote_id,
  speaker,
  speaker_type,
  role,
  kind,
  cue,
  cue_lemma,
  content as quote,
  title,
  outlet,
  published,
  url,
  language,
  speaker_id,
  article_id,
  confidence,
  confidence_band,
  claim_group_id,
  claim_outlets,
  claim_drift
from quotes
"""
ARTICLE_FIELDS_ON_QUOTES = ("title", "outlet", "published", "url")

# table -> columns indexed because Datasette facets or joins on them
INDEXES = {
    "quotes": [
        "article_id",
        "speaker_id",
        "kind",
        "cue_lemma",
        "speaker_type",
        "language",
        "outlet",
        "published",
        "confidence_band",
    ],
    "articles": ["outlet", "published", "language", "status"],
    "aliases": ["key"],
    "problems": ["path", "article_id", "code"],
}
# The speaker facet groups quotes by ``speaker``; a click on it filters on ``speaker`` and
# counts the other facets: with these every one of those reads one index alone. At 1,000,000
# quotes (benchmarks/scale.py, CPU time) the quotes page drops from 520 ms, its speaker facet
# timed out, to 300 ms, and the top speaker's page from 1.3 s to 0.17 s.
SPEAKER_FACET_INDEXES = [
    ("speaker", "kind"),
    ("speaker", "speaker_type"),
    ("speaker", "cue_lemma"),
    ("speaker", "language"),
]
# The claims page's speaker click also sorts by date and counts outlets and dates: without
# these its three queries sort 96,627 rows of the top speaker (670 ms CPU at a million
# quotes, over Datasette's 1 s limit under load: issue 25's load test); with them, 20 ms.
# Added to existing databases by ``ensure_schema``.
CLAIMS_SPEAKER_INDEXES = [("speaker", "published"), ("speaker", "outlet")]
# A speaker's page lists their statements newest first and counts them by month and by
# outlet: each reads one of these indexes alone, however many statements the speaker has.
SPEAKER_PAGE_INDEXES = [("speaker_id", "published"), ("speaker_id", "outlet")]
FOLDED_SEARCH = "quotes_folded_fts"


def open_db(path: str | Path, *, rebuild: bool = False) -> Database:
    """Open (creating it and its folder if needed) the quote database, in WAL mode.

    Args:
        path: the SQLite file.
        rebuild: delete the file (and its WAL files) first, to start over.

    Raises:
        QuotetrackError: the file holds another schema version.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if rebuild:
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    db = Database(path)
    # another program writing (a build holds <db>-lock against other builds): wait for it
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    # WAL + NORMAL never corrupts on a crash; a power cut may lose the last commits only
    db.execute("PRAGMA synchronous=NORMAL")
    ensure_schema(db, path)
    return db


def upgrade(path: str | Path) -> int | None:
    """Migrate, in place, a database an older quotetrack wrote (``serve`` reads it read-only);
    the version it had, or None. Raises ``QuotetrackError`` for a version it cannot read."""
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version in (0, SCHEMA_VERSION):  # current, or not a quotetrack database: served as it is
        return None
    open_db(path).close()  # migrates, or refuses with the version and what to run
    return int(version)


def ensure_schema(db: Database, where: str | Path = "database") -> None:
    """Create the tables, indexes, full-text search and view if they are missing (indexes
    added since: on an existing database too)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, 2, 3, SCHEMA_VERSION):
        raise QuotetrackError(
            f"{where}: schema version {version}, this quotetrack writes version "
            f"{SCHEMA_VERSION}. Run: quotetrack build --rebuild ..."
        )
    if not db.table("articles").exists():
        with db.atomic():
            _create_tables(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    else:
        if version == 2:
            _migrate_to_v3(db)
        if version in (2, 3):
            _migrate_to_v4(db)
    existing = {tuple(index.columns) for index in db.table("quotes").indexes}
    for columns in CLAIMS_SPEAKER_INDEXES:
        if columns not in existing:
            db.table("quotes").create_index(columns)
    _ensure_site_tables(db)
    ensure_claim_index(db)


def _ensure_site_tables(db: Database) -> None:
    """Add the site's search index and page indexes to a database built before them."""
    with db.atomic():
        for columns in SPEAKER_PAGE_INDEXES:
            db.table("quotes").create_index(columns, if_not_exists=True)
        if not db.table(FOLDED_SEARCH).exists():
            db.execute(
                f"create virtual table {FOLDED_SEARCH} using fts5(text, tokenize='unicode61 remove_diacritics 2')"
            )
            rows = db.execute("select rowid, content, content_2 from quotes").fetchall()
            _insert_folded(db, rows)


V3_COLUMNS: dict[str, dict[str, type]] = {
    "quotes": {"speaker_gender": str, "confidence": float, "confidence_band": str},
    "speakers": {"gender": str},
}


def _migrate_to_v3(db: Database) -> None:
    """Version 2 -> 3: each statement's confidence and its band, the speaker's gender, the claim
    tables and columns (issue 27). Old rows
    keep NULL until re-extracted (the extractor's fingerprint changed with them, so the next
    build does)."""
    with db.atomic():
        for table, columns in [*V3_COLUMNS.items(), ("quotes", CLAIM_COLUMNS_ON_QUOTES)]:
            for column, kind in columns.items():
                if column not in db.table(table).columns_dict:
                    db.table(table).add_column(column, kind)
        db.table("quotes").create_index(["confidence_band"], if_not_exists=True)
        if not db.table("claim_groups").exists():
            create_claim_tables(db)  # every quote is grouped by the next build
        db.execute("PRAGMA user_version = 3")


def _migrate_to_v4(db: Database) -> None:
    """Version 3 -> 4: the publisher column is ``outlet`` (it was ``source``, which in this
    field means the speaker); indexes follow the renamed columns; the view is made anew."""
    with db.atomic():
        for table, old, new in (
            ("articles", "source", "outlet"),
            ("quotes", "source", "outlet"),
            ("claim_groups", "first_source", "first_outlet"),
        ):
            if old in db.table(table).columns_dict:
                db.execute(f"alter table {table} rename column {old} to {new}")
        db.execute("drop view if exists claims")
        db.create_view("claims", CLAIMS_SQL)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create_tables(db: Database) -> None:
    """Create every table, index, FTS index and the ``claims`` view. Long because it is the
    schema, one table after the other: read it as a declaration, not as logic."""
    db.table("articles").create(
        {
            "id": str,
            "title": str,
            "outlet": str,
            "url": str,
            "published": str,
            "language": str,
            "text": str,
            "content_hash": str,
            "path": str,
            "ingested_at": str,
            "status": str,
            "quote_count": int,
        },
        pk="id",
    )
    db.table("speakers").create(
        {
            "id": str,
            "name": str,
            "speaker_type": str,
            "roles": str,
            "quote_count": int,
            "first_published": str,
            "last_published": str,
            **V3_COLUMNS["speakers"],
        },
        pk="id",
    )
    db.table("quotes").create(
        {
            "id": str,
            "article_id": str,
            "speaker_id": str,
            "article_speaker": str,
            "speaker": str,
            "speaker_mention": str,
            "mention_start": int,
            "mention_end": int,
            "speaker_type": str,
            "role": str,
            "kind": str,
            "cue": str,
            "cue_lemma": str,
            "cue_start": int,
            "cue_end": int,
            "content": str,
            "content_start": int,
            "content_end": int,
            "content_2": str,
            "content_2_start": int,
            "content_2_end": int,
            "sentence": str,
            "language": str,
            "title": str,
            "outlet": str,
            "published": str,
            "url": str,
            **V3_COLUMNS["quotes"],
            **CLAIM_COLUMNS_ON_QUOTES,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("speaker_id", "speakers", "id")],
    )
    db.table("aliases").create(
        {"speaker_id": str, "name": str, "key": str, "rule": str, "score": float, "count": int},
        pk=("speaker_id", "name"),
        foreign_keys=[("speaker_id", "speakers", "id")],
    )
    db.table("problems").create(
        {
            "id": str,
            "path": str,
            "line": int,
            "article_id": str,
            "stage": str,
            "code": str,
            "message": str,
            "created": str,
        },
        pk="id",
    )
    for table, columns in INDEXES.items():
        for column in columns:
            db.table(table).create_index([column])
    for pair in SPEAKER_FACET_INDEXES:
        db.table("quotes").create_index(pair)
    db.table("quotes").enable_fts(["content", "content_2"], create_triggers=True)
    # re-index a quote only when its words change: every build relinks all speakers
    db.execute("drop trigger quotes_au")
    db.execute(
        """
        create trigger quotes_au after update of content, content_2 on quotes begin
          insert into quotes_fts (quotes_fts, rowid, content, content_2)
            values ('delete', old.rowid, old.content, old.content_2);
          insert into quotes_fts (rowid, content, content_2) values (new.rowid, new.content, new.content_2);
        end
        """
    )
    create_claim_tables(db)
    db.create_view("claims", CLAIMS_SQL)


@contextmanager
def build_transaction(db: Database, *, clear: bool = False) -> Iterator[Database]:
    """One write transaction for everything a build makes visible (``BEGIN IMMEDIATE``, so
    it holds the write lock from the start); readers see the database as it was until it
    commits. ``write_article`` and ``write_resolution`` nest inside it as savepoints.

    Args:
        clear: empty every table first (``build --rebuild`` while a server reads the file).
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        if clear:
            for table in (
                "aliases",
                "speakers",
                "problems",
                "quotes",
                "articles",
                FOLDED_SEARCH,
                "claim_groups",
                "claim_stale",
                "claim_index",
            ):
                db.execute(f"delete from [{table}]")
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


# SQLite result codes (sqlite3.Error.sqlite_errorname, extended codes cut to their prefix)
# -> what to tell the user
SQLITE_CAUSES = {
    "SQLITE_FULL": "the disk is full",
    "SQLITE_READONLY": "the file or its folder is read-only",
    "SQLITE_CANTOPEN": "cannot open or create the file (missing or read-only folder?)",
    "SQLITE_PERM": "permission denied",
    "SQLITE_BUSY": "another program is writing to it",
    "SQLITE_LOCKED": "another program is writing to it",
    "SQLITE_NOTADB": "not a SQLite database",
    "SQLITE_CORRUPT": "the file is damaged",
    "SQLITE_IOERR": "the disk reported an error",
}


@contextmanager
def sqlite_errors(path: str | Path, advice: str = "") -> Iterator[None]:
    """Turn a ``sqlite3.Error`` (disk full, read-only folder...) into a ``QuotetrackError``
    that names ``path`` and the cause in words, followed by ``advice``."""
    try:
        yield
    except sqlite3.Error as e:
        code = getattr(e, "sqlite_errorname", "") or ""
        cause = next((words for prefix, words in SQLITE_CAUSES.items() if code.startswith(prefix)), None)
        detail = f"{cause} ({e})" if cause else str(e)
        raise QuotetrackError(f"{path}: {detail}.{' ' + advice if advice else ''}") from None


def content_hash(article: Article, extractor: str = "") -> str:
    """SHA-256 of an article's text and metadata, and of the ``extractor`` that read it
    (``quotetrack.extract.fingerprint``): what decides whether it must be extracted again."""
    fields = article.to_dict()
    del fields["path"]  # a moved file is the same article
    fields["extractor"] = extractor
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()


def done_hashes(db: Database) -> dict[str, str]:
    """Article id -> content hash of the articles extracted already.

    Failed and skipped articles are left out, so the next build tries them again: the
    extraction bug may be fixed, or an extractor for their language added.
    """
    rows = db.execute("select id, content_hash from articles where status = 'extracted'")
    return dict(rows.fetchall())


def write_article(
    db: Database, article: Article, quotes: list[Quote], problems: list[Problem], *, status: str, extractor: str = ""
) -> None:
    """Store one article with its quotes and problems in one transaction.

    A changed article replaces its old quotes and extraction problems; ingest problems
    recorded earlier for its file (or JSONL line) are removed, since it now reads.

    ``articles`` columns: ``id`` (JSONL id or file stem), ``title``, ``outlet``, ``url``,
    ``published`` (YYYY-MM-DD when parsed), ``language`` (ISO 639-1, detected when not
    given), ``text`` (as read, boilerplate blanked), ``content_hash`` (``content_hash`` of the
    article and ``extractor``),
    ``path`` (file, or ``file.jsonl:LINE``), ``ingested_at`` (UTC ISO time of this write),
    ``status`` (``extracted`` | ``skipped``: no extractor for the language | ``failed``:
    extraction raised; both retried by the next build), ``quote_count``.

    ``quotes`` columns: ``id`` (hash of ``QUOTE_ID_COLUMNS``), the ``Quote`` fields (see
    ``types.Quote``), with ``article_speaker`` = the article's fullest name for the speaker
    (the resolver's input), ``speaker``/``speaker_id`` left for ``write_resolution``, and the
    article's ``title``, ``outlet``, ``published`` and ``url`` copied for the ``claims`` view.
    """
    if status not in STATUSES:
        raise ValueError(f"status {status!r}, expected one of {STATUSES}")
    rows = [_quote_row(q, article) for q in quotes]
    with db.atomic():
        db.execute(
            f"delete from {FOLDED_SEARCH} where rowid in (select rowid from quotes where article_id = ?)", [article.id]
        )
        db.table("quotes").delete_where("article_id = ?", [article.id])
        db.table("problems").delete_where("article_id = ? and stage != 'ingest'", [article.id])
        file, line = _source(article.path)
        db.table("problems").delete_where(
            "stage = 'ingest' and path = :file and (:line is null or line is null or line = :line)",
            {"file": file, "line": line},
        )
        db.table("articles").upsert(
            {
                **article.to_dict(),
                "content_hash": content_hash(article, extractor),
                "ingested_at": _now(),
                "status": status,
                "quote_count": len(rows),
            },
            pk="id",
        )
        db.table("quotes").insert_all(rows, pk="id", replace=True, batch_size=BATCH_SIZE)
        write_folded_search(db, article.id)
        write_problems(db, problems)


def write_folded_search(db: Database, article_id: str) -> None:
    """Index the folded words of one article's quotes (``quotes_folded_fts``: rowid, ``text``)."""
    rows = db.execute("select rowid, content, content_2 from quotes where article_id = ?", [article_id])
    _insert_folded(db, rows.fetchall())


def _insert_folded(db: Database, rows: list[tuple[int, str | None, str | None]]) -> None:
    db.conn.executemany(
        f"insert into {FOLDED_SEARCH} (rowid, text) values (?, ?)",
        ((rowid, index_text(" ".join(filter(None, (content, content_2))))) for rowid, content, content_2 in rows),
    )


def write_problems(db: Database, problems: Iterable[Problem]) -> None:
    """Record problems; the same problem seen again updates its row instead of adding one.

    ``problems`` columns: ``id`` (hash of ``PROBLEM_ID_COLUMNS``), ``path``, ``line``
    (1-based, JSONL line or line of a bad byte), ``article_id``, ``stage`` (ingest |
    extract | resolve | store), ``code`` (``errors.PROBLEM_CODES``), ``message``,
    ``created`` (UTC ISO time it was last seen).
    """
    rows = [{**p.to_dict(), "created": _now()} for p in problems]
    db.table("problems").upsert_all(rows, hash_id="id", hash_id_columns=PROBLEM_ID_COLUMNS, batch_size=BATCH_SIZE)


def read_quotes(db: Database) -> Iterator[Quote]:
    """Every stored quote, with ``speaker`` set back to the article's own name for it."""
    for row in db.table("quotes").rows_where(order_by="article_id, content_start"):
        quote = Quote.from_dict(row)
        quote.speaker = quote.article_speaker
        yield quote


def write_resolution(db: Database, speakers: list[Speaker], quotes: Iterable[Quote]) -> None:
    """Replace speakers and aliases and relink every quote to its speaker, in one transaction.

    ``speakers`` columns: ``id`` (stable: from the canonical key or the curation file),
    ``name`` (canonical), ``speaker_type``, ``roles`` (JSON list), ``quote_count``,
    ``first_published``/``last_published`` (dates of the earliest/latest article quoting
    them), the last three counted here from ``quotes``.

    ``aliases`` columns: ``speaker_id``, ``name`` (a surface form), ``key``
    (``names.name_key``), ``rule`` (why it joined), ``score``, ``count``; key
    (``speaker_id``, ``name``).

    Args:
        speakers: the resolver's speakers, aliases included.
        quotes: the quotes with ``speaker_id`` and ``speaker`` (canonical name) set.
    """
    speaker_rows = [
        {"id": s.id, "name": s.name, "speaker_type": s.speaker_type, "roles": s.roles, "gender": s.gender}
        for s in speakers
    ]
    alias_rows = [{**a.to_dict(), "speaker_id": s.id, "key": name_key(a.name)} for s in speakers for a in s.aliases]
    links = [(q.speaker_id, q.speaker, _quote_id(vars(q))) for q in quotes]
    with db.atomic():
        db.execute("delete from aliases")
        db.execute("delete from speakers")
        db.table("speakers").insert_all(speaker_rows, batch_size=BATCH_SIZE)
        db.table("aliases").insert_all(alias_rows, replace=True, batch_size=BATCH_SIZE)
        db.conn.executemany("update quotes set speaker_id = ?, speaker = ? where id = ?", links)
        db.execute(
            """
            update speakers set
              quote_count = (select count(*) from quotes where speaker_id = speakers.id),
              first_published = (select min(published) from quotes where speaker_id = speakers.id),
              last_published = (select max(published) from quotes where speaker_id = speakers.id)
            """
        )


def counts(db: Database) -> dict[str, int]:
    """Row count of every table the build writes."""
    tables = ("articles", "quotes", "speakers", "aliases", "problems", "claim_groups")
    return {t: db.table(t).count for t in tables}


# --- speaker reads, for `quotetrack speakers` (resolve helper's block) ----------------------


def read_speakers(db: Database, key: str | None = None) -> list[Speaker]:
    """Speakers with their aliases, most quoted first.

    Args:
        key: keep only speakers with an alias of this ``names.name_key`` (any spelling).
    """
    params = [key] if key is not None else []
    matching = "select speaker_id from aliases where key = ?" if key is not None else None
    speakers = {
        row["id"]: Speaker.from_dict({**row, "roles": json.loads(row["roles"] or "[]")})
        for row in db.table("speakers").rows_where(
            matching and f"id in ({matching})", params, order_by="quote_count desc, name, id"
        )
    }
    for row in db.table("aliases").rows_where(
        matching and f"speaker_id in ({matching})", params, order_by="count desc, name"
    ):
        speakers[row["speaker_id"]].aliases.append(Alias.from_dict(row))
    return list(speakers.values())


def _quote_row(quote: Quote, article: Article) -> dict:
    """A ``quotes`` row: the resolver's input kept in ``article_speaker``, ids computed."""
    row = quote.to_dict()
    del row["speaker_other_names"]  # kept in the resolver's index (speaker_refs.aliases)
    row["confidence_band"] = confidence_band(quote.confidence)
    row["article_id"] = article.id
    row["article_speaker"] = quote.article_speaker or quote.speaker
    row["speaker_id"] = None  # set by write_resolution
    row["language"] = quote.language or article.language
    row.update({name: getattr(article, name) for name in ARTICLE_FIELDS_ON_QUOTES})
    row["id"] = _quote_id(row)
    return row


def _quote_id(fields: dict) -> str:
    """The stable id of a quote from its fields: the hash sqlite-utils' ``hash_id`` computes."""
    return hash_record(fields, QUOTE_ID_COLUMNS)


def _source(path: str | None) -> tuple[str | None, int | None]:
    """Split an ``Article.path`` into the file and the JSONL line (``None`` for a file)."""
    match = re.fullmatch(r"(.*):(\d+)", path or "")
    return (match.group(1), int(match.group(2))) if match else (path, None)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
