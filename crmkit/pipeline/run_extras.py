"""What issue 12 adds to a run's report: the preview's counts, the quota, ids.csv.

Stages put their additions in ``Run.extras``; ``add_extras`` folds them into report.json's
dict (per-type counts join ``objects.<type>``) and writes ids.csv for a real run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crmkit.pipeline.idsfile import IDS_CSV, write_ids_csv
from crmkit.pipeline.journal import Journal
from crmkit.plan.model import ImportPlan


def add_extras(
    run_dir: Path,
    report: dict[str, Any],
    extras: dict[str, Any],
    plan: ImportPlan,
    journal: Journal | None,
) -> None:
    merge(report, extras)
    files = report.setdefault("files", {})
    if "preview" in extras and extras["preview"].get("diff_csv"):
        files["diff_csv"] = str(run_dir / extras["preview"]["diff_csv"])
    if journal is not None:
        write_ids_csv(run_dir, plan, journal)
        files["ids_csv"] = str(run_dir / IDS_CSV)


def merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """Deep-merge ``extra`` into ``into``: dicts are merged, other values replaced."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
