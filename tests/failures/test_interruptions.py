"""The run is cut off half-way — the portal goes away, the user presses Ctrl-C — and must end
with a clear message, a consistent journal, and a resume that completes without duplicates."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from tests.support.cli import CliRunner, import_args
from tests.support.journal import journal_keys as planned_keys
from tests.support.journal import journal_states, journal_status, journaled_keys, when_batches
from tests.support.portal import portal_keys
from tests.support.sandbox_api import Restartable


def assert_consistent(run_dir: Path, base_url: str, token: str) -> None:
    """Every record the journal says landed is in the portal, exactly once."""
    held = portal_keys(base_url, token)
    for object_type, key in journaled_keys(run_dir):
        assert held[object_type][key] == 1, (object_type, key)


def assert_landed_once(run_dir: Path, base_url: str, token: str) -> None:
    assert portal_keys(base_url, token) == planned_keys(run_dir)


def test_portal_going_away_mid_run_stops_cleanly_and_resumes(
    cli: CliRunner, export: Path, tmp_path: Path, restartable: Restartable
) -> None:
    """The sandbox stops after two batches (connection refused from then on): exit 1, one
    clear line naming the target and how to resume, status incomplete; the run stops instead
    of retrying every remaining batch; resume against the restarted portal completes."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "gone"
    token = "sandbox-token"
    watcher = when_batches(run_dir, 2, restartable.stop)
    ran = cli(*import_args(export, restartable.base_url, out, "gone"), token=token)
    watcher.join(5)
    assert ran.code == 1, ran.err
    assert "Traceback" not in ran.err and token not in ran.err + ran.out
    assert restartable.base_url in ran.err and "--resume gone" in ran.err
    assert journal_status(run_dir) == "stopped"
    states = journal_states(run_dir)
    assert states["new"] > 0, "the run should stop, not mark every remaining batch as sent"
    assert states["sent"] <= 100  # at most the batch that was in flight

    restartable.start()
    assert_consistent(run_dir, restartable.base_url, token)
    resumed = cli(*import_args(None, restartable.base_url, out, "gone"), token=token)
    assert resumed.code == 0, resumed.err + resumed.out
    assert journal_status(run_dir) == "reported"
    assert_landed_once(run_dir, restartable.base_url, token)


def test_ctrl_c_mid_run_exits_130_and_resumes(
    cli: CliRunner, export: Path, tmp_path: Path, restartable: Restartable
) -> None:
    """SIGINT to the process after two batches: exit 130 with a message that says how to
    resume, the journal says interrupted and matches the portal; resume completes."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "ctrlc"
    token = "sandbox-token"
    in_cli = threading.Event()

    def interrupt() -> None:
        if in_cli.is_set():
            os.kill(os.getpid(), signal.SIGINT)

    watcher = when_batches(run_dir, 2, interrupt)
    in_cli.set()
    try:
        ran = cli(*import_args(export, restartable.base_url, out, "ctrlc"), token=token)
    finally:
        in_cli.clear()
        watcher.join(5)
    assert ran.code == 130, ran.err
    assert "Traceback" not in ran.err
    assert "interrupted" in ran.err and "--resume ctrlc" in ran.err
    assert ran.err.count("--resume ctrlc") == 1
    assert journal_status(run_dir) == "stopped"
    assert_consistent(run_dir, restartable.base_url, token)

    resumed = cli(*import_args(None, restartable.base_url, out, "ctrlc"), token=token)
    assert resumed.code == 0, resumed.err + resumed.out
    assert_landed_once(run_dir, restartable.base_url, token)
