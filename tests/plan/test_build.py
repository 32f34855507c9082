"""build_plan as a whole: records, accounting, issues, summary and the plan.json round trip."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crmkit.plan import ImportPlan, PlannedLink, build_plan
from crmkit.plan.build import _dedupe_links, quality_of
from crmkit.schema import IMPORT_KEY_PROPERTY

Prepare = Callable[..., Any]

COMPANIES = [
    {"name": "Acme Inc.", "domain": "acme.com", "city": ""},
    {"name": "ACME, Inc", "domain": "www.acme.com", "city": "Paris"},  # duplicate by domain
    {"name": "Stark Industries", "domain": "stark.com"},
    {"name": "Stark Industries Ltd", "domain": "stark.co.uk"},
    {"name": "", "domain": ""},  # no key at all
]
CONTACTS = [
    {"email": "Ann@Acme.com", "firstname": "Ann", "_company_name": ""},
    {"email": "ann@acme.com", "firstname": "Annie", "lastname": "Lee"},  # duplicate
    {"email": "tony@gmail.com", "_company_name": "Stark Industries"},  # ambiguous
    {"email": "pep@gmail.com", "_company_name": "Acme"},  # exact name
    {"email": "", "firstname": "No Email"},  # no key
]
TICKETS = [
    {"subject": "Broken", "content": "x", "_contact_email": "ann@acme.com"},
    {"subject": "Broken", "content": "x", "_contact_email": "ANN@acme.com"},  # duplicate
    {"subject": "New", "content": "mail me: zoe@acme.com", "_emails_in_text": ["zoe@acme.com"]},
]


@pytest.fixture
def plan(make_prepared: Prepare) -> ImportPlan:
    return build_plan(
        make_prepared(
            companies=COMPANIES,
            contacts=CONTACTS,
            tickets=TICKETS,
            rejected={"companies": 1, "contacts": 3, "tickets": 0},
        )
    )


@pytest.mark.parametrize(
    ("object_type", "rows", "rejected", "duplicates", "from_file"),
    [
        ("companies", 6, 2, 1, 3),
        ("contacts", 8, 4, 1, 3),
        ("tickets", 3, 0, 1, 2),
    ],
)
def test_accounting(
    plan: ImportPlan, object_type: str, rows: int, rejected: int, duplicates: int, from_file: int
) -> None:
    """rows = rejected + duplicates + records from the file, per object type."""
    assert plan.rows[object_type] == rows
    assert plan.rejected[object_type] == rejected
    assert plan.duplicates[object_type] == duplicates
    assert plan.from_file(object_type) == from_file
    assert rows == rejected + duplicates + from_file


def test_records_carry_keys_and_omit_empty_values(plan: ImportPlan) -> None:
    """Keys are in the properties; empty values are left out so an upsert never blanks data."""
    acme = plan.records["companies"][0]
    assert acme.key == "company:domain:acme.com"
    assert acme.id_property == IMPORT_KEY_PROPERTY
    assert acme.properties == {
        "name": "Acme Inc.",
        "domain": "acme.com",
        "city": "Paris",  # filled from the duplicate
        IMPORT_KEY_PROPERTY: "company:domain:acme.com",
    }
    assert acme.source_rows == [("companies.csv", 2), ("companies.csv", 3)]
    ann = plan.records["contacts"][0]
    assert (ann.key, ann.id_property) == ("ann@acme.com", "email")
    assert ann.properties["email"] == "ann@acme.com"  # lower-cased like the key
    assert not any(k.startswith("_") for r in plan.records["contacts"] for k in r.properties)


def test_rows_without_key_are_rejected(plan: ImportPlan) -> None:
    """A contact without email or a company without id/domain/name is rejected, not sent."""
    missing = [(i.file, i.row) for i in plan.issues if i.category == "MISSING_KEY"]
    assert missing == [("companies.csv", 6), ("contacts.csv", 6)]
    assert all(i.severity == "error" for i in plan.issues if i.category == "MISSING_KEY")


def test_prepare_issues_are_carried(plan: ImportPlan) -> None:
    """The plan's issues include every issue from prepare, then the plan's own."""
    assert sum(1 for i in plan.issues if i.stage == "validate") == 4


def test_company_doubts_are_reported_with_candidates(plan: ImportPlan) -> None:
    """An ambiguous company is not linked; the warning names the candidates."""
    links = {
        (x.from_key, x.to_key, x.reason) for x in plan.links if x.kind == "contacts->companies"
    }
    assert ("pep@gmail.com", "company:domain:acme.com", "name") in links
    assert not any(key == "tony@gmail.com" for key, _, _ in links)
    (issue,) = [i for i in plan.issues if i.category == "AMBIGUOUS_COMPANY"]
    assert issue.key == "tony@gmail.com" and issue.row == 4 and issue.severity == "warning"
    assert "company:domain:stark.com" in issue.message
    assert "company:domain:stark.co.uk" in issue.message


def test_summary(plan: ImportPlan) -> None:
    """Per-type counts, links per kind and warnings per category."""
    summary = plan.summary()
    assert summary["objects"]["contacts"] == {
        "rows": 8,
        "records": 3,
        "created_from_tickets": 1,
        "duplicates": 1,
        "rejected": 4,
    }
    assert summary["links"]["tickets->contacts"] == 2
    assert summary["links_by_reason"]["tickets->contacts:email_in_body"] == 1
    assert summary["warnings"]["DUPLICATE_MERGED"] == 3
    assert summary["warnings"]["CONTACT_CREATED_FROM_TICKET"] == 1
    assert summary["errors"]["MISSING_KEY"] == 2


def test_json_round_trip(plan: ImportPlan, tmp_path: Path) -> None:
    """plan.json reads back into an equal plan (for resume)."""
    again = ImportPlan.from_json(plan.to_json())
    assert again == plan
    path = plan.save(tmp_path / "plan.json")
    assert ImportPlan.load(path) == plan
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["summary"] == plan.summary()


def test_links_are_deduplicated() -> None:
    """One link per (from, to) pair; the first rule that found it wins."""
    links = [
        PlannedLink("tickets", "t1", "companies", "c1", "via_contact"),
        PlannedLink("tickets", "t1", "companies", "c1", "domain"),
        PlannedLink("tickets", "t1", "companies", "c2", "domain"),
    ]
    assert [x.reason for x in _dedupe_links(links)] == ["via_contact", "domain"]


def test_only_some_object_types(make_prepared: Prepare) -> None:
    """A folder with contacts only plans contacts, with no links and no crash."""
    plan = build_plan(make_prepared(contacts=[{"email": "a@b.com", "_company_name": "Acme"}]))
    assert list(plan.records) == ["contacts"]
    assert plan.links == []
    assert [i.category for i in plan.issues] == []


@pytest.mark.parametrize(
    ("quality", "expected"),
    [
        (None, {}),
        (0.5, {"score": 0.5, "columns": {}}),
        ({"score": 1.0, "columns": {"email": 1.0}}, {"score": 1.0, "columns": {"email": 1.0}}),
    ],
)
def test_quality_of(quality: object, expected: dict[str, object]) -> None:
    """Quality arrives as a number, a dict or a validation report."""
    assert quality_of(quality) == expected


def test_quality_of_report() -> None:
    """A ValidationReport-like object gives its score and column scores."""

    class Report:
        quality = 0.75
        column_quality = {"email": 0.5}  # noqa: RUF012

    assert quality_of(Report()) == {"score": 0.75, "columns": {"email": 0.5}}
