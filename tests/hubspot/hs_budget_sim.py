"""A discrete-event portal for the limiter: a rolling window counted on arrival, fake time.

The simulated portal counts a request when it arrives (``arrival_s`` after it is sent) and
writes ``X-HubSpot-RateLimit-Remaining`` when it answers (``round_trip_s`` after the send),
as the sandbox does. ``Client`` keeps up to ``concurrency`` calls in flight through a real
:class:`RateLimiter` and feeds every answer's headers back to it, exactly as the transport
does; ``Neighbour`` is another app of the same portal that spends a steady share of the window
with no limiter of its own. Nothing sleeps: the loop jumps from event to event.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from dataclasses import dataclass, field

from crmkit.hubspot.limiter import RateLimiter
from tests.support.clock import FakeClock


class Portal:
    """A rolling window of ``limit`` requests per ``window_s``, counted on arrival."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._window: deque[float] = deque()

    def _prune(self, now: float) -> None:
        while self._window and self._window[0] <= now - self.window_s:
            self._window.popleft()

    def arrive(self, now: float) -> bool:
        """Admit (True) or refuse with a 429 (False)."""
        self._prune(now)
        if len(self._window) >= self.limit:
            return False
        self._window.append(now)
        return True

    def headers(self, now: float) -> dict[str, str]:
        self._prune(now)
        return {
            "X-HubSpot-RateLimit-Max": str(self.limit),
            "X-HubSpot-RateLimit-Remaining": str(self.limit - len(self._window)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(round(self.window_s * 1000)),
        }


@dataclass
class Client:
    """``calls`` requests through ``limiter``; records start times and 429s."""

    limiter: RateLimiter
    calls: int
    concurrency: int = 16
    round_trip_s: float = 0.15
    jitter_s: float = 0.0  # each round trip is round_trip_s ± up to this (seeded)
    arrival_s: float = 0.001
    headers: bool = True
    start_s: float = 0.0  # no call before this time (a neighbour may be spending already)
    starts: list[float] = field(default_factory=list)
    refused: int = 0


@dataclass
class Neighbour:
    """Another app: one request every ``every_s`` seconds, no limiter, until ``until_s``."""

    every_s: float
    until_s: float
    sent: int = 0
    refused: int = 0


def simulate(
    clock: FakeClock, portal: Portal, client: Client, neighbour: Neighbour | None = None
) -> None:
    """Run until the client has sent (and had answered) every call; time only jumps."""
    events: list[tuple[float, int, str, int, float]] = []  # (when, seq, kind, slot, sent_at)
    seq = 0
    in_flight = 0
    rand = random.Random(7)
    pending = client.calls
    if neighbour is not None:
        heapq.heappush(events, (clock(), seq, "neighbour", 0, 0.0))
    while pending or in_flight:
        while pending and in_flight < client.concurrency and clock() >= client.start_s:
            slot = client.limiter.try_acquire()
            if slot is None:
                break
            now = clock()
            client.starts.append(now)
            pending -= 1
            in_flight += 1
            seq += 1
            heapq.heappush(events, (now + client.arrival_s, seq, "arrive", slot, now))
        wake = clock() + client.limiter.delay() if pending else None
        if pending and clock() < client.start_s:
            wake = client.start_s
        when = events[0][0] if events else None
        waiting = clock() < client.start_s or client.limiter.delay() > 0
        if when is None or (wake is not None and waiting and wake < when):
            assert wake is not None, "the limiter waits on a release that never comes"
            clock.advance(max(0.0, wake - clock()))
            continue
        when, _, kind, slot, sent_at = heapq.heappop(events)
        clock.advance(max(0.0, when - clock()))
        now = clock()
        if kind == "neighbour":
            assert neighbour is not None
            neighbour.sent += 1
            neighbour.refused += 0 if portal.arrive(now) else 1
            if now + neighbour.every_s < neighbour.until_s:
                seq += 1
                heapq.heappush(events, (now + neighbour.every_s, seq, "neighbour", 0, 0.0))
        elif kind == "arrive":
            admitted = portal.arrive(now)
            seq += 1
            answer = "answer" if admitted else "refused"
            back = sent_at + client.round_trip_s + client.jitter_s * (2 * rand.random() - 1)
            heapq.heappush(events, (back, seq, answer, slot, sent_at))
        else:
            client.limiter.release(slot)
            in_flight -= 1
            if client.headers:
                client.limiter.observe(portal.headers(now), sent_at=sent_at, answered_at=now)
            if kind == "refused":
                client.refused += 1
                client.limiter.note_rate_limited()
                pending += 1  # the call is retried
