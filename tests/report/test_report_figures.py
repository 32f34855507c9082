"""Figures computed from scenario reports: the numbers drawn follow from the scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import pytest

from crmkit.report import figures
from tests.support.report_scenarios import batch, make_report

Builder = Callable[[dict[str, Any]], go.Figure]
BUILDERS: list[Builder] = [
    figures.success_by_object,
    figures.error_categories,
    figures.throughput,
    figures.requests_timeline,
    figures.associations,
    figures.data_quality,
]


def traces(fig: go.Figure) -> dict[str, Any]:
    return {trace.name: trace for trace in fig.data}


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_figure_is_titled_and_labelled(build: Builder, faulty_run: dict[str, Any]) -> None:
    """A chart a manager reads names itself and its axes."""
    fig = build(faulty_run)
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text or build is figures.associations
    assert fig.layout.yaxis.title.text
    assert len(fig.data) > 0


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_empty_report_draws_a_note_not_blank_axes(build: Builder) -> None:
    """A dry run has no batches or requests: each chart says so instead of failing."""
    fig = build(make_report(dry_run=True))
    assert len(fig.data) == 0
    assert fig.layout.annotations and fig.layout.annotations[0].text


def test_success_by_object_stacks_percentages_of_each_type(faulty_run: dict[str, Any]) -> None:
    """Each type's bars are its outcome counts as a share of its rows; empty types vanish."""
    fig = figures.success_by_object(faulty_run)
    bars = traces(fig)
    assert list(bars) == ["created", "updated", "failed", "rejected", "merged duplicates"]
    assert list(bars["created"].x) == ["companies", "contacts"]
    assert list(bars["created"].y) == pytest.approx([75.0, 60.0])
    assert list(bars["updated"].y) == pytest.approx([25.0, 20.0])
    assert list(bars["failed"].y) == pytest.approx([0.0, 10.0])
    assert [list(c) for c in bars["rejected"].customdata] == [[0, "companies"], [1, "contacts"]]
    assert fig.layout.barmode == "stack"


def test_success_by_object_accounts_for_every_row_with_duplicates() -> None:
    """Segments add up to the file's rows: merged duplicates have their own segment."""
    report = make_report(
        objects={"contacts": {"rows": 8, "created": 4, "failed": 1, "rejected": 1, "duplicates": 2}}
    )
    bars = traces(figures.success_by_object(report))
    assert sum(int(bar.customdata[0][0]) for bar in bars.values()) == 8
    assert bars["merged duplicates"].y[0] == pytest.approx(25.0)


def test_dry_run_shows_planned_records_instead_of_writes() -> None:
    report = make_report(
        dry_run=True,
        objects={"tickets": {"rows": 10, "planned": 7, "rejected": 2, "duplicates": 1}},
    )
    bars = traces(figures.success_by_object(report))
    assert list(bars) == ["to upsert (dry run)", "rejected", "merged duplicates"]
    assert [bar.y[0] for bar in bars.values()] == pytest.approx([70.0, 20.0, 10.0])


@pytest.mark.parametrize(
    ("objects", "dry_run", "expected"),
    [
        ({"contacts": {"created": 3, "updated": 1}}, False, 1.0),
        ({"contacts": {"created": 1, "failed": 1}, "tickets": {"rejected": 2}}, False, 0.25),
        ({"contacts": {"created": 2, "duplicates": 5, "rejected": 2}}, False, 0.5),
        ({"contacts": {"planned": 9, "rejected": 1, "created": 0}}, True, 0.9),
        ({"contacts": {"planned": 9, "rejected": 1}}, False, 0.0),
        ({"contacts": {"created": 0, "duplicates": 5}}, False, None),
        ({}, False, None),
    ],
)
def test_success_rate(
    objects: dict[str, dict[str, int]], dry_run: bool, expected: float | None
) -> None:
    """Landed (or planned) / (that + failed + rejected); duplicates count for neither side."""
    assert figures.success_rate(make_report(objects=objects, dry_run=dry_run)) == expected


