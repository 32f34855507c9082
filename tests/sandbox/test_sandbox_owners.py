"""Owners: seeded through the admin door, read as HubSpot's owners API, checked on writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.errors import ConfigError
from crmkit.sandbox import running
from crmkit.sandbox.owners import load_owners_file
from tests.support.sandbox_api import Api, ticket

PEOPLE = [
    {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"},
    {"email": "alan@example.com", "firstName": "Alan", "lastName": "Turing"},
    {"email": "grace@example.com", "firstName": "Grace", "lastName": "Hopper"},
]
FIELDS = {
    "id", "email", "type", "firstName", "lastName", "userId", "userIdIncludingInactive",
    "createdAt", "updatedAt", "archived",
}  # fmt: skip


def test_seeding_answers_with_the_owners_in_hubspots_shape(api: Api) -> None:
    """POST /_sandbox/owners creates owners with eight-digit ids and distinct user ids."""
    created = api.sandbox.add_owners(*PEOPLE)
    assert [o["email"] for o in created] == [p["email"] for p in PEOPLE]
    assert set(created[0]) == FIELDS
    assert created[0]["type"] == "PERSON" and created[0]["archived"] is False
    assert len({o["id"] for o in created}) == 3 and created[0]["id"] != str(created[0]["userId"])
    one = api.get(f"/crm/v3/owners/{created[1]['id']}")
    assert one.status_code == 200 and one.json() == created[1]


def test_owners_page_with_limit_and_after_and_filter_by_email(api: Api) -> None:
    """Paging walks every owner once; ``email`` finds one owner case-insensitively."""
    api.sandbox.add_owners(*PEOPLE)
    first = api.get("/crm/v3/owners", limit=2).json()
    assert len(first["results"]) == 2
    after = first["paging"]["next"]["after"]
    rest = api.get("/crm/v3/owners", limit=2, after=after).json()
    assert [o["email"] for o in rest["results"]] == ["grace@example.com"]
    assert "paging" not in rest
    found = api.get("/crm/v3/owners", email="ALAN@example.com").json()["results"]
    assert [o["lastName"] for o in found] == ["Turing"]
    assert api.get("/crm/v3/owners", archived="true").json()["results"] == []


def test_unknown_owner_is_404(api: Api) -> None:
    """An owner id that does not exist answers OBJECT_NOT_FOUND."""
    answer = api.get("/crm/v3/owners/123")
    assert answer.status_code == 404 and answer.json()["category"] == "OBJECT_NOT_FOUND"


def test_owner_by_user_id(api: Api) -> None:
    """``idProperty=userId`` looks an owner up by its user id."""
    owner = api.sandbox.add_owners(PEOPLE[0])[0]
    answer = api.get(f"/crm/v3/owners/{owner['userId']}", idProperty="userId")
    assert answer.json()["id"] == owner["id"]


def test_seeding_without_email_is_refused(api: Api) -> None:
    """An owner needs an email: a 400, and nothing is created."""
    answer = api.post("/_sandbox/owners", {"owners": [PEOPLE[0], {"firstName": "No"}]})
    assert answer.status_code == 400
    assert api.get("/crm/v3/owners").json()["results"] == []


@pytest.mark.parametrize("object_type", ["contacts", "companies", "tickets"])
def test_hubspot_owner_id_must_be_an_existing_owner(api: Api, object_type: str) -> None:
    """A known owner id lands; an unknown one, or a user id, is a VALIDATION_ERROR."""
    owner = api.sandbox.add_owners(PEOPLE[0])[0]
    base = {
        "contacts": {"email": "x@example.com"},
        "companies": {"name": "Acme"},
        "tickets": ticket(),
    }[object_type]
    path = f"/crm/v3/objects/{object_type}/batch/create"
    good = api.post(path, {"inputs": [{"properties": {**base, "hubspot_owner_id": owner["id"]}}]})
    assert good.status_code == 201, good.text
    assert good.json()["results"][0]["properties"]["hubspot_owner_id"] == owner["id"]
    for wrong in ("999", str(owner["userId"])):
        bad = api.post(path, {"inputs": [{"properties": {**base, "hubspot_owner_id": wrong}}]})
        assert bad.status_code == 400
        body = bad.json()
        assert body["category"] == "VALIDATION_ERROR"
        assert body["errors"][0]["code"] == "INVALID_OPTION"
        assert body["errors"][0]["context"]["propertyName"] == ["hubspot_owner_id"]


def test_owner_property_lists_the_owners_as_options(api: Api) -> None:
    """GET properties shows hubspot_owner_id's options: the owners, value = owner id."""
    created = api.sandbox.add_owners(*PEOPLE[:2])
    prop = api.get("/crm/v3/properties/contacts/hubspot_owner_id").json()
    assert [o["value"] for o in prop["options"]] == [o["id"] for o in created]
    assert prop["options"][0]["label"] == "Ada Lovelace"
    assert prop["modificationMetadata"]["readOnlyOptions"] is True


def test_running_seeds_owners_and_reset_keeps_them(tmp_path: Path) -> None:
    """``running(owners=...)`` seeds the portal; a reset returns to that seeded state."""
    with running(owners=PEOPLE[:2]) as sb:
        api = Api(sb)
        assert len(api.get("/crm/v3/owners").json()["results"]) == 2
        sb.add_owners(PEOPLE[2])
        sb.reset()
        emails = [o["email"] for o in api.get("/crm/v3/owners").json()["results"]]
        assert emails == ["ada@example.com", "alan@example.com"]


def test_a_file_database_does_not_seed_twice(tmp_path: Path) -> None:
    """Restarting on the same database keeps one owner per seeded email."""
    db = str(tmp_path / "portal.sqlite")
    for _ in range(2):
        with running(db=db, owners=PEOPLE[:1]) as sb:
            owners = Api(sb).get("/crm/v3/owners").json()["results"]
    assert len(owners) == 1


def test_owners_file_csv_and_json(tmp_path: Path) -> None:
    """An owners file is CSV (header with email and names) or JSON (list or {"owners": …})."""
    csv_file = tmp_path / "owners.csv"
    csv_file.write_text("Email,First Name,last_name\nada@example.com,Ada,Lovelace\n", "utf-8")
    assert load_owners_file(csv_file) == [PEOPLE[0]]
    json_file = tmp_path / "owners.json"
    json_file.write_text(json.dumps({"owners": PEOPLE[:2]}), "utf-8")
    assert load_owners_file(json_file) == PEOPLE[:2]
    with running(owners=str(csv_file)) as sb:
        assert Api(sb).get("/crm/v3/owners").json()["results"][0]["lastName"] == "Lovelace"
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nAda\n", "utf-8")
    with pytest.raises(ConfigError, match="without an email"):
        load_owners_file(bad)
