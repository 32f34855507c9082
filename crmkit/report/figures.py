"""Plotly figures built from a run's ``report.json`` dict (see docs/architecture.md).

Every function takes the report as a plain dict, so the same charts work on the report page,
in the report notebook, in tests built from small scenario dicts, and for earlier runs. A
figure never fails on a missing or empty section (a dry run has no batches): it says so on
the canvas. Counts come from :mod:`crmkit.report.outcome`, the function the page's outcome
table uses too. Points carry what they stand for (an object type, an error category) in
``customdata``, which the report page's drill-down reads when a bar is clicked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from crmkit.report import renderer as _renderer
from crmkit.report.activity import (
    bin_width,
    requests_timeline,
    throughput,
    throughput_series,
    timeline_series,
)
from crmkit.report.look import HEIGHT, OBJECT_COLORS, OUTCOME_COLORS, TEMPLATE, new_figure, note
from crmkit.report.outcome import Report, as_float, as_int, file_outcomes, object_types
from crmkit.report.outcome import success_rate as success_rate
from crmkit.report.reasons import reason

_renderer.install()

__all__ = [
    "HEIGHT",
    "OBJECT_COLORS",
    "OUTCOME_COLORS",
    "TEMPLATE",
    "associations",
    "bin_width",
    "data_quality",
    "error_categories",
    "outcome_counts",
    "quality_rows",
    "report_figures",
    "requests_timeline",
    "success_by_object",
    "success_rate",
    "throughput",
    "throughput_series",
    "timeline_series",
]

OUTCOMES: tuple[str, ...] = ("created", "updated", "unchanged", "failed", "rejected", "duplicates")
DRY_RUN_OUTCOMES: tuple[str, ...] = ("planned", "rejected", "duplicates")
OUTCOME_LABELS: dict[str, str] = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged (already there)",
    "failed": "failed",
    "rejected": "rejected",
    "duplicates": "merged duplicates",
    "planned": "to upsert (dry run)",
}


def outcomes_of(report: Report) -> tuple[str, ...]:
    """Where source rows can go: a dry run plans records instead of writing them."""
    return DRY_RUN_OUTCOMES if report.get("dry_run") else OUTCOMES


def outcome_counts(report: Report) -> dict[str, dict[str, int]]:
    """Per object type with rows: the count of each outcome of ``outcomes_of(report)``."""
    return {
        o.object_type: {name: int(getattr(o, name)) for name in outcomes_of(report)}
        for o in file_outcomes(report)
    }


def success_by_object(report: Report) -> go.Figure:
    """Stacked 100 % bars per object type: where each source row went.

    Segments add up to the file's rows (rows = rejected + duplicates + created + updated +
    unchanged + failed, or + planned in a dry run), so the chart also shows that no row went
    missing. An outcome no type has (say, unchanged on a first import) is left out.
    """
    fig = new_figure("Where each source row went", "object type", "share of source rows (%)")
    counts = outcome_counts(report)
    types = [t for t, c in counts.items() if sum(c.values()) > 0]
    if not types:
        return note(fig, "no records in this run")
    totals = {t: sum(counts[t].values()) for t in types}
    for outcome in outcomes_of(report):
        values = [counts[t][outcome] for t in types]
        if outcome == "unchanged" and not any(values):
            continue
        label = OUTCOME_LABELS[outcome]
        fig.add_bar(
            name=label,
            x=types,
            y=[100.0 * v / totals[t] for v, t in zip(values, types, strict=True)],
            customdata=[[v, t] for v, t in zip(values, types, strict=True)],
            marker_color=OUTCOME_COLORS[outcome],
            text=[f"{v:,}" if v else "" for v in values],
            textposition="inside",
            hovertemplate=f"{label}: %{{customdata[0]:,}} (%{{y:.1f}} %)<extra>%{{x}}</extra>",
        )
    fig.update_layout(barmode="stack", yaxis_range=[0, 100])
    return fig


def error_categories(report: Report) -> go.Figure:
    """Rows per reason, largest on top; the reason in words, its code on hover."""
    counts = {str(k): as_int(v) for k, v in (report.get("errors_by_category") or {}).items()}
    counts = {k: v for k, v in counts.items() if v > 0}
    total = sum(counts.values())
    height = max(HEIGHT, 60 + 28 * len(counts))
    fig = new_figure(f"Rows to fix by reason: {total:,}", "rows", "reason", height=height)
    if not counts:
        return note(fig, "no errors")
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))  # largest ends on top
    fig.add_bar(
        x=[v for _, v in ordered],
        y=[reason(k) for k, _ in ordered],
        customdata=[[k] for k, _ in ordered],
        orientation="h",
        marker_color=OUTCOME_COLORS["failed"],
        text=[f"{v:,}" for _, v in ordered],
        textposition="auto",
        hovertemplate="%{y}: %{x:,} rows (code %{customdata[0]})<extra></extra>",
        showlegend=False,
    )
    fig.update_layout(margin={"l": 330})
    if max(counts.values()) <= 10:
        fig.update_xaxes(dtick=1)  # whole rows, never 0.5
    return fig


def quality_rows(report: Report) -> list[tuple[str, str, float]]:
    """(object type, property, score in %) for every scored column, in write order."""
    quality = report.get("quality") or {}
    rows: list[tuple[str, str, float]] = []
    for object_type in object_types({"objects": quality}):
        columns = (quality.get(object_type) or {}).get("columns") or {}
        for prop in sorted(columns):
            rows.append((object_type, str(prop), 100.0 * as_float(columns[prop])))
    return rows


def data_quality(report: Report) -> go.Figure:
    """Share of valid values per column, grouped by object type (legend shows each score)."""
    rows = quality_rows(report)
    fig = new_figure(
        "Data quality per object and column",
        "valid values (%)",
        "column",
        height=max(HEIGHT, 90 + 22 * len(rows)),
    )
    if not rows:
        return note(fig, "no quality results in this report")
    quality = report.get("quality") or {}
    for object_type in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == object_type]
        score = 100.0 * as_float((quality.get(object_type) or {}).get("score"))
        fig.add_bar(
            name=f"{object_type} (overall {score:.1f} %)",
            x=[r[2] for r in mine],
            y=[f"{object_type} · {r[1]}" for r in mine],
            orientation="h",
            marker_color=OBJECT_COLORS.get(object_type, "#455a64"),
            text=[f"{r[2]:.1f}" for r in mine],
            textposition="auto",
            hovertemplate="%{y}: %{x:.1f} % valid<extra></extra>",
        )
    fig.update_layout(margin={"l": 220}, xaxis_range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig


def associations(report: Report) -> go.Figure:
    """Associations planned, created and failed (and planned but never attempted)."""
    section = report.get("associations") or {}
    planned, created, failed = (as_int(section.get(k)) for k in ("planned", "created", "failed"))
    fig = new_figure(f"Links between records: {planned:,} planned", "", "links")
    if planned == created == failed == 0:
        return note(fig, "no associations planned")
    labels = ["planned", "created", "failed"]
    values = [planned, created, failed]
    pending = planned - created - failed
    if pending > 0 and not report.get("dry_run"):
        labels.append("not attempted")
        values.append(pending)
    colors = {
        "planned": OUTCOME_COLORS["planned"],
        "created": OUTCOME_COLORS["created"],
        "failed": OUTCOME_COLORS["failed"],
        "not attempted": "#9e9e9e",
    }
    fig.add_bar(
        x=labels,
        y=values,
        marker_color=[colors[label] for label in labels],
        text=[f"{v:,}" for v in values],
        textposition="auto",
        hovertemplate="%{x}: %{y:,}<extra></extra>",
        showlegend=False,
    )
    return fig


def report_figures(report: Report) -> list[go.Figure]:
    """Every per-run chart of the page's chart section, in reading order.

    Data quality belongs to the technical appendix and the history chart needs other runs, so
    neither is here (see :mod:`crmkit.report.history`).
    """
    builders: Iterable[Any] = (
        success_by_object,
        error_categories,
        throughput,
        requests_timeline,
        associations,
    )
    return [build(report) for build in builders]
