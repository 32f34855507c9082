"""HubSpot's published rate limits per subscription tier: the one table that both the client's
limiter and the sandbox's enforcement read (HUBSPOT_API.md, "Rate limits")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class TierLimits:
    """Requests per rolling ten-second window (per app) and per day (per account)."""

    per_window: int
    daily: int


TIERS: Mapping[str, TierLimits] = MappingProxyType(
    {
        "free": TierLimits(100, 250_000),
        "starter": TierLimits(100, 250_000),
        # A changelog once said 650,000 for Professional; the conservative 625,000 is used.
        "professional": TierLimits(190, 625_000),
        "enterprise": TierLimits(190, 1_000_000),
        # Professional with one API limit increase pack: 250 per window, +1,000,000 a day.
        "addon": TierLimits(250, 1_625_000),
    }
)
