"""A thread-safe rolling-window rate limiter that spends what the portal says is left.

Two sources of truth, and a call may start when either says so:

- **Our own ledger.** A slot is stamped when its call *completes*, not when it starts: the
  server counts a request somewhere between our send and our receipt of the answer, so
  counting every call in flight plus every call completed in the last window over-counts what
  the server sees at every instant, whatever the latency. Alone, this costs one round trip per
  window and knows nothing of other apps.
- **The portal's word.** Every answer carries ``X-HubSpot-RateLimit-Remaining``: how many calls
  the window still holds, others' calls included. It is exact when it was written; since then,
  only calls that may not have been counted in it can have used it up: ours that were in
  flight or answered after that call was sent, and ours started since. So ``remaining`` minus
  those is a budget we may spend at once (the *gate*): once an answer shows the portal's
  window has room, our calls use it without waiting for the ledger's later stamps, and
  without the ledger's blind 5 % margin. (A new window's very first call still leaves a
  round trip after the portal freed its slot: no answer can say so sooner.)

Other apps of the portal: ``Max - Remaining`` minus our calls the portal has counted (those
started within the last window before the answer, reaching it within half their round
trip) is their share. crmkit leaves room for the most they were seen to hold in any header
of the last window, plus 2 % headroom, and the gate never spends beyond our own share, so a
slot another app freed is left for it to reuse. A window after the last header their share
shrinks just enough for one probe call, so an app that stopped cannot lock us out.
``margin`` keeps part of the budget unused only until a header has said what others spend;
from then on the header is the margin.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from crmkit.hubspot.policy import RateLimitPolicy, budget_for

Clock = Callable[[], float]
Sleep = Callable[[float], None]

_POLL_S = 0.05  # real-time wait when only in-flight calls hold the window (a release wakes us)
_HEADROOM = 0.02  # of the limit, left free beside another app's share
_LEARN_FACTOR = 0.8  # without headers, a 429 shrinks the believed limit by a fifth

HEADER_MAX = "x-hubspot-ratelimit-max"
HEADER_REMAINING = "x-hubspot-ratelimit-remaining"
HEADER_INTERVAL = "x-hubspot-ratelimit-interval-milliseconds"


@dataclass(frozen=True)
class LimiterState:
    """A consistent snapshot, for tests and the report.

    ``foreign``: other apps' calls left room for (with headroom); ``gate``: calls the last
    header lets start at once beyond the ledger.
    """

    limit: int
    window_s: float
    in_flight: int
    recent: int
    foreign: int
    blocked_for_s: float
    gate: int


class RateLimiter:
    """At most ``limit`` calls per rolling ``window_s``, across threads (see the module doc).

    ``acquire()`` blocks until a slot is free and returns a slot id; ``release(slot)`` marks
    the call finished. ``observe(headers, sent_at=…)`` reads ``X-HubSpot-RateLimit-*``: a lower
    Max or a longer interval is adopted (never a looser one), Remaining opens the gate and
    reveals calls by other clients of the same account; nothing depends on them being present.
    ``note_rate_limited()`` reacts to a 429.
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
        self._sent: deque[float] = deque()  # when each call of the last window was started
        self._foreign: deque[tuple[float, int]] = deque()  # (seen at, their calls then)
        self._foreign_until = 0.0
        self._blocked_until = 0.0
        self._saw_max_header = False
        self._told_remaining = False
        self._gate = 0  # calls the last header lets us start at once, beyond the ledger

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
                foreign=self._foreign_now(now),
                blocked_for_s=max(0.0, self._blocked_until - now),
                gate=self._gate,
            )

    def acquire(self) -> int:
        """Block until a call may start; return its slot id for :meth:`release`."""
        while True:
            with self._cond:
                now = self._clock()
                delay = self._delay(now)
                if delay == 0.0:
                    return self._take(now)
                if delay is None:
                    self._cond.wait(timeout=_POLL_S)
                    continue
            self._sleep(delay)

    def try_acquire(self) -> int | None:
        """A slot id if a call may start now, else None (never waits)."""
        with self._cond:
            now = self._clock()
            return self._take(now) if self._delay(now) == 0.0 else None

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

    def observe(
        self,
        headers: Mapping[str, str],
        *,
        sent_at: float | None = None,
        answered_at: float | None = None,
        ours: bool = True,
    ) -> None:
        """Correct the window from the rate-limit headers of an answer, when it has them.

        ``sent_at`` and ``answered_at`` are when the answered call was started and when its
        answer came (this limiter's clock; ``answered_at`` defaults to now), ``ours`` whether it
        went through this limiter (and so sits in its ledger). Without ``sent_at`` the header
        still corrects the limit and the other apps' share, but opens no gate.
        """
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
            if maximum is None or remaining is None:
                return
            self._told_remaining = True
            self._prune(now)
            # The portal counts a call of ours from its arrival, taken to be within half its
            # round trip: so ours in the count are those started within the last window (and
            # that half round trip) before this answer came back. The rest of the count is
            # theirs; a call of ours that reached the portal later still counts as theirs,
            # which errs towards leaving them more.
            answered = now if answered_at is None else answered_at
            since = answered - self._window
            if sent_at is not None:
                since -= (answered - sent_at) / 2
            ours_counted = sum(1 for stamp in self._sent if since < stamp <= answered)
            self._foreign.append((now, max(0, (maximum - remaining) - ours_counted)))
            while len(self._foreign) > 1 and self._foreign[0][0] + self._window <= now:
                self._foreign.popleft()
            self._foreign_until = now + self._window
            if sent_at is not None:
                self._gate = max(0, min(remaining, self._limit()) - self._uncounted(sent_at, ours))
            self._cond.notify_all()

    def note_rate_limited(self) -> float:
        """A 429 came back: hold new calls until the window frees a slot; return that wait.

        Without headers to say the real limit, the limit believed is also lowered: the server
        refused while we had ``used`` calls in the window, so its limit is below that.
        """
        with self._cond:
            now = self._clock()
            self._prune(now)
            self._gate = 0
            used = len(self._in_flight) + len(self._done)
            if not self._saw_max_header:
                learned = max(1, int(min(self._nominal, used) * _LEARN_FACTOR))
                self._nominal = min(self._nominal, learned)
            wait = self._done[0] + self._window - now if self._done else self._window
            wait = min(self._window, max(wait, 0.0))
            self._blocked_until = max(self._blocked_until, now + wait)
            return self._blocked_until - now

    # -- internals (caller holds the lock) ---------------------------------------------

    def _take(self, now: float) -> int:
        if self._gate > 0:
            self._gate -= 1
        slot = self._next_slot
        self._next_slot += 1
        self._in_flight[slot] = now
        self._sent.append(now)
        return slot

    def _limit(self) -> int:
        if self._saw_max_header and self._told_remaining:
            return self._nominal  # the headers show what others spend: no blind margin
        return budget_for(self._nominal, self._margin)

    def _uncounted(self, sent_at: float, ours: bool) -> int:
        """Our calls the header may not include: in flight, answered after ``sent_at``."""
        later = sum(1 for stamp in self._done if stamp > sent_at)
        if ours and later:
            later -= 1  # the answered call itself is in the ledger and in the header
        return len(self._in_flight) + later

    def _foreign_now(self, now: float) -> int:
        """Other apps' calls to leave room for: the most seen in any header of the last window.

        The most, not the last: a call of theirs that we crowded out leaves their count
        lower, and taking that slot too would crowd out the next. A window after the last
        header it shrinks to leave room for one call of ours, so a fresh header can say
        whether the other app is still spending.
        """
        if not self._foreign:
            return 0
        if now < self._foreign_until:
            most = max(n for seen, n in self._foreign if seen + self._window > now)
            # A little headroom when someone else is spending: their calls are not evenly
            # spaced to the millisecond, and a 429 to them is lost budget to us both.
            return most + math.ceil(self._limit() * _HEADROOM) if most else 0
        return min(self._foreign[-1][1], max(0, self._limit() - 1))

    def _prune(self, now: float) -> None:
        # Compare ``stamp + window`` exactly as _delay computes it, so a wait of that length
        # always frees the slot (no float drift between the two).
        while self._done and self._done[0] + self._window <= now:
            self._done.popleft()
        while self._sent and self._sent[0] + 2 * self._window <= now:
            self._sent.popleft()  # kept a window longer: observe() looks a little further back

    def _delay(self, now: float) -> float | None:
        """0.0 when a slot is free, seconds until one frees by expiry, None if only releases can."""
        if now < self._blocked_until:
            return self._blocked_until - now
        self._prune(now)
        foreign = self._foreign_now(now)
        limit = self._limit()
        # The gate spends what the portal said is free, but never more than our share: the
        # others' calls, once they expire, are theirs to replace, not ours to take.
        sent = [stamp for stamp in self._sent if stamp + self._window > now]
        if self._gate > 0 and len(sent) + foreign < limit:
            return 0.0
        used = len(self._in_flight) + len(self._done) + foreign
        if used < limit:
            return 0.0
        ledger = self._first_free(list(self._done), used - limit + 1, foreign)
        if self._gate > 0:
            share = self._first_free(sent, len(sent) + foreign - limit + 1, 0)
            if share is not None:
                ledger = share if ledger is None else min(ledger, share)
        return None if ledger is None else ledger - now

    def _first_free(self, stamps: list[float], to_free: int, foreign: int) -> float | None:
        """When ``to_free`` of these stamps (and the others' share) have left the window."""
        expiries = [(stamp + self._window, 1) for stamp in stamps]
        shrunk = self._foreign_now(float("inf"))
        if foreign > shrunk:
            expiries.append((self._foreign_until, foreign - shrunk))
        expiries.sort()
        freed = 0
        for when, count in expiries:
            freed += count
            if freed >= to_free:
                return when
        return None


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        return None
