"""HubSpotClient over real HTTP against the local sandbox: calls, 207s, splits, properties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crmkit.errors import ConfigError, ConflictError, HubSpotValidationError, NotFoundError
from crmkit.hubspot import HubSpotClient, RetryPolicy, write_isolated
from crmkit.hubspot.endpoints import ASSOCIATION_TYPE_IDS
from crmkit.hubspot.stats import RequestEvent
from crmkit.sandbox import RunningSandbox, running

FAST = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
IMPORT_KEY = {
    "name": "crmkit_import_key",
    "label": "crmkit import key",
    "type": "string",
    "fieldType": "text",
    "groupName": "companyinformation",
    "hasUniqueValue": True,
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as sb:
        yield sb


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[HubSpotClient]:
    sandbox.reset()
    with HubSpotClient(sandbox.base_url, sandbox.token, tier="enterprise", retry=FAST) as c:
        yield c


def contacts(n: int, bad: tuple[int, ...] = (), prefix: str = "p") -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{i}{'@@broken' if i in bad else '@example.com'}",
            "properties": {"firstname": f"Person {i}"},
            "objectWriteTraceId": f"contacts.csv:{i + 2}",
        }
        for i in range(n)
    ]


def stored(client: HubSpotClient, object_type: str = "contacts") -> list[dict[str, Any]]:
    return list(client.iter_objects(object_type, properties=["email", "firstname"]))


def test_upsert_creates_then_updates(client: HubSpotClient) -> None:
    first = client.batch("contacts", "upsert", contacts(3), id_property="email")
    again = client.batch("contacts", "upsert", contacts(3), id_property="email")
    assert first.status == 200 and [r["new"] for r in first.results] == [True] * 3
    assert [r["new"] for r in again.results] == [False] * 3
    assert {r["id"] for r in first.results} == {r["id"] for r in again.results}
    assert len(stored(client)) == 3


def test_create_read_update_archive(client: HubSpotClient) -> None:
    created = client.batch(
        "companies", "create", [{"properties": {"name": "Acme", "domain": "acme.io"}}]
    )
    assert created.status == 201
    company_id = created.results[0]["id"]
    client.batch("companies", "update", [{"id": company_id, "properties": {"name": "Acme Inc"}}])
    read = client.batch("companies", "read", [{"id": company_id}], properties=["name"])
    assert read.results[0]["properties"]["name"] == "Acme Inc"
    archived = client.archive("companies", [company_id])
    assert archived.status == 204
    assert stored(client, "companies") == []


def test_batch_limits_are_checked_before_sending(client: HubSpotClient) -> None:
    with pytest.raises(ValueError, match="at most 100"):
        client.batch("contacts", "upsert", contacts(101), id_property="email")
    with pytest.raises(ValueError, match="unknown object type"):
        client.batch("deals", "create", [{}])
    with pytest.raises(ValueError, match="unknown batch action"):
        client.batch("contacts", "merge", [{}])
    assert client.stats.requests == 0


def test_multi_status_with_trace_ids(client: HubSpotClient) -> None:
    result = client.batch("contacts", "upsert", contacts(5, bad=(2,)), id_property="email")
    assert result.status == 207 and len(result.results) == 4
    assert result.errors[0]["context"]["objectWriteTraceId"] == ["contacts.csv:4"]


def test_whole_batch_rejection_without_trace_ids(client: HubSpotClient) -> None:
    items = [
        {k: v for k, v in c.items() if k != "objectWriteTraceId"} for c in contacts(5, bad=(2,))
    ]
    with pytest.raises(HubSpotValidationError) as caught:
        client.batch("contacts", "upsert", items, id_property="email")
    assert caught.value.status == 400 and caught.value.correlation_id
    assert stored(client) == []


@pytest.mark.parametrize("use_trace_ids", [True, False], ids=["multi-status", "split"])
def test_one_invalid_email_among_a_hundred_still_writes_the_other_99(
    client: HubSpotClient, use_trace_ids: bool
) -> None:
    outcomes = write_isolated(
        client,
        "contacts",
        "upsert",
        contacts(100, bad=(57,)),
        id_property="email",
        use_trace_ids=use_trace_ids,
    )
    failed = [o for o in outcomes if not o.ok]
    assert [o.key for o in failed] == ["contacts.csv:59"]
    assert failed[0].category is not None
    assert (failed[0].category, failed[0].code) == ("VALIDATION_ERROR", "INVALID_EMAIL")
    written = stored(client)
    assert len(written) == 99
    ids = {o.hubspot_id for o in outcomes if o.ok}
    assert ids == {c["id"] for c in written}
    expected_calls = 1 if use_trace_ids else 15  # 1 + 2 per level of the binary search
    assert client.stats.requests == expected_calls + 1  # + the listing read-back


def test_conflicts_on_create_are_each_reported_with_the_existing_id(client: HubSpotClient) -> None:
    client.batch("contacts", "upsert", contacts(2, prefix="dup"), id_property="email")
    existing = {c["properties"]["email"]: c["id"] for c in stored(client)}
    fresh = [{"properties": {"email": f"dup{i}@example.com"}} for i in range(4)]
    with pytest.raises(ConflictError):
        client.batch("contacts", "create", fresh)
    outcomes = write_isolated(client, "contacts", "create", fresh, use_trace_ids=False)
    assert [o.ok for o in outcomes] == [False, False, True, True]
    assert [o.existing_id for o in outcomes if not o.ok] == [
        existing["dup0@example.com"],
        existing["dup1@example.com"],
    ]


def test_properties_create_is_idempotent_and_ensure_checks_uniqueness(
    client: HubSpotClient,
) -> None:
    names = {p["name"] for p in client.properties("companies")}
    assert {"name", "domain"} <= names
    created = client.ensure_property("companies", IMPORT_KEY)
    assert created["name"] == "crmkit_import_key" and created["hasUniqueValue"] is True
    again = client.create_property("companies", IMPORT_KEY)  # 409 "already exists": success
    assert again["name"] == "crmkit_import_key"
    plain = {**IMPORT_KEY, "name": "crmkit_plain", "hasUniqueValue": False}
    client.create_property("tickets", plain)
    with pytest.raises(ConfigError, match="without unique values"):
        client.ensure_property("tickets", {**plain, "hasUniqueValue": True})


def test_upsert_companies_by_the_import_key(client: HubSpotClient) -> None:
    client.ensure_property("companies", IMPORT_KEY)
    items = [
        {"id": f"dom-{i}.io", "properties": {"name": f"Co {i}"}, "objectWriteTraceId": str(i)}
        for i in range(3)
    ]
    first = write_isolated(client, "companies", "upsert", items, id_property="crmkit_import_key")
    second = write_isolated(client, "companies", "upsert", items, id_property="crmkit_import_key")
    assert [o.state for o in first] == ["created"] * 3
    assert [o.state for o in second] == ["updated"] * 3
    assert [o.hubspot_id for o in first] == [o.hubspot_id for o in second]
    assert len(stored(client, "companies")) == 3


def test_associations_default_and_labelled(client: HubSpotClient) -> None:
    people = client.batch("contacts", "upsert", contacts(2), id_property="email").results
    company = client.batch("companies", "create", [{"properties": {"name": "Acme"}}]).results[0]
    pairs = [(p["id"], company["id"]) for p in people]
    client.associate("contacts", "companies", pairs[:1])
    client.associate(
        "contacts", "companies", pairs[1:], type_id=ASSOCIATION_TYPE_IDS[("contacts", "companies")]
    )
    back = client.read_associations("companies", "contacts", [company["id"]])
    linked = {str(t["toObjectId"]) for r in back.results for t in r["to"]}
    assert linked == {p["id"] for p in people}
    with pytest.raises(ValueError, match="at most 100"):
        client.associate("contacts", "companies", [("1", "2")] * 101)


def test_missing_record_is_not_found(client: HubSpotClient) -> None:
    with pytest.raises(NotFoundError):
        client.request("GET", "/crm/v3/objects/contacts/999999")


def test_timeline_and_callback_see_every_attempt(sandbox: RunningSandbox) -> None:
    sandbox.reset()
    seen: list[RequestEvent] = []
    with HubSpotClient(
        sandbox.base_url, sandbox.token, tier="enterprise", retry=FAST, on_request=seen.append
    ) as c:
        for _ in range(3):
            c.properties("contacts")
        assert [e.status for e in seen] == [200] * 3
        assert sum(row["requests"] for row in c.stats.timeline()) == 3
