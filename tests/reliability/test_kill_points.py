"""The kill-point matrix: `crmkit import` SIGKILLed at every named moment, then resumed.

Each case runs the real command in a child process with ``CRMKIT_KILL_POINT`` naming one
moment (``crmkit.killpoints``): at every stage boundary and inside every stage — the run just
recorded, while reading, after validation, while writing plan.json, after it was saved but
not committed, after a batch was answered but before the pipeline saw it, after the answer
but before the journal commit, after a commit, between object types, inside the association
stage, while writing the reports. The child must die by SIGKILL exactly there; then
`crmkit import --data DIR --resume RUN_ID` (the command a user re-types) finishes the run.

Every case must leave the portal exactly as an uninterrupted run does — every record once,
every planned property, every link — and repeat no write beyond the one batch in flight
(concurrency 1: upsert and association calls at most two above the uninterrupted run's — the
batch being sent and the one whose answer was being journaled — and no journaled record sent
twice).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmkit.cli import main
from crmkit.killpoints import ENV, POINTS
from crmkit.pipeline import ImportOptions, run_import
from crmkit.pipeline.runfolder import RunFolder
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import RunningSandbox, running
from tests.support.cli import MakeDataset
from tests.support.portal import Held, differences, planned_properties, read_back

UPSERT = "POST /crm/v3/objects/{type}/batch/upsert"
ASSOCIATE = "POST /crm/v4/associations/{from}/{to}/batch/associate/default"
RUN_ID = "kp"
IN_FLIGHT = 2
"""Batches a kill can catch unjournaled with one worker: one being sent, one being journaled."""

CASES = [
    ("created", "the run is recorded, nothing planned"),
    ("reading", "while reading the data folder"),
    ("validated", "after validation, before the plan"),
    ("plan_writing", "while writing plan.json (not renamed)"),
    ("plan_saved", "plan.json saved, the journal not committed"),
    ("planned", "at the boundary: planned, nothing sent"),
    ("batch_sent:2", "the second batch answered, the pipeline never saw it"),
    ("batch_answered:3", "an answer seen, not journaled"),
    ("batch_journaled:2", "right after a batch's commit"),
    ("objects_done:1", "between companies and contacts"),
    ("objects_done:3", "between tickets and associations"),
    ("links_sent:1", "the first association batch answered, unseen"),
    ("links_answered:2", "mid-associations: an answer seen, not journaled"),
    ("links_journaled:2", "mid-associations, after a commit"),
    ("reporting", "while writing the reports (report.json only)"),
    ("reported", "every report written, the state not committed"),
]
assert {name.partition(":")[0] for name, _ in CASES} == set(POINTS), "a kill point is untested"


@dataclass(frozen=True)
class Reference:
    """The uninterrupted run: what the portal holds after it, and the calls it made."""

    held: Held
    plan: ImportPlan
    upserts: int
    associations: int


@pytest.fixture(scope="module")
def data(make_dataset: MakeDataset) -> Path:
    # about 4 contact batches, 2 ticket batches and 5 association batches
    return make_dataset(12, 320, 140, seed=11).folder


@pytest.fixture(scope="module")
def reference(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    out = tmp_path_factory.mktemp("whole")
    with running(tier="enterprise") as box:
        saved = os.environ.get("HUBSPOT_ACCESS_TOKEN")
        os.environ["HUBSPOT_ACCESS_TOKEN"] = box.token
        try:
            whole = run_import(
                ImportOptions(
                    data_dir=data,
                    target=box.base_url,
                    tier="enterprise",
                    output_dir=out,
                    run_id="whole",
                    progress=False,
                    concurrency=1,
                )
            )
        finally:
            if saved is None:
                del os.environ["HUBSPOT_ACCESS_TOKEN"]
            else:
                os.environ["HUBSPOT_ACCESS_TOKEN"] = saved
        assert whole.complete, whole.summary_text
        plan = ImportPlan.load(RunFolder(whole.run_dir).plan)
        calls = box.stats()["requests"]["by_endpoint"]
        yield Reference(
            read_back(box.base_url, box.token, planned_properties(plan)),
            plan,
            int(calls.get(UPSERT, 0)),
            int(calls.get(ASSOCIATE, 0)),
        )


def killed_at(box: RunningSandbox, data: Path, out: Path, point: str) -> None:
    """Run `crmkit import` in a child that kills itself at ``point``; it must die there."""
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": box.token, ENV: point}
    args = ["import", "--data", str(data), "--target", box.base_url, "--output", str(out)]
    child = subprocess.run(
        [sys.executable, "-m", "crmkit.cli", *args, "--run-id", RUN_ID, "--concurrency", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, (
        f"the import was not killed at {point}: exit {child.returncode}\n{child.stderr}"
    )


def attempts(out: Path) -> list[int]:
    journal = RunFolder.of(out, RUN_ID).journal
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        return [int(n) for (n,) in db.execute("SELECT attempts FROM records")]


def resume_and_compare(
    box: RunningSandbox,
    data: Path,
    out: Path,
    reference: Reference,
    kills: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`crmkit import --data DIR --resume RUN_ID` finishes the run; the portal then equals the
    uninterrupted run's, and at most ``kills`` × IN_FLIGHT batches were sent twice."""
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
    monkeypatch.delenv(ENV, raising=False)
    args = ["--target", box.base_url, "--concurrency", "1", "--no-progress"]
    code = main(["import", "--data", str(data), "--resume", RUN_ID, "--output", str(out), *args])
    err = capsys.readouterr().err
    assert code == 0, f"the resume ended {code}: {err}"
    plan = ImportPlan.load(RunFolder.of(out, RUN_ID).plan)
    held = read_back(box.base_url, box.token, planned_properties(plan))
    calls = box.stats()["requests"]["by_endpoint"]
    assert differences(held, plan) == []
    assert held.counts == reference.held.counts  # every record once
    assert held.planned_view(plan) == reference.held.planned_view(reference.plan)
    assert held.links == reference.held.links  # every link present
    # no write repeated beyond the batches in flight at a kill: with one worker, the batch
    # being sent and the one whose answer was being journaled; nothing journaled is re-sent
    extra = kills * IN_FLIGHT
    assert reference.upserts <= int(calls.get(UPSERT, 0)) <= reference.upserts + extra
    assert reference.associations <= int(calls.get(ASSOCIATE, 0)) <= reference.associations + extra
    assert set(attempts(out)) == {1}
    report = json.loads(RunFolder.of(out, RUN_ID).report_json.read_text())
    assert report["status"] == "complete"
    for counts in report["objects"].values():
        assert counts["created"] == counts["planned"]  # a re-sent batch is still this run's
    # the run is finished now: a second resume says so and sends nothing
    assert main(["import", "--resume", RUN_ID, "--output", str(out)]) == 0
    assert "is finished" in capsys.readouterr().err


@pytest.mark.parametrize(("point", "moment"), CASES, ids=[c[0] for c in CASES])
def test_kill_then_resume_equals_an_uninterrupted_run(
    point: str,
    moment: str,
    data: Path,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Killed at the moment named, resumed by the re-typed command: the same portal."""
    out = tmp_path / "out"
    with running(tier="enterprise") as box:
        killed_at(box, data, out, point)
        resume_and_compare(box, data, out, reference, 1, monkeypatch, capsys)


CHAINS = [
    ("validated", "batch_answered:2", "links_answered:1"),
    ("plan_saved", "objects_done:2", "reporting"),
]


@pytest.mark.parametrize("points", CHAINS, ids=["+".join(c) for c in CHAINS])
def test_killed_again_while_resuming(
    points: tuple[str, ...],
    data: Path,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A resume killed in its turn (the same command each time), then resumed: the same."""
    out = tmp_path / "out"
    with running(tier="enterprise") as box:
        for point in points:
            killed_at(box, data, out, point)
        resume_and_compare(box, data, out, reference, len(points), monkeypatch, capsys)
