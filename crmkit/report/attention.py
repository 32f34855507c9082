"""What needs attention after a run: the rows to fix from ``errors.csv``, grouped by reason.

Groups come largest first, each with its reason in plain words and its machine code apart.
Messages are kept whole. A run with tens of thousands of bad rows would make a page nobody
can open, so each group lists at most ``limit`` rows and says how many more errors.csv holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from crmkit.report.reasons import plain_message, reason
from crmkit.report.tables import failed_rows_table, unguard

ROWS_PER_REASON = 200
WHOLE_COLUMN = "COLUMN_DECISION"
"""values.csv's file-level lines (a column not imported, a default for every row) have no code."""


@dataclass(frozen=True)
class RowToFix:
    file: str
    row: int
    column: str
    value: str
    message: str
    stage: str
    key: str


@dataclass(frozen=True)
class ReasonGroup:
    """The rows of one category."""

    category: str
    reason: str
    count: int
    rows: list[RowToFix] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        """Rows of this reason in errors.csv that the page does not list."""
        return self.count - len(self.rows)


def _grouped(table: pd.DataFrame, limit: int) -> list[ReasonGroup]:
    """Rows by ``category``, largest group first, file and row order inside."""
    groups: list[ReasonGroup] = []
    if table.empty:
        return groups
    sizes = table["category"].value_counts(sort=False)
    ordered = sorted(sizes.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    for category, count in ordered:
        mine = table[table["category"] == category].head(limit)
        rows = [
            RowToFix(
                file=str(r["file"]),
                row=int(r["row"]),
                column=str(r["column"]),
                value=str(r["value"]),
                message=plain_message(str(r["message"])),
                stage=str(r["stage"]),
                key=str(r["key"]),
            )
            for r in mine.to_dict("records")
        ]
        groups.append(
            ReasonGroup(
                category=str(category), reason=reason(str(category)), count=int(count), rows=rows
            )
        )
    return groups


def rows_to_fix(errors_csv: Path | str, *, limit: int = ROWS_PER_REASON) -> list[ReasonGroup]:
    """errors.csv's rows (rejected, or not landed) grouped by reason."""
    return _grouped(failed_rows_table(errors_csv), limit)


def values_left_out(values_csv: Path | str, *, limit: int = ROWS_PER_REASON) -> list[ReasonGroup]:
    """values.csv's lines (a value left out, emptied or merged; the row landed) by reason.

    Its ``reason`` cell reads ``CATEGORY: message``; ``action`` (left out, merged …) is
    shown as the row's stage.
    """
    path = Path(values_csv)
    if not path.is_file():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if table.empty:  # the header alone: nothing was left out
        return []
    for column in ("file", "row", "key", "column", "value", "reason", "action"):
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].map(unguard)
    split = table["reason"].str.split(": ", n=1, expand=True).reindex(columns=[0, 1])
    coded = split[0].fillna("").str.fullmatch(r"[A-Z][A-Z0-9_]+")
    table["category"] = split[0].where(coded, WHOLE_COLUMN)
    table["message"] = split[1].where(coded, table["reason"]).fillna(table["reason"])
    table["stage"] = table["action"]
    table["row"] = pd.to_numeric(table["row"], errors="coerce").fillna(0).astype("int64")
    return _grouped(table.sort_values(["file", "row"], kind="stable"), limit)


def rows_to_fix_table(errors_csv_path: Path | str) -> pd.DataFrame:
    """The rows to fix as report.html lists them: reason in words, whole message, code apart."""
    lines = [
        {
            "reason": group.reason,
            "file": row.file,
            "row": row.row,
            "column": row.column,
            "value": row.value,
            "what is wrong": row.message,
            "code": group.category,
        }
        for group in rows_to_fix(errors_csv_path)
        for row in group.rows
    ]
    columns = ["reason", "file", "row", "column", "value", "what is wrong", "code"]
    return pd.DataFrame(lines, columns=columns).set_index(["reason", "file", "row"])
