"""Tables of a run for the report notebook: where rows went, and the rows to fix."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from crmkit.report.outcome import file_outcomes

ERROR_COLUMNS: tuple[str, ...] = (
    "file",
    "row",
    "key",
    "stage",
    "category",
    "message",
    "column",
    "value",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unguard(cell: str) -> str:
    """Undo the ``'`` the pipeline puts before formula-like cells (for spreadsheets only)."""
    if cell.startswith("'") and cell[1:2] and cell[1:2] in _FORMULA_STARTS:
        return cell[1:]
    return cell


def failed_rows_table(
    errors_csv_path: Path | str,
    *,
    category: str | None = None,
    stage: str | None = None,
    file: str | None = None,
) -> pd.DataFrame:
    """The rows in ``errors.csv`` (optionally one category, stage or file), by file and row.

    A missing file means the run had no errors file yet: an empty table with the usual
    columns, so a notebook cell shows "nothing" rather than a traceback.
    """
    path = Path(errors_csv_path)
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ERROR_COLUMNS}).astype(
            {"row": "int64"}
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in ERROR_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    for column in frame.columns:
        frame[column] = frame[column].map(unguard)
    frame["row"] = pd.to_numeric(frame["row"], errors="coerce").fillna(0).astype("int64")
    for name, wanted in (("category", category), ("stage", stage), ("file", file)):
        if wanted is not None:
            frame = frame[frame[name] == wanted]
    extra = [c for c in frame.columns if c not in ERROR_COLUMNS]
    frame = frame[list(ERROR_COLUMNS) + extra]
    return frame.sort_values(["file", "row"], kind="stable").reset_index(drop=True)


def outcome_table(report: Mapping[str, Any]) -> pd.DataFrame:
    """Per file, what report.html's first table shows (the same :func:`file_outcomes`)."""
    columns = {
        "object_type": "records",
        "rows": "rows read",
        "landed": "landed",
        "landed_without_some_values": "landed without some values",
        "rejected": "rejected",
        "failed": "failed",
        "duplicates": "merged duplicates",
    }
    lines = [
        {"file": o.file} | {v: getattr(o, k) for k, v in columns.items()}
        for o in file_outcomes(report)
    ]
    return pd.DataFrame(lines, columns=["file", *columns.values()]).set_index("file")
