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
    window = max(1, concurrency) * 2
    source: Iterator[T] = iter(items)
    done_count = 0
    first_error: BaseException | None = None
    stopping = threading.Event()

    def timed(item: T) -> tuple[R, float, float]:
        if stopping.is_set():
            raise _Skipped
        start = clock()
        try:
            result = work(item)
        except BaseException:
            stopping.set()
            raise
        return result, start, clock() - start

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="crmkit") as pool:
        pending: dict[Future[tuple[R, float, float]], T] = {}

        def fill() -> None:
            while first_error is None and len(pending) < window:
                try:
                    item = next(source)
                except StopIteration:
                    return
                pending[pool.submit(timed, item)] = item

        def cancel_queued() -> None:
            for future in list(pending):
                if future.cancel():
                    pending.pop(future)

        def drain(futures: Iterable[Future[tuple[R, float, float]]]) -> None:
            nonlocal done_count, first_error
            for future in futures:
                item = pending.pop(future)
                try:
                    result, started, duration = future.result()
                except _Skipped:
                    continue
                except BaseException as exc:  # stop after the in-flight work, then re-raise
                    if first_error is None:
                        first_error = exc
                        cancel_queued()
                    continue
                on_done(Done(item, result, started, duration))
                done_count += 1

        try:
            fill()
            while pending:
                finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                drain(finished)
                fill()
        except KeyboardInterrupt:
            stopping.set()
            cancel_queued()
            drain(list(pending))
            raise
    if first_error is not None:
        raise first_error
    return done_count


def chunked(items: list[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
