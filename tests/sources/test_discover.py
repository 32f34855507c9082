"""Which file holds what: the options, a known export name, the words of the name, the headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import ConfigError, SourcesError
from crmkit.sources import discover
from tests.sources.workbooks import write_workbook

CONTACTS = "First Name,Last Name,Email,Phone\nAnn,Lee,ann@x.test,+1 206 555 0100\n"
COMPANIES = "Company Name,Website,Industry,Employees\nAcme,acme.test,Software,40\n"
TICKETS = "Subject,Description,Priority,Status\nLogin fails,Cannot log in,High,New\n"


def placed(folder: Path, **overrides: list[str]) -> dict[str, str]:
    found = discover(folder, overrides or None)
    return {s.label: s.role for s in found.sources}


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Contacts_export_2024.csv", "contacts"),
        ("organisations.csv", "companies"),
        ("Account.csv", "companies"),
        ("Case.csv", "tickets"),
        ("Lead.csv", "contacts"),
        ("helpdesk-tickets (1).csv", "tickets"),
        ("PeopleList.csv", "contacts"),
    ],
)
def test_a_name_that_says_what_it_holds(tmp_path: Path, name: str, role: str) -> None:
    (tmp_path / name).write_text(CONTACTS, encoding="utf-8")
    assert placed(tmp_path) == {name: role}


def test_a_name_that_says_nothing_is_placed_by_its_headers(tmp_path: Path) -> None:
    (tmp_path / "export (3).csv").write_text(TICKETS, encoding="utf-8")
    (tmp_path / "Q3.csv").write_text(COMPANIES, encoding="utf-8")
    write_workbook(
        tmp_path / "Customer list (Q3 2024).xlsx",
        {"Customers": [line.split(",") for line in CONTACTS.splitlines()]},
    )
    found = discover(tmp_path)
    assert {s.label: s.role for s in found.sources} == {
        "export (3).csv": "tickets",
        "Q3.csv": "companies",
        "Customer list (Q3 2024).xlsx, sheet Customers": "contacts",
    }
    assert (
        "contacts ← Customer list (Q3 2024).xlsx, sheet Customers: headers look like contacts"
        in ("\n".join(found.lines()))
    )


def test_several_files_per_object_and_every_sheet_of_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "contacts_eu.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "contacts_us.csv").write_text(CONTACTS, encoding="utf-8")
    write_workbook(
        tmp_path / "crm.xlsx",
        {
            "Companies": [line.split(",") for line in COMPANIES.splitlines()],
            "Sheet2": [line.split(",") for line in TICKETS.splitlines()],
        },
    )
    assert placed(tmp_path) == {
        "contacts_eu.csv": "contacts",
        "contacts_us.csv": "contacts",
        "crm.xlsx, sheet Companies": "companies",
        "crm.xlsx, sheet Sheet2": "tickets",
    }


def test_an_unplaceable_file_is_named_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "deals.csv").write_text("Deal,Amount\nBig,100\n", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "Opportunity.csv").write_text("Id,Name\n1,x\n", encoding="utf-8")
    found = discover(tmp_path)
    reasons = {u.file: u.reason for u in found.unplaced}
    assert set(reasons) == {"deals.csv", "notes.pdf", "Opportunity.csv"}
    assert "headers fit no object type" in reasons["deals.csv"]
    assert "not a CSV, Excel or JSON file" in reasons["notes.pdf"]
    assert "Salesforce Opportunity" in reasons["Opportunity.csv"]
    assert any(line.startswith("not imported: deals.csv") for line in found.lines())


def test_options_always_win_and_a_folder_that_cannot_be_told_apart_asks_for_them(
    tmp_path: Path,
) -> None:
    """ "Name, Email, Phone, City" may be people or companies: crmkit asks instead of guessing."""
    (tmp_path / "a.csv").write_text(
        "Name,Email,Phone,City\nAcme,a@x.test,1,Oslo\n", encoding="utf-8"
    )
    with pytest.raises(SourcesError, match="--companies FILE --contacts FILE --tickets FILE"):
        discover(tmp_path)
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    assert placed(tmp_path, companies=["a.csv"], tickets=["contacts.csv"]) == {
        "a.csv": "companies",
        "contacts.csv": "tickets",
    }
    with pytest.raises(ConfigError, match="does not exist"):
        discover(tmp_path, {"contacts": ["missing.csv"]})


def test_without_a_data_folder_only_the_named_files_are_read(tmp_path: Path) -> None:
    """``--contacts ~/Downloads/x.csv`` alone must not pick up the rest of Downloads."""
    (tmp_path / "x.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    found = discover(None, {"contacts": [str(tmp_path / "x.csv")]})
    assert [(s.role, s.label) for s in found.sources] == [("contacts", "x.csv")]
    assert found.unplaced == []


def test_one_file_given_as_data_is_placed_alone(tmp_path: Path) -> None:
    (tmp_path / "Customer list.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    found = discover(tmp_path / "Customer list.csv")
    assert [(s.role, s.label) for s in found.sources] == [("contacts", "Customer list.csv")]
