"""What a build has extracted but not yet published: a journal beside the database.

Readers must see one complete build, old or new (issue 25), so ``build`` does not write its
articles into the database as it goes: it appends each extracted article (with its quotes and
problems) to ``<db>-staging``, a small SQLite file of its own committed article by article, and
then publishes everything in one transaction of the database (``api.build``). A build that is
killed, or stops on a full disk, leaves the database as it was and its extracted articles
here; the next build reading the same articles publishes them without extracting them again.
Readers never open this file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from quotetrack.types import Article, Problem, Quote

SCHEMA = """
create table if not exists staged (
  seq integer primary key autoincrement,
  article_id text unique,   -- null for a problem of an unreadable input
  content_hash text,
  status text,
  payload text not null     -- JSON: article, quotes, problems
)
"""


def staging_path(db_path: str | Path) -> Path:
    """The journal of a database: ``quotes.db`` -> ``quotes.db-staging``."""
    return Path(f"{db_path}-staging")


class Staging:
    """The journal of one database, open for one build."""

    def __init__(self, db_path: str | Path):
        self.path = staging_path(db_path)
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(SCHEMA)
        # problems staged before this build are found again when their inputs are re-read
        self.first_seq = self.conn.execute("select coalesce(max(seq), 0) + 1 from staged").fetchone()[0]

    def hashes(self) -> dict[str, str]:
        """Article id -> content hash of the staged articles that were extracted."""
        rows = self.conn.execute("select article_id, content_hash from staged where status = 'extracted'")
        return dict(rows.fetchall())

    def add_article(
        self, article: Article, quotes: list[Quote], problems: list[Problem], *, status: str, content_hash: str
    ) -> None:
        """Stage one extracted article (replacing an older staged copy), committed at once."""
        payload = {
            "article": article.to_dict(),
            "quotes": [q.to_dict() for q in quotes],
            "problems": [p.to_dict() for p in problems],
        }
        self.conn.execute(
            "insert or replace into staged (article_id, content_hash, status, payload) values (?, ?, ?, ?)",
            (article.id, content_hash, status, json.dumps(payload, ensure_ascii=False)),
        )

    def add_problems(self, problems: Iterable[Problem]) -> None:
        """Stage the problems of an unreadable input."""
        payload = json.dumps({"problems": [p.to_dict() for p in problems]}, ensure_ascii=False)
        self.conn.execute("insert into staged (payload) values (?)", (payload,))

    def discard(self, article_id: str) -> None:
        """Forget a staged copy of an article (it reads as the database has it after all)."""
        self.conn.execute("delete from staged where article_id = ?", (article_id,))

    def items(self, keep: set[str]) -> Iterator[tuple[Article | None, list[Quote], list[Problem], str | None]]:
        """Staged (article, quotes, problems, status) in staging order: the articles in ``keep``
        and the problems staged by this build; ``article`` is ``None`` for a problem alone."""
        rows = self.conn.execute("select seq, article_id, status, payload from staged order by seq")
        for seq, article_id, status, payload in rows:
            if (article_id is None and seq < self.first_seq) or (article_id is not None and article_id not in keep):
                continue
            data = json.loads(payload)
            article = Article.from_dict(data["article"]) if "article" in data else None
            yield (
                article,
                [Quote.from_dict(q) for q in data.get("quotes", [])],
                [Problem.from_dict(p) for p in data["problems"]],
                status,
            )

    def clear(self) -> None:
        """Empty the journal once its articles are published."""
        self.conn.execute("delete from staged")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.conn.close()
