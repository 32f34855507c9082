"""Charts of what the run did over time: records written and requests sent.

A run of a few seconds has too few points for a rate curve (one spike, one dot), so it is
drawn as bars: one per batch for records, one per second for requests. Longer runs get the
rate curve against the tier's ceiling. Figures in legends and titles come from report.json's
totals (``requests``, ``records_per_s``), never from re-adding the series, so a chart cannot
disagree with the summary; the pipeline's timeline adds up to the same totals.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from crmkit.report.look import OBJECT_COLORS, OUTCOME_COLORS, new_figure, note
from crmkit.report.outcome import Report, as_float, as_int, run_outcome

ASSOCIATION_ACTIONS = frozenset({"associate", "associations", "link"})
SHORT_RUN_BINS = 10
"""A write phase with fewer one-second bins than this is drawn per batch, not as a rate."""
SUBTITLE_WIDTH = 140
RATE_WINDOW_S = 10
"""HubSpot's rolling rate window: a shorter run may spend a whole window's budget at once."""


def record_batches(report: Report) -> list[Mapping[str, Any]]:
    """Object batches in start order (association batches carry links, not records)."""
    batches = [
        b
        for b in report.get("batches") or []
        if str(b.get("action", "")).lower() not in ASSOCIATION_ACTIONS
    ]
    return sorted(batches, key=lambda b: as_float(b.get("t")))


NICE_BIN_WIDTHS_S: tuple[float, ...] = (0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800)


def bin_width(span_s: float, max_points: int) -> float:
    """The narrowest round bin width that keeps ``span_s`` within ``max_points`` bins."""
    for width in NICE_BIN_WIDTHS_S:
        if math.ceil(span_s / width) <= max_points:
            return float(width)
    return span_s / max_points


def write_span_s(report: Report) -> float:
    """Seconds from the first object batch's start to the last one's end."""
    batches = record_batches(report)
    if not batches:
        return 0.0
    ends = [as_float(b.get("t")) + as_float(b.get("duration_s")) for b in batches]
    return max(ends) - as_float(batches[0].get("t"))


def is_short_run(report: Report) -> bool:
    return write_span_s(report) < SHORT_RUN_BINS


def throughput_series(report: Report, *, max_points: int = 60) -> tuple[list[float], list[float]]:
    """Records written per second while the run was writing, from ``batches``.

    A batch's succeeded records count in the bin where it finished (``t + duration_s``).
    Bins start at the first batch (planning is not writing time) with a round width that keeps
    at most ``max_points``. Returns (bin start times in s since the run started, records/s).
    """
    batches = record_batches(report)
    if not batches:
        return [], []
    ends = [as_float(b.get("t")) + as_float(b.get("duration_s")) for b in batches]
    first = as_float(batches[0].get("t"))
    width = bin_width(max(ends) - first, max_points)
    start = math.floor(first / width) * width
    written = [0.0] * (int((max(ends) - start) // width) + 1)
    for batch, end in zip(batches, ends, strict=True):
        written[int((end - start) // width)] += as_int(batch.get("succeeded"))
    return [start + i * width for i in range(len(written))], [w / width for w in written]


def ceiling_words(report: Report) -> str:
    """What the average and the ceiling mean, for the chart's subtitle."""
    average = as_float(report.get("records_per_s"))
    ceiling = as_float(report.get("ceiling_records_per_s"))
    parts = [f"Run average {average:,.0f} records/s = records landed ÷ seconds spent writing."]
    if ceiling > 0:
        parts.append(
            f"Tier ceiling {ceiling:,.0f} records/s = records per request × requests the"
            " portal allows per second, sustained."
        )
        if average > ceiling:
            parts.append(
                f"A run shorter than the {RATE_WINDOW_S} s rate window can go above it: the"
                " window's whole budget is spent in one burst."
            )
    return " ".join(parts)


def _subtitle(fig: go.Figure, title: str, text: str) -> go.Figure:
    """The explanation under the title, wrapped (a chart does not wrap its title itself)."""
    lines = textwrap.wrap(text, SUBTITLE_WIDTH)
    fig.update_layout(
        title={
            "text": f"{title}<br><sup>{'<br>'.join(lines)}</sup>",
            "yref": "container",
            "y": 1.0,
            "pad": {"t": 14},
            "yanchor": "top",
        },
        margin={"t": 110 + 16 * len(lines)},
        legend={"y": 1.02},
    )
    return fig


def throughput(report: Report) -> go.Figure:
    """Records per batch (short run) or records/s over time against the tier's ceiling."""
    batches = record_batches(report)
    if not batches:
        fig = new_figure("Records written", "seconds since start", "records/s")
        return note(fig, "no record batches were sent (dry run or nothing to write)")
    if is_short_run(report):
        return _batch_bars(report, batches)
    return _rate_curve(report)


