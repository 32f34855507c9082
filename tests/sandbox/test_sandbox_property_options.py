"""PATCH /crm/v3/properties/{type}/{name}: options replaced unless HubSpot fixes them."""

from __future__ import annotations

from typing import Any

from tests.support.sandbox_api import Api, ticket


def patch(api: Api, object_type: str, name: str, body: dict[str, Any]) -> Any:
    return api.session.patch(
        f"{api.url}/crm/v3/properties/{object_type}/{name}", json=body, timeout=10
    )


def test_ticket_category_accepts_a_new_option(api: Api) -> None:
    """The existing options plus a new one replace the list; tickets may then use it."""
    prop = api.get("/crm/v3/properties/tickets/hs_ticket_category").json()
    assert prop["modificationMetadata"]["readOnlyOptions"] is False
    options = [*prop["options"], {"label": "Outage", "value": "OUTAGE", "displayOrder": 4}]
    answer = patch(api, "tickets", "hs_ticket_category", {"options": options})
    assert answer.status_code == 200, answer.text
    assert [o["value"] for o in answer.json()["options"]][-1] == "OUTAGE"
    again = api.get("/crm/v3/properties/tickets/hs_ticket_category").json()
    assert len(again["options"]) == 5
    created = api.post(
        "/crm/v3/objects/tickets/batch/create",
        {"inputs": [{"properties": ticket(hs_ticket_category="OUTAGE")}]},
    )
    assert created.status_code == 201, created.text


def test_options_left_out_are_removed(api: Api) -> None:
    """PATCH replaces, it does not merge: a value no longer listed is refused afterwards."""
    prop = api.get("/crm/v3/properties/tickets/hs_ticket_category").json()
    patch(api, "tickets", "hs_ticket_category", {"options": prop["options"][:1]})
    refused = api.post(
        "/crm/v3/objects/tickets/batch/create",
        {"inputs": [{"properties": ticket(hs_ticket_category="BILLING_ISSUE")}]},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "INVALID_OPTION"


def test_read_only_options_are_refused(api: Api) -> None:
    """industry's options are read-only: a 400 VALIDATION_ERROR, options unchanged."""
    prop = api.get("/crm/v3/properties/companies/industry").json()
    assert prop["modificationMetadata"]["readOnlyOptions"] is True
    options = [*prop["options"], {"label": "Space", "value": "SPACE"}]
    answer = patch(api, "companies", "industry", {"options": options})
    assert answer.status_code == 400
    body = answer.json()
    assert body["category"] == "VALIDATION_ERROR" and "read-only" in body["message"]
    after = api.get("/crm/v3/properties/companies/industry").json()
    assert len(after["options"]) == len(prop["options"])


def test_custom_enumeration_accepts_options_and_label(api: Api) -> None:
    """A custom enumeration's options, label and description can all change."""
    body = {
        "name": "tier", "label": "Tier", "type": "enumeration", "fieldType": "select",
        "groupName": "companyinformation", "options": [{"label": "Gold", "value": "gold"}],
    }  # fmt: skip
    assert api.post("/crm/v3/properties/companies", body).status_code == 201
    changes = {
        "label": "Customer tier",
        "description": "How much they pay",
        "options": [{"label": "Gold", "value": "gold"}, {"label": "Silver", "value": "silver"}],
    }
    answer = patch(api, "companies", "tier", changes)
    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert got["label"] == "Customer tier" and got["description"] == "How much they pay"
    assert [o["value"] for o in got["options"]] == ["gold", "silver"]
    assert [o["displayOrder"] for o in got["options"]] == [0, 1]


def test_patch_errors(api: Api) -> None:
    """Unknown property → 404; options on a text property, or duplicate values → 400."""
    assert patch(api, "contacts", "nope", {"label": "x"}).status_code == 404
    assert patch(api, "contacts", "firstname", {"options": []}).status_code == 400
    dupes = [{"label": "A", "value": "LOW"}, {"label": "B", "value": "LOW"}]
    assert patch(api, "tickets", "hs_ticket_priority", {"options": dupes}).status_code == 400
    assert patch(api, "contacts", "firstname", {"type": "number"}).status_code == 400


def test_a_reset_forgets_patched_options(api: Api) -> None:
    """A reset returns the bundled definitions."""
    prop = api.get("/crm/v3/properties/tickets/hs_ticket_category").json()
    patch(api, "tickets", "hs_ticket_category", {"options": prop["options"][:1]})
    api.sandbox.reset()
    assert len(api.get("/crm/v3/properties/tickets/hs_ticket_category").json()["options"]) == 4
