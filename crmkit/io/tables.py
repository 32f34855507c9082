"""One entry point for a spreadsheet file: a CSV or an Excel sheet, by its suffix.

``"book.xlsx:Sheet name"`` picks a sheet; a plain workbook path reads its first visible one.
Both give the same ``SourceTable`` (text cells, spreadsheet row numbers, rejected rows).
"""

from __future__ import annotations

from pathlib import Path

from crmkit.io.excel import is_excel, read_excel, split_sheet
from crmkit.io.reader import SourceTable, read_csv


def read_table(spec: str | Path) -> SourceTable:
    """Read a CSV or one Excel sheet; raises ``CsvError`` (``WorkbookError``) for bad files."""
    path, sheet = split_sheet(spec)
    if is_excel(path):
        return read_excel(path, sheet=sheet)
    return read_csv(path)
