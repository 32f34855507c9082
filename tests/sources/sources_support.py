"""Shared by the source tests over HTTP: run ``crmkit import`` on a folder, read the portal back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crmkit.cli import main
from crmkit.plan.model import ImportPlan
from tests.support.portal import planned_keys, planned_links, read_portal

__all__ = ["imported", "planned_keys", "planned_links", "read_portal"]


def imported(
    folder: Path, out: Path, target: str, *extra: str
) -> tuple[int, dict[str, Any], ImportPlan]:
    """``crmkit import`` as a user types it; exit code, report.json and the plan."""
    code = main(
        ["import", "--data", str(folder), "--target", target, "--tier", "enterprise",
         "--output", str(out), "--run-id", "r1", "--no-progress", *extra]
    )  # fmt: skip
    run_dir = out / "runs" / "r1"
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return code, report, ImportPlan.load(run_dir / "plan.json")
