"""Notes as an object type: batch calls, hs_timestamp required, associations 202/190/228."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.sandbox_api import Api, ticket

NOTE = {"hs_timestamp": "2024-03-01T10:00:00Z", "hs_note_body": "Called about the invoice."}


def create_notes(api: Api, *items: dict[str, Any]) -> Any:
    return api.post("/crm/v3/objects/notes/batch/create", {"inputs": list(items)})


def test_notes_batch_create_read_update_archive(api: Api) -> None:
    """The generic batch endpoints serve notes."""
    made = create_notes(api, {"properties": NOTE}, {"properties": {**NOTE, "hs_note_body": "2"}})
    assert made.status_code == 201, made.text
    ids = [r["id"] for r in made.json()["results"]]
    assert made.json()["results"][0]["properties"]["hs_timestamp"] == "2024-03-01T10:00:00.000Z"
    read = api.post(
        "/crm/v3/objects/notes/batch/read",
        {"inputs": [{"id": i} for i in ids], "properties": ["hs_note_body"]},
    ).json()
    assert [r["properties"]["hs_note_body"] for r in read["results"]] == [NOTE["hs_note_body"], "2"]
    updated = api.post(
        "/crm/v3/objects/notes/batch/update",
        {"inputs": [{"id": ids[0], "properties": {"hs_note_body": "Edited"}}]},
    )
    assert updated.status_code == 200, updated.text
    assert (
        api.get(f"/crm/v3/objects/notes/{ids[0]}", properties="hs_note_body").json()["properties"][
            "hs_note_body"
        ]
        == "Edited"
    )
    archived = api.post("/crm/v3/objects/notes/batch/archive", {"inputs": [{"id": ids[0]}]})
    assert archived.status_code == 204
    assert api.sandbox.stats()["records"]["notes"] == 1


def test_hs_timestamp_is_required_and_the_body_is_capped(api: Api) -> None:
    """A note without hs_timestamp, or with a body over 65,536 characters, is refused."""
    missing = create_notes(api, {"properties": {"hs_note_body": "no time"}})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["context"]["propertyName"] == ["hs_timestamp"]
    long = create_notes(api, {"properties": {**NOTE, "hs_note_body": "x" * 65_537}})
    assert long.status_code == 400
    exact = create_notes(api, {"properties": {**NOTE, "hs_note_body": "x" * 65_536}})
    assert exact.status_code == 201


def test_notes_upsert_by_a_unique_custom_property(api: Api) -> None:
    """Notes upsert by a unique custom property like any object (re-runs make no copies)."""
    api.unique_property("notes")
    body = {"inputs": [{"id": "n-1", "idProperty": "crmkit_import_key", "properties": NOTE}]}
    first = api.post("/crm/v3/objects/notes/batch/upsert", body).json()["results"][0]
    again = api.post("/crm/v3/objects/notes/batch/upsert", body).json()["results"][0]
    assert first["new"] is True and again["new"] is False and again["id"] == first["id"]


@pytest.mark.parametrize(
    ("to_type", "props", "type_id", "back_id"),
    [
        ("contacts", {"email": "n@example.com"}, 202, 201),
        ("companies", {"name": "Noted"}, 190, 189),
        ("tickets", ticket(), 228, 227),
    ],
)
def test_note_associations_inline_and_v4(
    api: Api, to_type: str, props: dict[str, str], type_id: int, back_id: int
) -> None:
    """Inline associations on create and v4 reads in both directions use the documented ids."""
    target = api.create(to_type, props)[0]["id"]
    spec = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]
    made = create_notes(
        api, {"properties": NOTE, "associations": [{"to": {"id": target}, "types": spec}]}
    )
    assert made.status_code == 201, made.text
    note = made.json()["results"][0]["id"]
    forward = api.post(
        f"/crm/v4/associations/notes/{to_type}/batch/read", {"inputs": [{"id": note}]}
    ).json()["results"][0]["to"][0]
    assert forward["toObjectId"] == int(target)
    assert [t["typeId"] for t in forward["associationTypes"]] == [type_id]
    back = api.post(
        f"/crm/v4/associations/{to_type}/notes/batch/read", {"inputs": [{"id": target}]}
    ).json()["results"][0]["to"][0]
    assert back["toObjectId"] == int(note) and back["associationTypes"][0]["typeId"] == back_id
    labels = api.get(f"/crm/v4/associations/notes/{to_type}/labels").json()["results"]
    assert labels == [{"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": None}]


def test_note_association_by_v4_default_and_the_owner_check(api: Api) -> None:
    """v4 default associations link a note; hubspot_owner_id on a note must be an owner."""
    contact = api.create("contacts", {"email": "d@example.com"})[0]["id"]
    note = create_notes(api, {"properties": NOTE}).json()["results"][0]["id"]
    linked = api.post(
        "/crm/v4/associations/notes/contacts/batch/associate/default",
        {"inputs": [{"from": {"id": note}, "to": {"id": contact}}]},
    )
    assert linked.status_code == 200, linked.text
    types = {r["associationSpec"]["associationTypeId"] for r in linked.json()["results"]}
    assert types == {202, 201}
    bad = create_notes(api, {"properties": {**NOTE, "hubspot_owner_id": "5"}})
    assert bad.status_code == 400
    owner = api.sandbox.add_owners({"email": "o@example.com"})[0]
    good = create_notes(api, {"properties": {**NOTE, "hubspot_owner_id": owner["id"]}})
    assert good.status_code == 201
