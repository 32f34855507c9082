"""Plotly figures built from a run's ``report.json`` dict (see docs/architecture.md).

Every function takes the report as a plain dict, so the same charts work in the report
notebook, in tests built from small scenario dicts, and for reports of earlier runs. A figure
never fails on a missing or empty section (a dry run has no batches): it says so on the canvas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

from crmkit import OBJECT_TYPES
from crmkit.report import renderer as _renderer

Report = Mapping[str, Any]

_renderer.install()

TEMPLATE = "plotly_white"
HEIGHT = 420

# One colour per outcome, the same in every chart, so a reader learns them once.
OUTCOME_COLORS: dict[str, str] = {
    "created": "#2e7d32",
    "updated": "#66bb6a",
    "failed": "#c62828",
    "rejected": "#ef6c00",
    "duplicates": "#bdbdbd",
    "planned": "#1565c0",
}
OBJECT_COLORS: dict[str, str] = {
    "companies": "#1565c0",
    "contacts": "#6a1b9a",
    "tickets": "#00838f",
}
OUTCOMES: tuple[str, ...] = ("created", "updated", "failed", "rejected", "duplicates")
DRY_RUN_OUTCOMES: tuple[str, ...] = ("planned", "rejected", "duplicates")
OUTCOME_LABELS: dict[str, str] = {
    "created": "created",
    "updated": "updated",
    "failed": "failed",
    "rejected": "rejected",
    "duplicates": "merged duplicates",
    "planned": "to upsert (dry run)",
}
ASSOCIATION_ACTIONS = frozenset({"associate", "associations", "link"})


def _figure(title: str, x_title: str, y_title: str, *, height: int = HEIGHT) -> go.Figure:
    """An empty figure with the shared look: title, labelled axes, legend below the title."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        template=TEMPLATE,
        height=height,
        margin={"l": 70, "r": 30, "t": 80, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    return fig


def _note(fig: go.Figure, text: str) -> go.Figure:
    """Write ``text`` in the middle of an empty chart (instead of drawing blank axes)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 15, "color": "#666"},
    )
    return fig


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float:
    try:
        result = float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


def _object_types(objects: Mapping[str, Any]) -> list[str]:
    """Known types in write order first, then anything else the report holds."""
    known = [t for t in OBJECT_TYPES if t in objects]
    return known + sorted(t for t in objects if t not in OBJECT_TYPES)


def outcomes_of(report: Report) -> tuple[str, ...]:
    """Where source rows can go: a dry run plans records instead of writing them."""
    return DRY_RUN_OUTCOMES if report.get("dry_run") else OUTCOMES


def outcome_counts(report: Report) -> dict[str, dict[str, int]]:
    """Per object type: the count of each outcome of ``outcomes_of(report)`` (missing = 0)."""
    objects = report.get("objects") or {}
    counts: dict[str, dict[str, int]] = {}
    for object_type in _object_types(objects):
        section = objects.get(object_type) or {}
        counts[object_type] = {o: _int(section.get(o)) for o in outcomes_of(report)}
    return counts


def success_rate(report: Report) -> float | None:
    """Share of records that landed (planned, in a dry run) among those landed or not.

    ``(created + updated) / (created + updated + failed + rejected)``, the rate summary.txt
    prints; merged duplicates are neither success nor failure. ``None`` when there is nothing
    to count (an empty run), so history charts show a gap rather than 0 %.
    """
    ok = bad = 0
    for counts in outcome_counts(report).values():
        ok += counts.get("created", 0) + counts.get("updated", 0) + counts.get("planned", 0)
        bad += counts.get("failed", 0) + counts.get("rejected", 0)
    if ok + bad == 0:
        return None
    return ok / (ok + bad)


def success_by_object(report: Report) -> go.Figure:
    """Stacked 100 % bars per object type: where each source row went.

    Segments add up to the file's rows (rows = rejected + duplicates + created + updated +
    failed, or + planned in a dry run), so the chart also shows that no row went missing.
    """
    fig = _figure("Outcome per object type", "object type", "share of source rows (%)")
    counts = outcome_counts(report)
    types = [t for t, c in counts.items() if sum(c.values()) > 0]
    if not types:
        return _note(fig, "no records in this run")
    totals = {t: sum(counts[t].values()) for t in types}
    for outcome in outcomes_of(report):
        values = [counts[t][outcome] for t in types]
        label = OUTCOME_LABELS[outcome]
        fig.add_bar(
            name=label,
            x=types,
            y=[100.0 * v / totals[t] for v, t in zip(values, types, strict=True)],
            customdata=values,
            marker_color=OUTCOME_COLORS[outcome],
            text=[f"{v:,}" if v else "" for v in values],
            textposition="inside",
            hovertemplate=f"{label}: %{{customdata:,}} (%{{y:.1f}} %)<extra>%{{x}}</extra>",
        )
    fig.update_layout(barmode="stack", yaxis_range=[0, 100])
    return fig


def _record_batches(report: Report) -> list[Mapping[str, Any]]:
    return [
        b
        for b in report.get("batches") or []
        if str(b.get("action", "")).lower() not in ASSOCIATION_ACTIONS
    ]


NICE_BIN_WIDTHS_S: tuple[float, ...] = (0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800)


def bin_width(span_s: float, max_points: int) -> float:
    """The narrowest round bin width that keeps ``span_s`` within ``max_points`` bins."""
    for width in NICE_BIN_WIDTHS_S:
        if math.ceil(span_s / width) <= max_points:
            return float(width)
    return span_s / max_points


def throughput_series(report: Report, *, max_points: int = 60) -> tuple[list[float], list[float]]:
    """Records written per second while the run was writing, from ``batches``.

    A batch's succeeded records count in the bin where the batch finished (``t +
    duration_s``). Bins start at the first batch (planning before it is not writing time) and
    have a round width chosen so there are at most ``max_points``. Returns (bin start times in
    s since the run started, records/s). Association batches are left out: the ceiling line
    is in records, not links.
    """
    batches = _record_batches(report)
    if not batches:
        return [], []
    ends = [_float(b.get("t")) + _float(b.get("duration_s")) for b in batches]
    first = min(_float(b.get("t")) for b in batches)
    width = bin_width(max(ends) - first, max_points)
    start = math.floor(first / width) * width
    n_bins = int((max(ends) - start) // width) + 1
    written = [0.0] * n_bins
    for batch, end in zip(batches, ends, strict=True):
        written[int((end - start) // width)] += _int(batch.get("succeeded"))
    return [start + i * width for i in range(n_bins)], [w / width for w in written]


def throughput(report: Report) -> go.Figure:
    """Records written per second over time, against the tier's ceiling (dashed line)."""
    fig = _figure("Throughput against the tier's ceiling", "seconds since start", "records/s")
    times, rates = throughput_series(report)
    if not times:
        return _note(fig, "no record batches were sent (dry run or nothing to write)")
    fig.add_scatter(
        name="records written/s",
        x=times,
        y=rates,
        mode="lines+markers",
        line={"color": OBJECT_COLORS["companies"], "shape": "hv"},
        hovertemplate="t=%{x:.0f}s: %{y:,.1f} records/s<extra></extra>",
    )
    ceiling = _float(report.get("ceiling_records_per_s"))
    if ceiling > 0:
        fig.add_scatter(
            name=f"tier ceiling ({ceiling:,.0f}/s)",
            x=[times[0], times[-1] + (times[1] - times[0] if len(times) > 1 else 1.0)],
            y=[ceiling, ceiling],
            mode="lines",
            line={"color": "#c62828", "dash": "dash"},
            hovertemplate="ceiling: %{y:,.0f} records/s<extra></extra>",
        )
    average = _float(report.get("records_per_s"))
    if average > 0:
        fig.add_scatter(
            name=f"run average ({average:,.1f}/s)",
            x=[times[0], times[-1]],
            y=[average, average],
            mode="lines",
            line={"color": "#757575", "dash": "dot"},
            hoverinfo="skip",
        )
    fig.update_yaxes(rangemode="tozero")
    return fig


