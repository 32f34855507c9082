"""values.csv: every value crmkit did not import as written, and every decision it made.

errors.csv lists the rows that did not land; values.csv lists what happened to the values of
every row, so nothing is dropped, cut, defaulted, merged or guessed in silence. One line per
value (file, row, key, column, property, value as written, reason, action), then one line per
file-level decision (a column not imported, a guessed column, a file-wide default) with an
empty row. Actions: ``left out`` (unreadable), ``left empty (unmatched)`` (no such option),
``cut`` (longer than HubSpot allows), ``default``, ``kept as written``, ``first kept`` (several
addresses in one cell), ``merged``, ``row rejected`` (the row is in errors.csv), ``noted``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from crmkit.issues import RowIssue
from crmkit.plan.model import ImportPlan
from crmkit.rejection import CUT, UNMATCHED

VALUE_COLUMNS = ("file", "row", "key", "column", "property", "value", "reason", "action")

_WARNING_ACTIONS = {
    "INVALID_PHONE": "kept as written",
    "INVALID_URL": "kept as written",
    "MULTIPLE_EMAILS": "first kept",
    "MULTIPLE_PHONES": "first kept",
    "DUPLICATE": "merged",
    "DUPLICATE_MERGED": "merged",
    "DUPLICATE_CONFLICT": "merged",
    "DEFAULT_STAGE": "default",
    "DEFAULT_SUBJECT": "default",
}


def action_of(issue: RowIssue, rejected: bool) -> str:
    """What crmkit did with the issue's value."""
    if rejected:
        return "row rejected"
    if issue.severity == "dropped":
        if issue.category in CUT:
            return "cut"
        return "left empty (unmatched)" if issue.category in UNMATCHED else "left out"
    return _WARNING_ACTIONS.get(issue.category, "noted")


def value_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """values.csv's lines: per value of every row, then the file-level decisions."""
    type_of = plan.file_types()
    rejected = {(i.file, i.row) for i in plan.issues if i.severity == "error"}
    wanted = [i for i in plan.issues if i.severity != "error"]
    rows = {(i.file, i.row) for i in wanted}
    key_of: dict[tuple[str, int], str] = {}
    for records in plan.records.values():
        for record in records:
            for file, row in record.source_rows:
                if (file, int(row)) in rows:
                    key_of[(file, int(row))] = record.key
    lines: list[dict[str, Any]] = []
    for issue in sorted(wanted, key=lambda i: (i.file, i.row, i.column or "")):
        columns = plan.columns.get(type_of.get(issue.file, ""), {})
        column = issue.column or ""
        prop = columns.get(column) or (column if column not in columns else "")
        if column not in columns:
            column = next((c for c, p in columns.items() if p == column), column)
        where = (issue.file, issue.row)
        lines.append(
            {
                "file": issue.file,
                "row": issue.row,
                "key": issue.key or key_of.get(where, ""),
                "column": column,
                "property": prop,
                "value": issue.value or "",
                "reason": f"{issue.category}: {issue.message}",
                "action": action_of(issue, where in rejected),
            }
        )
    for decision in plan.decisions:
        lines.append({**decision, "row": "", "key": ""})
    return lines


def write_values_csv(path: Path, lines: list[dict[str, Any]]) -> None:
    """Write values.csv (cells made safe for spreadsheets, as in errors.csv)."""
    from crmkit.pipeline.reportfiles import safe_cell

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VALUE_COLUMNS)
        for line in lines:
            writer.writerow([safe_cell(line.get(col, "")) for col in VALUE_COLUMNS])
