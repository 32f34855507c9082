"""The client under pressure, over HTTP: rate limits, faults, the daily limit, secrets."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from crmkit.errors import (
    AuthError,
    ConfigError,
    DailyLimitReached,
    TransportError,
)
from crmkit.hubspot import HubSpotClient, RateLimitPolicy, RetryPolicy, write_isolated
from crmkit.hubspot.stats import RequestEvent
from crmkit.sandbox import RunningSandbox, running
from tests.support.clock import FakeClock

FAST = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
WINDOW_S = 0.5
LIST = "/crm/v3/objects/contacts"


def hammer(client: HubSpotClient, threads: int, calls: int) -> list[BaseException]:
    """``threads`` workers each sending ``calls`` cheap GETs; the errors they met."""
    errors: list[BaseException] = []

    def work() -> None:
        for _ in range(calls):
            try:
                client.request("GET", LIST, params={"limit": 1})
            except Exception as exc:  # collected, asserted by the test
                errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return errors


def spend_window(sandbox: RunningSandbox, n: int) -> None:
    """Another integration of the same account spends ``n`` requests of the window."""
    with requests.Session() as other:
        other.headers.update(sandbox.headers)
        for _ in range(n):
            answer = other.get(sandbox.base_url + LIST, params={"limit": 1}, timeout=5)
            assert answer.status_code == 200


@pytest.fixture(scope="module")
def starter() -> Iterator[RunningSandbox]:
    with running(tier="starter", window_s=WINDOW_S, latency_ms=5) as sb:
        yield sb


@pytest.fixture(scope="module")
def frozen() -> Iterator[tuple[RunningSandbox, FakeClock]]:
    """A starter sandbox with HubSpot's real ten-second window on a clock shared with the
    client: time moves only when the client sleeps, so windows pass without real waiting."""
    clock = FakeClock()
    with running(tier="starter", clock=clock) as sb:
        yield sb, clock


def test_sized_limiter_runs_at_the_ceiling_without_a_single_429(starter: RunningSandbox) -> None:
    """Real time, real latency: 8 threads, 320 calls over 3+ windows, not one 429."""
    starter.reset()
    limits = RateLimitPolicy.for_tier("starter", window_s=WINDOW_S)
    with HubSpotClient(starter.base_url, starter.token, limits=limits, retry=FAST) as client:
        assert hammer(client, threads=8, calls=40) == []
        assert client.stats.requests == 320 and client.stats.rate_limited == 0
    assert starter.stats()["rate_limited"]["TEN_SECONDLY_ROLLING"] == 0


def test_a_sized_limiter_on_a_shared_clock_waits_exactly_for_the_window(
    frozen: tuple[RunningSandbox, FakeClock],
) -> None:
    """250 calls at 95 per ten seconds: two waits, no 429, about 20 s of sandbox time."""
    sandbox, clock = frozen
    sandbox.reset()
    start = clock()
    with HubSpotClient(
        sandbox.base_url, sandbox.token, tier="starter", retry=FAST, clock=clock, sleep=clock.sleep
    ) as client:
        assert hammer(client, threads=1, calls=250) == []
        assert client.stats.rate_limited == 0
    assert sandbox.stats()["rate_limited"]["TEN_SECONDLY_ROLLING"] == 0
    assert clock() - start == pytest.approx(20.0, abs=0.01)


@pytest.mark.parametrize(
    "limits",
    [
        RateLimitPolicy.for_tier("starter"),
        RateLimitPolicy(tier="oversized", per_window=1000, safety_margin=0.0),
    ],
    ids=["sized", "oversized"],
)
def test_client_recovers_when_the_window_is_spent_elsewhere(
    frozen: tuple[RunningSandbox, FakeClock], limits: RateLimitPolicy
) -> None:
    """Someone else spent the window (the budget is per account): wait for it, carry on."""
    sandbox, clock = frozen
    sandbox.reset()
    spend_window(sandbox, 100)
    with HubSpotClient(
        sandbox.base_url, sandbox.token, limits=limits, retry=FAST, clock=clock, sleep=clock.sleep
    ) as client:
        assert hammer(client, threads=4, calls=60) == []
        refused = sandbox.stats()["rate_limited"]["TEN_SECONDLY_ROLLING"]
        assert 1 <= client.stats.rate_limited == refused <= 4
        assert client.stats.requests == 240 + refused
        assert client.limiter.limit <= 100


@pytest.mark.parametrize(
    ("fault", "counter"),
    [
        ("error_before_write", "server_errors"),
        ("error_after_write", "server_errors"),
        ("drop_before_write", "transport_errors"),
        ("drop_after_write", "transport_errors"),
        ("hang_after_write", "transport_errors"),
    ],
)
def test_each_fault_is_retried_and_an_upsert_never_duplicates(
    starter: RunningSandbox, fault: str, counter: str
) -> None:
    """The first attempt meets the fault; the retry lands; one record exists."""
    starter.reset()
    starter.set_faults(1.0, {fault: 1.0})
    heal = _heal_after_first_failure(starter)
    retry = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, timeout_s=0.3)
    with HubSpotClient(
        starter.base_url, starter.token, tier="starter", retry=retry, on_request=heal
    ) as client:
        item = {"id": "once@example.com", "properties": {"firstname": "Once"}}
        outcome = write_isolated(client, "contacts", "upsert", [item], id_property="email")[0]
        assert outcome.ok and outcome.hubspot_id
        assert client.stats.snapshot()[counter] == 1 and client.stats.retried == 1
        listed = list(client.iter_objects("contacts"))
    assert [c["id"] for c in listed] == [outcome.hubspot_id]
    assert starter.stats()["faults"][fault] == 1


def test_a_create_that_landed_before_a_500_is_reported_as_a_conflict(
    starter: RunningSandbox,
) -> None:
    """Why crmkit upserts: a plain create retried after commit-then-fail meets its own record."""
    starter.reset()
    starter.set_faults(1.0, {"error_after_write": 1.0})
    heal = _heal_after_first_failure(starter)
    with HubSpotClient(
        starter.base_url, starter.token, tier="starter", retry=FAST, on_request=heal
    ) as client:
        item = {"properties": {"email": "twice@example.com"}}
        outcome = write_isolated(client, "contacts", "create", [item])[0]
        listed = list(client.iter_objects("contacts"))
    assert not outcome.ok and outcome.category is not None
    assert outcome.category == "CONFLICT"
    assert [outcome.existing_id] == [c["id"] for c in listed]


def test_a_batch_that_exhausts_its_retries_yields_failed_outcomes(
    starter: RunningSandbox,
) -> None:
    """Every attempt fails: no exception, each input TRANSIENT_EXHAUSTED after 3 attempts."""
    starter.reset()
    starter.set_faults(1.0, {"error_before_write": 1.0})
    retry = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.02)
    try:
        with HubSpotClient(starter.base_url, starter.token, tier="starter", retry=retry) as client:
            items = [{"id": f"x{i}@example.com", "properties": {}} for i in range(3)]
            outcomes = write_isolated(client, "contacts", "upsert", items, id_property="email")
            assert client.stats.requests == 3 and client.stats.server_errors == 3
    finally:
        starter.set_faults(0.0)
    for outcome in outcomes:
        assert not outcome.ok and outcome.category is not None
        assert outcome.category == "TRANSIENT_EXHAUSTED" and outcome.attempts == 3
        assert outcome.status in (500, 502, 503)


def test_faults_at_random_lose_and_duplicate_nothing(starter: RunningSandbox) -> None:
    """30 % faults of every kind over 40 batches on 8 threads: 240 contacts, each once."""
    starter.reset()
    kinds = {k: 1.0 for k in ("error_before_write", "error_after_write", "drop_before_write",
                              "drop_after_write", "hang_after_write")}  # fmt: skip
    starter.set_faults(0.3, kinds)
    retry = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, timeout_s=0.3)
    results: list[bool] = []
    with HubSpotClient(starter.base_url, starter.token, tier="starter", retry=retry) as client:

        def batch(b: int) -> None:
            items = [
                {"id": f"c{b}-{i}@example.com", "properties": {}, "objectWriteTraceId": f"{b}-{i}"}
                for i in range(6)
            ]
            outcomes = write_isolated(client, "contacts", "upsert", items, id_property="email")
            results.extend(o.ok for o in outcomes)

        for wave in range(5):
            workers = [threading.Thread(target=batch, args=(wave * 8 + b,)) for b in range(8)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=60)
        stats = client.stats.snapshot()
        injected = sum(starter.stats()["faults"].values())
        starter.set_faults(0.0)
        emails = [c["properties"]["email"] for c in client.iter_objects("contacts")]
    assert results == [True] * 240
    assert len(emails) == len(set(emails)) == 240
    assert stats["server_errors"] + stats["transport_errors"] == injected >= 5
    assert stats["retried"] == stats["server_errors"] + stats["transport_errors"]


def test_daily_limit_stops_at_once_and_resumes_the_next_day() -> None:
    with (
        running(tier="starter", daily_limit=3) as sandbox,
        HubSpotClient(sandbox.base_url, sandbox.token, tier="starter", retry=FAST) as client,
    ):
        for _ in range(3):
            client.request("GET", LIST)
        with pytest.raises(DailyLimitReached, match="daily request limit"):
            write_isolated(client, "contacts", "upsert", [{"id": "a@b.co", "properties": {}}],
                               id_property="email")  # fmt: skip
        assert client.stats.requests == 4 and client.stats.rate_limited == 1
        assert sandbox.stats()["rate_limited"]["DAILY"] == 1
        sandbox.advance_day()
        assert client.request("GET", LIST).status == 200


def test_connection_refused_is_a_transport_error_after_bounded_attempts() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    retry = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.02, connect_timeout_s=1)
    with HubSpotClient(f"http://127.0.0.1:{port}", "pat-na1-x", retry=retry) as client:
        with pytest.raises(TransportError, match="no answer"):
            client.properties("contacts")
        assert client.stats.transport_errors == 3


def test_the_token_never_leaks(starter: RunningSandbox, caplog: pytest.LogCaptureFixture) -> None:
    """Not in logs (any level, urllib3 included), reprs, errors, stats or request events."""
    starter.reset()
    events: list[RequestEvent] = []
    token = starter.token
    starter.set_faults(1.0, {"error_before_write": 1.0})
    heal = _heal_after_first_failure(starter, also=events.append)
    with caplog.at_level(logging.DEBUG):
        with HubSpotClient(
            starter.base_url, token, tier="starter", retry=FAST, on_request=heal
        ) as client:
            client.properties("contacts")
            logging.getLogger("crmkit.hubspot").debug("header was Bearer %s", token)
            texts = [
                repr(client),
                str(vars(client)),
                repr(client.stats),
                str(client.stats.timeline()),
            ]
            texts += [repr(e) for e in events]
            with pytest.raises(ConfigError, match="2022-11-30"):
                client.request("GET", LIST, params={"hapikey": "abc"})
        with HubSpotClient(starter.base_url, token + "-wrong", tier="starter") as bad:
            with pytest.raises(AuthError) as refused:
                bad.properties("contacts")
            texts += [str(refused.value), repr(refused.value), str(refused.value.body), repr(bad)]
    assert "2022-11-30" in str(refused.value)
    texts.append(caplog.text)
    assert "[REDACTED]" in caplog.text
    for text in texts:
        assert token not in text


def _heal_after_first_failure(
    sandbox: RunningSandbox, also: Callable[[RequestEvent], Any] | None = None
) -> Callable[[RequestEvent], None]:
    """An on_request callback that switches the sandbox's faults off after the first failure."""

    def heal(event: RequestEvent) -> None:
        if also is not None:
            also(event)
        if event.outcome in ("server_error", "transport_error"):
            sandbox.set_faults(0.0)

    return heal
