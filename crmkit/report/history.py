"""Earlier runs: one row per ``output/runs/*/report.json``, and the chart across them.

A run folder without a readable report (a run stopped before writing it, a hand-edited file)
is skipped with a warning: history is for reading, it must never break the report notebook.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crmkit.pipeline.runfolder import runs_dir
from crmkit.report.figures import HEIGHT, OBJECT_COLORS, OUTCOME_COLORS, TEMPLATE, success_rate

HISTORY_COLUMNS: tuple[str, ...] = (
    "run_id",
    "started_at",
    "status",
    "dry_run",
    "target",
    "duration_s",
    "records_per_s",
    "ceiling_records_per_s",
    "success_rate",
    "rows",
    "created",
    "updated",
    "failed",
    "rejected",
)


def _history_row(run_dir: Path, report: Mapping[str, Any]) -> dict[str, Any]:
    objects = report.get("objects") or {}

    def total(key: str) -> int:
        return sum(int((o or {}).get(key) or 0) for o in objects.values())

    return {
        "run_id": str(report.get("run_id") or run_dir.name),
        "started_at": pd.to_datetime(
            str(report.get("started_at") or ""), utc=True, errors="coerce"
        ),
        "status": str(report.get("status") or ""),
        "dry_run": bool(report.get("dry_run")),
        "target": str(report.get("target") or ""),
        "duration_s": float(report.get("duration_s") or 0.0),
        "records_per_s": float(report.get("records_per_s") or 0.0),
        "ceiling_records_per_s": float(report.get("ceiling_records_per_s") or 0.0),
        "success_rate": success_rate(report),
        "rows": total("rows"),
        "created": total("created"),
        "updated": total("updated"),
        "failed": total("failed"),
        "rejected": total("rejected"),
    }


def load_history(output_dir: Path | str, *, include_dry_runs: bool = True) -> pd.DataFrame:
    """One row per earlier run under ``output_dir/runs``, oldest first (by ``started_at``)."""
    runs = runs_dir(output_dir)
    rows: list[dict[str, Any]] = []
    for path in sorted(runs.glob("*/report.json")) if runs.is_dir() else []:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(report, dict):
                raise ValueError("not a JSON object")
            rows.append(_history_row(path.parent, report))
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            warnings.warn(f"skipping {path}: {exc}", stacklevel=2)
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    if not include_dry_runs and not frame.empty:
        frame = frame[~frame["dry_run"].astype(bool)]
    frame = frame.sort_values(["started_at", "run_id"], na_position="first", kind="stable")
    return frame.reset_index(drop=True)


def history_figure(history: pd.DataFrame) -> go.Figure:
    """Records/s (bars) and success rate (line, right axis) per run, oldest on the left."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(
        title={"text": "Earlier runs: throughput and success rate", "x": 0.0},
        template=TEMPLATE,
        height=HEIGHT,
        margin={"l": 70, "r": 70, "t": 80, "b": 90},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
    )
    fig.update_xaxes(title_text="run", type="category")
    fig.update_yaxes(title_text="records/s", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="success rate (%)", range=[0, 105], secondary_y=True)
    if history.empty:
        fig.add_annotation(
            text="no earlier runs", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )
        return fig
    runs = [
        f"{run}{' (dry run)' if dry else ''}"
        for run, dry in zip(history["run_id"], history["dry_run"], strict=True)
    ]
    fig.add_bar(
        name="records/s",
        x=runs,
        y=history["records_per_s"].tolist(),
        marker_color=OBJECT_COLORS["companies"],
        hovertemplate="%{x}: %{y:,.1f} records/s<extra></extra>",
        secondary_y=False,
    )
    rates = [None if pd.isna(v) else 100.0 * float(v) for v in history["success_rate"]]
    fig.add_scatter(
        name="success rate",
        x=runs,
        y=rates,
        mode="lines+markers",
        connectgaps=False,
        line={"color": OUTCOME_COLORS["created"]},
        hovertemplate="%{x}: %{y:.1f} % landed<extra></extra>",
        secondary_y=True,
    )
    return fig
