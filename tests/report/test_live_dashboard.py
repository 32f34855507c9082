"""The live import figure, driven by the progress events the CLI's bars print."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest

from crmkit.pipeline.progress import StageBar, listening
from crmkit.report.live import LiveDashboard
from tests.support.real_runs import faulty_sandbox, import_demo


def drive(dashboard: LiveDashboard) -> None:
    """Two object stages as the batch loop reports them (cumulative counters)."""
    with listening(dashboard.handle):
        with StageBar("companies", 10, enabled=False) as bar:
            bar.update(10)
            bar.note(landed=9, failed=1, requests=3, retried=1, rate_limited=0, server_errors=0)
        with StageBar("contacts", 20, enabled=False) as bar:
            bar.update(12)
            bar.note(landed=12, failed=0, requests=5, retried=1, rate_limited=1, server_errors=0)
            bar.update(8)
            bar.note(landed=19, failed=1, requests=7, retried=2, rate_limited=1, server_errors=1)


def test_a_live_figure_follows_each_batch() -> None:
    dashboard = LiveDashboard(live=True)
    assert isinstance(dashboard.figure, go.FigureWidget)
    drive(dashboard)
    landed, failed, requests = dashboard.figure.data
    assert list(landed.y) == [9, 19, 0]
    assert list(failed.y) == [1, 1, 0]
    assert list(requests.x) == ["requests", "retries", "429s", "5xx"]
    assert list(requests.y) == [7, 2, 1, 1]
    assert "28 records landed" in dashboard.figure.layout.title.text
    assert dashboard.redraws == 7  # each event: 2 starts, 3 batches, 2 ends


def test_without_widgets_the_figure_is_static_and_replaced_per_stage() -> None:
    """papermill: no widget can draw, so each stage's end replaces a plain figure."""
    dashboard = LiveDashboard(live=False)
    shown: list[go.Figure] = []
    dashboard.on_stage_end = shown.append
    drive(dashboard)
    assert not isinstance(dashboard.figure, go.FigureWidget)
    assert len(shown) == 2
    assert list(shown[-1].data[0].y) == [9, 19, 0]
    assert list(shown[-1].data[2].y) == [7, 2, 1, 1]


@pytest.mark.parametrize("live", [True, False])
def test_a_real_import_ends_with_report_json_numbers(tmp_path: Path, live: bool) -> None:
    """Into a faulty sandbox: the last frame shows what report.json and the summary say."""
    dashboard = LiveDashboard(live=live)
    with (
        faulty_sandbox() as box,
        pytest.MonkeyPatch.context() as mp,
        listening(dashboard.handle),
    ):
        mp.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        run_dir = import_demo(box, tmp_path / "output", "live")
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    objects = report["objects"]
    expected = [o["created"] + o["updated"] + o["created_from_tickets"] for o in objects.values()]
    landed, failed, requests = dashboard.figure.data
    assert list(landed.y) == expected
    assert list(failed.y) == [o["failed"] for o in objects.values()]
    totals = report["requests"]
    assert list(requests.y) == [
        totals["total"],
        totals["retried"],
        totals["rate_limited"],
        totals["server_errors"],
    ]
    assert totals["retried"] > 0  # the faults happened
    batches = len(report["batches"])
    assert dashboard.redraws >= (batches if live else 4)
