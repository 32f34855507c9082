"""ids.csv: every source row → its record's HubSpot id and what the run did with it.

The success file Salesforce users expect beside the error file: ``file,row,object_type,key,
hubspot_id,action`` with action ``created``, ``updated``, ``unchanged``, ``failed`` (not
landed: refused, or not sent yet) or ``rejected`` (never planned). A merged duplicate row
carries its record's id and action.
"""

from __future__ import annotations

import csv
from pathlib import Path

from crmkit.pipeline.journal import Journal
from crmkit.pipeline.reportfiles import safe_cell
from crmkit.plan.model import ImportPlan

IDS_CSV = "ids.csv"
IDS_COLUMNS = ("file", "row", "object_type", "key", "hubspot_id", "action")
LANDED = ("created", "updated", "unchanged")


def write_ids_csv(run_dir: Path, plan: ImportPlan, journal: Journal) -> int:
    """Write ids.csv (atomically); returns the rows written."""
    lines: list[tuple[str, int, str, str, str, str]] = []
    planned: set[tuple[str, int]] = set()
    for record in journal.records():
        action = record.state if record.state in LANDED else "failed"
        if record.state in LANDED and record.hubspot_id is None:
            action = "failed"
        for file, row in record.source_rows:
            planned.add((file, row))
            lines.append(
                (file, row, record.object_type, record.key, record.hubspot_id or "", action)
            )
    type_of = {name: t for t, name in plan.files.items()}
    rejected: dict[tuple[str, int], str] = {}
    for issue in plan.issues:
        where = (issue.file, issue.row)
        if issue.severity == "error" and where not in planned:
            rejected.setdefault(where, issue.key or "")
    for (file, row), key in rejected.items():
        lines.append((file, row, type_of.get(file, ""), key, "", "rejected"))
    lines.sort(key=lambda line: (line[0], line[1]))
    tmp = run_dir / (IDS_CSV + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(IDS_COLUMNS)
        out.writerows([safe_cell(v) for v in line] for line in lines)
    tmp.replace(run_dir / IDS_CSV)
    return len(lines)
