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
from crmkit.report.tables import failed_rows_table

ROWS_PER_REASON = 200


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


def rows_to_fix(errors_csv: Path | str, *, limit: int = ROWS_PER_REASON) -> list[ReasonGroup]:
    """errors.csv's rows grouped by category, largest group first, file and row order inside."""
    table = failed_rows_table(errors_csv)
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
