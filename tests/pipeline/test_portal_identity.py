"""The run records the portal it writes to (its hub id) and refuses to resume on another one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crmkit.errors import ConfigError
from crmkit.hubspot import HubSpotClient, RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.pipeline.options import ImportResult
from crmkit.pipeline.runfolder import RunFolder
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import RunningSandbox, running
from tests.support.pipeline_fakes import make_plan

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)


def run(box: RunningSandbox, out: Path, plan: ImportPlan | None = None, **kw: Any) -> ImportResult:
    base: dict[str, Any] = {
        "output_dir": out,
        "target": box.base_url,
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
        "batch_size": 10,
        "concurrency": 1,
    }
    base.update(kw)
    return run_import(ImportOptions(**base), plan=plan)


def portal_of(box: RunningSandbox) -> str:
    with HubSpotClient(box.base_url, box.token) as client:
        return str(client.account_details()["portalId"])


def recorded(out: Path, run_id: str) -> tuple[str, str]:
    with sqlite3.connect(RunFolder.of(out, run_id).journal) as db:
        portal, status = db.execute("SELECT portal_id, status FROM runs").fetchone()
    return str(portal), str(status)


def test_resume_against_another_portal_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A run stopped on portal A names both portals when resumed against B, changes nothing
    there, and finishes when resumed against A again (the same database after a restart)."""
    plan = make_plan(companies=5, contacts=40, tickets=20)
    out = tmp_path / "out"
    home = str(tmp_path / "a.db")
    data = tmp_path / "data"  # the plan is made by hand; the folder only needs to exist
    data.mkdir()
    with running(tier="enterprise", db=home, daily_limit=14) as a:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", a.token)
        portal_a = portal_of(a)
        first = run(a, out, plan, data_dir=data, run_id="p")
        assert first.report["status"] == "stopped_daily_limit"
    assert recorded(out, "p") == (portal_a, "stopped")
    with running(tier="enterprise", db=str(tmp_path / "b.db")) as b:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", b.token)
        portal_b = portal_of(b)
        with pytest.raises(ConfigError, match=f"portal {portal_a}.*portal {portal_b}"):
            run(b, out, resume="p")
        assert b.stats()["records"].get("contacts", 0) == 0
    assert recorded(out, "p") == (portal_a, "stopped")
    with running(tier="enterprise", db=home) as again:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", again.token)
        resumed = run(again, out, resume="p")
        assert resumed.complete, resumed.summary_text
    assert recorded(out, "p") == (portal_a, "reported")