def test_throughput_bins_succeeded_records_by_batch_end(faulty_run: dict[str, Any]) -> None:
    """Batches ending in the first second add up there (1 s bins when 3 points are allowed)."""
    times, rates = figures.throughput_series(faulty_run, max_points=3)
    assert times == [0.0, 1.0, 2.0]
    assert rates == [12.0, 0.0, 0.0]


def long_run(ceiling: float = 1000.0) -> dict[str, Any]:
    """Batches spread over a minute: long enough for a rate curve."""
    return make_report(
        batches=[batch(float(t), 100) for t in range(0, 60, 2)],
        records_per_s=50.0,
        ceiling=ceiling,
    )


def test_a_short_run_draws_one_bar_per_batch_with_ceiling_and_average_explained(
    faulty_run: dict[str, Any],
) -> None:
    """A run that wrote for 2.3 s has no rate curve to speak of: its batches are the bars."""
    fig = figures.throughput(faulty_run)
    landed = traces(fig)["landed"]
    assert list(landed.x) == ["1 · contacts", "2 · contacts", "3 · contacts"]
    assert list(landed.y) == [4, 8, 0]
    assert list(traces(fig)["failed"].y) == [0, 0, 1]
    title = fig.layout.title.text.replace("<br>", " ")
    assert "3 batches" in title and "Run average 4 records/s" in title
    assert "Tier ceiling 1,000 records/s" in title


def test_a_long_run_draws_the_rate_against_a_dashed_ceiling() -> None:
    lines = list(figures.throughput(long_run()).data)
    assert [t.name for t in lines] == [
        "records written/s",
        "tier ceiling (1,000/s)",
        "run average (50/s)",
    ]
    assert set(lines[1].y) == {1000.0}
    assert lines[1].line.dash == "dash"
    assert (
        "Tier ceiling 1,000 records/s = records per request"
        in figures.throughput(long_run()).layout.title.text
    )


def test_an_average_above_the_ceiling_is_explained() -> None:
    report = make_report(batches=[batch(0.0, 500)], records_per_s=2097.0, ceiling=1900.0)
    assert "can go above it" in figures.throughput(report).layout.title.text.replace("<br>", " ")


@pytest.mark.parametrize(
    ("span", "max_points", "width"),
    [(2.3, 60, 0.25), (2.3, 3, 1.0), (300.0, 60, 5.0), (299.0, 60, 5.0), (1e6, 60, 1e6 / 60)],
)
def test_bin_width_is_round_and_keeps_within_max_points(
    span: float, max_points: int, width: float
) -> None:
    assert figures.bin_width(span, max_points) == width


def test_throughput_widens_bins_for_long_runs_and_skips_association_batches() -> None:
    """300 s at 60 points gives 5 s bins; association batches are not records."""
    report = make_report(
        batches=[
            batch(0.0, 50),
            batch(299.0, 100, duration_s=1.0),
            batch(1.0, 999, action="associate"),
        ]
    )
    times, rates = figures.throughput_series(report, max_points=60)
    assert times[1] - times[0] == 5.0
    assert rates[0] == 10.0 and rates[-1] == 20.0
    assert sum(rates) * 5 == 150


def test_throughput_starts_at_the_first_batch_not_at_planning() -> None:
    """A run that planned for 34 s draws its writing time, not 34 s of zeros."""
    report = make_report(
        batches=[batch(34.2, 100, duration_s=0.1), batch(34.9, 50, duration_s=0.5)]
    )
    times, rates = figures.throughput_series(report)
    assert times[0] == 34.0
    assert sum(rates) * (times[1] - times[0]) == 150


