"""Excel workbooks made in the test with openpyxl (a dev dependency), as people save them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """One worksheet per item, in order; rows as given (typed cells: dates stay dates)."""
    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
