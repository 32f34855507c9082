"""Thread-safe request counters and a per-second timeline, for the run report.

Counted per HTTP attempt: ``requests`` (every attempt sent), ``retried`` (attempts after the
first of a call), ``rate_limited`` (429 answers), ``server_errors`` (5xx answers),
``transport_errors`` (timeouts, dropped connections). The timeline buckets the same counts by
whole second since the client started, the shape report.json's ``timeline`` expects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

COUNTERS = ("requests", "retried", "rate_limited", "server_errors", "transport_errors")
TIMELINE_KEYS = ("requests", "retried", "rate_limited", "server_errors")
_OUTCOME_COUNTER = {
    "rate_limited": "rate_limited",
    "server_error": "server_errors",
    "transport_error": "transport_errors",
}


@dataclass(frozen=True)
class RequestEvent:
    """One HTTP attempt, as the ``on_request`` callback sees it (no headers, no token)."""

    t: float
    method: str
    path: str
    status: int | None
    attempt: int
    duration_s: float
    outcome: str  # ok | rate_limited | server_error | transport_error | client_error


class ClientStats:
    """Counters shared by all threads of one client."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._totals = dict.fromkeys(COUNTERS, 0)
        self._seconds: dict[int, dict[str, int]] = {}

    @property
    def started(self) -> float:
        return self._started

    def elapsed(self) -> float:
        return self._clock() - self._started

    def record(self, event: RequestEvent) -> None:
        kinds = ["requests"]
        if event.attempt > 1:
            kinds.append("retried")
        counter = _OUTCOME_COUNTER.get(event.outcome)
        if counter:
            kinds.append(counter)
        second = max(0, int(event.t))
        with self._lock:
            bucket = self._seconds.setdefault(second, dict.fromkeys(TIMELINE_KEYS, 0))
            for kind in kinds:
                self._totals[kind] += 1
                if kind in bucket:
                    bucket[kind] += 1

    def snapshot(self) -> dict[str, int]:
        """The totals: ``{requests, retried, rate_limited, server_errors, transport_errors}``."""
        with self._lock:
            return dict(self._totals)

    def timeline(self) -> list[dict[str, Any]]:
        """``[{t, requests, retried, rate_limited, server_errors}]``, one row per busy second."""
        with self._lock:
            return [{"t": t, **counts} for t, counts in sorted(self._seconds.items())]

    def __getattr__(self, name: str) -> int:
        if name in COUNTERS:
            with self._lock:
                return self._totals[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"ClientStats({self.snapshot()})"
