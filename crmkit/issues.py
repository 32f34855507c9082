"""Row-level issues: why a source row was rejected or flagged, from reading to the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RowIssue:
    """One problem with one source row.

    ``row`` is the spreadsheet row number (the header is row 1, the first record row 2), so a
    person can find the row in the file they exported. An ``error`` rejects the row; a
    ``warning`` is reported but the row is still imported.
    """

    file: str
    row: int
    stage: str
    category: str
    message: str
    column: str | None = None
    value: str | None = None
    key: str | None = None
    severity: Severity = "error"

    def to_dict(self) -> dict[str, Any]:
        # Spelled out: dataclasses.asdict deep-copies every field, 20x slower on 50,000 issues.
        return {
            "file": self.file,
            "row": self.row,
            "stage": self.stage,
            "category": self.category,
            "message": self.message,
            "column": self.column,
            "value": self.value,
            "key": self.key,
            "severity": self.severity,
        }
