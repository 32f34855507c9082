"""Several files for one object type: one prepared frame, every row keeping its file and row.

The planner needs one frame per object type (duplicates across ``Contact.csv`` and
``Lead.csv`` merge into one record) and labels its rows by the frame's integer index. So the
files' frames are stacked with their row numbers moved into disjoint ranges — file *i*'s row
*r* becomes ``(i + 1) * ROW_SPAN + r`` — and :func:`locate_plan` turns every such label in the
finished plan (issues, records' source rows, "row N" in messages) back into the file's own
name and row. Preparation's own issues were made per file and name it already.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from crmkit.plan.model import ImportPlan, PlannedRecord
from crmkit.prepare import PreparedObject
from crmkit.reportmerge import merge_reports

ROW_SPAN = 1_000_000_000
"""Row labels of the i-th file start at (i + 1) x ROW_SPAN: far above any sheet's row count."""
_LABEL_IN_TEXT = re.compile(r"\brow (\d{10,})\b")


def combine(parts: list[PreparedObject]) -> PreparedObject:
    """One ``PreparedObject`` for the parts' rows; ``origins`` names each part's file."""
    if len(parts) == 1:
        return parts[0]
    frames = []
    for number, part in enumerate(parts, start=1):
        frame = part.frame.copy()
        frame.index = pd.Index(frame.index.to_numpy() + number * ROW_SPAN, name="row")
        frames.append(frame)
    names = [p.file for p in parts]
    rows = sum(p.rows for p in parts)
    issues = [i for p in parts for i in p.issues]
    reports = [p.validation for p in parts if p.validation is not None]
    return PreparedObject(
        object_type=parts[0].object_type,
        file=" + ".join(names),
        rows=rows,
        frame=pd.concat(frames),
        mapping=parts[0].mapping,
        issues=issues,
        quality=_quality(parts, rows),
        path=None,
        validation=merge_reports(reports, rows) if reports else None,
        origins=names,
        parts=parts,
        schema_changes=_changes(parts),
    )


def _changes(parts: list[PreparedObject]) -> list[dict[str, Any]]:
    """The options to add, once each, with the rows of every part that use them."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for part in parts:
        for change in part.schema_changes:
            key = (change["property"], change["value"])
            if key in out:
                out[key]["rows"] += change["rows"]
            else:
                out[key] = dict(change)
    return list(out.values())


def _quality(parts: list[PreparedObject], rows: int) -> dict[str, Any]:
    """Scores weighted by each file's rows (a column a file lacks counts as clean there)."""
    total = max(rows, 1)
    score = sum(float(p.quality.get("score", 1.0)) * p.rows for p in parts) / total
    columns: dict[str, float] = {}
    for p in parts:
        for column, value in p.quality.get("columns", {}).items():
            columns[column] = columns.get(column, 0.0) + (1.0 - float(value)) * p.rows
    matched: dict[str, list[float]] = {}  # crmkit.quality: share of values matching an option
    for p in parts:
        for prop, value in p.quality.get("matched", {}).items():
            weight = matched.setdefault(prop, [0.0, 0.0])
            weight[0] += float(value) * p.rows
            weight[1] += p.rows
    return {
        "score": round(score, 4),
        "columns": {c: round(1.0 - bad / total, 4) for c, bad in columns.items()},
        "matched": {c: round(v / max(n, 1), 4) for c, (v, n) in matched.items()},
    }


def where(origins: list[str], label: int) -> tuple[str, int]:
    """A stacked row label → (file, row in that file)."""
    number, row = divmod(int(label), ROW_SPAN)
    return origins[number - 1], row


def locate_plan(plan: ImportPlan, objects: Mapping[str, Any]) -> ImportPlan:
    """Every stacked label in ``plan`` named back as its own file and row."""
    stacked = {
        obj.file: list(obj.origins) for obj in objects.values() if getattr(obj, "origins", None)
    }
    if not stacked:
        return plan

    def text(message: str, origins: list[str]) -> str:
        def one(match: re.Match[str]) -> str:
            file, row = where(origins, int(match.group(1)))
            return f"row {row} of {file}"

        return _LABEL_IN_TEXT.sub(one, message)

    issues = []
    for issue in plan.issues:
        origins = stacked.get(issue.file)
        if origins is None or issue.row < ROW_SPAN:
            issues.append(issue)
            continue
        file, row = where(origins, issue.row)
        issues.append(replace(issue, file=file, row=row, message=text(issue.message, origins)))
    records = {t: [_located(r, stacked) for r in recs] for t, recs in plan.records.items()}
    return replace(plan, issues=issues, records=records)


def _located(record: PlannedRecord, stacked: dict[str, list[str]]) -> PlannedRecord:
    if not any(f in stacked for f, _ in record.source_rows):
        return record
    rows = [
        where(stacked[f], r) if f in stacked and r >= ROW_SPAN else (f, r)
        for f, r in record.source_rows
    ]
    return replace(record, source_rows=rows)
