"""The rolling-window limiter: fake clock, exact waits, header corrections, threads."""

from __future__ import annotations

import threading
import time

import pytest

from crmkit.hubspot.limiter import RateLimiter
from crmkit.hubspot.policy import RateLimitPolicy
from tests.support.clock import FakeClock


def make(
    clock: FakeClock, limit: int = 5, window: float = 10.0, margin: float = 0.0
) -> RateLimiter:
    return RateLimiter(limit, window, margin=margin, clock=clock, sleep=clock.sleep)


def run_calls(limiter: RateLimiter, clock: FakeClock, n: int, duration: float = 0.0) -> list[float]:
    """``n`` sequential calls of ``duration`` each; the times they started."""
    starts = []
    for _ in range(n):
        slot = limiter.acquire()
        starts.append(clock())
        clock.advance(duration)
        limiter.release(slot)
    return starts


def test_acquires_up_to_the_limit_without_waiting(clock: FakeClock) -> None:
    limiter = make(clock)
    run_calls(limiter, clock, 5)
    assert clock.sleeps == []


def test_the_next_call_waits_exactly_for_the_oldest_to_leave_the_window(clock: FakeClock) -> None:
    """Six calls at limit 5: the sixth starts one window after the first finished."""
    limiter = make(clock)
    starts = run_calls(limiter, clock, 6, duration=0.5)
    assert starts[5] - starts[0] == pytest.approx(10.5)
    assert clock.sleeps == [pytest.approx(10.5 - 2.5)]


@pytest.mark.parametrize(("limit", "window", "calls"), [(5, 10.0, 23), (3, 1.0, 17), (1, 2.0, 4)])
def test_no_window_ever_holds_more_than_the_limit(
    clock: FakeClock, limit: int, window: float, calls: int
) -> None:
    """Counting from completion, any window of length ``window`` holds at most ``limit``."""
    limiter = make(clock, limit, window)
    spans = []
    for _ in range(calls):
        slot = limiter.acquire()
        start = clock()
        clock.advance(0.1)
        limiter.release(slot)
        spans.append((start, clock()))
    for start, _ in spans:
        overlapping = [s for s, end in spans if s <= start < end + window]
        assert len(overlapping) <= limit


def test_a_slot_counts_from_completion_not_from_start(clock: FakeClock) -> None:
    """A call that took 5 s keeps its slot until 10 s after it ended."""
    limiter = make(clock, limit=1)
    slot = limiter.acquire()
    clock.advance(5.0)
    limiter.release(slot)
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(10.0)]


def test_margin_reduces_the_budget(clock: FakeClock) -> None:
    limiter = RateLimiter.for_policy(
        RateLimitPolicy.for_tier("starter", window_s=1.0), clock=clock, sleep=clock.sleep
    )
    assert limiter.limit == 95
    run_calls(limiter, clock, 96)
    assert len(clock.sleeps) == 1


def test_delay_reports_time_until_a_slot_frees(clock: FakeClock) -> None:
    limiter = make(clock, limit=2)
    run_calls(limiter, clock, 2, duration=1.0)
    assert limiter.delay() == pytest.approx(9.0)
    clock.advance(9.0)
    assert limiter.delay() == 0.0


@pytest.mark.parametrize(
    ("headers", "limit", "window"),
    [
        ({}, 100, 10.0),
        ({"X-HubSpot-RateLimit-Max": "50"}, 50, 10.0),
        ({"X-HubSpot-RateLimit-Max": "500"}, 100, 10.0),
        ({"x-hubspot-ratelimit-max": "40"}, 40, 10.0),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "20000"}, 100, 20.0),
        ({"X-HubSpot-RateLimit-Interval-Milliseconds": "1000"}, 100, 10.0),
        ({"X-HubSpot-RateLimit-Max": "lots", "X-HubSpot-RateLimit-Remaining": ""}, 100, 10.0),
    ],
)
def test_headers_only_ever_tighten(
    clock: FakeClock, headers: dict[str, str], limit: int, window: float
) -> None:
    """A lower Max or a longer interval is adopted; a looser one or junk is ignored."""
    limiter = make(clock, limit=100)
    limiter.observe(headers)
    assert (limiter.limit, limiter.window_s) == (limit, window)


def test_remaining_reveals_calls_by_other_clients(clock: FakeClock) -> None:
    """The server counts 8 used while we made 2: 6 are someone else's and take slots, with
    one more left free beside them (2 % headroom)."""
    limiter = make(clock, limit=10)
    run_calls(limiter, clock, 2)
    limiter.observe({"X-HubSpot-RateLimit-Max": "10", "X-HubSpot-RateLimit-Remaining": "2"})
    assert limiter.state().foreign == 7
    run_calls(limiter, clock, 1)
    assert clock.sleeps == []
    run_calls(limiter, clock, 1)
    assert clock.sleeps == [pytest.approx(10.0)]


def test_remaining_matching_our_own_use_adds_nothing(clock: FakeClock) -> None:
    limiter = make(clock, limit=10)
    run_calls(limiter, clock, 4)
    limiter.observe({"X-HubSpot-RateLimit-Max": "10", "X-HubSpot-RateLimit-Remaining": "6"})
    assert limiter.state().foreign == 0


def test_rate_limited_without_headers_learns_a_lower_limit(clock: FakeClock) -> None:
    """An oversized limiter shrinks on a 429 and waits for its oldest call to leave."""
    limiter = make(clock, limit=250, window=1.0)
    starts = run_calls(limiter, clock, 100, duration=0.001)
    wait = limiter.note_rate_limited()
    assert limiter.limit == 80
    assert wait == pytest.approx(starts[0] + 0.001 + 1.0 - clock(), abs=1e-6)
    assert limiter.delay() > 0


def test_rate_limited_with_headers_keeps_the_header_limit(clock: FakeClock) -> None:
    limiter = make(clock, limit=100)
    limiter.observe({"X-HubSpot-RateLimit-Max": "100"})
    run_calls(limiter, clock, 3)
    wait = limiter.note_rate_limited()
    assert limiter.limit == 100
    assert wait == pytest.approx(10.0)


def test_a_blocked_call_waits_for_a_release_from_another_thread(clock: FakeClock) -> None:
    """With every slot in flight no expiry can free one; the release must wake the waiter."""
    limiter = make(clock, limit=1)
    slot = limiter.acquire()
    got: list[int] = []
    waiter = threading.Thread(target=lambda: got.append(limiter.acquire()))
    waiter.start()
    waiter.join(timeout=0.2)
    assert waiter.is_alive() and not got
    limiter.release(slot)
    waiter.join(timeout=5)
    assert got and clock.sleeps == [pytest.approx(10.0)]


def test_threads_never_exceed_the_limit_in_any_window() -> None:
    """Eight threads, real time: every acquisition saw fewer than ``limit`` live slots.

    The clock records, per thread, the instant the limiter itself read under its lock, so the
    check uses the limiter's exact stamps, not times measured after it returned.
    """
    local = threading.local()

    def recording_clock() -> float:
        local.last = time.monotonic()
        return float(local.last)

    limit, window = 4, 0.08
    limiter = RateLimiter(limit, window, clock=recording_clock)
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            slot = limiter.acquire()
            start = local.last
            limiter.release(slot)
            with lock:
                spans.append((start, local.last))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(spans) == 24
    for start, _ in spans:
        live = [s for s, end in spans if s < start and end + window > start]
        assert len(live) < limit
