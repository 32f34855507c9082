"""Hand-made prepared inputs in the shape ``crmkit.prepare`` produces (see docs/architecture.md).

A prepared frame holds only valid rows: HubSpot property names as columns (string values, ""
empty), role columns prefixed with ``_``, and the spreadsheet row number as index ``row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmkit.issues import RowIssue

LIST_ROLES = ("_emails_in_text", "_phones_in_text")


@dataclass
class FakeObject:
    object_type: str
    file: str
    rows: int
    frame: pd.DataFrame
    mapping: Any = None
    issues: list[RowIssue] = field(default_factory=list)
    quality: Any = None


@dataclass
class FakePrepared:
    objects: dict[str, FakeObject]


def make_frame(records: list[dict[str, Any]], *, first_row: int = 2) -> pd.DataFrame:
    """Rows as dicts (optional ``row`` number; else numbered from ``first_row``)."""
    columns: list[str] = []
    for rec in records:
        columns.extend(c for c in rec if c != "row" and c not in columns)
    rows = [int(rec.get("row", first_row + i)) for i, rec in enumerate(records)]
    data: dict[str, list[Any]] = {}
    for name in columns:
        empty: Any = [] if name in LIST_ROLES else ""
        data[name] = [rec.get(name, empty) for rec in records]
    frame = pd.DataFrame(data, index=pd.Index(rows, name="row"))
    for name in columns:
        if name not in LIST_ROLES:
            frame[name] = frame[name].astype("str")
    return frame


def make_object(
    object_type: str, records: list[dict[str, Any]], *, rejected: int = 0, file: str = ""
) -> FakeObject:
    frame = make_frame(records)
    issues = [
        RowIssue(file or f"{object_type}.csv", 1000 + i, "validate", "INVALID_EMAIL", "bad")
        for i in range(rejected)
    ]
    return FakeObject(
        object_type=object_type,
        file=file or f"{object_type}.csv",
        rows=len(frame) + rejected,
        frame=frame,
        issues=issues,
        quality=0.9,
    )
