"""Row-level issues: why a source row was rejected or flagged, from reading to the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "dropped", "warning"]
"""``error`` rejects the row; ``dropped`` leaves this value out (or cut, or replaced by a
documented default) and the row lands without it; ``warning`` only reports (the value is kept).
Which bad values reject their row and which are dropped is decided in :mod:`crmkit.rejection`."""


@dataclass(frozen=True)
class RowIssue:
    """One problem with one source row.

    ``row`` is the spreadsheet row number (the header is row 1, the first record row 2), so a
    person can find the row in the file they exported. An ``error`` rejects the row; a
    ``dropped`` value is left out of a row that is still imported; a ``warning`` is reported
    and the row is imported as it is.
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
