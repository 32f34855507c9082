"""Regressions found on real exports (tests/realworld): spreadsheet-saved CSV files."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import CsvError
from crmkit.io import read_csv


@pytest.mark.parametrize(
    ("text", "columns", "rows"),
    [
        # Excel saves empty formatted columns right of the data as trailing delimiters.
        ("Name;Email;;\r\nAda;a@x.example;;\r\nBo;b@x.example;;\r\n", ["Name", "Email"], 2),
        ("Name,Email,,,\nAda,a@x.example,,,\n", ["Name", "Email"], 1),
        # a record with extra blank fields past a plain header carries nothing either
        ("Name,Email\nAda,a@x.example,,\n", ["Name", "Email"], 1),
    ],
)
def test_blank_trailing_columns_are_no_data(
    tmp_path: Path, text: str, columns: list[str], rows: int
) -> None:
    """The file reads; the nameless empty columns are not columns, no row is rejected."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.encode("utf-8"))
    table = read_csv(path)
    assert list(table.frame.columns) == columns
    assert (len(table.frame), table.rejected) == (rows, [])


def test_nameless_column_with_data_still_asks_for_a_name(tmp_path: Path) -> None:
    """A trailing column without a name that holds a value is refused, naming it."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"Name,Email,\nAda,a@x.example,\nBo,b@x.example,VIP\n")
    with pytest.raises(CsvError) as caught:
        read_csv(path)
    assert caught.value.kind == "blank_header"
    assert "column 3 (C)" in str(caught.value)
    assert "row 3" in str(caught.value)
