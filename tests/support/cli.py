"""Running crmkit's CLI from tests: in-process results, arguments, free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.datasets import Dataset

REPO = Path(__file__).resolve().parents[2]
MakeDataset = Callable[..., Dataset]


@dataclass(frozen=True)
class Ran:
    """What one CLI invocation produced."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


CliRunner = Callable[..., Ran]


def import_args(data: Path | None, target: str, out: Path, run_id: str) -> list[str]:
    """Arguments of a plain ``crmkit import`` (one worker, so mid-run stops are predictable)."""
    args = ["import", "--target", target, "--output", str(out), "--no-progress"]
    args += ["--concurrency", "1"]
    if data is None:
        return [*args, "--resume", run_id]
    return [*args, "--data", str(data), "--run-id", run_id]


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(token: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m crmkit.cli ARGS` as a user runs it: the token only in the environment."""
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "crmkit.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
