"""A thread-safe rolling-window rate limiter that the server's headers can only tighten.

Why a slot is stamped when its call *completes*, not when it starts: the server counts a
request when it arrives, somewhere between our send and our receipt of the answer. Counting
every call in flight plus every call completed in the last window therefore over-counts what
the server sees at every instant, whatever the latency, so ``limit`` calls per window on our
side can never become more than ``limit`` on the server's side. The price is one round trip
per window (about 1.5 % of throughput at 150 ms against a ten-second window).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from crmkit.hubspot.policy import RateLimitPolicy, budget_for

Clock = Callable[[], float]
Sleep = Callable[[float], None]

_POLL_S = 0.05  # real-time wait when only in-flight calls hold the window (a release wakes us)
_LEARN_FACTOR = 0.8  # without headers, a 429 shrinks the believed limit by a fifth

HEADER_MAX = "x-hubspot-ratelimit-max"
HEADER_REMAINING = "x-hubspot-ratelimit-remaining"
HEADER_INTERVAL = "x-hubspot-ratelimit-interval-milliseconds"


@dataclass(frozen=True)
class LimiterState:
    """A consistent snapshot, for tests and the report."""

    limit: int
    window_s: float
    in_flight: int
    recent: int
    foreign: int
    blocked_for_s: float


class RateLimiter:
    """At most ``limit`` (minus ``margin``) calls per rolling ``window_s``, across threads.

    ``acquire()`` blocks until a slot is free and returns a slot id; ``release(slot)`` marks
    the call finished. Headers (``X-HubSpot-RateLimit-*``) may lower the limit, lengthen the
    window, and reveal calls by other clients of the same account; they never raise the limit,
    and nothing depends on them being present. ``note_rate_limited()`` reacts to a 429.
    """

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        margin: float = 0.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        name: str = "objects",
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limiter needs limit >= 1 and window_s > 0")
        self.name = name
        self._nominal = limit
        self._margin = margin
        self._window = window_s
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._next_slot = 0
        self._in_flight: dict[int, float] = {}
        self._done: deque[float] = deque()
        self._foreign = 0
        self._foreign_until = 0.0
        self._blocked_until = 0.0
        self._saw_max_header = False

    @classmethod
    def for_policy(
        cls,
        policy: RateLimitPolicy,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        name: str = "objects",
    ) -> RateLimiter:
        """The ten-second-window limiter a policy describes."""
        return cls(
            policy.per_window,
            policy.window_s,
            margin=policy.safety_margin,
            clock=clock,
            sleep=sleep,
            name=name,
        )

    @property
    def limit(self) -> int:
        """Calls allowed per window right now (after margin and header corrections)."""
        with self._cond:
            return self._limit()

    @property
    def window_s(self) -> float:
        with self._cond:
            return self._window

    def state(self) -> LimiterState:
        with self._cond:
            now = self._clock()
            self._prune(now)
            return LimiterState(
                limit=self._limit(),
                window_s=self._window,
                in_flight=len(self._in_flight),
                recent=len(self._done),
                foreign=self._foreign if now < self._foreign_until else 0,
                blocked_for_s=max(0.0, self._blocked_until - now),
            )

    def acquire(self) -> int:
        """Block until a call may start; return its slot id for :meth:`release`."""
        while True:
            with self._cond:
                now = self._clock()
                delay = self._delay(now)
                if delay == 0.0:
                    slot = self._next_slot
                    self._next_slot += 1
                    self._in_flight[slot] = now
                    return slot
                if delay is None:
                    self._cond.wait(timeout=_POLL_S)
                    continue
            self._sleep(delay)

    def release(self, slot: int) -> None:
        """The call holding ``slot`` finished (answered or failed); it counts for one window."""
        with self._cond:
            if self._in_flight.pop(slot, None) is None:
                return
            self._done.append(self._clock())
            self._cond.notify_all()

    def delay(self) -> float:
        """Seconds until a slot frees up by time alone (0 when free or waiting on releases)."""
        with self._cond:
            delay = self._delay(self._clock())
            return delay or 0.0

    def observe(self, headers: Mapping[str, str]) -> None:
        """Correct the window from HubSpot's rate-limit headers when an answer carries them."""
        lowered = {k.lower(): v for k, v in headers.items()}
        maximum = _header_int(lowered, HEADER_MAX)
        remaining = _header_int(lowered, HEADER_REMAINING)
        interval_ms = _header_int(lowered, HEADER_INTERVAL)
        with self._cond:
            now = self._clock()
            if maximum is not None and maximum >= 1:
                self._saw_max_header = True
                self._nominal = min(self._nominal, maximum)
            if interval_ms is not None and interval_ms > 0:
                self._window = max(self._window, interval_ms / 1000.0)
            if maximum is not None and remaining is not None:
                self._prune(now)
                ours = len(self._in_flight) + len(self._done)
                foreign = (maximum - remaining) - ours
                self._foreign = max(0, foreign)
                self._foreign_until = now + self._window

    def note_rate_limited(self) -> float:
        """A 429 came back: hold new calls until the window frees a slot; return that wait.

        Without headers to say the real limit, the limit believed is also lowered: the server
        refused while we had ``used`` calls in the window, so its limit is below that.
        """
        with self._cond:
            now = self._clock()
            self._prune(now)
            used = len(self._in_flight) + len(self._done)
            if not self._saw_max_header:
                learned = max(1, int(min(self._nominal, used) * _LEARN_FACTOR))
                self._nominal = min(self._nominal, learned)
            wait = self._done[0] + self._window - now if self._done else self._window
            wait = min(self._window, max(wait, 0.0))
            self._blocked_until = max(self._blocked_until, now + wait)
            return self._blocked_until - now

    # -- internals (caller holds the lock) ---------------------------------------------

    def _limit(self) -> int:
        return budget_for(self._nominal, self._margin)

    def _prune(self, now: float) -> None:
        # Compare ``stamp + window`` exactly as _delay computes it, so a wait of that length
        # always frees the slot (no float drift between the two).
        while self._done and self._done[0] + self._window <= now:
            self._done.popleft()

    def _delay(self, now: float) -> float | None:
        """0.0 when a slot is free, seconds until one frees by expiry, None if only releases can."""
        if now < self._blocked_until:
            return self._blocked_until - now
        self._prune(now)
        foreign_active = now < self._foreign_until
        foreign = self._foreign if foreign_active else 0
        used = len(self._in_flight) + len(self._done) + foreign
        limit = self._limit()
        if used < limit:
            return 0.0
        to_free = used - limit + 1
        expiries = [(stamp + self._window, 1) for stamp in self._done]
        if foreign:
            expiries.append((self._foreign_until, foreign))
        expiries.sort()
        freed = 0
        for when, count in expiries:
            freed += count
            if freed >= to_free:
                return when - now
        return None


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        return None
