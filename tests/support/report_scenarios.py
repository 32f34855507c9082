"""Scenario report dicts for the report tests: small runs described by their inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def make_report(
    *,
    run_id: str = "run-1",
    started_at: str = "2024-05-01T10:00:00Z",
    objects: dict[str, dict[str, int]] | None = None,
    batches: list[dict[str, Any]] | None = None,
    timeline: list[dict[str, int]] | None = None,
    errors: dict[str, int] | None = None,
    quality: dict[str, dict[str, Any]] | None = None,
    associations: dict[str, int] | None = None,
    records_per_s: float = 0.0,
    ceiling: float = 0.0,
    dry_run: bool = False,
) -> dict[str, Any]:
    """A report.json dict with only what a scenario states; everything else empty."""
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": started_at,
        "duration_s": 0.0,
        "target": "http://127.0.0.1:1",
        "dry_run": dry_run,
        "tier": "professional",
        "status": "planned" if dry_run else "complete",
        "objects": objects or {},
        "associations": associations or {"planned": 0, "created": 0, "failed": 0},
        "requests": {},
        "records_per_s": records_per_s,
        "ceiling_records_per_s": ceiling,
        "quality": quality or {},
        "errors_by_category": errors or {},
        "batches": batches or [],
        "timeline": timeline or [],
        "files": {"report_json": "report.json"},
    }


def batch(
    t: float, succeeded: int, *, duration_s: float = 0.2, failed: int = 0, action: str = "upsert"
) -> dict[str, Any]:
    """One batch of contacts that started ``t`` seconds into the run."""
    return {
        "t": t,
        "object_type": "contacts",
        "action": action,
        "records": succeeded + failed,
        "succeeded": succeeded,
        "failed": failed,
        "attempts": 1,
        "duration_s": duration_s,
    }


def write_run(output_dir: Path, report: dict[str, Any]) -> Path:
    """Store ``report`` as output_dir/runs/<run_id>/report.json, as the pipeline does."""
    run_dir = output_dir / "runs" / str(report["run_id"])
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return run_dir
