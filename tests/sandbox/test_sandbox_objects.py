"""Contract tests for the object endpoints, over HTTP, against HubSpot's documented answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.sandbox_api import Api, ticket

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
BATCH = "/crm/v3/objects/{}/batch/{}"


def listed(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The JSON list inside HubSpot's ``Property values were not valid: [...]`` message."""
    prefix = "Property values were not valid: "
    assert body["message"].startswith(prefix)
    items: list[dict[str, Any]] = json.loads(body["message"][len(prefix) :])
    return items


def test_batch_create_returns_hubspot_objects(api: Api) -> None:
    """201 with status, timestamps and records whose values are all strings."""
    answer = api.post(
        BATCH.format("contacts", "create"),
        {"inputs": [{"properties": {"email": "Ada@Example.com", "firstname": "Ada"}}]},
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "COMPLETE"
    assert ISO.match(body["startedAt"]) and ISO.match(body["completedAt"])
    (record,) = body["results"]
    assert record["id"].isdigit() and record["archived"] is False
    assert ISO.match(record["createdAt"]) and ISO.match(record["updatedAt"])
    props = record["properties"]
    assert props["email"] == "ada@example.com"
    assert props["hs_object_id"] == record["id"]
    assert ISO.match(props["createdate"]) and ISO.match(props["lastmodifieddate"])
    assert all(isinstance(v, str) for v in props.values())


def test_duplicate_email_create_is_a_409_naming_the_existing_id(api: Api) -> None:
    """HubSpot's exact conflict message, with the correlation id of the answer."""
    (first,) = api.create("contacts", {"email": "a@x.com"})
    answer = api.post(
        BATCH.format("contacts", "create"), {"inputs": [{"properties": {"email": "A@x.com"}}]}
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["category"] == "CONFLICT"
    assert body["message"] == f"Contact already exists. Existing ID: {first['id']}"
    assert body["correlationId"] == answer.headers["x-hubspot-correlation-id"]


@pytest.mark.parametrize(
    ("object_type", "properties", "code", "name"),
    [
        ("contacts", {"email": "not-an-email"}, "INVALID_EMAIL", "email"),
        ("contacts", {"email": "a@@x.com"}, "INVALID_EMAIL", "email"),
        ("contacts", {"favourite_colour": "red"}, "PROPERTY_DOESNT_EXIST", "favourite_colour"),
        ("contacts", {"lifecyclestage": "Lead"}, "INVALID_OPTION", "lifecyclestage"),
        ("contacts", {"date_of_birth": "1690000000000"}, "INVALID_DATE", "date_of_birth"),
        ("contacts", {"date_of_birth": "31/12/1990"}, "INVALID_DATE", "date_of_birth"),
        ("contacts", {"date_of_birth": "1990-12-31T10:00:00Z"}, "INVALID_DATE", "date_of_birth"),
        ("contacts", {"hs_object_id": "5"}, "READ_ONLY_VALUE", "hs_object_id"),
        ("contacts", {"lastmodifieddate": "2024-01-01"}, "READ_ONLY_VALUE", "lastmodifieddate"),
        ("companies", {"numberofemployees": "many"}, "INVALID_INTEGER", "numberofemployees"),
        ("companies", {"industry": "Accounting"}, "INVALID_OPTION", "industry"),
        ("tickets", {"subject": "x", "hs_pipeline": "0"}, "REQUIRED_PROPERTY", "hs_pipeline_stage"),
        ("tickets", ticket(hs_pipeline_stage="9"), "INVALID_OPTION", "hs_pipeline_stage"),
        ("tickets", ticket(hs_pipeline="77"), "INVALID_OPTION", "hs_pipeline"),
        ("tickets", ticket(hs_ticket_priority="high"), "INVALID_OPTION", "hs_ticket_priority"),
    ],
)
def test_one_invalid_value_rejects_the_whole_batch(
    api: Api, object_type: str, properties: dict[str, str], code: str, name: str
) -> None:
    """400 VALIDATION_ERROR listing the failure; the valid neighbour is not written either."""
    good = {"contacts": {"email": "ok@x.com"}, "companies": {"name": "ok"}}.get(
        object_type, ticket("fine")
    )
    answer = api.post(
        BATCH.format(object_type, "create"),
        {"inputs": [{"properties": good}, {"properties": properties}]},
    )
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["category"] == "VALIDATION_ERROR"
    (failure,) = listed(body)
    assert failure["isValid"] is False and failure["error"] == code and failure["name"] == name
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["context"]["propertyName"] == [name]
    assert api.sandbox.stats()["records"][object_type] == 0


def test_invalid_option_message_lists_the_allowed_values(api: Api) -> None:
    answer = api.post(
        BATCH.format("contacts", "create"),
        {"inputs": [{"properties": {"lifecyclestage": "Lead"}}]},
    )
    message = listed(answer.json())[0]["message"]
    assert message.startswith("Lead was not one of the allowed options: [")
    assert "lead" in message and "customer" in message


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("date_of_birth", "1990-12-31", "1990-12-31"),
        ("date_of_birth", "662601600000", "1990-12-31"),
        ("date_of_birth", "1990-12-31T00:00:00Z", "1990-12-31"),
        ("createdate", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"),
        ("createdate", "1704164645123", "2024-01-02T03:04:05.123Z"),
        ("email", " MiXeD@Example.COM ", "mixed@example.com"),
        ("firstname", "", None),
    ],
)
def test_values_are_stored_in_hubspot_format(
    api: Api, name: str, value: str, stored: str | None
) -> None:
    props = {"email": "n@x.com", name: value} if name != "email" else {name: value}
    (record,) = api.create("contacts", props)
    assert record["properties"].get(name) == stored


def test_custom_bool_property_is_validated(api: Api) -> None:
    body = {
        "name": "vip",
        "label": "VIP",
        "type": "bool",
        "fieldType": "booleancheckbox",
        "groupName": "contactinformation",
        "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}],
    }
    assert api.post("/crm/v3/properties/contacts", body).status_code == 201
    bad = api.post(BATCH.format("contacts", "create"), {"inputs": [{"properties": {"vip": "yes"}}]})
    assert bad.status_code == 400 and listed(bad.json())[0]["error"] == "INVALID_BOOLEAN"
    (good,) = api.create("contacts", {"vip": "TRUE"})
    assert good["properties"]["vip"] == "true"


def test_trace_ids_switch_to_multi_status(api: Api) -> None:
    """207: successes written and returned, each failure named by its objectWriteTraceId."""
    (existing,) = api.create("contacts", {"email": "taken@x.com"})
    inputs = [
        {"properties": {"email": "fresh@x.com"}, "objectWriteTraceId": "row-2"},
        {"properties": {"email": "broken"}, "objectWriteTraceId": "row-3"},
        {"properties": {"email": "taken@x.com"}, "objectWriteTraceId": "row-4"},
    ]
    answer = api.post(BATCH.format("contacts", "create"), {"inputs": inputs})
    assert answer.status_code == 207
    body = answer.json()
    assert [r["objectWriteTraceId"] for r in body["results"]] == ["row-2"]
    assert body["numErrors"] == 2
    invalid, conflict = body["errors"]
    assert invalid["category"] == "VALIDATION_ERROR"
    assert invalid["context"]["objectWriteTraceId"] == ["row-3"]
    assert conflict["category"] == "CONFLICT"
    assert conflict["message"] == f"Contact already exists. Existing ID: {existing['id']}"
    assert conflict["context"] == {"objectWriteTraceId": ["row-4"], "existingId": [existing["id"]]}
    assert api.sandbox.stats()["records"]["contacts"] == 2


def test_repeated_trace_ids_mean_whole_batch_rejection(api: Api) -> None:
    inputs = [
        {"properties": {"email": "fresh@x.com"}, "objectWriteTraceId": "same"},
        {"properties": {"email": "broken"}, "objectWriteTraceId": "same"},
    ]
    assert api.post(BATCH.format("contacts", "create"), {"inputs": inputs}).status_code == 400
    assert api.sandbox.stats()["records"]["contacts"] == 0


@pytest.mark.parametrize(("count", "status"), [(100, 201), (101, 400)])
def test_at_most_100_inputs_per_batch(api: Api, count: int, status: int) -> None:
    inputs = [{"properties": {"name": f"c{i}"}} for i in range(count)]
    answer = api.post(BATCH.format("companies", "create"), {"inputs": inputs})
    assert answer.status_code == status
    assert api.sandbox.stats()["records"]["companies"] == (count if status == 201 else 0)


@pytest.mark.parametrize("action", ["upsert", "read", "update", "archive"])
def test_duplicate_ids_in_a_batch_are_a_400(api: Api, action: str) -> None:
    (record,) = api.create("contacts", {"email": "d@x.com"})
    ident = "d@x.com" if action == "upsert" else record["id"]
    item: dict[str, Any] = {"id": ident, "properties": {"firstname": "D"}}
    if action == "upsert":
        item["idProperty"] = "email"
    answer = api.post(BATCH.format("contacts", action), {"inputs": [item, dict(item)]})
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        f"Duplicate IDs found in batch input: [{ident}]. IDs must be unique"
    )


