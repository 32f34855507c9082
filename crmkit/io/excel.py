"""Reading an Excel sheet (``.xlsx``, ``.xlsm``, ``.xls``) into the same ``SourceTable`` as a CSV.

python-calamine (Rust's calamine) reads the cells with their types, so a date cell arrives as a
date and is written ``YYYY-MM-DD`` (a date-time as ``YYYY-MM-DDTHH:MM:SS``), never as Excel's
serial number; a whole number typed as 3 arrives as ``"3"``, not ``"3.0"``. After that every
cell is text, exactly as ``read_csv`` gives it, so mapping and coercion cannot tell the two apart.

Row numbers are the sheet's own (what Excel shows in its margin), so a person finds the row.
Title lines above the header (a report heading, a blank line) are skipped and said so in
``SourceTable.notes``. A workbook that is not one, is password-protected (an encrypted OOXML
workbook is an OLE container, not a zip) or lacks the asked sheet raises ``WorkbookError``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from crmkit.errors import WorkbookError
from crmkit.io.detect import check_path, column_letter
from crmkit.io.reader import SourceTable
from crmkit.io.scan import EMPTY_ROW, check_header, rename_repeats
from crmkit.issues import RowIssue

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_TITLE_SCAN = 10
"""How many leading lines may be a title above the header."""


def is_excel(path: str | Path) -> bool:
    return Path(path).suffix.lower() in EXCEL_SUFFIXES


def split_sheet(spec: str | Path) -> tuple[Path, str | None]:
    """``"book.xlsx:Sheet name"`` → (path, sheet); any other path → (path, None)."""
    text = str(spec)
    for suffix in EXCEL_SUFFIXES:
        at = text.lower().rfind(suffix + ":")
        if at > 0:
            return Path(text[: at + len(suffix)]), text[at + len(suffix) + 1 :] or None
    return Path(text), None


def sheet_names(path: str | Path) -> list[str]:
    """The visible worksheets, in workbook order."""
    book = _open(Path(path))
    return [m.name for m in book.sheets_metadata if _is_visible_worksheet(m)]


def read_excel(path: str | Path, *, sheet: str | None = None) -> SourceTable:
    """Read one sheet (default: the first visible worksheet) as text cells with row numbers."""
    source, named = split_sheet(path)
    sheet = sheet if sheet is not None else named
    book = _open(source)
    visible = [m.name for m in book.sheets_metadata if _is_visible_worksheet(m)]
    chosen = sheet if sheet is not None else (visible[0] if visible else None)
    if chosen is None or chosen not in book.sheet_names:
        have = ", ".join(repr(n) for n in book.sheet_names) or "none"
        asked = f"no sheet named {chosen!r}" if chosen else "no visible worksheet"
        raise WorkbookError(f"{asked}; the sheets are {have}", file=str(source), kind="no_sheet")
    from python_calamine import CalamineError

    try:
        grid = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise _corrupt(source, exc, chosen) from None
    name = source.name if sheet is None else f"{source.name}:{chosen}"
    return _table(source, name, chosen, grid)


def _open(source: Path) -> Any:
    check_path(source)
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    with source.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise WorkbookError("the file is empty", file=str(source), kind="empty")
    if head == _OLE_MAGIC and source.suffix.lower() != ".xls":
        raise _encrypted(source)
    if head[:4] != _ZIP_MAGIC and head != _OLE_MAGIC:
        raise WorkbookError(
            "is not an Excel workbook (neither a zip nor an OLE file); if it is text, save it "
            "as .csv",
            file=str(source),
            kind="corrupt",
        )
    try:
        return CalamineWorkbook.from_path(str(source))
    except PasswordError:
        raise _encrypted(source) from None
    except CalamineError as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise _encrypted(source) from None
        raise _corrupt(source, exc, None) from None


def _encrypted(source: Path) -> WorkbookError:
    return WorkbookError(
        "the workbook is password-protected; open it in Excel, remove the password "
        "(File > Info > Protect Workbook) and save it again",
        file=str(source),
        kind="encrypted",
    )


def _corrupt(source: Path, exc: Exception, sheet: str | None) -> WorkbookError:
    return WorkbookError(
        f"the workbook is damaged and cannot be read ({exc}); open it in Excel and save a copy",
        file=str(source),
        sheet=sheet,
        kind="corrupt",
    )


def _is_visible_worksheet(meta: Any) -> bool:
    return str(meta.typ).endswith("WorkSheet") and str(meta.visible).endswith(".Visible")


def cell_text(value: Any) -> str:
    """One typed cell as the text a CSV export would hold."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _table(source: Path, name: str, sheet: str, grid: list[list[Any]]) -> SourceTable:
    rows = [[cell_text(v) for v in line] for line in grid]
    file = str(source) if name == source.name else f"{source}:{sheet}"
    if not any(any(cell.strip() for cell in line) for line in rows):
        raise WorkbookError(f"sheet {sheet!r} is empty", file=file, sheet=sheet, kind="empty")
    top, notes = _header_line(rows, sheet)
    header, renamed = rename_repeats(check_header(rows[top], file))
    notes += renamed
    width = len(header)
    body = rows[top + 1 :]
    first_row = top + 2  # sheet rows are 1-based; the grid starts at A1
    for offset, line in enumerate(body):
        _unnamed_data(line, width, file, first_row + offset)
    cells = [(line + [""] * width)[:width] for line in body]
    index = pd.RangeIndex(first_row, first_row + len(cells), name="row")
    frame = pd.DataFrame(cells, columns=header, index=index, dtype=object).astype(str)
    blank = [i for i, line in zip(index, cells, strict=True) if not any(c.strip() for c in line)]
    if len(blank) == len(cells):
        raise WorkbookError(
            f"sheet {sheet!r} has a header but no data rows", file=file, row=top + 1,
            sheet=sheet, kind="header_only",
        )  # fmt: skip
    rejected = [RowIssue(name, int(r), "read", EMPTY_ROW, "the row is empty") for r in blank]
    if blank:
        frame = frame.drop(index=blank)
    return SourceTable(
        path=source,
        name=name,
        frame=frame,
        encoding="excel",
        delimiter="",
        rejected=rejected,
        sheet=sheet,
        notes=notes,
    )


def _header_line(rows: list[list[str]], sheet: str) -> tuple[int, list[str]]:
    """The header is the first line as wide as the data below it; lines above are a title."""
    filled = [sum(1 for c in line if c.strip()) for line in rows[: _TITLE_SCAN + 1]]
    widest = max(filled)
    for index, count in enumerate(filled):
        if count >= max(2, widest // 2) or count == widest:
            if index == 0:
                return 0, []
            return index, [
                f"sheet {sheet!r}: header on row {index + 1}; rows 1-{index} above it "
                "(a title or blank lines) were not read as data"
            ]
    return 0, []


def _unnamed_data(line: list[str], width: int, file: str, row: int) -> None:
    for index in range(width, len(line)):
        if line[index].strip():
            raise WorkbookError(
                f"column {index + 1} ({column_letter(index)}) has no name in the header row "
                f"but holds data in row {row}",
                file=file,
                row=row,
                kind="blank_header",
            )


__all__ = ["EXCEL_SUFFIXES", "is_excel", "read_excel", "sheet_names", "split_sheet"]