def test_timeline_starts_at_the_first_request() -> None:
    report = make_report(
        timeline=[
            {"t": 34, "requests": 10, "retried": 1, "rate_limited": 0, "server_errors": 0},
            {"t": 36, "requests": 2, "retried": 0, "rate_limited": 0, "server_errors": 1},
        ]
    )
    series = figures.timeline_series(report)
    assert series["t"] == [34, 35, 36]
    assert series["requests"] == [10, 0, 2]
    assert series["server_errors"] == [0, 0, 1]


def test_no_ceiling_line_when_the_report_has_none() -> None:
    report = long_run(ceiling=0.0) | {"records_per_s": 0.0}
    assert [t.name for t in figures.throughput(report).data] == ["records written/s"]


def test_timeline_fills_missing_seconds_and_states_report_totals(
    faulty_run: dict[str, Any],
) -> None:
    """Quiet seconds show 0; legends and title state report.json's totals, not the series'."""
    faulty_run["requests"] = {"total": 17, "retried": 2, "rate_limited": 1, "server_errors": 1}
    fig = figures.requests_timeline(faulty_run)
    assert fig.layout.title.text.startswith("Requests sent: 17<br>")
    by_prefix = {t.name.split(" (")[0]: t for t in fig.data}
    assert list(by_prefix["requests"].x) == [0, 1, 2]
    assert list(by_prefix["requests"].y) == [3, 0, 5]
    assert list(by_prefix["429 rate limited"].y) == [0, 0, 1]
    assert by_prefix["requests"].name == "requests (17)"
    assert by_prefix["retries"].name == "retries (2)"
    assert by_prefix["server errors"].name == "server errors (5xx) (1)"


def test_error_categories_sorted_with_largest_on_top() -> None:
    report = make_report(errors={"INVALID_EMAIL": 7, "CONFLICT": 2, "MISSING_REQUIRED": 11, "X": 0})
    fig = figures.error_categories(report)
    bar = fig.data[0]
    assert list(bar.y) == [
        "Another record in the portal already has this key",
        "The email address is not valid",
        "A required value is empty",
    ]
    assert [c[0] for c in bar.customdata] == ["CONFLICT", "INVALID_EMAIL", "MISSING_REQUIRED"]
    assert list(bar.x) == [2, 7, 11]
    assert fig.layout.title.text == "Rows to fix by reason: 20"


def test_quality_groups_columns_by_object_with_overall_score(faulty_run: dict[str, Any]) -> None:
    fig = figures.data_quality(faulty_run)
    bars = {t.name: t for t in fig.data}
    assert list(bars) == ["companies (overall 100.0 %)", "contacts (overall 90.0 %)"]
    contacts = bars["contacts (overall 90.0 %)"]
    assert list(contacts.y) == ["contacts · email", "contacts · phone"]
    assert list(contacts.x) == pytest.approx([80.0, 100.0])


@pytest.mark.parametrize(
    ("section", "dry_run", "expected"),
    [
        (
            {"planned": 10, "created": 7, "failed": 1},
            False,
            {"planned": 10, "created": 7, "failed": 1, "not attempted": 2},
        ),
        (
            {"planned": 5, "created": 5, "failed": 0},
            False,
            {"planned": 5, "created": 5, "failed": 0},
        ),
        (
            {"planned": 4, "created": 0, "failed": 0},
            True,
            {"planned": 4, "created": 0, "failed": 0},
        ),
    ],
)
def test_associations_bars(
    section: dict[str, int], dry_run: bool, expected: dict[str, int]
) -> None:
    """Planned links never tried show as their own bar, except in a dry run (none are tried)."""
    bar = figures.associations(make_report(associations=section, dry_run=dry_run)).data[0]
    assert dict(zip(bar.x, bar.y, strict=True)) == expected


def test_report_figures_in_reading_order_each_once(faulty_run: dict[str, Any]) -> None:
    """The page's charts; data quality is in the appendix, not a second time here."""
    titles = [f.layout.title.text for f in figures.report_figures(faulty_run)]
    assert titles == [build(faulty_run).layout.title.text for build in BUILDERS[:-1]]
