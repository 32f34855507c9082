"""Regression found on real exports (tests/realworld): contacts name their company by its id.

Salesforce's Contact export has ``AccountId``, HubSpot's own export "Associated Company IDs";
a person links by that id before any guess from the email domain or the name.
"""

from __future__ import annotations

from crmkit.plan import build_plan
from tests.support.plan_fakes import FakePrepared, make_object


def _links(contacts: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    companies = make_object(
        "companies",
        [
            {"name": "Litware Learning", "_source_id": "001A"},
            {"name": "Northbeam Media", "domain": "northbeam.example", "_source_id": "001B"},
            {"name": "Bramble & Birch Interiors", "_source_id": "001C"},
        ],
    )
    plan = build_plan(
        FakePrepared({"companies": companies, "contacts": make_object("contacts", contacts)})
    )
    return {
        (link.from_key, link.to_key, link.reason)
        for link in plan.links
        if link.kind == "contacts->companies"
    }


def test_company_id_links_where_domain_and_name_cannot() -> None:
    """A free-mail contact, and a name too far from the company's, link by the id."""
    links = _links(
        [
            {"email": "grace@mail.example", "_company_id": "001A"},
            {"email": "delia@brambleandbirch.example", "company": "Bramble and Birch",
             "_company_id": "001C"},
        ]
    )  # fmt: skip
    assert links == {
        ("grace@mail.example", "company:id:001A", "company_id"),
        ("delia@brambleandbirch.example", "company:id:001C", "company_id"),
    }


def test_id_list_links_each_and_unknown_id_falls_back_to_domain() -> None:
    """ "001A;001B" links both; an id of no planned company leaves the domain rule to work."""
    links = _links(
        [
            {"email": "kai@x.example", "_company_id": "001A;001B"},
            {"email": "gabe@northbeam.example", "_company_id": "001Z"},
        ]
    )
    assert links == {
        ("kai@x.example", "company:id:001A", "company_id"),
        ("kai@x.example", "company:id:001B", "company_id"),
        ("gabe@northbeam.example", "company:id:001B", "domain"),
    }
