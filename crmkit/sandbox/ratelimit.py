"""HubSpot's rate limits as the sandbox enforces them: rolling window, daily, search per second.

Only requests that are let through use up budget. The clock is injectable (monotonic seconds)
so tests step time instead of sleeping; the day advances via ``advance_day`` (the sandbox's
own clock) or when the real UTC date changes.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from crmkit.tiers import TierLimits

POLICIES: tuple[str, ...] = ("TEN_SECONDLY_ROLLING", "DAILY", "SECONDLY")
MESSAGES = {
    "TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
    "DAILY": "You have reached your daily limit.",
    "SECONDLY": "You have reached your secondly limit.",
}


@dataclass(frozen=True)
class Decision:
    """Whether one request may pass, and if not, which policy refused it."""

    allowed: bool
    policy: str | None = None


class PortalQuota:
    """The portal's side of the rate limits: the rolling window per tier, the daily budget and
    search's own per-second window (the client's pacer is crmkit.hubspot.limiter.RateLimiter)."""

    def __init__(
        self,
        limits: TierLimits,
        *,
        window_s: float = 10.0,
        search_per_s: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits
        self.window_s = window_s
        self.search_per_s = search_per_s
        self._clock = clock
        self._window: deque[float] = deque()
        self._search: deque[float] = deque()
        self._day_offset = 0
        self._day = self._today()
        self._daily_used = 0
        self.refused: Counter[str] = Counter()

    def check(self, *, exempt: bool = False, search: bool = False) -> Decision:
        """Admit or refuse one request; ``exempt`` skips the ten-second window."""
        now = self._clock()
        self._prune(now)
        self._roll_day()
        policy: str | None = None
        if self._daily_used >= self.limits.daily:
            policy = "DAILY"
        elif search and len(self._search) >= self.search_per_s:
            policy = "SECONDLY"
        elif not exempt and len(self._window) >= self.limits.per_window:
            policy = "TEN_SECONDLY_ROLLING"
        if policy is not None:
            self.refused[policy] += 1
            return Decision(False, policy)
        self._daily_used += 1
        if not exempt:
            self._window.append(now)
        if search:
            self._search.append(now)
        return Decision(True)

    def headers(self) -> dict[str, str]:
        """The ``X-HubSpot-RateLimit-*`` headers as they stand now."""
        self._prune(self._clock())
        self._roll_day()
        return {
            "X-HubSpot-RateLimit-Max": str(self.limits.per_window),
            "X-HubSpot-RateLimit-Remaining": str(
                max(0, self.limits.per_window - len(self._window))
            ),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(round(self.window_s * 1000)),
            "X-HubSpot-RateLimit-Daily": str(self.limits.daily),
            "X-HubSpot-RateLimit-Daily-Remaining": str(
                max(0, self.limits.daily - self._daily_used)
            ),
        }

    def advance_day(self, days: int = 1) -> int:
        """Start a new day on the sandbox's clock; returns the day number."""
        self._day_offset += days
        self._roll_day()
        return self._day

    def reset(self) -> None:
        self._window.clear()
        self._search.clear()
        self._daily_used = 0
        self.refused.clear()

    @property
    def daily_used(self) -> int:
        return self._daily_used

    def _prune(self, now: float) -> None:
        while self._window and self._window[0] <= now - self.window_s:
            self._window.popleft()
        while self._search and self._search[0] <= now - 1.0:
            self._search.popleft()

    def _today(self) -> int:
        return datetime.now(UTC).date().toordinal() + self._day_offset

    def _roll_day(self) -> None:
        today = self._today()
        if today != self._day:
            self._day = today
            self._daily_used = 0
