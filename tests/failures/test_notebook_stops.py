"""Notebook 03 stops as `crmkit import` does: a token revoked half-way, or a portal that stops
answering, ends the import cell cleanly — no traceback — and the result cell writes an
incomplete, resumable report, which `crmkit import --resume` then finishes."""

from __future__ import annotations

import json
from pathlib import Path

import papermill

from crmkit.notebooks.records import read_records
from crmkit.notebooks.runner import NOTEBOOKS_DIR, kernel_environment
from crmkit.sandbox import running
from tests.failures.test_access import NEW, OLD, Revocation
from tests.support.cli import CliRunner, import_args
from tests.support.journal import journal_keys as planned_keys
from tests.support.journal import journal_status, when_batches
from tests.support.portal import portal_keys
from tests.support.sandbox_api import Restartable
from tests.support.stub_server import misbehaving


def run_notebook(executed: Path, export: Path, out: Path, target: str, run_id: str) -> None:
    """Execute 03_import as papermill does for ``crmkit run``; a cell that raises fails here."""
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "03_import.ipynb"),
        str(executed),
        parameters={
            "data_dir": str(export),
            "run_id": run_id,
            "output_dir": str(out),
            "target": target,
            "dry_run": False,
            "progress": False,
            "concurrency": 1,
        },
        cwd=str(NOTEBOOKS_DIR),
        kernel_name="python3",
        progress_bar=False,
    )


def assert_stopped_resumably(executed: Path, run_dir: Path, run_id: str) -> None:
    report = json.loads((run_dir / "report.json").read_text())
    assert report["status"] == "incomplete"
    assert read_records(executed)["import"]["status"] == "incomplete"
    assert journal_status(run_dir) == "stopped"
    summary = (run_dir / "summary.txt").read_text()
    assert "Stopped:" in summary and f"--resume {run_id}" in summary


def test_revoked_token_mid_import_gives_a_resumable_report(
    cli: CliRunner, export: Path, tmp_path: Path
) -> None:
    """The notebook runs to its end; report.json says incomplete, summary says how to resume;
    the run is ``stopped``; a resume with the new token lands every record once."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "nb"
    executed = tmp_path / "03_import.ipynb"
    with running(tier="enterprise") as box:
        with misbehaving(
            Revocation(after=2), upstream=box.base_url, upstream_token=box.token
        ) as proxy:
            with kernel_environment({"HUBSPOT_ACCESS_TOKEN": OLD}):
                run_notebook(executed, export, out, proxy.base_url, "nb")
            assert_stopped_resumably(executed, run_dir, "nb")
            summary = (run_dir / "summary.txt").read_text()
            assert OLD not in executed.read_text() + summary
            resumed = cli(*import_args(None, proxy.base_url, out, "nb"), token=NEW)
        assert resumed.code == 0, resumed.err + resumed.out
        assert journal_status(run_dir) == "reported"
        assert portal_keys(box.base_url, box.token) == planned_keys(run_dir)


def test_portal_going_away_mid_import_gives_a_resumable_report(
    cli: CliRunner, export: Path, tmp_path: Path, restartable: Restartable
) -> None:
    """The portal stops answering after two batches: the notebook still runs to its end with
    an incomplete report; the resume against the restarted portal lands every record once."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "nbgone"
    executed = tmp_path / "03_import.ipynb"
    watcher = when_batches(run_dir, 2, restartable.stop)
    with kernel_environment({"HUBSPOT_ACCESS_TOKEN": "sandbox-token"}):
        run_notebook(executed, export, out, restartable.base_url, "nbgone")
    watcher.join(5)
    assert_stopped_resumably(executed, run_dir, "nbgone")
    restartable.start()
    resumed = cli(*import_args(None, restartable.base_url, out, "nbgone"), token="sandbox-token")
    assert resumed.code == 0, resumed.err + resumed.out
    assert portal_keys(restartable.base_url, "sandbox-token") == planned_keys(run_dir)
