"""Retry and rate-limit policies: frozen value objects with documented defaults.

They are passed in, never read from globals, so a test or a benchmark can state exactly the
behaviour it wants (a one-second window, three attempts) and the production defaults stay in
one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmkit.errors import ConfigError
from crmkit.tiers import TIERS

#: Requests allowed per rolling ten-second window, per HubSpot product tier.
TIER_WINDOW_LIMITS: dict[str, int] = {name: t.per_window for name, t in TIERS.items()}

#: Requests allowed per day (per account).
TIER_DAILY_LIMITS: dict[str, int] = {name: t.daily for name, t in TIERS.items()}


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the client tries before giving up on one call.

    Defaults:
    - ``max_attempts=6``: attempts for transient failures (5xx, timeouts, dropped connections),
      the first one included.
    - ``base_delay_s=0.5``, ``max_delay_s=20``: exponential backoff ``base * 2**(n-1)`` capped,
      with full jitter (uniform between zero and that value) so concurrent workers spread out.
    - ``timeout_s=30``: read timeout; a server that hangs longer is a transport error and is
      retried. That is only safe because crmkit writes by upsert on unique keys: a write that
      landed before the hang is found, not duplicated, by the retry.
    - ``connect_timeout_s=5``: TCP connect timeout.
    - ``max_rate_limited=10``: 429 answers (TEN_SECONDLY_ROLLING or SECONDLY) tolerated for one
      call; each waits for the window to free up, so they do not count as ``max_attempts``.
    """

    max_attempts: int = 6
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    timeout_s: float = 30.0
    connect_timeout_s: float = 5.0
    max_rate_limited: int = 10

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError("RetryPolicy.max_attempts must be at least 1")
        if self.base_delay_s < 0 or self.max_delay_s < self.base_delay_s:
            raise ConfigError("RetryPolicy needs 0 <= base_delay_s <= max_delay_s")
        if self.timeout_s <= 0 or self.connect_timeout_s <= 0:
            raise ConfigError("RetryPolicy timeouts must be positive")
        if self.max_rate_limited < 0:
            raise ConfigError("RetryPolicy.max_rate_limited must not be negative")


@dataclass(frozen=True)
class RateLimitPolicy:
    """The portal's request budget as the client spends it.

    ``per_window`` requests per rolling ``window_s`` seconds is HubSpot's limit. The budget
    belongs to the account, not to this process (other integrations spend it too), so the
    client keeps ``safety_margin`` of it unused until an answer's ``X-HubSpot-RateLimit-*``
    headers say what the others spend; from then on it leaves room for exactly that (plus a
    little headroom) and spends the rest, see :mod:`crmkit.hubspot.limiter`.
    ``daily`` is informational (planning, reports); the client stops
    on HubSpot's DAILY 429, it does not count the day itself.

    Association (v4 batch) calls are exempt from the ten-second window at HubSpot. crmkit
    still paces them lightly: ``pace_exempt=True`` gives them a window of their own with the
    same size, so they never eat the object budget but cannot hammer an undocumented cap.
    """

    tier: str = "professional"
    per_window: int = 190
    window_s: float = 10.0
    daily: int | None = 625_000
    safety_margin: float = 0.05
    pace_exempt: bool = True

    def __post_init__(self) -> None:
        if self.per_window < 1 or self.window_s <= 0:
            raise ConfigError("RateLimitPolicy needs per_window >= 1 and window_s > 0")
        if not 0 <= self.safety_margin < 1:
            raise ConfigError("RateLimitPolicy.safety_margin must be in [0, 1)")

    @classmethod
    def for_tier(
        cls, tier: str, window_s: float = 10.0, *, safety_margin: float = 0.05
    ) -> RateLimitPolicy:
        """The policy for a HubSpot tier; ``window_s`` may be scaled down for tests and benches.

        The count per window stays the tier's; only the window shrinks (same shape, faster).
        """
        key = tier.strip().lower()
        if key not in TIER_WINDOW_LIMITS:
            known = ", ".join(TIER_WINDOW_LIMITS)
            raise ConfigError(f"unknown tier {tier!r}; choose one of: {known}")
        return cls(
            tier=key,
            per_window=TIER_WINDOW_LIMITS[key],
            window_s=window_s,
            daily=TIER_DAILY_LIMITS[key],
            safety_margin=safety_margin,
        )

    @property
    def budget(self) -> int:
        """Requests the client allows itself per window before any header (limit − margin)."""
        return budget_for(self.per_window, self.safety_margin)

    @property
    def ceiling_per_s(self) -> float:
        """HubSpot's allowed requests per second at this tier (the theoretical ceiling)."""
        return self.per_window / self.window_s


def budget_for(limit: int, margin: float) -> int:
    """``limit`` minus the safety margin, never below one request."""
    return max(1, int(limit * (1.0 - margin)))
