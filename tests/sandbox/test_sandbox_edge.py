"""What HubSpot's edge does before any handler: auth, routing, correlation ids, headers."""

from __future__ import annotations

import uuid

import pytest
import requests

from crmkit.sandbox import RunningSandbox
from tests.support.sandbox_api import Api

RATE_HEADERS = (
    "X-HubSpot-RateLimit-Max",
    "X-HubSpot-RateLimit-Remaining",
    "X-HubSpot-RateLimit-Interval-Milliseconds",
    "X-HubSpot-RateLimit-Daily",
    "X-HubSpot-RateLimit-Daily-Remaining",
)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}],
    ids=["missing", "wrong", "not-bearer"],
)
def test_token_required_with_hubspots_401(sandbox: RunningSandbox, headers: dict[str, str]) -> None:
    answer = requests.get(f"{sandbox.base_url}/crm/v3/objects/contacts", headers=headers, timeout=5)
    assert answer.status_code == 401
    body = answer.json()
    assert set(body) == {"status", "message", "correlationId", "category"}
    assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"
    assert body["message"].startswith("Authentication credentials not found.")
    assert body["correlationId"] == answer.headers["x-hubspot-correlation-id"]


def test_admin_endpoints_need_the_token_too(sandbox: RunningSandbox) -> None:
    answer = requests.get(f"{sandbox.base_url}/_sandbox/stats", timeout=5)
    assert answer.status_code == 401


def test_hapikey_gets_the_sunset_message(sandbox: RunningSandbox) -> None:
    answer = requests.get(
        f"{sandbox.base_url}/crm/v3/objects/contacts", params={"hapikey": "abc"}, timeout=5
    )
    assert answer.status_code == 401
    assert "2022-11-30" in answer.json()["message"] and "private app" in answer.json()["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/crm/v3/nothing"), ("POST", "/crm/v3/objects/contacts/batch/merge"), ("GET", "/")],
)
def test_unknown_path_is_a_hubspot_shaped_404(api: Api, method: str, path: str) -> None:
    answer = api.session.request(method, api.url + path, json={}, timeout=5)
    assert answer.status_code in (404, 405)
    body = answer.json()
    assert body["status"] == "error" and body["category"] == "OBJECT_NOT_FOUND"
    assert body["correlationId"] == answer.headers["x-hubspot-correlation-id"]


def test_every_answer_has_its_own_correlation_id_and_rate_headers(api: Api) -> None:
    answers = [
        api.get("/crm/v3/objects/contacts"),
        api.post("/crm/v3/objects/contacts/batch/create", {"inputs": [{"properties": {"x": "1"}}]}),
        api.get("/nowhere"),
        api.post("/crm/v3/objects/contacts/search", {}),
    ]
    ids = [a.headers["x-hubspot-correlation-id"] for a in answers]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i) for i in ids)
    for answer in answers:
        assert all(h in answer.headers for h in RATE_HEADERS)
    assert answers[0].headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"


def test_stats_count_requests_by_endpoint_and_status(api: Api) -> None:
    api.get("/crm/v3/objects/contacts")
    api.post("/crm/v3/objects/contacts/batch/upsert", {"inputs": []})
    api.post("/crm/v3/objects/contacts/batch/upsert", {"inputs": [{"id": "x", "idProperty": "zz"}]})
    stats = api.sandbox.stats()
    assert stats["requests"]["total"] == 3
    assert stats["requests"]["by_endpoint"] == {
        "GET /crm/v3/objects/{type}": 1,
        "POST /crm/v3/objects/{type}/batch/upsert": 2,
    }
    assert stats["requests"]["by_status"] == {"200": 2, "400": 1}
    assert set(stats["rate_limited"]) == {"TEN_SECONDLY_ROLLING", "DAILY", "SECONDLY"}
    assert stats["records"] == {"contacts": 0, "companies": 0, "tickets": 0, "notes": 0}
