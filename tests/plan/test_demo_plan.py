"""The planner on the demo data (data/), end to end through crmkit.prepare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crmkit.plan import ImportPlan, build_plan, normalize_company_name
from crmkit.prepare import prepare_folder

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def plan() -> ImportPlan:
    return build_plan(prepare_folder(DATA))


@pytest.fixture(scope="module")
def dirt() -> list[dict[str, Any]]:
    return list(json.loads((DATA / "planted_dirt.json").read_text(encoding="utf-8")))


def _planted(dirt: list[dict[str, Any]], *kinds: str) -> list[dict[str, Any]]:
    return [d for d in dirt if d["kind"] in kinds]


def _ticket_key(plan: ImportPlan, row: int) -> str:
    (record,) = [r for r in plan.records["tickets"] if ("tickets.csv", row) in r.source_rows]
    return record.key


def _link(plan: ImportPlan, kind: str, from_key: str) -> tuple[str, str] | None:
    for link in plan.links:
        if link.kind == kind and link.from_key == from_key:
            return link.to_key, link.reason
    return None


@pytest.mark.parametrize("object_type", ["companies", "contacts", "tickets"])
def test_every_row_accounted_for(plan: ImportPlan, object_type: str) -> None:
    """rows = rejected + duplicates + records from the file."""
    assert plan.rows[object_type] == (
        plan.rejected[object_type] + plan.duplicates[object_type] + plan.from_file(object_type)
    )


def test_same_contact_twice_is_merged(plan: ImportPlan, dirt: list[dict[str, Any]]) -> None:
    """The contact planted twice with different letter case becomes one record."""
    rows = sorted(d["row"] for d in _planted(dirt, "duplicate_email_case"))
    merged = [r for r in plan.records["contacts"] if len(r.source_rows) > 1]
    assert [sorted(row for _, row in r.source_rows) for r in merged] == [rows]
    assert plan.duplicates["contacts"] == len(rows) - 1


def test_unknown_requesters_become_contacts(plan: ImportPlan, dirt: list[dict[str, Any]]) -> None:
    """Each unknown requester is created once, and the ticket links to it."""
    planted = _planted(dirt, "unknown_requester", "unknown_requester_company_domain")
    created = {r.key for r in plan.records["contacts"] if r.origin == "ticket"}
    assert created == {d["value"].lower() for d in planted}
    for d in planted:
        assert _link(plan, "tickets->contacts", _ticket_key(plan, d["row"])) == (
            d["value"].lower(),
            "email_column",
        )


def test_created_contacts_link_to_company_by_domain(
    plan: ImportPlan, dirt: list[dict[str, Any]]
) -> None:
    """A created requester at a company's domain belongs to that company, and so does its ticket."""
    for d in _planted(dirt, "unknown_requester_company_domain"):
        email = d["value"].lower()
        company = _link(plan, "contacts->companies", email)
        assert company is not None and company[1] == "domain"
        ticket = _link(plan, "tickets->companies", _ticket_key(plan, d["row"]))
        assert ticket == (company[0], "via_contact")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("email_in_text", "email_in_body"), ("phone_in_text", "phone_in_body")],
)
def test_requester_found_in_body(
    plan: ImportPlan, dirt: list[dict[str, Any]], kind: str, reason: str
) -> None:
    """Tickets naming their requester only in the body still link to a contact."""
    planted = _planted(dirt, kind)
    assert planted
    for d in planted:
        link = _link(plan, "tickets->contacts", _ticket_key(plan, d["row"]))
        assert link is not None and link[1] == reason
        if kind == "email_in_text":
            assert link[0] in d["value"]


def test_upper_case_requester_matches(plan: ImportPlan, dirt: list[dict[str, Any]]) -> None:
    """An upper-case requester email finds the existing contact; nothing is created."""
    for d in _planted(dirt, "email_case"):
        link = _link(plan, "tickets->contacts", _ticket_key(plan, d["row"]))
        assert link == (d["value"].lower(), "email_column")


def test_company_name_variants_link_to_the_right_company(
    plan: ImportPlan, dirt: list[dict[str, Any]]
) -> None:
    """Contacts whose company is spelled differently still link to that company."""
    companies = {r.key: r.properties.get("name", "") for r in plan.records["companies"]}
    for d in _planted(dirt, "company_name_variant"):
        (contact,) = [
            r for r in plan.records["contacts"] if ("contacts.csv", d["row"]) in r.source_rows
        ]
        link = _link(plan, "contacts->companies", contact.key)
        assert link is not None
        assert normalize_company_name(companies[link[0]]) == normalize_company_name(d["value"])


def test_tickets_have_pipeline_and_stage(plan: ImportPlan) -> None:
    """Every planned ticket has a pipeline and a stage."""
    for record in plan.records["tickets"]:
        assert record.properties["hs_pipeline"] == "0"
        assert record.properties["hs_pipeline_stage"] in {"1", "2", "3", "4"}


def test_plan_json_round_trip(plan: ImportPlan) -> None:
    """The demo plan survives plan.json."""
    assert ImportPlan.from_json(plan.to_json()) == plan
