"""One build at a time per database: an advisory lock on a file beside it.

``build`` holds ``<db>-lock`` (``flock``) for its whole run and writes its process id and start
time into it, so a second build can say who holds the database instead of failing later on
``database is locked``. The kernel drops the lock when the process ends, however it ends, so a
killed build never leaves a stale lock behind; the file itself stays (removing it would let
two builds lock two different files).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from quotetrack.errors import QuotetrackError


class DatabaseBusy(QuotetrackError):
    """Another build holds the database."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a database: ``quotes.db`` -> ``quotes.db-lock``."""
    return Path(f"{db_path}-lock")


@contextmanager
def build_lock(
    db_path: str | Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the build lock of ``db_path`` for the ``with`` block.

    Args:
        db_path: the database file (its folder must exist).
        wait: block until the other build ends instead of raising.
        on_wait: called once with who holds the lock, before waiting.

    Raises:
        DatabaseBusy: another process holds it and ``wait`` is false.
        QuotetrackError: the lock file cannot be created (read-only folder).
    """
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise QuotetrackError(f"{path}: cannot create the build lock ({e.strerror}); is the folder writable?") from None
    try:
        _acquire(fd, db_path, wait, on_wait)
        os.ftruncate(fd, 0)
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"{os.getpid()} {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, db_path: str | Path, wait: bool, on_wait: Callable[[str], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        holder = holder_of(fd)
    if not wait:
        raise DatabaseBusy(
            f"{db_path} is being built by {holder}. Wait for it to finish, or run this build again with --wait."
        )
    if on_wait:
        on_wait(f"Waiting for {holder} to finish building {db_path}...")
    fcntl.flock(fd, fcntl.LOCK_EX)


def holder_of(fd: int) -> str:
    """'process 1234 (started 2026-12-03T08:20:00+00:00)', from the lock file's contents."""
    fields = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    if len(fields) == 2 and fields[0].isdigit():
        return f"process {fields[0]} (started {fields[1]})"
    return "another process"