def _batch_bars(report: Report, batches: list[Mapping[str, Any]]) -> go.Figure:
    title = f"Records written per batch ({len(batches):,} batches)"
    fig = new_figure(title, "batch, in the order it was sent", "records in the batch")
    labels = [f"{i + 1} · {b.get('object_type', '')}" for i, b in enumerate(batches)]
    for outcome, key in (("landed", "succeeded"), ("failed", "failed")):
        color = OUTCOME_COLORS["created" if outcome == "landed" else "failed"]
        values = [as_int(b.get(key)) for b in batches]
        if outcome == "failed" and not any(values):
            continue
        fig.add_bar(
            name=outcome,
            x=labels,
            y=values,
            marker_color=color,
            customdata=[[as_float(b.get("t")), as_float(b.get("duration_s"))] for b in batches],
            hovertemplate=(
                f"%{{x}}: %{{y:,}} {outcome}, sent at %{{customdata[0]:.1f}} s,"
                " answered in %{customdata[1]:.2f} s<extra></extra>"
            ),
        )
    fig.update_layout(barmode="stack", xaxis_type="category")
    span = write_span_s(report)
    words = f"All batches were written within {span:.1f} s. " + ceiling_words(report)
    return _subtitle(fig, title, words)


def _rate_curve(report: Report) -> go.Figure:
    title = "Records written per second"
    fig = new_figure(title, "seconds since start", "records/s")
    times, rates = throughput_series(report)
    fig.add_scatter(
        name="records written/s",
        x=times,
        y=rates,
        mode="lines",
        line={"color": OBJECT_COLORS["companies"], "shape": "hv"},
        hovertemplate="t=%{x:.0f}s: %{y:,.1f} records/s<extra></extra>",
    )
    end = times[-1] + (times[1] - times[0] if len(times) > 1 else 1.0)
    ceiling = as_float(report.get("ceiling_records_per_s"))
    if ceiling > 0:
        fig.add_scatter(
            name=f"tier ceiling ({ceiling:,.0f}/s)",
            x=[times[0], end],
            y=[ceiling, ceiling],
            mode="lines",
            line={"color": OUTCOME_COLORS["failed"], "dash": "dash"},
            hovertemplate="ceiling: %{y:,.0f} records/s<extra></extra>",
        )
    average = as_float(report.get("records_per_s"))
    if average > 0:
        fig.add_scatter(
            name=f"run average ({average:,.0f}/s)",
            x=[times[0], end],
            y=[average, average],
            mode="lines",
            line={"color": "#757575", "dash": "dot"},
            hoverinfo="skip",
        )
    fig.update_yaxes(rangemode="tozero")
    return _subtitle(fig, title, ceiling_words(report))


TIMELINE_SERIES: tuple[tuple[str, str, str, str], ...] = (
    ("requests", "total", "requests", "#1565c0"),
    ("retried", "retried", "retries", "#f9a825"),
    ("rate_limited", "rate_limited", "429 rate limited", "#ef6c00"),
    ("server_errors", "server_errors", "server errors (5xx)", "#c62828"),
)
"""(timeline key, report.json ``requests`` key, label, colour)."""


def timeline_series(report: Report) -> dict[str, list[int]]:
    """Per-second counts from the first request to the last, quiet seconds filled with 0."""
    rows = [r for r in report.get("timeline") or [] if as_int(r.get("t")) >= 0]
    if not rows:
        return {}
    first = min(as_int(r.get("t")) for r in rows)
    count = max(as_int(r.get("t")) for r in rows) - first + 1
    series = {"t": list(range(first, first + count))}
    series |= {key: [0] * count for key, _, _, _ in TIMELINE_SERIES}
    for row in rows:
        for key, _, _, _ in TIMELINE_SERIES:
            series[key][as_int(row.get("t")) - first] += as_int(row.get(key))
    return series


def requests_timeline(report: Report) -> go.Figure:
    """Requests, retries, 429s and server errors per second; legends state report.json's totals."""
    outcome = run_outcome(report)
    title = f"Requests sent: {outcome.requests:,}"
    fig = new_figure(title, "seconds since start", "per second")
    series = timeline_series(report)
    if not series:
        return note(fig, "no requests were sent (dry run)")
    totals = report.get("requests") or {}
    short = len(series["t"]) <= 30
    for key, total_key, label, color in TIMELINE_SERIES:
        name = f"{label} ({as_int(totals.get(total_key)):,})"
        hover = f"t=%{{x}}s: %{{y}} {label}<extra></extra>"
        if short:
            fig.add_bar(
                name=name, x=series["t"], y=series[key], marker_color=color, hovertemplate=hover
            )
        else:
            fig.add_scatter(
                name=name,
                x=series["t"],
                y=series[key],
                mode="lines",
                line={"color": color, "shape": "hv", "width": 2 if key == "requests" else 1.5},
                hovertemplate=hover,
            )
    fig.update_layout(barmode="group")
    fig.update_xaxes(dtick=1 if short and len(series["t"]) <= 15 else None)
    fig.update_yaxes(rangemode="tozero")
    words = (
        "Retries are normal (a dropped connection, a slow answer); 429s mean the portal asked"
        " crmkit to slow down, which it does without losing records."
    )
    return _subtitle(fig, title, words)
