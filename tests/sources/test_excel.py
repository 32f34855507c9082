"""Excel sheets read as a CSV is: text cells, the sheet's row numbers, typed errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmkit.errors import CsvError, WorkbookError
from crmkit.io import read_table, sheet_names
from tests.sources.workbooks import write_workbook


def test_cells_arrive_as_text_and_dates_as_iso_dates(tmp_path: Path) -> None:
    """A date cell is a date (not Excel's serial number); whole numbers lose Excel's ".0"."""
    book = write_workbook(
        tmp_path / "Customer list (Q3 2024).xlsx",
        {
            "Customers": [
                ["Name", "Since", "Last call", "Employees", "Revenue", "Active"],
                ["Acme", dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 14, 5), 12, 2.5, True],
            ]
        },
    )
    table = read_table(book)
    assert table.sheet == "Customers"
    assert table.frame.index.tolist() == [2]
    assert table.frame.loc[2].tolist() == [
        "Acme",
        "2024-03-01",
        "2024-03-01T14:05:00",
        "12",
        "2.5",
        "true",
    ]


def test_a_title_above_the_header_is_skipped_and_said(tmp_path: Path) -> None:
    """Row numbers stay the sheet's own, so a person finds the row Excel shows."""
    book = write_workbook(
        tmp_path / "report.xlsx",
        {"Export": [["Customer list, Q3 2024"], [], ["Email", "First Name"], ["a@x.test", "Ann"]]},
    )
    table = read_table(book)
    assert list(table.frame.columns) == ["Email", "First Name"]
    assert table.frame.index.tolist() == [4]
    assert "header on row 3" in table.notes[0]


def test_a_named_sheet_and_empty_rows(tmp_path: Path) -> None:
    book = write_workbook(
        tmp_path / "book.xlsx",
        {"Intro": [["read me"]], "People": [["Email"], ["a@x.test"], [None], ["b@x.test"]]},
    )
    assert sheet_names(book) == ["Intro", "People"]
    table = read_table(f"{book}:People")
    assert table.name == "book.xlsx:People"
    assert table.frame.index.tolist() == [2, 4]
    assert [(i.row, i.category) for i in table.rejected] == [(3, "EMPTY_ROW")]
    with pytest.raises(WorkbookError, match=r"no sheet named 'Nope'.*'Intro', 'People'") as info:
        read_table(f"{book}:Nope")
    assert info.value.kind == "no_sheet"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"PK\x03\x04 not really a zip", "corrupt"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504), "encrypted"),  # encrypted OOXML = OLE
        (b"Name,Email\nAnn,a@x.test\n", "corrupt"),  # a CSV saved with an .xlsx name
        (b"", "empty"),
    ],
)
def test_bad_workbooks_get_typed_errors(tmp_path: Path, content: bytes, kind: str) -> None:
    """A CsvError like a bad CSV's, so every front end reports it the same way."""
    path = tmp_path / "companies.xlsx"
    path.write_bytes(content)
    with pytest.raises(CsvError) as info:
        read_table(path)
    assert isinstance(info.value, WorkbookError)
    assert info.value.kind == kind
    assert "companies.xlsx" in str(info.value)


def test_a_repeated_header_name_is_told_apart_as_in_a_csv(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "c.xlsx", {"S": [["Email", "Email"], ["a@x.test", "b"]]})
    table = read_table(book)
    assert list(table.frame.columns) == ["Email", "Email (2)"]
    assert any("read as 'Email (2)'" in note for note in table.notes)


def test_a_damaged_workbook_named_for_an_object_stops_the_run_with_its_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a bad companies.csv does: the user's file is not skipped, its problem is named."""
    from crmkit.cli import main

    (tmp_path / "companies.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "notes-2024.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code = main(["import", "--data", str(tmp_path), "--dry-run", "--output", str(tmp_path / "o"),
                 "--no-progress"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "companies.xlsx" in err and "damaged" in err
