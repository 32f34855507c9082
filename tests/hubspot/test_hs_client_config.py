"""Client construction and local refusals: nothing here reaches a network."""

from __future__ import annotations

import pytest

from crmkit.errors import ConfigError, HubSpotError
from crmkit.hubspot import HubSpotClient, RateLimitPolicy, RetryPolicy

TOKEN = "pat-na1-fakef0f0-aaaa-bbbb-cccc-123456789abc"


@pytest.mark.parametrize(
    ("base_url", "token", "message"),
    [
        ("ftp://x", TOKEN, "http"),
        ("127.0.0.1:8080", TOKEN, "http"),
        ("http://127.0.0.1/?hapikey=1", TOKEN, "2022-11-30"),
        ("http://127.0.0.1", "", "token is required"),
        ("http://127.0.0.1", "  ", "token is required"),
        ("http://127.0.0.1", "pat-na1 abc", "spaces"),
        ("http://127.0.0.1", "pat-na1-abc\ndef", "control"),
        ("http://127.0.0.1", "pat-na1-abcé", "non-ASCII"),
    ],
)
def test_bad_target_or_token_is_a_config_error(base_url: str, token: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        HubSpotClient(base_url, token)
    if token.strip():
        assert token not in str(caught.value)


def test_defaults_follow_the_tier_and_the_retry_policy() -> None:
    client = HubSpotClient("http://127.0.0.1:9/", TOKEN, tier="starter")
    assert client.base_url == "http://127.0.0.1:9"
    assert (client.limits.per_window, client.limiter.limit) == (100, 95)
    assert client.timeout == (5.0, 30.0)
    assert client.exempt_limiter is not None
    client.close()


def test_explicit_limits_and_timeout_win() -> None:
    limits = RateLimitPolicy.for_tier("addon", window_s=2.0)
    client = HubSpotClient(
        "http://127.0.0.1:9", TOKEN, limits=limits, retry=RetryPolicy(timeout_s=7), timeout_s=3
    )
    assert (client.tier, client.limiter.window_s, client.timeout[1]) == ("addon", 2.0, 3)
    unpaced = HubSpotClient("http://127.0.0.1:9", TOKEN, limits=RateLimitPolicy(pace_exempt=False))
    assert unpaced.exempt_limiter is None


def test_repr_hides_the_token() -> None:
    client = HubSpotClient("http://127.0.0.1:9", TOKEN)
    assert TOKEN not in repr(client) and "[REDACTED]" in repr(client)
    assert TOKEN not in str(vars(client))


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.request("GET", "crm/v3/objects/contacts"), ValueError),
        (lambda c: c.request("GET", "/x", params={"hapikey": "k"}), ConfigError),
        (lambda c: c.batch("contacts", "upsert", [{}] * 101), ValueError),
        (lambda c: c.associate("contacts", "companies", [("1", "2")] * 101), ValueError),
        (lambda c: c.read_associations("contacts", "companies", ["1"] * 1001), ValueError),
        (lambda c: c.get_property("contacts", "../secrets"), ValueError),
        (lambda c: c.ensure_property("contacts", {"label": "no name"}), ValueError),
    ],
)
def test_local_mistakes_are_refused_before_sending(call: object, error: type[Exception]) -> None:
    client = HubSpotClient("http://127.0.0.1:9", TOKEN)
    with pytest.raises(error):
        call(client)  # type: ignore[operator]
    assert client.stats.requests == 0


def test_empty_batches_send_nothing() -> None:
    client = HubSpotClient("http://127.0.0.1:9", TOKEN)
    assert client.batch("contacts", "upsert", []).attempts == 0
    assert client.associate("contacts", "companies", []).results == []
    assert client.stats.requests == 0


def test_a_request_that_cannot_be_built_is_a_final_error_without_the_token() -> None:
    client = HubSpotClient("http://", TOKEN, retry=RetryPolicy(max_attempts=3))
    with pytest.raises(HubSpotError, match="request failed") as caught:
        client.properties("contacts")
    assert not caught.value.transient and caught.value.attempts == 1
    assert TOKEN not in str(caught.value)
