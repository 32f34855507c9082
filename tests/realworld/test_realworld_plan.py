"""Dry runs of real exports: rows accounted for, rejections with reasons, links a person makes."""

from __future__ import annotations

from collections import Counter

import pytest

from crmkit.plan import ImportPlan, PlannedRecord
from tests.realworld.rw_outcomes import (
    CONTACT_COMPANY,
    FROM_TICKETS,
    KNOWN_GAPS,
    OUTCOMES,
    TICKET_CONTACT,
    VALUES_SENT,
    WEAK_REVIEW,
)
from tests.realworld.rw_support import SYSTEMS, planned, prepared


def _case(*values: str) -> object:
    """A parametrize case, a strict xfail when it is a known gap (see rw_outcomes.KNOWN_GAPS)."""
    gap = KNOWN_GAPS.get((values[0], values[1]))
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(*values, marks=marks)


OBJECT_CASES = [_case(s, t) for s, by in OUTCOMES.items() for t in by]


def _first_errors(plan: ImportPlan, object_type: str) -> Counter[str]:
    """Category of each rejected row's first error (the reason errors.csv leads with)."""
    file = plan.files[object_type]
    first: dict[int, str] = {}
    for issue in plan.issues:
        if issue.file == file and issue.severity == "error":
            first.setdefault(issue.row, issue.category)
    return Counter(first.values())


def _record(plan: ImportPlan, object_type: str, name: str) -> PlannedRecord:
    prop = (
        "email"
        if object_type == "contacts"
        else ("name" if object_type == "companies" else "subject")
    )
    hits = [r for r in plan.records[object_type] if r.properties.get(prop) == name]
    assert len(hits) == 1, f"{object_type} {name!r}: {len(hits)} records"
    return hits[0]


def test_every_system_folder_has_expectations() -> None:
    """A new fixture folder cannot slip in untested."""
    assert set(SYSTEMS) == set(OUTCOMES)


@pytest.mark.parametrize("system", sorted(OUTCOMES))
@pytest.mark.parametrize("object_type", ["companies", "contacts", "tickets"])
def test_rows_accounted_for(system: str, object_type: str) -> None:
    """rows = rejected + duplicates + planned, for every file of every system."""
    plan = planned(system)
    if object_type not in plan.files:
        pytest.skip(f"{system} has no {object_type} file")
    assert plan.rows[object_type] == (
        plan.rejected[object_type] + plan.duplicates[object_type] + plan.from_file(object_type)
    )


@pytest.mark.parametrize(("system", "object_type"), OBJECT_CASES)
def test_planned_duplicates_rejected(system: str, object_type: str) -> None:
    """The counts and the rejection reasons a person expects from reading the file."""
    plan = planned(system)
    want = OUTCOMES[system][object_type]
    got = {
        "planned": plan.from_file(object_type),
        "duplicates": plan.duplicates[object_type],
        "rejected": dict(_first_errors(plan, object_type)),
    }
    assert got == want


@pytest.mark.parametrize("system", sorted(OUTCOMES))
def test_rejections_say_where_and_why(system: str) -> None:
    """Every error names its file and spreadsheet row and says something a person can act on."""
    for obj in prepared(system).objects.values():
        for issue in obj.issues:
            assert issue.file == obj.file
            assert 1 <= issue.row <= obj.rows + 5
            assert len(issue.message) > 10, issue
            if issue.category.startswith("INVALID_"):
                assert issue.column and issue.value, issue


CONTACT_LINK_CASES = [(s, e, c) for s, t in CONTACT_COMPANY.items() for e, c in t.items()]


@pytest.mark.parametrize(("system", "email", "company"), CONTACT_LINK_CASES)
def test_contact_linked_to_company(system: str, email: str, company: str) -> None:
    plan = planned(system)
    contact = _record(plan, "contacts", email)
    target = _record(plan, "companies", company)
    linked = {
        link.to_key
        for link in plan.links
        if link.kind == "contacts->companies" and link.from_key == contact.key
    }
    assert target.key in linked


@pytest.mark.parametrize("system", sorted(CONTACT_COMPANY))
def test_no_contact_linked_twice_or_wrongly(system: str) -> None:
    """No contact gets a company a person would not give it."""
    plan = planned(system)
    names = {r.key: r.properties.get("name") for r in plan.records["companies"]}
    emails = {r.key: r.properties.get("email") for r in plan.records["contacts"]}
    wrong = [
        (emails[link.from_key], names[link.to_key], link.reason)
        for link in plan.links
        if link.kind == "contacts->companies"
        and CONTACT_COMPANY[system].get(emails[link.from_key] or "") != names[link.to_key]
        and not (system == "hubspot" and names[link.to_key] == "Northbeam Media")
    ]
    assert wrong == []


WEAK_CASES = [(s, e, c) for s, t in WEAK_REVIEW.items() for e, c in t.items()]


@pytest.mark.parametrize(("system", "email", "company"), WEAK_CASES)
def test_weak_company_match_left_for_review(system: str, email: str, company: str) -> None:
    """A name only close to a company's is reported with the candidate, not linked."""
    plan = planned(system)
    contact = _record(plan, "contacts", email)
    assert not [
        link
        for link in plan.links
        if link.kind == "contacts->companies" and link.from_key == contact.key
    ]
    (issue,) = [
        i for i in plan.issues if i.key == contact.key and i.category == "WEAK_COMPANY_MATCH"
    ]
    assert company in issue.message


TICKET_LINK_CASES = [(s, i, e) for s, t in TICKET_CONTACT.items() for i, e in t.items()]


@pytest.mark.parametrize(("system", "source_id", "email"), TICKET_LINK_CASES)
def test_ticket_linked_to_requester(system: str, source_id: str, email: str) -> None:
    plan = planned(system)
    (ticket,) = [r for r in plan.records["tickets"] if r.key.endswith(f":id:{source_id}")] or [None]
    assert ticket is not None, f"ticket {source_id} not planned"
    contact = next(r for r in plan.records["contacts"] if r.properties.get("email") == email)
    assert any(
        link.kind == "tickets->contacts"
        and link.from_key == ticket.key
        and link.to_key == contact.key
        for link in plan.links
    )


@pytest.mark.parametrize("system", sorted(FROM_TICKETS))
def test_requesters_created_from_tickets(system: str) -> None:
    """Unknown requesters become contacts once, named from the ticket where it says."""
    plan = planned(system)
    made = {
        r.properties["email"]: (r.properties.get("firstname", ""), r.properties.get("lastname", ""))
        for r in plan.records["contacts"]
        if r.origin == "ticket"
    }
    assert made == FROM_TICKETS[system]


VALUE_CASES = [
    (s, t, k, p, v)
    for s, by in VALUES_SENT.items()
    for t, c in by.items()
    for (k, p), v in c.items()
    if not (t == "contacts" and k == "lena.vogel@mail.example")
] + [
    pytest.param(
        "pipedrive",
        "contacts",
        "lena.vogel@mail.example",
        "mobilephone",
        "+491609876543",
        marks=pytest.mark.xfail(reason=KNOWN_GAPS[("pipedrive", "contacts")], strict=True),
    )
]


@pytest.mark.parametrize(("system", "object_type", "key", "prop", "value"), VALUE_CASES)
def test_values_sent(system: str, object_type: str, key: str, prop: str, value: str) -> None:
    """Cells arrive in HubSpot's format with the meaning they had in the source system."""
    record = _record(planned(system), object_type, key)
    assert record.properties.get(prop, "").replace("\xa0", " ") == value
