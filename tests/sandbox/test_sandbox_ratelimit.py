"""Rate limits by tier over HTTP, on an injected clock: no test sleeps."""

from __future__ import annotations

import pytest
import requests

from crmkit.sandbox import running
from crmkit.sandbox.ratelimit import PortalQuota
from crmkit.tiers import TIERS, TierLimits
from tests.support.clock import FakeClock
from tests.support.sandbox_api import Api


@pytest.mark.parametrize(
    ("tier", "allowed"), [("free", 100), ("professional", 190), ("addon", 250)]
)
def test_window_spent_gives_429_with_policy_name(tier: str, allowed: int) -> None:
    clock = FakeClock()
    with running(tier=tier, clock=clock) as sb:
        api = Api(sb)
        remaining = []
        for _ in range(allowed):
            answer = api.get("/crm/v3/objects/companies", limit=1)
            assert answer.status_code == 200
            assert answer.headers["X-HubSpot-RateLimit-Max"] == str(allowed)
            remaining.append(int(answer.headers["X-HubSpot-RateLimit-Remaining"]))
        assert remaining == list(range(allowed - 1, -1, -1))
        refused = api.get("/crm/v3/objects/companies")
        assert refused.status_code == 429
        body = refused.json()
        assert body["policyName"] == "TEN_SECONDLY_ROLLING" and body["errorType"] == "RATE_LIMIT"
        assert body["message"] == "You have reached your ten_secondly_rolling limit."
        assert body["correlationId"] == refused.headers["x-hubspot-correlation-id"]
        clock.advance(10.0)
        assert api.get("/crm/v3/objects/companies").status_code == 200
        assert sb.stats()["rate_limited"]["TEN_SECONDLY_ROLLING"] == 1


def test_search_and_v4_associations_are_exempt_from_the_window_but_search_has_secondly() -> None:
    clock = FakeClock()
    with running(tier="free", clock=clock, search_per_s=5) as sb:
        api = Api(sb)
        for _ in range(100):
            api.get("/crm/v3/objects/contacts")
        assert api.get("/crm/v3/objects/contacts").status_code == 429
        v4 = api.post("/crm/v4/associations/contacts/companies/batch/read", {"inputs": []})
        assert v4.status_code == 200
        statuses = [api.post("/crm/v3/objects/contacts/search", {}).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        body = api.post("/crm/v3/objects/contacts/search", {}).json()
        assert body["policyName"] == "SECONDLY"
        clock.advance(1.0)
        assert api.post("/crm/v3/objects/contacts/search", {}).status_code == 200


def test_daily_limit_and_the_sandbox_clock() -> None:
    with running(daily_limit=3) as sb:
        api = Api(sb)
        answers = [api.get("/crm/v3/objects/contacts") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[2].headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
        assert answers[3].json()["policyName"] == "DAILY"
        assert sb.advance_day()["daily_remaining"] == 3
        assert api.get("/crm/v3/objects/contacts").status_code == 200
        assert sb.stats()["rate_limited"]["DAILY"] == 1


def test_scaled_window_keeps_the_count_and_shortens_the_interval() -> None:
    clock = FakeClock()
    with running(tier="free", window_s=1.0, clock=clock) as sb:
        api = Api(sb)
        codes = [api.get("/crm/v3/objects/contacts").status_code for _ in range(101)]
        assert codes.count(200) == 100 and codes[-1] == 429
        clock.advance(1.0)
        answer = api.get("/crm/v3/objects/contacts")
        assert answer.status_code == 200
        assert answer.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "1000"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([0.0] * 3, [True, True, False]),  # two allowed per window
        ([0.0, 5.0, 9.9, 10.0], [True, True, False, True]),  # the first falls out at t=10
        ([0.0, 0.0, 10.0, 10.0], [True, True, True, True]),
    ],
)
def test_rolling_window_unit(steps: list[float], expected: list[bool]) -> None:
    clock = FakeClock()
    start = clock.now
    limiter = PortalQuota(TierLimits(2, 100), window_s=10.0, clock=clock)
    outcomes = []
    for at in steps:
        clock.now = start + at
        outcomes.append(limiter.check().allowed)
    assert outcomes == expected


def test_refused_requests_use_no_budget() -> None:
    limiter = PortalQuota(TIERS["free"], clock=FakeClock())
    decisions = [limiter.check() for _ in range(150)]
    assert sum(d.allowed for d in decisions) == 100
    assert limiter.daily_used == 100 and limiter.refused["TEN_SECONDLY_ROLLING"] == 50


def test_admin_calls_use_no_budget() -> None:
    with running(tier="free", clock=FakeClock()) as sb:
        for _ in range(3):
            sb.stats()
        answer = requests.get(
            f"{sb.base_url}/crm/v3/objects/contacts", headers=sb.headers, timeout=5
        )
        assert answer.headers["X-HubSpot-RateLimit-Remaining"] == "99"
