"""Notebook 03 stops as `crmkit import` does: a token revoked half-way ends the import cell
cleanly — no traceback — and the result cell writes an incomplete, resumable report, which
`crmkit import --resume` then finishes."""

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
from tests.support.journal import journal_status
from tests.support.portal import portal_keys
from tests.support.stub_server import misbehaving


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
                papermill.execute_notebook(
                    str(NOTEBOOKS_DIR / "03_import.ipynb"),
                    str(executed),
                    parameters={
                        "data_dir": str(export),
                        "run_id": "nb",
                        "output_dir": str(out),
                        "target": proxy.base_url,
                        "dry_run": False,
                        "progress": False,
                        "concurrency": 1,
                    },
                    cwd=str(NOTEBOOKS_DIR),
                    kernel_name="python3",
                    progress_bar=False,
                )
            report = json.loads((run_dir / "report.json").read_text())
            assert report["status"] == "incomplete"
            assert read_records(executed)["import"]["status"] == "incomplete"
            assert journal_status(run_dir) == "stopped"
            summary = (run_dir / "summary.txt").read_text()
            assert "Stopped:" in summary and "--resume nb" in summary
            assert OLD not in executed.read_text() + summary
            resumed = cli(*import_args(None, proxy.base_url, out, "nb"), token=NEW)
        assert resumed.code == 0, resumed.err + resumed.out
        assert journal_status(run_dir) == "reported"
        assert portal_keys(box.base_url, box.token) == planned_keys(run_dir)
