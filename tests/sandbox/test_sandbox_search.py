"""Search: operators, OR of groups, AND within a group, sorting, paging and HubSpot's caps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.sandbox_api import Api

SEARCH = "/crm/v3/objects/{}/search"
PEOPLE = [
    {"email": "ada@lovelace.org", "firstname": "Ada", "lifecyclestage": "lead",
     "date_of_birth": "1815-12-10"},
    {"email": "alan@turing.org", "firstname": "Alan", "lifecyclestage": "customer",
     "date_of_birth": "1912-06-23"},
    {"email": "grace@hopper.mil", "firstname": "Grace", "lifecyclestage": "customer"},
    {"email": "edsger@dijkstra.nl", "jobtitle": "Professor of Computing Science"},
]  # fmt: skip


def emails(api: Api, object_type: str, body: dict[str, Any]) -> set[str]:
    answer = api.post(SEARCH.format(object_type), {"properties": ["email"], **body})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["total"] == len(found["results"])
    return {r["properties"]["email"] for r in found["results"]}


def one(prop: str, operator: str, **extra: Any) -> dict[str, Any]:
    return {"filterGroups": [{"filters": [{"propertyName": prop, "operator": operator, **extra}]}]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (one("email", "EQ", value="ADA@lovelace.org"), {"ada@lovelace.org"}),
        (one("lifecyclestage", "NEQ", value="customer"), {"ada@lovelace.org",
                                                          "edsger@dijkstra.nl"}),
        (one("date_of_birth", "LT", value="1900-01-01"), {"ada@lovelace.org"}),
        (one("date_of_birth", "LTE", value="1912-06-23"), {"ada@lovelace.org",
                                                          "alan@turing.org"}),
        (one("date_of_birth", "GT", value="-4733510400000"), {"alan@turing.org"}),
        (one("date_of_birth", "GTE", value="1912-06-23"), {"alan@turing.org"}),
        (one("date_of_birth", "BETWEEN", value="1800-01-01", highValue="1820-01-01"),
         {"ada@lovelace.org"}),
        (one("firstname", "IN", values=["ada", "GRACE"]), {"ada@lovelace.org",
                                                           "grace@hopper.mil"}),
        (one("lifecyclestage", "NOT_IN", values=["lead"]), {"alan@turing.org",
                                                            "grace@hopper.mil",
                                                            "edsger@dijkstra.nl"}),
        (one("firstname", "HAS_PROPERTY"), {"ada@lovelace.org", "alan@turing.org",
                                            "grace@hopper.mil"}),
        (one("firstname", "NOT_HAS_PROPERTY"), {"edsger@dijkstra.nl"}),
        (one("jobtitle", "CONTAINS_TOKEN", value="computing"), {"edsger@dijkstra.nl"}),
        (one("jobtitle", "CONTAINS_TOKEN", value="comp*"), {"edsger@dijkstra.nl"}),
        (one("email", "NOT_CONTAINS_TOKEN", value="org"), {"grace@hopper.mil",
                                                           "edsger@dijkstra.nl"}),
    ],
)  # fmt: skip
def test_operators(api: Api, body: dict[str, Any], expected: set[str]) -> None:
    api.create("contacts", *PEOPLE)
    assert emails(api, "contacts", body) == expected


def test_groups_are_ored_and_filters_anded(api: Api) -> None:
    api.create("contacts", *PEOPLE)
    customer = {"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}
    grace = {"propertyName": "firstname", "operator": "EQ", "value": "Grace"}
    edsger = {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "dijkstra"}
    body = {"filterGroups": [{"filters": [customer, grace]}, {"filters": [edsger]}]}
    assert emails(api, "contacts", body) == {"grace@hopper.mil", "edsger@dijkstra.nl"}


def test_numbers_compare_as_numbers(api: Api) -> None:
    api.create("companies", *({"name": f"n{n}", "numberofemployees": str(n)} for n in (9, 10, 100)))
    body = one("numberofemployees", "GTE", value="10")
    body["properties"] = ["name"]
    names = {
        r["properties"]["name"]
        for r in api.post(SEARCH.format("companies"), body).json()["results"]
    }
    assert names == {"n10", "n100"}


def test_sorts_and_paging(api: Api) -> None:
    api.create("companies", *({"name": f"co-{i:02d}"} for i in range(7)))
    seen: list[str] = []
    after: str | None = None
    while True:
        body: dict[str, Any] = {
            "sorts": [{"propertyName": "name", "direction": "DESCENDING"}],
            "properties": ["name"],
            "limit": 3,
        }
        if after:
            body["after"] = after
        page = api.post(SEARCH.format("companies"), body).json()
        assert page["total"] == 7
        seen += [r["properties"]["name"] for r in page["results"]]
        after = page.get("paging", {}).get("next", {}).get("after")
        if after is None:
            break
    assert seen == [f"co-{i:02d}" for i in reversed(range(7))]


def test_no_filters_returns_everything_with_default_properties(api: Api) -> None:
    api.create("tickets", {"subject": "s", "hs_pipeline": "0", "hs_pipeline_stage": "2"})
    found = api.post(SEARCH.format("tickets"), {}).json()
    assert found["total"] == 1
    assert found["results"][0]["properties"]["hs_pipeline_stage"] == "2"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"limit": 201}, "limit"),
        ({"after": "10000"}, "10000"),
        ({"filterGroups": [one("email", "HAS_PROPERTY")["filterGroups"][0]] * 6}, "filter groups"),
        (one("nope", "EQ", value="x"), "does not exist"),
        (one("email", "LIKE", value="x"), "operator"),
    ],
)  # fmt: skip
def test_search_limits_are_400s(api: Api, body: dict[str, Any], fragment: str) -> None:
    answer = api.post(SEARCH.format("contacts"), body)
    assert answer.status_code == 400
    assert answer.json()["category"] == "VALIDATION_ERROR"
    assert fragment in answer.json()["message"]


def test_five_filter_groups_are_allowed(api: Api) -> None:
    group = {"filters": [{"propertyName": "email", "operator": "HAS_PROPERTY"}]}
    answer = api.post(SEARCH.format("contacts"), {"filterGroups": [group] * 5, "limit": 200})
    assert answer.status_code == 200


def test_search_can_lag_behind_writes() -> None:
    """With ``search_lag_ms`` a record just created is not found yet, but reads see it."""
    from crmkit.sandbox import running

    with running(search_lag_ms=60_000) as sb:
        api = Api(sb)
        (record,) = api.create("contacts", {"email": "late@x.com"})
        assert emails(api, "contacts", one("email", "EQ", value="late@x.com")) == set()
        assert api.get(f"/crm/v3/objects/contacts/{record['id']}").status_code == 200
