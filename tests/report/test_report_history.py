"""History across earlier run folders: order, numbers per run, broken folders skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.report.history import history_figure, history_groups, load_history, same_group
from tests.support.report_scenarios import make_report, write_run


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """Three runs stored out of time order, a dry run, a broken report and an empty folder."""
    write_run(
        tmp_path,
        make_report(
            run_id="b-second",
            started_at="2024-05-02T09:00:00Z",
            objects={"contacts": {"rows": 10, "created": 8, "failed": 2}},
            records_per_s=80.0,
        ),
    )
    write_run(
        tmp_path,
        make_report(
            run_id="a-third",
            started_at="2024-05-03T09:00:00Z",
            objects={"contacts": {"rows": 4, "updated": 4}},
            records_per_s=120.0,
        ),
    )
    write_run(
        tmp_path,
        make_report(
            run_id="c-first",
            started_at="2024-05-01T09:00:00+02:00",
            objects={"contacts": {"rows": 5, "created": 1, "rejected": 4}},
            records_per_s=10.0,
        ),
    )
    write_run(
        tmp_path, make_report(run_id="d-dry", started_at="2024-05-04T00:00:00Z", dry_run=True)
    )
    broken = tmp_path / "runs" / "e-broken"
    broken.mkdir()
    (broken / "report.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "runs" / "f-no-report").mkdir()
    return tmp_path


def test_history_is_ordered_by_start_time_and_skips_broken_runs(runs: Path) -> None:
    with pytest.warns(UserWarning, match="e-broken"):
        history = load_history(runs)
    assert history["run_id"].tolist() == ["c-first", "b-second", "a-third", "d-dry"]
    assert history["records_per_s"].tolist() == [10.0, 80.0, 120.0, 0.0]
    assert history["success_rate"].tolist()[:3] == pytest.approx([0.2, 0.8, 1.0])
    assert history["rows"].tolist() == [5, 10, 4, 0]


def test_history_without_dry_runs(runs: Path) -> None:
    with pytest.warns(UserWarning):
        history = load_history(runs, include_dry_runs=False)
    assert "d-dry" not in history["run_id"].tolist()
    assert len(history) == 3


def test_history_of_a_missing_output_folder_is_empty(tmp_path: Path) -> None:
    history = load_history(tmp_path / "nowhere")
    assert history.empty
    fig = history_figure(history)
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "no earlier runs"


def test_history_figure_shows_throughput_and_success_per_run(runs: Path) -> None:
    """Bars of records/s on the left axis, success rate in % on the right, oldest first."""
    with pytest.warns(UserWarning):
        history = load_history(runs, include_dry_runs=False)
    fig = history_figure(history)
    bars, line = fig.data
    assert list(bars.x) == [
        "May 01 07:00 · c-first",
        "May 02 09:00 · b-second",
        "May 03 09:00 · a-third",
    ]
    assert list(bars.y) == [10.0, 80.0, 120.0]
    assert list(line.y) == pytest.approx([20.0, 80.0, 100.0])
    assert line.yaxis == "y2"
    assert fig.layout.yaxis.title.text == "records/s"
    assert fig.layout.yaxis2.title.text == "success rate (%)"
    assert list(fig.layout.yaxis2.tickvals) == [0, 25, 50, 75, 100]  # never 22.2 / 44.5


def test_history_marks_dry_runs_and_leaves_a_gap_for_their_rate(runs: Path) -> None:
    with pytest.warns(UserWarning):
        fig = history_figure(load_history(runs))
    assert fig.data[0].x[-1] == "May 04 00:00 · d-dry (dry run)"
    assert fig.data[1].y[-1] is None


def test_history_groups_runs_by_data_folder_and_target(tmp_path: Path) -> None:
    """Runs of other data or another portal are listed apart, never mixed into the chart."""
    for run_id, folder, target in [
        ("r1", "/data/a", "http://p1"),
        ("r2", "/data/b", "http://p1"),
        ("r3", "/data/a", "http://p1"),
        ("r4", "/data/a", "http://p2"),
    ]:
        report = make_report(run_id=run_id, objects={"contacts": {"rows": 1, "created": 1}})
        write_run(tmp_path, report | {"data_dir": folder, "target": target})
    history = load_history(tmp_path)
    mine = same_group(history, {"data_dir": "/data/a", "target": "http://p1"})
    assert mine["run_id"].tolist() == ["r1", "r3"]
    groups = history_groups(history)
    assert groups[["data folder", "target", "runs"]].values.tolist() == [
        ["/data/a", "http://p1", 2],
        ["/data/a", "http://p2", 1],
        ["/data/b", "http://p1", 1],
    ]


def test_runs_into_one_portal_group_together_whatever_its_url(tmp_path: Path) -> None:
    """A portal reached through another URL (a sandbox on a new port) is still that portal."""
    for run_id, target in [("r1", "http://127.0.0.1:4001"), ("r2", "http://127.0.0.1:4002")]:
        report = make_report(run_id=run_id, objects={"contacts": {"rows": 1, "created": 1}})
        write_run(tmp_path, report | {"data_dir": "/d", "target": target, "portal_id": "123"})
    history = load_history(tmp_path)
    mine = same_group(history, {"data_dir": "/d", "portal_id": "123", "target": "http://x"})
    assert mine["run_id"].tolist() == ["r1", "r2"]
    assert history_groups(history)["target"].tolist() == ["portal 123"]
