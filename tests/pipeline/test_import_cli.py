"""The whole path from CSV folders: the demo data, the dry run, and `crmkit import` killed
with SIGKILL mid-run and resumed — against the sandbox over HTTP."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crmkit.cli import main
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import running
from tests.support.portal import planned_keys, planned_links, read_portal

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data"
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05)


def options(tmp_path: Path, **kw: Any) -> ImportOptions:
    base: dict[str, Any] = {
        "data_dir": DEMO,
        "output_dir": tmp_path / "out",
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
    }
    base.update(kw)
    return ImportOptions(**base)


def test_demo_data_lands_and_dirt_is_rejected_row_by_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every valid demo record lands once, every planned link is made, every planted error row
    is in errors.csv with its file and row, and the report's counts add up."""
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        result = run_import(options(tmp_path, target=box.base_url, run_id="demo"))
        plan = ImportPlan.load(result.run_dir / "plan.json")
        state = read_portal(box.base_url, box.token)
    assert result.complete, result.summary_text
    assert state.counts == planned_keys(plan)
    assert state.links == planned_links(plan)
    for o in result.report["objects"].values():
        assert (
            o["rows"] == o["rejected"] + o["duplicates"] + o["created"] + o["updated"] + o["failed"]
        )
    with (result.run_dir / "errors.csv").open(newline="", encoding="utf-8") as fh:
        rejected = {(line["file"], int(line["row"])) for line in csv.DictReader(fh)}
    planted = json.loads((DEMO / "planted_dirt.json").read_text())
    expected = {(d["file"], d["row"]) for d in planted if d["severity"] == "error"}
    assert expected <= rejected
    assert sum(o["rejected"] for o in result.report["objects"].values()) == len(rejected)
    assert box.token not in (result.run_dir / "report.json").read_text()
    journal = (result.run_dir / "journal.sqlite").read_bytes()
    assert box.token.encode() not in journal


def test_dry_run_sends_nothing_and_needs_no_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`crmkit import --dry-run` with no token set writes the plan and reports; the sandbox
    (even when named as the target) receives no request."""
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    with running() as box:
        before = box.stats()
        code = main(
            [
                "import",
                "--data",
                str(DEMO),
                "--dry-run",
                "--run-id",
                "dry",
                "--output",
                str(tmp_path / "out"),
                "--no-progress",
            ]
        )
        after = box.stats()
    assert code == 0
    assert after["requests"] == before["requests"]
    run_dir = tmp_path / "out" / "runs" / "dry"
    report = json.loads((run_dir / "report.json").read_text())
    assert report["status"] == "planned" and report["requests"]["total"] == 0
    assert {p.name for p in run_dir.iterdir()} == {
        "plan.json",
        "report.json",
        "summary.txt",
        "errors.csv",
        "values.csv",
    }
    assert "Dry run" in capsys.readouterr().out


def write_folder(folder: Path, companies: int, contacts: int) -> None:
    """A plain export: enough contacts for a dozen batches, each linked to a company."""
    folder.mkdir()
    with (folder / "companies.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Company Name", "Website"])
        for i in range(companies):
            out.writerow([f"Firm {i} Ltd", f"www.firm{i}.example"])
    with (folder / "contacts.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["First Name", "Last Name", "E-mail Address", "Company"])
        for i in range(contacts):
            out.writerow([f"Ann{i}", f"Lee{i}", f"ann.lee{i}@firm{i % companies}.example", ""])


def journaled_batches(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_mid_run_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    """SIGKILL `crmkit import` after a few journaled batches, resume it: the portal ends up
    exactly as after a run that was never interrupted, and nothing is sent twice as new."""
    data = tmp_path / "data"
    write_folder(data, companies=20, contacts=1200)
    out = tmp_path / "out"
    with running(tier="enterprise", latency_ms=120) as box:
        env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": box.token}
        args = ["import", "--data", str(data), "--target", box.base_url, "--output", str(out)]
        child = subprocess.Popen(
            [sys.executable, "-m", "crmkit.cli", *args, "--run-id", "k", "--concurrency", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        journal = out / "runs" / "k" / "journal.sqlite"
        deadline = time.monotonic() + 240
        try:
            while journaled_batches(journal) < 3 and child.poll() is None:
                assert time.monotonic() < deadline, "the import never journaled a batch"
                time.sleep(0.02)
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(30)
        assert child.returncode == -signal.SIGKILL
        with sqlite3.connect(journal) as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM records GROUP BY state"))
        assert states.get("new", 0) > 0, "killed too late: nothing was left to resume"

        os.environ["HUBSPOT_ACCESS_TOKEN"] = box.token
        try:
            code = main(["import", "--resume", "k", "--output", str(out), "--no-progress"])
        finally:
            del os.environ["HUBSPOT_ACCESS_TOKEN"]
        assert code == 0
        resumed = read_portal(box.base_url, box.token)
        report = json.loads((out / "runs" / "k" / "report.json").read_text())

    with running(tier="enterprise") as fresh:
        os.environ["HUBSPOT_ACCESS_TOKEN"] = fresh.token
        try:
            plan = ImportPlan.load(out / "runs" / "k" / "plan.json")
            whole = run_import(
                options(tmp_path, target=fresh.base_url, run_id="whole", output_dir=out),
                plan=plan,
            )
        finally:
            del os.environ["HUBSPOT_ACCESS_TOKEN"]
        uninterrupted = read_portal(fresh.base_url, fresh.token)
    assert whole.complete
    assert resumed.counts == uninterrupted.counts == planned_keys(plan)
    assert resumed.properties == uninterrupted.properties
    assert resumed.links == uninterrupted.links == planned_links(plan)
    assert report["status"] == "complete"
    # a batch in flight at the kill is re-sent and found, and still counts as this run's
    assert sum(o["created"] for o in report["objects"].values()) == sum(
        len(v) for v in plan.records.values()
    )