TIMELINE_SERIES: tuple[tuple[str, str, str], ...] = (
    ("requests", "requests", "#1565c0"),
    ("retried", "retries", "#f9a825"),
    ("rate_limited", "429 rate limited", "#ef6c00"),
    ("server_errors", "server errors (5xx)", "#c62828"),
)


def timeline_series(report: Report) -> dict[str, list[int]]:
    """Per-second counts from the first request to the last, quiet seconds filled with 0."""
    rows = [r for r in report.get("timeline") or [] if _int(r.get("t")) >= 0]
    if not rows:
        return {}
    first = min(_int(r.get("t")) for r in rows)
    count = max(_int(r.get("t")) for r in rows) - first + 1
    series = {"t": list(range(first, first + count))}
    series |= {key: [0] * count for key, _, _ in TIMELINE_SERIES}
    for row in rows:
        for key, _, _ in TIMELINE_SERIES:
            series[key][_int(row.get("t")) - first] += _int(row.get(key))
    return series


def requests_timeline(report: Report) -> go.Figure:
    """Requests, retries, 429s and server errors per second."""
    fig = _figure("Requests, retries, 429s and server errors", "seconds since start", "per second")
    series = timeline_series(report)
    if not series:
        return _note(fig, "no requests were sent (dry run)")
    for key, label, color in TIMELINE_SERIES:
        fig.add_scatter(
            name=f"{label} ({sum(series[key]):,})",
            x=series["t"],
            y=series[key],
            mode="lines+markers" if len(series["t"]) <= 30 else "lines",
            line={"color": color, "shape": "hv", "width": 2 if key == "requests" else 1.5},
            hovertemplate=f"t=%{{x}}s: %{{y}} {label}<extra></extra>",
        )
    fig.update_yaxes(rangemode="tozero")
    return fig


