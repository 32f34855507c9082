"""Kill soak: `crmkit import` SIGKILLed at random moments, several times per run — the first
kill inside the process's first second, before it has recorded anything — against a sandbox
that fails requests on purpose, each time restarted with the very command the user typed
(`--data DIR --run-id RUN_ID`: a new run the first time, a resume after). The portal must end
exactly as the plan says: every record once with its properties, every link.

Unlike the kill-point matrix (tests/reliability/test_kill_points.py) the moments are not
chosen: they fall wherever the clock puts them, with faults and retries in between.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmkit.pipeline.runfolder import RunFolder
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import running
from tests.support.cli import MakeDataset
from tests.support.portal import differences, planned_properties, read_back

RUN_ID = "soak"


@dataclass(frozen=True)
class Soak:
    companies: int
    contacts: int
    tickets: int
    kills: int
    seed: int
    latest_kill_s: float  # kills after the first are drawn from 0..latest_kill_s


SOAKS = [
    pytest.param(Soak(30, 1500, 600, kills=3, seed=5, latest_kill_s=3.0), id="short"),
    pytest.param(
        Soak(150, 6000, 3000, kills=10, seed=9, latest_kill_s=6.0),
        id="long",
        marks=pytest.mark.slow,
    ),
]


@pytest.mark.parametrize("soak", SOAKS)
def test_random_sigkills_with_faults_then_the_same_command_finishes_the_run(
    soak: Soak, make_dataset: MakeDataset, tmp_path: Path
) -> None:
    """Several random SIGKILLs, the first in the first second; the run ends complete and the
    portal holds exactly the plan."""
    data = make_dataset(soak.companies, soak.contacts, soak.tickets, seed=soak.seed)
    out = tmp_path / "out"
    rng = random.Random(soak.seed)
    with running(
        tier="enterprise", latency_ms=20, fault_rate=0.1, seed=soak.seed, hang_s=0.5, slow_ms=50
    ) as box:
        env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": box.token}
        command = [
            sys.executable,
            "-m",
            "crmkit.cli",
            "import",
            "--data",
            str(data.folder),
            "--target",
            box.base_url,
            "--output",
            str(out),
            "--run-id",
            RUN_ID,
            "--no-progress",
            "--concurrency",
            "4",
        ]
        killed: list[float] = []
        finished: subprocess.CompletedProcess[str] | None = None
        for n in range(soak.kills):
            delay = rng.uniform(0.05, 1.0) if n == 0 else rng.uniform(0.2, soak.latest_kill_s)
            child = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                code = child.wait(timeout=delay)  # it ended before its kill
                finished = subprocess.CompletedProcess(command, code, "", "")
                break
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait(30)
                killed.append(round(delay, 2))
        if finished is None:
            finished = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=600, check=False
            )
        if finished.returncode == 1:  # a batch whose retries ran out: the resume sends it
            finished = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=600, check=False
            )
        assert finished.returncode == 0, f"killed at {killed} s: {finished.stderr}"
        assert "Traceback" not in finished.stderr
        box.set_faults(0.0)
        folder = RunFolder.of(out, RUN_ID)
        plan = ImportPlan.load(folder.plan)
        held = read_back(box.base_url, box.token, planned_properties(plan))
    print(f"killed after {killed} s")  # shown with -s
    assert killed and killed[0] <= 1.0, "the first kill must fall in the first second"
    assert len(killed) >= min(2, soak.kills), f"the run ended before its kills: {killed}"
    assert differences(held, plan) == []
    report = json.loads(folder.report_json.read_text())
    assert report["status"] == "complete"
    assert report["associations"]["created"] == len(plan.links)
    for counts in report["objects"].values():
        assert counts["created"] == counts["planned"]
