"""Isolation logic against a small in-memory stand-in for HubSpot's batch semantics.

The stand-in follows HUBSPOT_API.md: a batch with an invalid input is refused whole (400)
unless every input carries a unique objectWriteTraceId, in which case the answer is 207 with
per-input errors. The HTTP path is covered by the sandbox integration tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from crmkit.errors import (
    AuthError,
    ConflictError,
    DailyLimitReached,
    HubSpotValidationError,
    ServerError,
)
from crmkit.hubspot.isolation import TRANSIENT_EXHAUSTED, write_isolated
from crmkit.hubspot.responses import BatchResult


class FakePortal:
    """Contacts keyed by email; remembers every batch it was sent."""

    def __init__(self, existing: Mapping[str, str] | None = None, reverse: bool = False) -> None:
        self.contacts: dict[str, str] = dict(existing or {})
        self.calls: list[int] = []
        self.reverse = reverse  # answer in reverse order to test pairing by key
        self.fail_with: Exception | None = None

    def batch(
        self,
        object_type: str,
        action: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        id_property: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> BatchResult:
        self.calls.append(len(inputs))
        if self.fail_with is not None:
            raise self.fail_with
        traces = [i.get("objectWriteTraceId") for i in inputs]
        per_input = all(traces) and len(set(traces)) == len(traces)
        problems = [self._problem(action, item) for item in inputs]
        if not per_input and any(problems):
            first = next(p for p in problems if p)
            if first[0] == "CONFLICT":
                raise ConflictError(first[1], status=409, category="CONFLICT", existing_id=first[2])
            raise HubSpotValidationError(first[1], status=400, category="VALIDATION_ERROR")
        results, errors = [], []
        for item, problem in zip(inputs, problems, strict=True):
            if problem:
                category, message, existing = problem
                context: dict[str, list[str]] = {"objectWriteTraceId": [item["objectWriteTraceId"]]}
                if existing:
                    context["existingId"] = [existing]
                errors.append({"status": "error", "category": category, "message": message,
                               "context": context})  # fmt: skip
                continue
            email = self._email(action, item)
            new = email not in self.contacts
            self.contacts.setdefault(email, str(1000 + len(self.contacts)))
            results.append({"id": self.contacts[email], "properties": {"email": email}, "new": new})
        if self.reverse:
            results.reverse()
        return BatchResult(207 if errors else 200, results, errors, attempts=1)

    def _email(self, action: str, item: Mapping[str, Any]) -> str:
        if action == "upsert":
            return str(item["id"]).lower()
        return str(item["properties"]["email"]).lower()

    def _problem(self, action: str, item: Mapping[str, Any]) -> tuple[str, str, str] | None:
        email = self._email(action, item)
        if "@" not in email:
            return ("VALIDATION_ERROR", f"Email address {email} is invalid", "")
        if action == "create" and email in self.contacts:
            existing = self.contacts[email]
            return ("CONFLICT", f"Contact already exists. Existing ID: {existing}", existing)
        return None


def upserts(n: int, bad: Sequence[int] = ()) -> list[dict[str, Any]]:
    return [
        {
            "id": f"p{i}{'' if i in bad else '@x.com'}",
            "properties": {"firstname": f"P{i}"},
            "objectWriteTraceId": f"row-{i + 2}",
        }
        for i in range(n)
    ]


def creates(emails: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"properties": {"email": e}, "objectWriteTraceId": f"row-{i + 2}"}
        for i, e in enumerate(emails)
    ]


def test_multi_status_writes_the_good_and_reports_the_bad_in_one_call() -> None:
    portal = FakePortal(reverse=True)
    outcomes = write_isolated(
        portal, "contacts", "upsert", upserts(100, bad=[41]), id_property="email"
    )
    assert portal.calls == [100]
    assert [o.key for o in outcomes] == [f"row-{i + 2}" for i in range(100)]
    assert sum(o.ok for o in outcomes) == 99
    bad = outcomes[41]
    assert not bad.ok and bad.category is not None
    assert (bad.category, bad.status) == ("VALIDATION_ERROR", 400)
    assert "p41 is invalid" in bad.message
    # Paired by the upsert key although the answers came back reversed.
    assert outcomes[0].hubspot_id == portal.contacts["p0@x.com"] and outcomes[0].state == "created"


@pytest.mark.parametrize(("size", "bad"), [(100, [41]), (100, [0, 99]), (37, [5, 6, 7]), (2, [1])])
def test_whole_batch_refusal_is_split_until_the_bad_inputs_stand_alone(
    size: int, bad: list[int]
) -> None:
    """Without trace ids the batch is refused whole; halves isolate each bad input."""
    portal = FakePortal()
    outcomes = write_isolated(
        portal, "contacts", "upsert", upserts(size, bad), id_property="email", use_trace_ids=False
    )
    failed = [i for i, o in enumerate(outcomes) if not o.ok]
    assert failed == bad
    assert len(portal.contacts) == size - len(bad)
    assert all(o.category == "VALIDATION_ERROR" for o in outcomes if not o.ok)
    # A binary search: far fewer calls than one per input.
    assert len(portal.calls) <= 1 + 2 * len(bad) * (size.bit_length() + 1)


def test_every_conflict_is_found_although_hubspot_names_only_the_first() -> None:
    portal = FakePortal(existing={"b@x.com": "77", "d@x.com": "88"})
    emails = ["a@x.com", "b@x.com", "c@x.com", "d@x.com"]
    outcomes = write_isolated(portal, "contacts", "create", creates(emails), use_trace_ids=False)
    assert [o.ok for o in outcomes] == [True, False, True, False]
    assert [o.existing_id for o in outcomes if not o.ok] == ["77", "88"]
    assert [o.state for o in outcomes if o.ok] == ["created", "created"]


def test_more_than_a_hundred_inputs_go_a_hundred_at_a_time() -> None:
    portal = FakePortal()
    outcomes = write_isolated(portal, "contacts", "upsert", upserts(250), id_property="email")
    assert portal.calls == [100, 100, 50]
    assert all(o.ok for o in outcomes) and len({o.hubspot_id for o in outcomes}) == 250


def test_inputs_without_trace_ids_are_named_by_position() -> None:
    items = [{"id": f"q{i}@x.com", "properties": {}} for i in range(3)]
    outcomes = write_isolated(FakePortal(), "contacts", "upsert", items, id_property="email")
    assert [o.key for o in outcomes] == ["0", "1", "2"]


def test_duplicate_trace_ids_are_refused() -> None:
    items = upserts(2)
    items[1]["objectWriteTraceId"] = items[0]["objectWriteTraceId"]
    with pytest.raises(ValueError, match="unique objectWriteTraceId"):
        write_isolated(FakePortal(), "contacts", "upsert", items, id_property="email")


def test_exhausted_retries_become_failed_outcomes_not_an_exception() -> None:
    portal = FakePortal()
    portal.fail_with = ServerError("HubSpot answered 503", status=503)
    outcomes = write_isolated(portal, "contacts", "upsert", upserts(4), id_property="email")
    assert portal.calls == [4]
    assert all(not o.ok and o.category == TRANSIENT_EXHAUSTED for o in outcomes)
    assert outcomes[0].status == 503


@pytest.mark.parametrize(
    "exc", [DailyLimitReached("spent"), AuthError("401", status=401, category="X")]
)
def test_daily_limit_and_auth_errors_stop_the_write(exc: Exception) -> None:
    portal = FakePortal()
    portal.fail_with = exc
    with pytest.raises(type(exc)):
        write_isolated(portal, "contacts", "upsert", upserts(3), id_property="email")


def test_reads_are_not_writes() -> None:
    with pytest.raises(ValueError, match="not 'read'"):
        write_isolated(FakePortal(), "contacts", "read", [])
