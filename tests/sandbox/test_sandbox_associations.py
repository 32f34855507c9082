"""Associations v4: typed and default creation, both directions readable, archive."""

from __future__ import annotations

import pytest

from tests.support.sandbox_api import Api, ticket

V4 = "/crm/v4/associations/{}/{}/batch/{}"


def spec(type_id: int) -> dict[str, object]:
    return {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}


@pytest.mark.parametrize(
    ("from_type", "to_type", "type_id", "inverse", "labels"),
    [
        ("contacts", "companies", 279, 280, []),
        ("contacts", "companies", 1, 2, ["Primary"]),
        ("companies", "contacts", 280, 279, []),
        ("contacts", "tickets", 15, 16, []),
        ("tickets", "contacts", 16, 15, []),
        ("tickets", "companies", 339, 340, []),
        ("tickets", "companies", 26, 25, ["Primary"]),
        ("companies", "tickets", 340, 339, []),
    ],
)
def test_create_is_readable_both_ways(
    api: Api, from_type: str, to_type: str, type_id: int, inverse: int, labels: list[str]
) -> None:
    samples = {"contacts": {"email": "c@x.com"}, "companies": {"name": "Co"}, "tickets": ticket()}
    (source,) = api.create(from_type, samples[from_type])
    (target,) = api.create(to_type, samples[to_type])
    body = {
        "inputs": [
            {"from": {"id": source["id"]}, "to": {"id": target["id"]}, "types": [spec(type_id)]}
        ]
    }
    answer = api.post(V4.format(from_type, to_type, "create"), body)
    assert answer.status_code == 201
    (result,) = answer.json()["results"]
    assert result["fromObjectId"] == int(source["id"]) and result["toObjectId"] == int(target["id"])
    assert result["labels"] == labels
    back = api.post(V4.format(to_type, from_type, "read"), {"inputs": [{"id": target["id"]}]})
    assert back.status_code == 200
    (entry,) = back.json()["results"]
    assert entry["from"] == {"id": target["id"]}
    assert entry["to"][0]["toObjectId"] == int(source["id"])
    assert inverse in {t["typeId"] for t in entry["to"][0]["associationTypes"]}
    assert api.sandbox.stats()["associations"] == 1


def test_default_association_answers_both_directions(api: Api) -> None:
    (contact,) = api.create("contacts", {"email": "d@x.com"})
    (company,) = api.create("companies", {"name": "D"})
    body = {"inputs": [{"from": {"id": contact["id"]}, "to": {"id": company["id"]}}]}
    answer = api.post(V4.format("0-1", "0-2", "associate/default"), body)
    assert answer.status_code == 200
    type_ids = [r["associationSpec"]["associationTypeId"] for r in answer.json()["results"]]
    assert type_ids == [279, 280]


def test_wrong_type_id_is_a_400_and_missing_record_a_207(api: Api) -> None:
    (contact,) = api.create("contacts", {"email": "w@x.com"})
    (company,) = api.create("companies", {"name": "W"})
    wrong = {
        "inputs": [
            {"from": {"id": contact["id"]}, "to": {"id": company["id"]}, "types": [spec(16)]}
        ]
    }
    assert api.post(V4.format("contacts", "companies", "create"), wrong).status_code == 400
    missing = {
        "inputs": [
            {"from": {"id": contact["id"]}, "to": {"id": company["id"]}, "types": [spec(279)]},
            {"from": {"id": contact["id"]}, "to": {"id": "987654"}, "types": [spec(279)]},
        ]
    }
    answer = api.post(V4.format("contacts", "companies", "create"), missing)
    assert answer.status_code == 207
    assert len(answer.json()["results"]) == 1 and answer.json()["numErrors"] == 1


def test_archive_removes_both_directions(api: Api) -> None:
    (contact,) = api.create("contacts", {"email": "a@x.com"})
    (tick,) = api.create("tickets", ticket())
    body = {
        "inputs": [{"from": {"id": tick["id"]}, "to": {"id": contact["id"]}, "types": [spec(16)]}]
    }
    assert api.post(V4.format("tickets", "contacts", "create"), body).status_code == 201
    archive = {"inputs": [{"from": {"id": contact["id"]}, "to": [{"id": tick["id"]}]}]}
    assert api.post(V4.format("contacts", "tickets", "archive"), archive).status_code == 204
    read = api.post(V4.format("tickets", "contacts", "read"), {"inputs": [{"id": tick["id"]}]})
    assert read.status_code == 207 and read.json()["results"] == []
    assert api.sandbox.stats()["associations"] == 0


def test_unsupported_pair_is_a_400(api: Api) -> None:
    answer = api.post(V4.format("contacts", "contacts", "read"), {"inputs": []})
    assert answer.status_code == 400
