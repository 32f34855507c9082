"""Tenacity glue: *whether* to retry is one predicate, *how long* to wait is another.

- :func:`is_retryable` — transient HubSpot errors only: 429 TEN_SECONDLY_ROLLING / SECONDLY,
  5xx, timeouts and dropped connections. Validation, conflict and auth errors are final, and a
  DAILY 429 is turned into :class:`~crmkit.errors.DailyLimitReached` before it gets here.
- :func:`compute_wait` — a 429 waits as long as the rate limiter says the window needs; other
  transient errors back off exponentially with full jitter, capped, never below a server's
  ``Retry-After`` hint. Jitter lives in :func:`full_jitter` alone, so tests can make it exact.
- :func:`should_stop` — bounded attempts, counted separately for 429s (which only wait for the
  window) and for failures (which may mean the server is sick).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from crmkit.errors import HubSpotError, RateLimitError
from crmkit.hubspot.policy import RetryPolicy

T = TypeVar("T")
Rand = Callable[[], float]


@dataclass
class CallState:
    """What one logical call has been through so far (mutated by the client's attempt)."""

    attempts: int = 0
    failures: int = 0
    rate_limited: int = 0
    rate_wait_s: float = 0.0
    retry_after_s: float | None = None

    def record(self, exc: BaseException) -> None:
        """Count a retryable failure by kind."""
        if isinstance(exc, RateLimitError):
            self.rate_limited += 1
        else:
            self.failures += 1


def is_retryable(exc: BaseException) -> bool:
    """Retry only errors that say retrying may help."""
    return isinstance(exc, HubSpotError) and exc.transient


def backoff_cap(failures: int, policy: RetryPolicy) -> float:
    """The upper bound of the n-th backoff: ``base * 2**(n-1)``, capped at ``max_delay_s``."""
    if failures < 1:
        return 0.0
    exponent = min(failures - 1, 60)  # no float overflow on absurd counts
    return float(min(policy.max_delay_s, policy.base_delay_s * (2**exponent)))


def full_jitter(cap: float, rand: Rand = random.random) -> float:
    """A wait drawn uniformly from ``[0, cap)`` (AWS's "full jitter"): spreads workers out."""
    return cap * rand()


def compute_wait(
    exc: BaseException, state: CallState, policy: RetryPolicy, rand: Rand = random.random
) -> float:
    """Seconds to wait before the next attempt after ``exc``."""
    if isinstance(exc, RateLimitError):
        return max(0.0, state.rate_wait_s)
    wait = full_jitter(backoff_cap(state.failures, policy), rand)
    if state.retry_after_s is not None:
        wait = max(wait, min(state.retry_after_s, policy.max_delay_s))
    return wait


def should_stop(exc: BaseException | None, state: CallState, policy: RetryPolicy) -> bool:
    """True once the bound for this kind of failure is reached."""
    if isinstance(exc, RateLimitError):
        return state.rate_limited > policy.max_rate_limited
    return state.failures >= policy.max_attempts


def call_with_retries(
    attempt: Callable[[CallState], T],
    *,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    rand: Rand = random.random,
    before_sleep: Callable[[BaseException, float, CallState], None] | None = None,
) -> T:
    """Run ``attempt(state)`` until it returns, a final error, or the policy's bound."""
    state = CallState()

    def _exc(retry_state: tenacity.RetryCallState) -> BaseException | None:
        outcome = retry_state.outcome
        return outcome.exception() if outcome is not None else None

    def _after(retry_state: tenacity.RetryCallState) -> None:
        exc = _exc(retry_state)
        if exc is not None:
            state.record(exc)

    def _stop(retry_state: tenacity.RetryCallState) -> bool:
        return should_stop(_exc(retry_state), state, policy)

    def _wait(retry_state: tenacity.RetryCallState) -> float:
        exc = _exc(retry_state)
        return compute_wait(exc, state, policy, rand) if exc is not None else 0.0

    def _before_sleep(retry_state: tenacity.RetryCallState) -> None:
        exc = _exc(retry_state)
        if before_sleep is not None and exc is not None:
            delay = retry_state.next_action.sleep if retry_state.next_action else 0.0
            before_sleep(exc, delay, state)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_retryable),
        after=_after,
        stop=_stop,
        wait=_wait,
        sleep=sleep,
        before_sleep=_before_sleep,
        reraise=True,
    )
    return retrying(attempt, state)
