"""Data quality of one prepared file: how readable its values are, and how well they match.

Two different things used to share one number: a value crmkit cannot read (``"about 250"``
employees, ``2023-02-30``) is dirt in the file, while a readable value that names no option of
the portal (``"Refund request"``) is a vocabulary gap between two systems, which the analyst
closes by mapping the value or adding the option. A column of readable but unmatched values
scored 0.0 and looked like garbage; now the two are apart:

- ``score``: the share of rows that are neither rejected nor hold an unreadable value
  (unmatched options and warnings do not lower it);
- ``columns[p]``: the share of rows whose cell in ``p`` is blank or readable, i.e. has no issue
  other than an unmatched option;
- ``matched[p]``, for each enumeration property the file fills: the share of its non-blank
  cells (in rows not rejected) that match an option (1.0 when every value matched).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmkit.issues import RowIssue
from crmkit.rejection import UNMATCHED

if TYPE_CHECKING:
    import pandas as pd

    from crmkit.mapping.model import Mapping
    from crmkit.schema import Schema


def quality_of_file(
    rows: int, issues: list[RowIssue], frame: pd.DataFrame, mapping: Mapping, schema: Schema
) -> dict[str, Any]:
    """``{"score", "columns", "matched"}`` for one file (see the module docstring)."""
    if rows == 0:
        return {"score": 1.0, "columns": {}, "matched": {}}
    prop_of = {c: m.property for c, m in mapping.columns.items() if m.property}
    rejected = {i.row for i in issues if i.severity == "error"}
    unreadable = {i.row for i in issues if i.severity == "dropped" and i.category not in UNMATCHED}
    per_column: dict[str, set[int]] = {}
    unmatched: dict[str, set[int]] = {}
    for issue in issues:
        prop = prop_of.get(issue.column or "", issue.column or "")
        if issue.category in UNMATCHED:
            if issue.row not in rejected:
                unmatched.setdefault(prop, set()).add(issue.row)
        else:
            per_column.setdefault(prop, set()).add(issue.row)
    properties = [str(c) for c in frame.columns if not str(c).startswith("_")]
    columns = {c: round(1.0 - len(per_column.get(c, ())) / rows, 4) for c in properties}
    matched: dict[str, float] = {}
    for prop in properties:
        definition = schema.get(prop)
        if definition is None or definition.type != "enumeration":
            continue
        filled = int((frame[prop].astype("str") != "").sum())  # unmatched cells are blank now
        missed = len(unmatched.get(prop, ()))
        if filled + missed:
            matched[prop] = round(filled / (filled + missed), 4)
    score = 1.0 - len(rejected | unreadable) / rows
    return {"score": round(score, 4), "columns": columns, "matched": matched}
