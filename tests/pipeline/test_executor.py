"""The concurrent executor: bounded concurrency, journaling in one thread, clean stops."""

from __future__ import annotations

import threading
import time

import pytest

from crmkit.errors import DailyLimitReached
from crmkit.pipeline.executor import Done, chunked, run_concurrently


@pytest.mark.parametrize(
    ("n", "size", "expected"),
    [(0, 100, []), (5, 2, [2, 2, 1]), (200, 100, [100, 100]), (101, 100, [100, 1])],
)
def test_chunked(n: int, size: int, expected: list[int]) -> None:
    """Batches never exceed the size and keep every item once."""
    chunks = list(chunked(list(range(n)), size))
    assert [len(c) for c in chunks] == expected
    assert [x for c in chunks for x in c] == list(range(n))


def test_runs_concurrently_and_reports_in_the_calling_thread() -> None:
    """Work overlaps up to the limit; on_done always runs in the caller's thread."""
    active = 0
    peak = 0
    lock = threading.Lock()
    gate = threading.Barrier(3, timeout=5)
    caller = threading.get_ident()
    seen: list[int] = []

    def work(x: int) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        if x < 3:
            gate.wait()  # the first three must be in flight together
        with lock:
            active -= 1
        return x * 2

    def done(item: Done[int, int]) -> None:
        assert threading.get_ident() == caller
        seen.append(item.result)

    assert run_concurrently(range(9), work, done, concurrency=3) == 9
    assert peak == 3
    assert sorted(seen) == [x * 2 for x in range(9)]


def test_error_stops_new_work_but_journals_work_in_flight() -> None:
    """After a daily-limit error nothing new starts; finished work is still handed over."""
    started: list[int] = []
    lock = threading.Lock()
    release = threading.Event()

    def work(x: int) -> int:
        with lock:
            started.append(x)
        if x == 0:
            release.wait(5)
            return x
        if x == 1:
            release.set()
            raise DailyLimitReached("spent")
        time.sleep(0.05)
        return x

    finished: list[int] = []
    with pytest.raises(DailyLimitReached):
        run_concurrently(range(100), work, lambda d: finished.append(d.item), concurrency=2)
    assert 0 in finished
    assert len(started) <= 6  # the window, not the hundred items


def test_interrupt_in_caller_finishes_in_flight_work() -> None:
    """Ctrl-C while waiting: pending work is cancelled, work in flight is still recorded."""
    finished: list[int] = []

    def done(item: Done[int, int]) -> None:
        finished.append(item.item)
        if len(finished) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_concurrently(range(50), lambda x: x, done, concurrency=2)
    assert 1 <= len(finished) <= 4