def test_upsert_by_email_creates_then_updates(api: Api) -> None:
    item = {"id": "u@x.com", "idProperty": "email", "properties": {"firstname": "U"}}
    first = api.post(BATCH.format("contacts", "upsert"), {"inputs": [item]})
    assert first.status_code == 200
    (created,) = first.json()["results"]
    assert created["new"] is True and created["properties"]["email"] == "u@x.com"
    item["properties"] = {"lastname": "V"}
    (updated,) = api.post(BATCH.format("contacts", "upsert"), {"inputs": [item]}).json()["results"]
    assert updated["new"] is False and updated["id"] == created["id"]
    assert updated["properties"]["firstname"] == "U" and updated["properties"]["lastname"] == "V"
    assert api.sandbox.stats()["records"]["contacts"] == 1


@pytest.mark.parametrize("object_type", ["companies", "tickets"])
def test_upsert_by_a_custom_unique_property(api: Api, object_type: str) -> None:
    api.unique_property(object_type)
    props = {"name": "Acme"} if object_type == "companies" else ticket()
    item = {"id": "key-1", "idProperty": "crmkit_import_key", "properties": props}
    for expected_new in (True, False):
        answer = api.post(BATCH.format(object_type, "upsert"), {"inputs": [item]})
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["new"] is expected_new
    assert api.sandbox.stats()["records"][object_type] == 1


