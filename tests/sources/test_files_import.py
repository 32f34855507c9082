"""A folder of Excel workbooks and oddly named CSVs lands whole, over HTTP against the sandbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkit.sandbox import RunningSandbox, running
from tests.sources.sources_support import (
    imported,
    planned_keys,
    planned_links,
    portal_notes,
    read_portal,
)
from tests.sources.workbooks import write_workbook


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    write_workbook(
        folder / "Customer list (Q3 2024).xlsx",
        {
            "Customers": [
                ["Company Name", "Website", "Industry", "Employees", "Customer since"],
                ["Acme Tools", "https://acme.test", "Computer Software", 40, dt.date(2021, 5, 3)],
                ["Blue Fin", "bluefin.test", "Marketing and Advertising", 12, dt.date(2022, 1, 9)],
            ]
        },
    )
    write_workbook(
        folder / "people.xlsx",
        {"Sheet1": [["First Name", "Last Name", "Email", "Company"],
                    ["Ann", "Lee", "ann@acme.test", "Acme Tools"],
                    ["Bo", "Ng", "bo@bluefin.test", "Blue Fin"]]},
    )  # fmt: skip
    (folder / "Contacts_export_2024.csv").write_text(
        "First Name,Last Name,Email,Company,Notes\n"
        "Cy,Diaz,cy@acme.test,Acme Tools,Met at the expo\n"
        "Ann,Lee,ann@acme.test,Acme Tools,\n",
        encoding="utf-8",
    )
    (folder / "export (3).csv").write_text(
        "Subject,Description,Priority,Requester Email\n"
        "Login fails,Cannot log in since Monday,High,ann@acme.test\n"
        "Invoice wrong,Tax rate is off,Low,bo@bluefin.test\n",
        encoding="utf-8",
    )
    (folder / "deals.csv").write_text("Deal,Amount\nBig one,1000\n", encoding="utf-8")
    return folder


def test_excel_workbooks_and_oddly_named_csvs_land_whole(
    sandbox: RunningSandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each decision is printed before the plan; the file crmkit cannot place is named in the
    output and in report.json; every row of the placed files lands once, linked."""
    code, report, plan = imported(_folder(tmp_path), tmp_path / "out", sandbox.base_url)
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert (
        "companies ← Customer list (Q3 2024).xlsx, sheet Customers: headers look like companies"
        in printed
    )
    assert "contacts ← Contacts_export_2024.csv: the name says contacts" in printed
    assert "contacts ← people.xlsx, sheet Sheet1" in printed
    assert "tickets ← export (3).csv: headers look like tickets" in printed
    assert (
        "not imported: deals.csv: the name says nothing and the headers fit no object type"
        in printed
    )
    assert printed.index("not imported: deals.csv") < printed.index("crmkit Import")
    assert [u["file"] for u in report["sources"]["unplaced"]] == ["deals.csv"]
    objects = report["objects"]
    assert {t: (o["rows"], o["created"], o["duplicates"]) for t, o in objects.items()} == {
        "companies": (2, 2, 0),
        "contacts": (4, 3, 1),  # Ann is in both contacts files: merged, reported
        "tickets": (2, 2, 0),
        "notes": (1, 1, 0),  # the Notes cell of Cy's row, on Cy
    }
    merged = [i for i in plan.issues if i.category == "DUPLICATE_MERGED"]
    assert [(i.file, i.row) for i in merged] == [("people.xlsx:Sheet1", 2)] or [
        (i.file, i.row) for i in merged
    ] == [("Contacts_export_2024.csv", 3)]
    ann = next(r for r in plan.records["contacts"] if r.key == "ann@acme.test")
    assert {f for f, _ in ann.source_rows} == {"Contacts_export_2024.csv", "people.xlsx:Sheet1"}
    state = read_portal(sandbox.base_url, sandbox.token)
    assert state.counts == planned_keys(plan)
    assert state.links == planned_links(plan)
    assert ("contacts", "cy@acme.test", "companies", "company:domain:acme.test") in state.links
    (note,) = portal_notes(sandbox.base_url, sandbox.token).values()
    assert note["body"] == "Met at the expo"
    assert [r.source_rows for r in plan.records["notes"]] == [[("Contacts_export_2024.csv", 2)]]
