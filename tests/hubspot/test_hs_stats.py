"""Request counters and the per-second timeline."""

from __future__ import annotations

import threading

from crmkit.hubspot.stats import ClientStats, RequestEvent
from tests.support.clock import FakeClock


def event(t: float, attempt: int = 1, outcome: str = "ok") -> RequestEvent:
    return RequestEvent(t, "POST", "/p", 200, attempt, 0.01, outcome)


def test_counts_by_kind_and_second(clock: FakeClock) -> None:
    stats = ClientStats(clock)
    for e in [
        event(0.2),
        event(0.9, attempt=2, outcome="server_error"),
        event(1.5, outcome="rate_limited"),
        event(1.6, attempt=3, outcome="transport_error"),
        event(4.0, outcome="client_error"),
    ]:
        stats.record(e)
    assert stats.snapshot() == {
        "requests": 5,
        "retried": 2,
        "rate_limited": 1,
        "server_errors": 1,
        "transport_errors": 1,
    }
    assert stats.requests == 5
    assert stats.timeline() == [
        {"t": 0, "requests": 2, "retried": 1, "rate_limited": 0, "server_errors": 1},
        {"t": 1, "requests": 2, "retried": 1, "rate_limited": 1, "server_errors": 0},
        {"t": 4, "requests": 1, "retried": 0, "rate_limited": 0, "server_errors": 0},
    ]


def test_counts_survive_many_threads(clock: FakeClock) -> None:
    stats = ClientStats(clock)

    def hammer() -> None:
        for i in range(500):
            stats.record(event(i % 3, attempt=1 + i % 2))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stats.snapshot()["requests"] == 4000
    assert stats.snapshot()["retried"] == 2000
    assert sum(row["requests"] for row in stats.timeline()) == 4000
