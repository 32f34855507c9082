"""Daily limit: `crmkit import` against a portal whose daily budget runs out several times
stops cleanly each time (status stopped_daily_limit, exit 1, a line saying how to resume), and
resumed on each following sandbox "day" it ends with nothing lost and nothing doubled.

tests/pipeline stops once, in-process, on a hand-made plan; this goes through the CLI over
several days on generated CSVs, and reads the whole portal back afterwards (from the same
SQLite file, served again without a daily limit, because reading costs requests too).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from crmkit.plan.model import ImportPlan
from crmkit.sandbox import RunningSandbox, running
from tests.support.cli import MakeDataset, run_cli
from tests.support.portal import differences, planned_properties, read_back

DAILY = 20  # a batch read before each write counts against the day too
MAX_DAYS = 10


def cli(box: RunningSandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(box.token, "import", "--no-progress", *args)


def test_daily_limit_stops_cleanly_and_resumes_day_after_day(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    """Several stops, each resumable; the final portal is exactly the plan."""
    data = make_dataset(40, 1000, 600, seed=12)
    out = tmp_path / "out"
    db = tmp_path / "portal.sqlite"
    report_path = out / "runs" / "daily" / "report.json"
    stops = 0
    with running(tier="enterprise", daily_limit=DAILY, db=str(db), token="pat-na1-daily") as box:
        done = cli(
            box,
            "--data",
            str(data.folder),
            "--target",
            box.base_url,
            "--output",
            str(out),
            "--run-id",
            "daily",
        )
        for _day in range(MAX_DAYS):
            if done.returncode == 0:
                break
            stops += 1
            assert done.returncode == 1, done.stderr
            assert "Traceback" not in done.stderr
            assert f"--resume daily --output {out}" in done.stderr
            report = json.loads(report_path.read_text())
            assert report["status"] == "stopped_daily_limit"
            assert report["requests"]["rate_limited"] >= 1
            box.advance_day()
            done = cli(box, "--resume", "daily", "--output", str(out))
        assert done.returncode == 0, done.stderr
    assert stops >= 2, "the daily limit was hit only once: make the budget smaller"

    report = json.loads(report_path.read_text())
    plan = ImportPlan.load(out / "runs" / "daily" / "plan.json")
    assert report["status"] == "complete"
    for counts in report["objects"].values():
        assert counts["created"] == counts["planned"] and counts["failed"] == 0
    assert report["associations"]["created"] == len(plan.links) > 0
    with running(tier="enterprise", db=str(db), token="pat-na1-daily") as again:
        held = read_back(again.base_url, again.token, planned_properties(plan))
    assert differences(held, plan) == []
