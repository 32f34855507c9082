"""Seeded faults: each kind does what it says, at the configured rate, repeatably."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from crmkit.sandbox import FAULT_KINDS, running
from tests.support.sandbox_api import Api

CREATE = "/crm/v3/objects/companies/batch/create"


def outcome(api: Api, path: str = "/crm/v3/objects/contacts", timeout: float = 5.0) -> str:
    """The status code, or ``drop`` / ``timeout`` when no answer came."""
    try:
        return str(api.session.get(api.url + path, timeout=timeout).status_code)
    except requests.Timeout:
        return "timeout"
    except requests.ConnectionError:
        return "drop"


@pytest.mark.parametrize(
    ("kind", "written", "observed"),
    [
        ("error_before_write", 0, {"500", "502", "503"}),
        ("error_after_write", 1, {"500", "502", "503"}),
        ("drop_before_write", 0, {"drop"}),
        ("drop_after_write", 1, {"drop"}),
        ("hang_after_write", 1, {"timeout"}),
        ("slow", 1, {"201"}),
    ],
)
def test_each_fault_kind(kind: str, written: int, observed: set[str]) -> None:
    """Before-write faults leave nothing behind; after-write faults commit and still fail."""
    with running(fault_rate=1.0, fault_kinds={kind: 1.0}, hang_s=1.0, slow_ms=50) as sb:
        api = Api(sb)
        try:
            answer = api.session.post(
                api.url + CREATE, json={"inputs": [{"properties": {"name": "F"}}]}, timeout=0.5
            )
            seen = str(answer.status_code)
            if seen.startswith("5"):
                assert answer.json()["status"] == "error" and answer.json()["correlationId"]
        except requests.Timeout:
            seen = "timeout"
        except requests.ConnectionError:
            seen = "drop"
        assert seen in observed
        stats = sb.stats()  # admin endpoints never get faults
        assert stats["records"]["companies"] == written
        assert stats["faults"][kind] == 1


def test_faults_follow_the_rate_and_weights() -> None:
    """400 requests at rate 0.5: about 200 faults, about 33 of each kind."""
    ticks = itertools.count(step=1.0)  # every request one second later: never rate-limited
    with running(fault_rate=0.5, seed=7, hang_s=0.01, slow_ms=1, clock=lambda: next(ticks)) as sb:
        api = Api(sb)
        with ThreadPoolExecutor(8) as pool:
            seen = list(pool.map(lambda _: outcome(api), range(400)))
        faults = sb.stats()["faults"]
    total = sum(faults.values())
    assert 160 <= total <= 240  # binomial(400, 0.5): sd 10
    assert all(15 <= faults[k] <= 55 for k in FAULT_KINDS), faults
    errors = sum(s.startswith("5") for s in seen)
    assert errors == faults["error_before_write"] + faults["error_after_write"]
    assert seen.count("drop") == faults["drop_before_write"] + faults["drop_after_write"]
    assert seen.count("200") == 400 - errors - seen.count("drop")


def _sequence(seed: int) -> list[str]:
    with running(fault_rate=0.3, seed=seed, hang_s=0.01, slow_ms=1) as sb:
        api = Api(sb)
        return [outcome(api) for _ in range(60)]


def test_same_seed_same_sequence() -> None:
    first, second, other = _sequence(3), _sequence(3), _sequence(4)
    assert first == second
    assert first != other
    assert len(set(first)) > 1


def test_fault_rate_changes_at_run_time() -> None:
    with running() as sb:
        api = Api(sb)
        assert outcome(api) == "200"
        sb.set_faults(1.0, {"error_before_write": 1.0})
        assert outcome(api) in {"500", "502", "503"}
        sb.set_faults(0.0)
        assert outcome(api) == "200"


def test_latency_is_applied_with_jitter() -> None:
    with running(latency_ms=40, seed=1) as sb:
        api = Api(sb)
        times = [api.get("/crm/v3/objects/contacts").elapsed.total_seconds() for _ in range(5)]
    assert all(t >= 0.025 for t in times)  # 40 ms less at most 30 % jitter
    assert len({round(t, 3) for t in times}) > 1