@pytest.mark.parametrize(
    ("id_property", "fragment"),
    [("hs_object_id", "hs_object_id"), ("firstname", "not a unique"), ("nope", "does not exist")],
)
def test_upsert_refuses_unsuitable_id_properties(api: Api, id_property: str, fragment: str) -> None:
    item = {"id": "1", "idProperty": id_property, "properties": {}}
    answer = api.post(BATCH.format("contacts", "upsert"), {"inputs": [item]})
    assert answer.status_code == 400 and fragment in answer.json()["message"]


def test_custom_unique_value_conflict_on_create(api: Api) -> None:
    api.unique_property("companies")
    (first,) = api.create("companies", {"name": "A", "crmkit_import_key": "k"})
    answer = api.post(
        BATCH.format("companies", "create"),
        {"inputs": [{"properties": {"name": "B", "crmkit_import_key": "k"}}]},
    )
    assert answer.status_code == 409
    assert answer.json()["message"].endswith(f"Existing ID: {first['id']}")


def test_batch_read_by_id_and_by_email_with_missing_ids(api: Api) -> None:
    (record,) = api.create("contacts", {"email": "r@x.com", "firstname": "R"})
    by_id = api.post(
        BATCH.format("contacts", "read"),
        {"inputs": [{"id": record["id"]}, {"id": "999999"}], "properties": ["firstname", "phone"]},
    )
    assert by_id.status_code == 207
    body = by_id.json()
    assert body["results"][0]["properties"]["firstname"] == "R"
    assert body["results"][0]["properties"]["phone"] is None
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"]["ids"] == ["999999"]
    by_email = api.post(
        BATCH.format("contacts", "read"),
        {"inputs": [{"id": "R@X.com"}], "idProperty": "email", "properties": []},
    )
    assert by_email.status_code == 200
    assert by_email.json()["results"][0]["id"] == record["id"]


def test_batch_update_changes_clears_and_reports_missing(api: Api) -> None:
    (record,) = api.create("contacts", {"email": "p@x.com", "firstname": "P", "city": "Oslo"})
    answer = api.post(
        BATCH.format("contacts", "update"),
        {
            "inputs": [
                {"id": record["id"], "properties": {"firstname": "Q", "city": ""}},
                {"id": "424242", "properties": {"firstname": "nobody"}},
            ]
        },
    )
    assert answer.status_code == 207
    (updated,) = answer.json()["results"]
    assert updated["properties"]["firstname"] == "Q" and "city" not in updated["properties"]
    assert answer.json()["errors"][0]["context"]["ids"] == ["424242"]


def test_archive_hides_records_and_frees_their_email(api: Api) -> None:
    (record,) = api.create("contacts", {"email": "gone@x.com"})
    answer = api.post(BATCH.format("contacts", "archive"), {"inputs": [{"id": record["id"]}]})
    assert answer.status_code == 204 and answer.content == b""
    missing = api.get(f"/crm/v3/objects/contacts/{record['id']}")
    assert missing.status_code == 404 and missing.json()["category"] == "OBJECT_NOT_FOUND"
    archived = api.get(f"/crm/v3/objects/contacts/{record['id']}", archived="true").json()
    assert archived["archived"] is True and ISO.match(archived["archivedAt"])
    (again,) = api.create("contacts", {"email": "gone@x.com"})
    assert again["id"] != record["id"]


