"""crmkit's HubSpot client: rate limiting, retries, typed errors and per-record isolation."""

from crmkit.hubspot.auth import API_KEY_SUNSET, RedactingFilter, Secret, redact, token_from_env
from crmkit.hubspot.client import HubSpotClient
from crmkit.hubspot.endpoints import (
    ASSOCIATION_TYPE_IDS,
    MAX_BATCH_INPUTS,
    OBJECT_TYPE_IDS,
    PRIMARY_ASSOCIATION_TYPE_IDS,
)
from crmkit.hubspot.isolation import write_isolated
from crmkit.hubspot.limiter import RateLimiter
from crmkit.hubspot.link_isolation import associate_isolated
from crmkit.hubspot.outcome import WriteOutcome
from crmkit.hubspot.policy import RateLimitPolicy, RetryPolicy
from crmkit.hubspot.responses import ApiResponse, BatchResult
from crmkit.hubspot.stats import ClientStats, RequestEvent

__all__ = [
    "API_KEY_SUNSET",
    "ASSOCIATION_TYPE_IDS",
    "MAX_BATCH_INPUTS",
    "OBJECT_TYPE_IDS",
    "PRIMARY_ASSOCIATION_TYPE_IDS",
    "ApiResponse",
    "BatchResult",
    "ClientStats",
    "HubSpotClient",
    "RateLimitPolicy",
    "RateLimiter",
    "RedactingFilter",
    "RequestEvent",
    "RetryPolicy",
    "Secret",
    "WriteOutcome",
    "associate_isolated",
    "redact",
    "token_from_env",
    "write_isolated",
]
