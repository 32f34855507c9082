"""Finding and loading one run's report files (``output/runs/<run_id>/``) for the notebooks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmkit.errors import ConfigError
from crmkit.pipeline.runfolder import REPORT_JSON, RunFolder, runs_dir


@dataclass(frozen=True)
class LoadedRun:
    """One run's report.json and the paths next to it."""

    run_id: str
    run_dir: Path
    report: dict[str, Any]
    summary: str

    @property
    def errors_csv(self) -> Path:
        """errors.csv of this run (in its folder, even if the folder moved since)."""
        return RunFolder(self.run_dir).errors_csv


def _started(path: Path) -> str:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(report.get("started_at") or "") if isinstance(report, dict) else ""


def latest_run_id(output_dir: Path | str) -> str | None:
    """The run whose report.json started last (ISO-8601 UTC sorts as text), or None."""
    runs = runs_dir(output_dir)
    reports = sorted(runs.glob(f"*/{REPORT_JSON}")) if runs.is_dir() else []
    if not reports:
        return None
    latest = max(reports, key=lambda p: (_started(p), p.stat().st_mtime))
    return latest.parent.name


def load_run(output_dir: Path | str, run_id: str | None = None) -> LoadedRun:
    """Load ``run_id`` (default: the latest run); a missing run is a ConfigError that says why."""
    chosen = run_id or latest_run_id(output_dir)
    if chosen is None:
        raise ConfigError(f"no runs in {runs_dir(output_dir)}: run an import first")
    folder = RunFolder.of(output_dir, chosen)
    run_dir = folder.path
    try:
        report = json.loads(folder.report_json.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"run {chosen!r} has no report.json in {run_dir}") from None
    except ValueError as exc:
        raise ConfigError(f"{folder.report_json} is not valid JSON: {exc}") from None
    if not isinstance(report, dict):
        raise ConfigError(f"{folder.report_json} does not hold a report object")
    summary_path = folder.summary_txt
    summary = summary_path.read_text(encoding="utf-8") if summary_path.is_file() else ""
    return LoadedRun(run_id=chosen, run_dir=run_dir, report=report, summary=summary)