@pytest.mark.parametrize(
    ("object_type", "props", "defaults"),
    [
        ("contacts", {"email": "g@x.com"}, {"firstname", "lastname", "email"}),
        ("companies", {"name": "G"}, {"name", "domain"}),
        ("tickets", ticket(), {"subject", "content", "hs_pipeline", "hs_pipeline_stage"}),
    ],
)
def test_get_one_returns_the_default_properties(
    api: Api, object_type: str, props: dict[str, str], defaults: set[str]
) -> None:
    (record,) = api.create(object_type, props)
    body = api.get(f"/crm/v3/objects/{object_type}/{record['id']}").json()
    assert defaults | {"hs_object_id", "createdate"} <= set(body["properties"])
    chosen = api.get(f"/crm/v3/objects/{object_type}/{record['id']}", properties="city").json()
    assert "city" in chosen["properties"] and not defaults & set(chosen["properties"])


def test_get_one_by_id_property(api: Api) -> None:
    (record,) = api.create("contacts", {"email": "byemail@x.com"})
    body = api.get("/crm/v3/objects/contacts/byemail@x.com", idProperty="email").json()
    assert body["id"] == record["id"]


def test_list_pages_through_every_record_once(api: Api) -> None:
    made = {r["id"] for r in api.create("companies", *({"name": f"c{i}"} for i in range(5)))}
    seen: list[str] = []
    after: str | None = None
    for _ in range(10):
        params = {"limit": 2, **({"after": after} if after else {})}
        body = api.get("/crm/v3/objects/companies", **params).json()
        seen += [r["id"] for r in body["results"]]
        after = body.get("paging", {}).get("next", {}).get("after")
        if after is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5


@pytest.mark.parametrize("alias", ["0-2", "company", "COMPANIES"])
def test_object_type_ids_and_aliases(api: Api, alias: str) -> None:
    api.create(alias, {"name": "Alias"})
    assert api.sandbox.stats()["records"]["companies"] == 1


def test_unknown_object_type_and_bad_json(api: Api) -> None:
    deals = api.post(BATCH.format("deals", "create"), {"inputs": []})
    assert deals.status_code == 400
    assert deals.json()["message"] == "Unable to infer object type from: deals"
    broken = api.session.post(
        api.url + BATCH.format("contacts", "create"), data="{not json", timeout=5
    )
    assert broken.status_code == 400 and broken.json()["category"] == "VALIDATION_ERROR"


def test_inline_associations_on_create(api: Api) -> None:
    (company,) = api.create("companies", {"name": "Parent"})
    spec = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}
    answer = api.post(
        BATCH.format("contacts", "create"),
        {
            "inputs": [
                {
                    "properties": {"email": "kid@x.com"},
                    "associations": [{"to": {"id": company["id"]}, "types": [spec]}],
                }
            ]
        },
    )
    assert answer.status_code == 201
    contact_id = answer.json()["results"][0]["id"]
    read = api.post(
        "/crm/v4/associations/companies/contacts/batch/read", {"inputs": [{"id": company["id"]}]}
    ).json()
    assert read["results"][0]["to"][0]["toObjectId"] == int(contact_id)
    bad = api.post(
        BATCH.format("contacts", "create"),
        {
            "inputs": [
                {"properties": {}, "associations": [{"to": {"id": "999999"}, "types": [spec]}]}
            ]
        },
    )
    assert bad.status_code == 400


def test_single_object_create_update_archive(api: Api) -> None:
    """The basic (non-batch) calls the SDK's basic_api uses."""
    created = api.post("/crm/v3/objects/contacts", {"properties": {"email": "one@x.com"}})
    assert created.status_code == 201
    record_id = created.json()["id"]
    patched = api.session.patch(
        f"{api.url}/crm/v3/objects/contacts/{record_id}",
        json={"properties": {"firstname": "One"}},
        timeout=5,
    )
    assert patched.status_code == 200 and patched.json()["properties"]["firstname"] == "One"
    missing = api.session.patch(
        f"{api.url}/crm/v3/objects/contacts/999999", json={"properties": {}}, timeout=5
    )
    assert missing.status_code == 404
    gone = api.session.delete(f"{api.url}/crm/v3/objects/contacts/{record_id}", timeout=5)
    assert gone.status_code == 204
    assert api.get(f"/crm/v3/objects/contacts/{record_id}").status_code == 404
    again = api.post("/crm/v3/objects/contacts", {"properties": {"email": "bad"}})
    assert again.status_code == 400 and again.json()["category"] == "VALIDATION_ERROR"
