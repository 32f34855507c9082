"""History across earlier run folders: order, numbers per run, broken folders skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.report.history import history_figure, load_history
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
    assert list(bars.x) == ["c-first", "b-second", "a-third"]
    assert list(bars.y) == [10.0, 80.0, 120.0]
    assert list(line.y) == pytest.approx([20.0, 80.0, 100.0])
    assert line.yaxis == "y2"
    assert fig.layout.yaxis.title.text == "records/s"
    assert fig.layout.yaxis2.title.text == "success rate (%)"


def test_history_marks_dry_runs_and_leaves_a_gap_for_their_rate(runs: Path) -> None:
    with pytest.warns(UserWarning):
        fig = history_figure(load_history(runs))
    assert fig.data[0].x[-1] == "d-dry (dry run)"
    assert fig.data[1].y[-1] is None
