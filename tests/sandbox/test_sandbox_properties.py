"""Properties API: the bundled schema served in HubSpot's shape, custom properties created."""

from __future__ import annotations

from typing import Any

import pytest

from crmkit.schema import import_key_definition
from tests.support.sandbox_api import Api

REQUIRED = {"name", "label", "type", "fieldType", "groupName", "description", "options"}


@pytest.mark.parametrize(
    ("object_type", "known"),
    [
        ("contacts", "email"),
        ("companies", "domain"),
        ("tickets", "hs_pipeline_stage"),
        ("0-1", "email"),
    ],
)
def test_list_serves_the_bundled_schema(api: Api, object_type: str, known: str) -> None:
    results = api.get(f"/crm/v3/properties/{object_type}").json()["results"]
    assert known in {p["name"] for p in results}
    assert all(set(p) >= REQUIRED for p in results)
    assert all(
        {"label", "value", "displayOrder", "hidden"} <= set(o)
        for p in results
        for o in p["options"]
    )


def test_read_one_and_unknown(api: Api) -> None:
    prop = api.get("/crm/v3/properties/tickets/hs_ticket_priority").json()
    assert {o["value"] for o in prop["options"]} >= {"LOW", "MEDIUM", "HIGH", "URGENT"}
    missing = api.get("/crm/v3/properties/tickets/nope")
    assert missing.status_code == 404 and missing.json()["category"] == "OBJECT_NOT_FOUND"


def test_create_the_import_key_then_conflict(api: Api) -> None:
    body = import_key_definition("companies")
    created = api.post("/crm/v3/properties/companies", body)
    assert created.status_code == 201
    assert created.json()["hasUniqueValue"] is True and created.json()["hubspotDefined"] is False
    names = {p["name"] for p in api.get("/crm/v3/properties/companies").json()["results"]}
    assert "crmkit_import_key" in names
    again = api.post("/crm/v3/properties/companies", body)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"type": "text"}, "type"),
        ({"fieldType": "dropdown"}, "field type"),
        ({"name": "Bad Name"}, "name"),
        ({"label": ""}, "label"),
        ({"type": "enumeration", "fieldType": "select", "hasUniqueValue": False}, "options"),
        ({"type": "bool", "fieldType": "booleancheckbox"}, "unique"),
    ],
)
def test_create_validates_the_definition(api: Api, change: dict[str, Any], fragment: str) -> None:
    body = {**import_key_definition("contacts"), **change}
    answer = api.post("/crm/v3/properties/contacts", body)
    assert answer.status_code == 400
    assert fragment in answer.json()["message"].lower()
