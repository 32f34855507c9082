"""RetryPolicy and RateLimitPolicy: documented defaults, tiers, validation."""

from __future__ import annotations

import dataclasses

import pytest

from crmkit.errors import ConfigError
from crmkit.hubspot.policy import RateLimitPolicy, RetryPolicy, budget_for


@pytest.mark.parametrize(
    ("tier", "per_window", "daily"),
    [
        ("free", 100, 250_000),
        ("starter", 100, 250_000),
        ("professional", 190, 625_000),
        ("enterprise", 190, 1_000_000),
        ("addon", 250, 1_625_000),
        (" Professional ", 190, 625_000),
    ],
)
def test_for_tier_uses_hubspot_published_limits(tier: str, per_window: int, daily: int) -> None:
    """Each tier gets HubSpot's count per ten-second window and per day."""
    policy = RateLimitPolicy.for_tier(tier)
    assert (policy.per_window, policy.daily, policy.window_s) == (per_window, daily, 10.0)
    assert policy.tier == tier.strip().lower()


def test_for_tier_scales_only_the_window() -> None:
    """A scaled-down window keeps the count, so the shape of the limit stays the same."""
    policy = RateLimitPolicy.for_tier("starter", window_s=1.0)
    assert (policy.per_window, policy.window_s) == (100, 1.0)
    assert policy.ceiling_per_s == pytest.approx(100.0)


def test_unknown_tier_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown tier 'gold'"):
        RateLimitPolicy.for_tier("gold")


@pytest.mark.parametrize(
    ("limit", "margin", "budget"),
    [
        (100, 0.05, 95),
        (190, 0.05, 180),
        (250, 0.05, 237),
        (4, 0.5, 2),
        (1, 0.9, 1),
        (100, 0.0, 100),
    ],
)
def test_budget_keeps_a_margin_but_never_drops_below_one(
    limit: int, margin: float, budget: int
) -> None:
    assert budget_for(limit, margin) == budget


def test_retry_policy_defaults_are_the_documented_ones() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.base_delay_s, policy.max_delay_s, policy.timeout_s) == (
        6,
        0.5,
        20.0,
        30.0,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"base_delay_s": -1.0},
        {"base_delay_s": 5.0, "max_delay_s": 1.0},
        {"timeout_s": 0.0},
        {"max_rate_limited": -1},
    ],
)
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"per_window": 0}, {"window_s": 0.0}, {"safety_margin": 1.0}])
def test_rate_limit_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        RateLimitPolicy(**kwargs)  # type: ignore[arg-type]


def test_policies_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RetryPolicy().max_attempts = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RateLimitPolicy().per_window = 3  # type: ignore[misc]
