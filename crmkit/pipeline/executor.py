"""Run batches concurrently, and hand each completed batch to the journal in the calling thread.

Network latency, not the rate limit, would bound a sequential import: a batch takes a round
trip however small the portal's budget. A few workers keep requests in flight so the limiter,
not the wire, sets the pace. Only the coordinating thread touches the journal (SQLite), so
every batch's outcome is written in order of completion, one transaction each.

Stopping: when a worker raises (the daily limit is spent, the token is refused), nothing new
is started — not even an item a worker had already picked up but not begun — the batches
already in flight are finished and journaled, then the first error is raised. A
KeyboardInterrupt does the same: work that landed is recorded before it propagates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Skipped(Exception):
    """An item a worker picked up after the run began to stop: not started, not done."""


@dataclass(frozen=True)
class Done(Generic[T, R]):
    """One finished unit of work: its input, its result and how long it took."""

    item: T
    result: R
    started: float
    duration_s: float


def run_concurrently(
    items: Iterable[T],
    work: Callable[[T], R],
    on_done: Callable[[Done[T, R]], None],
    *,
    concurrency: int,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``work`` over ``items`` with at most ``concurrency`` in flight; returns items done.

    Items are submitted lazily (a window of ``2 * concurrency``), so a stop request takes
    effect after the batches in flight, not after thousands of queued ones.
    """
    workers = max(1, concurrency)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crmkit") as pool:
        run = _Run(pool, iter(items), work, on_done, window=workers * 2, clock=clock)
        try:
            run.fill()
            while run.pending:
                finished, _ = wait(list(run.pending), return_when=FIRST_COMPLETED)
                run.drain(finished)
                run.fill()
        except KeyboardInterrupt:
            run.stopping.set()
            run.cancel_queued()
            run.drain(list(run.pending))
            raise
    if run.first_error is not None:
        raise run.first_error
    return run.done_count


Timed = tuple[R, float, float]


class _Run(Generic[T, R]):
    """One call of :func:`run_concurrently`: the window of futures and the first error."""

    def __init__(
        self,
        pool: ThreadPoolExecutor,
        source: Iterator[T],
        work: Callable[[T], R],
        on_done: Callable[[Done[T, R]], None],
        *,
        window: int,
        clock: Callable[[], float],
    ) -> None:
        self.pool, self.source, self.work, self.on_done = pool, source, work, on_done
        self.window, self.clock = window, clock
        self.pending: dict[Future[Timed[R]], T] = {}
        self.done_count = 0
        self.first_error: BaseException | None = None
        self.stopping = threading.Event()

    def timed(self, item: T) -> Timed[R]:
        """Run one item in a worker; a stop already asked for skips it unstarted."""
        if self.stopping.is_set():
            raise _Skipped
        start = self.clock()
        try:
            result = self.work(item)
        except BaseException:
            self.stopping.set()
            raise
        return result, start, self.clock() - start

    def fill(self) -> None:
        """Submit items until the window is full, unless the run is stopping."""
        while self.first_error is None and len(self.pending) < self.window:
            try:
                item = next(self.source)
            except StopIteration:
                return
            self.pending[self.pool.submit(self.timed, item)] = item

    def cancel_queued(self) -> None:
        for future in list(self.pending):
            if future.cancel():
                self.pending.pop(future)

    def drain(self, futures: Iterable[Future[Timed[R]]]) -> None:
        """Hand finished items to ``on_done``; keep the first error for after the in-flight."""
        for future in futures:
            item = self.pending.pop(future)
            try:
                result, started, duration = future.result()
            except _Skipped:
                continue
            except BaseException as exc:  # stop after the in-flight work, then re-raise
                if self.first_error is None:
                    self.first_error = exc
                    self.cancel_queued()
                continue
            self.on_done(Done(item, result, started, duration))
            self.done_count += 1


def chunked(items: list[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