def error_categories(report: Report) -> go.Figure:
    """Rows per error category, largest first."""
    counts = {str(k): _int(v) for k, v in (report.get("errors_by_category") or {}).items()}
    counts = {k: v for k, v in counts.items() if v > 0}
    height = max(HEIGHT, 60 + 28 * len(counts))
    fig = _figure("Errors by category", "rows", "category", height=height)
    if not counts:
        return _note(fig, "no errors")
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))  # largest ends on top
    fig.add_bar(
        x=[v for _, v in ordered],
        y=[k for k, _ in ordered],
        orientation="h",
        marker_color=OUTCOME_COLORS["failed"],
        text=[f"{v:,}" for _, v in ordered],
        textposition="auto",
        hovertemplate="%{y}: %{x:,} rows<extra></extra>",
        showlegend=False,
    )
    fig.update_layout(margin={"l": 200})
    return fig


def quality_rows(report: Report) -> list[tuple[str, str, float]]:
    """(object type, property, score in %) for every scored column, in write order."""
    quality = report.get("quality") or {}
    rows: list[tuple[str, str, float]] = []
    for object_type in _object_types(quality):
        columns = (quality.get(object_type) or {}).get("columns") or {}
        for prop in sorted(columns):
            rows.append((object_type, str(prop), 100.0 * _float(columns[prop])))
    return rows


def data_quality(report: Report) -> go.Figure:
    """Share of valid values per column, grouped by object type (legend shows each score)."""
    rows = quality_rows(report)
    fig = _figure(
        "Data quality per object and column",
        "valid values (%)",
        "column",
        height=max(HEIGHT, 90 + 22 * len(rows)),
    )
    if not rows:
        return _note(fig, "no quality results in this report")
    quality = report.get("quality") or {}
    for object_type in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == object_type]
        score = 100.0 * _float((quality.get(object_type) or {}).get("score"))
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
    fig = _figure("Associations", "", "associations")
    section = report.get("associations") or {}
    planned, created, failed = (_int(section.get(k)) for k in ("planned", "created", "failed"))
    if planned == created == failed == 0:
        return _note(fig, "no associations planned")
    labels = ["planned", "created", "failed"]
    values = [planned, created, failed]
    pending = planned - created - failed
    if pending > 0 and not report.get("dry_run"):
        labels.append("not attempted")
        values.append(pending)
    colors = {
        "planned": "#1565c0",
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
    """Every per-run chart in reading order (the history chart needs other runs, see history)."""
    builders: Iterable[Any] = (
        success_by_object,
        throughput,
        requests_timeline,
        error_categories,
        data_quality,
        associations,
    )
    return [build(report) for build in builders]
