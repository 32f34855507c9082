"""Retry decisions and wait computation, with exact jitter and a fake sleep."""

from __future__ import annotations

import pytest

from crmkit.errors import (
    AuthError,
    ConflictError,
    DailyLimitReached,
    HubSpotValidationError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from crmkit.hubspot.policy import RetryPolicy
from crmkit.hubspot.retry import (
    CallState,
    backoff_cap,
    call_with_retries,
    compute_wait,
    full_jitter,
    is_retryable,
    should_stop,
)
from tests.support.clock import FakeClock

POLICY = RetryPolicy()


@pytest.mark.parametrize(
    ("exc", "retry"),
    [
        (ServerError("500", status=500), True),
        (TransportError("timeout"), True),
        (RateLimitError("429", policy="TEN_SECONDLY_ROLLING", status=429), True),
        (RateLimitError("429", policy="SECONDLY", status=429), True),
        (RateLimitError("429", policy="DAILY", status=429), False),
        (HubSpotValidationError("400", status=400), False),
        (ConflictError("409", status=409), False),
        (NotFoundError("404", status=404), False),
        (AuthError("401", status=401), False),
        (DailyLimitReached("spent"), False),
        (ValueError("bug"), False),
    ],
)
def test_only_transient_errors_are_retried(exc: BaseException, retry: bool) -> None:
    assert is_retryable(exc) is retry


@pytest.mark.parametrize(
    ("failures", "cap"),
    [(0, 0.0), (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 16.0), (7, 20.0), (99, 20.0)],
)
def test_backoff_doubles_and_is_capped(failures: int, cap: float) -> None:
    assert backoff_cap(failures, POLICY) == cap


@pytest.mark.parametrize(("draw", "wait"), [(0.0, 0.0), (0.25, 1.0), (0.5, 2.0), (0.999, 3.996)])
def test_full_jitter_draws_between_zero_and_the_cap(draw: float, wait: float) -> None:
    assert full_jitter(4.0, lambda: draw) == pytest.approx(wait)


@pytest.mark.parametrize(
    ("state", "wait"),
    [
        (CallState(failures=3), 1.0),  # cap 2.0 × draw 0.5
        (CallState(failures=3, retry_after_s=1.5), 1.5),  # the server's hint is a floor
        (CallState(failures=3, retry_after_s=0.1), 1.0),
        (CallState(failures=3, retry_after_s=999.0), 20.0),  # ...capped at max_delay_s
    ],
)
def test_transient_wait_is_jittered_backoff_floored_by_retry_after(
    state: CallState, wait: float
) -> None:
    assert compute_wait(ServerError("x"), state, POLICY, lambda: 0.5) == pytest.approx(wait)


def test_rate_limited_wait_is_what_the_limiter_said() -> None:
    state = CallState(failures=4, rate_limited=1, rate_wait_s=3.25)
    exc = RateLimitError("429", policy="TEN_SECONDLY_ROLLING")
    assert compute_wait(exc, state, POLICY, lambda: 0.5) == 3.25


@pytest.mark.parametrize(
    ("exc", "state", "stop"),
    [
        (ServerError("x"), CallState(failures=5), False),
        (ServerError("x"), CallState(failures=6), True),
        (RateLimitError("x"), CallState(failures=6, rate_limited=10), False),
        (RateLimitError("x"), CallState(rate_limited=11), True),
    ],
)
def test_failures_and_rate_limits_are_bounded_separately(
    exc: BaseException, state: CallState, stop: bool
) -> None:
    assert should_stop(exc, state, POLICY) is stop


class Script:
    """An attempt function that raises the scripted errors in turn, then returns "done"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self, state: CallState) -> str:
        self.calls += 1
        state.attempts += 1
        if self.errors:
            exc = self.errors.pop(0)
            if isinstance(exc, RateLimitError):
                state.rate_wait_s = 2.0
            raise exc
        return "done"


def test_transient_failures_are_retried_with_backoff(clock: FakeClock) -> None:
    script = Script(ServerError("a"), TransportError("b"), ServerError("c"))
    result = call_with_retries(script, policy=POLICY, sleep=clock.sleep, rand=lambda: 1.0)
    assert (result, script.calls) == ("done", 4)
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_gives_up_after_max_attempts_with_the_last_error(clock: FakeClock) -> None:
    policy = RetryPolicy(max_attempts=3)
    script = Script(ServerError("1"), ServerError("2"), ServerError("3"), ServerError("4"))
    with pytest.raises(ServerError, match="3"):
        call_with_retries(script, policy=policy, sleep=clock.sleep, rand=lambda: 1.0)
    assert script.calls == 3
    assert len(clock.sleeps) == 2


def test_final_errors_are_raised_at_once(clock: FakeClock) -> None:
    script = Script(HubSpotValidationError("bad email", status=400))
    with pytest.raises(HubSpotValidationError):
        call_with_retries(script, policy=POLICY, sleep=clock.sleep)
    assert (script.calls, clock.sleeps) == (1, [])


def test_daily_limit_is_never_retried(clock: FakeClock) -> None:
    script = Script(DailyLimitReached("spent"))
    with pytest.raises(DailyLimitReached):
        call_with_retries(script, policy=POLICY, sleep=clock.sleep)
    assert script.calls == 1


def test_rate_limits_wait_for_the_window_and_do_not_use_up_attempts(clock: FakeClock) -> None:
    policy = RetryPolicy(max_attempts=2)
    script = Script(
        RateLimitError("r", policy="TEN_SECONDLY_ROLLING"),
        RateLimitError("r", policy="TEN_SECONDLY_ROLLING"),
        RateLimitError("r", policy="TEN_SECONDLY_ROLLING"),
        ServerError("s"),
    )
    result = call_with_retries(script, policy=policy, sleep=clock.sleep, rand=lambda: 1.0)
    assert result == "done"
    assert clock.sleeps == [2.0, 2.0, 2.0, 0.5]


def test_before_sleep_sees_each_retry(clock: FakeClock) -> None:
    seen: list[tuple[str, float]] = []
    script = Script(ServerError("a"), ServerError("b"))
    call_with_retries(
        script,
        policy=POLICY,
        sleep=clock.sleep,
        rand=lambda: 1.0,
        before_sleep=lambda exc, delay, state: seen.append((exc.args[0], delay)),
    )
    assert seen == [("a", 0.5), ("b", 1.0)]
