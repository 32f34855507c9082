"""Earlier runs: one row per ``output/runs/*/report.json``, and the chart across them.

Runs only compare when they loaded the same data into the same portal, so history is grouped
by (data folder, target): the chart shows the current run's group, and :func:`history_groups`
lists the others. A run folder without a readable report (a run stopped before writing it, a
hand-edited file) is skipped with a warning: history must never break the report.
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
from crmkit.report.look import HEIGHT, OBJECT_COLORS, OUTCOME_COLORS, TEMPLATE
from crmkit.report.outcome import as_float, run_outcome

HISTORY_COLUMNS: tuple[str, ...] = (
    "run_id",
    "started_at",
    "status",
    "dry_run",
    "data_dir",
    "target",
    "duration_s",
    "records_per_s",
    "ceiling_records_per_s",
    "success_rate",
    "rows",
    "landed",
    "failed",
    "rejected",
)
UNKNOWN_FOLDER = "(folder not recorded)"


def _history_row(run_dir: Path, report: Mapping[str, Any]) -> dict[str, Any]:
    outcome = run_outcome(report)
    return {
        "run_id": str(report.get("run_id") or run_dir.name),
        "started_at": pd.to_datetime(
            str(report.get("started_at") or ""), utc=True, errors="coerce"
        ),
        "status": str(report.get("status") or ""),
        "dry_run": bool(report.get("dry_run")),
        "data_dir": group_of(report)[0],
        "target": group_of(report)[1],
        "duration_s": as_float(report.get("duration_s")),
        "records_per_s": as_float(report.get("records_per_s")),
        "ceiling_records_per_s": as_float(report.get("ceiling_records_per_s")),
        "success_rate": outcome.success_rate,
        "rows": outcome.rows,
        "landed": outcome.landed,
        "failed": outcome.failed,
        "rejected": outcome.rejected,
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


def group_of(report: Mapping[str, Any]) -> tuple[str, str]:
    """(data folder, portal) of a run: the portal's hub id when known, else its URL."""
    portal = report.get("portal_id")
    target = f"portal {portal}" if portal else str(report.get("target") or "")
    return str(report.get("data_dir") or UNKNOWN_FOLDER), target


def same_group(history: pd.DataFrame, report: Mapping[str, Any]) -> pd.DataFrame:
    """The runs of ``history`` that read the same data folder into the same target."""
    if history.empty:
        return history
    folder, target = group_of(report)
    mine = history[(history["data_dir"] == folder) & (history["target"] == target)]
    return mine.reset_index(drop=True)


def history_groups(history: pd.DataFrame) -> pd.DataFrame:
    """Per (data folder, portal): how many runs, the last one, its success rate."""
    columns = ["data folder", "target", "runs", "last run", "last success rate (%)"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    lines = []
    for (folder, target), runs in history.groupby(["data_dir", "target"], sort=True):
        last = runs.iloc[-1]
        rate = last["success_rate"]
        lines.append(
            {
                "data folder": folder,
                "target": target,
                "runs": len(runs),
                "last run": str(last["run_id"]),
                "last success rate (%)": "" if pd.isna(rate) else round(100.0 * rate, 1),
            }
        )
    return pd.DataFrame(lines, columns=columns)


def _run_label(run_id: str, started: Any, dry: bool) -> str:
    when = "" if pd.isna(started) else started.strftime("%b %d %H:%M")
    return f"{when} · {run_id}{' (dry run)' if dry else ''}".lstrip(" ·")


def history_figure(history: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Records/s (bars) and success rate (line, right axis) per run, oldest on the left.

    Pass one group's runs (:func:`same_group`): runs of other data say nothing about this one.
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(
        title={"text": title or "Earlier runs: throughput and success rate", "x": 0.0},
        template=TEMPLATE,
        height=HEIGHT,
        margin={"l": 70, "r": 70, "t": 80, "b": 110},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
    )
    fig.update_xaxes(title_text="run (start time, UTC)", type="category", tickangle=-30)
    fig.update_yaxes(
        title_text="records/s", rangemode="tozero", tickformat=",~r", secondary_y=False
    )
    fig.update_yaxes(
        title_text="success rate (%)",
        range=[0, 105],
        tickmode="array",
        tickvals=[0, 25, 50, 75, 100],
        showgrid=False,
        secondary_y=True,
    )
    if history.empty:
        fig.add_annotation(
            text="no earlier runs", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )
        return fig
    runs = [
        _run_label(str(run), started, bool(dry))
        for run, started, dry in zip(
            history["run_id"], history["started_at"], history["dry_run"], strict=True
        )
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
