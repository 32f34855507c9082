"""The failed-rows table read back from errors.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.report.tables import ERROR_COLUMNS, failed_rows_table

CSV = (
    "file,row,key,stage,category,message,column,value\n"
    "contacts.csv,12,a@x.io,validate,INVALID_EMAIL,bad email,email,'=HYPERLINK(1)\n"
    "companies.csv,3,acme,import,CONFLICT,exists,,\n"
    "contacts.csv,2,,validate,MISSING_REQUIRED,no email,email,\n"
    "contacts.csv,7,b@x.io,validate,INVALID_PHONE,bad phone,phone,'it's fine\n"
)


@pytest.fixture
def errors_csv(tmp_path: Path) -> Path:
    path = tmp_path / "errors.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_rows_sorted_by_file_and_row_with_int_rows(errors_csv: Path) -> None:
    table = failed_rows_table(errors_csv)
    assert list(table.columns) == list(ERROR_COLUMNS)
    assert list(zip(table["file"], table["row"], strict=True)) == [
        ("companies.csv", 3),
        ("contacts.csv", 2),
        ("contacts.csv", 7),
        ("contacts.csv", 12),
    ]
    assert table["row"].dtype == "int64"


def test_spreadsheet_guard_is_removed_only_before_formula_characters(errors_csv: Path) -> None:
    """The ' the pipeline adds for spreadsheets goes; an apostrophe in text stays."""
    table = failed_rows_table(errors_csv)
    values = dict(zip(table["row"], table["value"], strict=True))
    assert values[12] == "=HYPERLINK(1)"
    assert values[7] == "'it's fine"


@pytest.mark.parametrize(
    ("filters", "rows"),
    [
        ({"category": "INVALID_EMAIL"}, [12]),
        ({"stage": "validate"}, [2, 7, 12]),
        ({"file": "companies.csv"}, [3]),
        ({"stage": "import", "category": "INVALID_EMAIL"}, []),
    ],
)
def test_filters(errors_csv: Path, filters: dict[str, str], rows: list[int]) -> None:
    assert failed_rows_table(errors_csv, **filters)["row"].tolist() == rows


def test_missing_errors_file_gives_an_empty_table(tmp_path: Path) -> None:
    table = failed_rows_table(tmp_path / "errors.csv")
    assert table.empty
    assert list(table.columns) == list(ERROR_COLUMNS)
