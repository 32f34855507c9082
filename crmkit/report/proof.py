"""The report page's "compared with the portal" and "verified" facts (issue 12).

Read from report.json's ``preview``/``verify`` sections and a readable sample of diff.csv, so
the page shows what a preview would change and whether a verification passed, in the same
numbers the CLI printed.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SAMPLE = 12
"""Changed properties shown on the page; the rest are in diff.csv."""
PROOF_FILES: tuple[str, ...] = ("diff.csv", "ids.csv", "verify.csv", "rollback.csv")


def proof_context(run_dir: Path, report: Mapping[str, Any]) -> dict[str, Any]:
    """``preview`` (counts per type and a sample of changes) and ``verify`` for the template."""
    preview = report.get("preview") or {}
    objects = report.get("objects") or {}
    counts = [
        (
            t,
            int(o.get("would_create", 0)),
            int(o.get("would_update", 0)),
            int(o.get("unchanged", 0)),
        )
        for t, o in objects.items()
        if isinstance(o, Mapping) and "would_create" in o
    ]
    return {
        "preview": preview if preview.get("compared") else None,
        "preview_reason": preview.get("reason")
        if preview and not preview.get("compared")
        else None,
        "preview_counts": counts,
        "preview_sample": _sample(run_dir / "diff.csv"),
        "verify": report.get("verify"),
    }


def _sample(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("action") != "unchanged":
                rows.append(row)
            if len(rows) >= SAMPLE:
                break
    return rows
