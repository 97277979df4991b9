"""Fan-out: one interface that runs a function over batches, here or on a Dask cluster.

- ``InlineExecutor``: this process, one batch after the other (``--workers 1``).
- ``ProcessExecutor``: forked local processes (``--workers N``); they inherit what the
  caller loaded before the fork (the spaCy pipeline), so nothing is loaded twice.
- ``DaskExecutor``: the workers of a running Dask cluster (``--scheduler tcp://HOST:8786``);
  the function and its arguments are pickled, so workers need the same packages installed.

Every executor keeps a few batches in flight and yields outcomes in input order: the caller
stays the only writer of whatever it stores, in the order it read. A batch whose worker
fails yields the exception instead of results, and the caller decides what it means.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from quotetrack.errors import QuotetrackError

CONNECT_TIMEOUT = 10.0  # seconds to wait for a scheduler, and for its first worker


@dataclass
class Outcome:
    """One batch and what the function returned for it, or the exception it raised."""

    batch: list
    results: Any = None
    error: BaseException | None = None


class Executor(Protocol):
    workers: int  # processes (or Dask worker threads) running batches at once

    def map(self, fn: Callable[[Any, list], Any], arg: Any, batches: Iterable[list]) -> Iterator[Outcome]:
        """``fn(arg, batch)`` for every batch, outcomes in input order."""


def executor_for(workers: int = 1, scheduler: str | None = None) -> Executor:
    """The executor for the ``--workers``/``--scheduler`` options (a scheduler wins)."""
    if scheduler:
        return DaskExecutor(scheduler)
    return ProcessExecutor(workers) if workers > 1 else InlineExecutor()


class InlineExecutor:
    """Runs each batch in this process."""

    workers = 1

    def map(self, fn, arg, batches):
        for batch in batches:
            yield _outcome(batch, functools.partial(fn, arg, batch))


class ProcessExecutor:
    """Runs batches in ``workers`` forked processes."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map(self, fn, arg, batches):
        with multiprocessing.get_context("fork").Pool(self.workers) as pool:
            submitted = ((batch, pool.apply_async(fn, (arg, batch)).get) for batch in batches)
            yield from _in_order(submitted, 2 * self.workers)


class DaskExecutor:
    """Runs batches on the workers of the Dask cluster whose scheduler is at ``address``."""

    def __init__(self, address: str) -> None:
        from distributed import Client  # only a --scheduler run needs Dask

        self.address = address
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise QuotetrackError(
                f"Cannot reach the Dask scheduler at {address} ({type(e).__name__}: {e}). Start one with "
                "`dask scheduler --host 127.0.0.1` and workers with `dask worker ADDRESS --nthreads 1` "
                "(see docs/scale-out.md)"
            ) from e
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError as e:
            self.client.close()
            raise QuotetrackError(
                f"The Dask scheduler at {address} has no workers. Start some with: dask worker {address} --nthreads 1"
            ) from e
        self.workers = sum(self.client.nthreads().values())

    def map(self, fn, arg, batches):
        try:
            submitted = ((batch, self.client.submit(fn, arg, batch, pure=False).result) for batch in batches)
            yield from _in_order(submitted, 2 * self.workers)
        finally:
            self.client.close()


def _in_order(submitted: Iterator[tuple[list, Callable[[], Any]]], ahead: int) -> Iterator[Outcome]:
    """Outcomes of submitted batches in order, with at most ``ahead`` + 1 of them in flight.

    The batches are read here, in the caller's thread (callers' iterators may touch SQLite).
    """
    window: deque[tuple[list, Callable[[], Any]]] = deque()
    for batch, result in submitted:
        window.append((batch, result))
        if len(window) > ahead:
            yield _outcome(*window.popleft())
    while window:
        yield _outcome(*window.popleft())


def _outcome(batch: list, result: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(batch, result())
    except Exception as e:
        return Outcome(batch, error=e)
