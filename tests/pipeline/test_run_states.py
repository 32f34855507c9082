"""The run's life as a closed set of states, and the resumes it allows or refuses (offline).

The kill-point matrix in tests/reliability proves the same over HTTP with real SIGKILLs; these
pin each decision down exactly and fast.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crmkit.cli import EXIT_OK, main
from crmkit.errors import ConfigError, InternalError, RunFinished
from crmkit.pipeline import ImportOptions, run_import, start_run
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.runfolder import RunFolder
from crmkit.pipeline.states import RUN_STATES, TRANSITIONS, check_transition
from crmkit.plan.model import ImportPlan
from tests.support.pipeline_fakes import FakeWriter, make_plan


def options(data: Path, out: Path, **kw: Any) -> ImportOptions:
    base: dict[str, Any] = {
        "data_dir": data,
        "output_dir": out,
        "progress": False,
        "concurrency": 1,
        "batch_size": 2,
        "target": "http://127.0.0.1:9",
    }
    base.update(kw)
    return ImportOptions(**base)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "contacts.csv").write_text("Email\na@x.io\n", encoding="utf-8")
    return folder


def state_of(out: Path, run_id: str) -> str:
    with sqlite3.connect(RunFolder.of(out, run_id).journal) as db:
        return str(db.execute("SELECT status FROM runs").fetchone()[0])


def test_transitions_are_a_closed_set() -> None:
    """Every state has its followers listed; a jump the life does not allow is a bug."""
    assert set(TRANSITIONS) == set(RUN_STATES)
    assert check_transition("created", "planned") == "planned"
    assert check_transition("objects", "objects") == "objects"
    for before, after in [
        ("created", "objects"),
        ("reported", "objects"),
        ("rolled_back", "created"),
    ]:
        with pytest.raises(InternalError, match="cannot go from"):
            check_transition(before, after)  # type: ignore[arg-type]


def test_a_run_killed_before_its_plan_is_planned_again(data: Path, tmp_path: Path) -> None:
    """A run that never got past ``created`` (its process died) is planned on resume from the
    data folder it recorded, and then runs to the end."""
    out = tmp_path / "out"
    writer = FakeWriter()
    run = start_run(options(data, out, run_id="early"), writer_factory=lambda _r: writer)
    assert run.journal is not None and run.journal.state() == "created"
    run.journal.close()  # as a SIGKILL leaves it: no state change, no cleanup
    assert not RunFolder.of(out, "early").plan.exists()
    result = run_import(
        options(None, out, resume="early"),  # type: ignore[arg-type]
        writer_factory=lambda _r: writer,
        plan=make_plan(),
    )
    assert result.complete and state_of(out, "early") == "reported"
    assert len(writer.store) == 13


def test_run_id_of_an_unfinished_run_continues_it(data: Path, tmp_path: Path) -> None:
    """Re-typing the interrupted command (`--data DIR --run-id X`) resumes X."""
    out = tmp_path / "out"
    writer = FakeWriter(daily_budget=2)
    first = run_import(
        options(data, out, run_id="again"), writer_factory=lambda _r: writer, plan=make_plan()
    )
    assert first.report["status"] == "stopped_daily_limit"
    assert state_of(out, "again") == "stopped"
    writer.daily_budget = None
    second = run_import(options(data, out, run_id="again"), writer_factory=lambda _r: writer)
    assert second.complete and state_of(out, "again") == "reported"
    assert len(writer.store) == 13


def test_resume_of_a_finished_run_says_it_is_finished(data: Path, tmp_path: Path) -> None:
    """Nothing is sent and no summary is re-printed as if the run had run again."""
    out = tmp_path / "out"
    writer = FakeWriter()
    run_import(
        options(data, out, run_id="done"), writer_factory=lambda _r: writer, plan=make_plan()
    )
    calls = writer.calls
    with pytest.raises(RunFinished, match="is finished \\(status complete\\)") as caught:
        run_import(options(None, out, resume="done"), writer_factory=lambda _r: writer)  # type: ignore[arg-type]
    assert caught.value.status == "complete" and writer.calls == calls


def test_resume_with_another_data_folder_names_both(data: Path, tmp_path: Path) -> None:
    """`--data DIR --resume X` is accepted for X's own folder, refused for any other."""
    out = tmp_path / "out"
    other = tmp_path / "other"
    other.mkdir()
    writer = FakeWriter(daily_budget=1)
    run_import(options(data, out, run_id="r"), writer_factory=lambda _r: writer, plan=make_plan())
    with pytest.raises(ConfigError) as caught:
        run_import(options(other, out, resume="r"), writer_factory=lambda _r: writer)
    assert str(data.resolve()) in str(caught.value) and str(other) in str(caught.value)
    writer.daily_budget = None
    same = run_import(options(data, out, resume="r"), writer_factory=lambda _r: writer)
    assert same.complete


def test_changed_input_is_refused_naming_the_file_unless_replan(data: Path, tmp_path: Path) -> None:
    """A file changed since the plan stops the resume (naming it); --replan plans again."""
    out = tmp_path / "out"
    writer = FakeWriter(daily_budget=1)
    run_import(options(data, out, run_id="r"), writer_factory=lambda _r: writer, plan=make_plan())
    (data / "contacts.csv").write_text("Email\nb@x.io\n", encoding="utf-8")
    writer.daily_budget = None
    with pytest.raises(ConfigError, match=r"contacts\.csv \(changed\).*--replan"):
        run_import(options(None, out, resume="r"), writer_factory=lambda _r: writer)  # type: ignore[arg-type]
    assert state_of(out, "r") == "stopped"  # a refused resume leaves the run as it was
    replanned = run_import(
        options(None, out, resume="r", replan=True),  # type: ignore[arg-type]
        writer_factory=lambda _r: writer,
        plan=make_plan(),
    )
    assert replanned.complete


def test_inputs_hashed_are_the_folders_files_or_the_one_file_named(tmp_path: Path) -> None:
    """A folder: each visible file by name; one file as --data: that file by its path."""
    from crmkit.pipeline.inputs import changed_inputs, input_hashes

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "contacts.csv").write_text("Email\na@x.io\n", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    hashes = input_hashes(ImportOptions(data_dir=folder))
    assert list(hashes) == ["contacts.csv"]
    one = input_hashes(ImportOptions(data_dir=folder / "contacts.csv"))
    assert list(one) == [str((folder / "contacts.csv").resolve())]
    (folder / "tickets.csv").write_text("Subject\nHi\n", encoding="utf-8")
    assert changed_inputs(hashes, input_hashes(ImportOptions(data_dir=folder))) == [
        "tickets.csv (new)"
    ]


def test_replan_refuses_to_forget_records_that_landed(data: Path, tmp_path: Path) -> None:
    """A new plan that lacks a record the run wrote cannot be accounted for: refused."""
    out = tmp_path / "out"
    writer = FakeWriter(daily_budget=2)
    run_import(options(data, out, run_id="r"), writer_factory=lambda _r: writer, plan=make_plan())
    smaller = make_plan(companies=1)
    with pytest.raises(ConfigError, match="cannot replan"):
        run_import(
            options(None, out, resume="r", replan=True),  # type: ignore[arg-type]
            writer_factory=lambda _r: writer,
            plan=smaller,
        )


def test_cli_resume_of_a_finished_run_exits_0(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI says the run is finished, prints no summary, and exits 0 for a complete run."""
    out = tmp_path / "out"
    run_import(
        options(data, out, run_id="fin"), writer_factory=lambda _r: FakeWriter(), plan=make_plan()
    )
    capsys.readouterr()
    code = main(["import", "--resume", "fin", "--output", str(out), "--no-progress"])
    captured = capsys.readouterr()
    assert code == EXIT_OK
    assert "is finished" in captured.err and captured.out == ""


HOLD = """
import sys, time
from pathlib import Path
from crmkit.pipeline.journal import Journal
journal = Journal(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(120)
"""


def test_second_process_refused_and_a_dead_holder_taken_over(tmp_path: Path) -> None:
    """A live holder keeps the run (named by pid); once it is SIGKILLed, the run is taken over
    and the holder's pid is reported."""
    path = tmp_path / "journal.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConfigError, match=f"in use by crmkit process {holder.pid}"):
            Journal(path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    journal = Journal(path)
    try:
        assert journal.lock.taken_over is not None
        assert journal.lock.taken_over["pid"] == holder.pid
    finally:
        journal.close()
    again = Journal(path)  # a clean release leaves nothing to take over
    assert again.lock.taken_over is None
    again.close()
    assert os.path.exists(path)


def test_cli_refuses_a_run_another_process_holds(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`crmkit import --resume` of a run in use: one line naming the holder, exit 2."""
    out = tmp_path / "out"
    run_import(
        options(data, out, run_id="busy"),
        writer_factory=lambda _r: FakeWriter(daily_budget=1),
        plan=make_plan(),
    )
    journal = RunFolder.of(out, "busy").journal
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(journal)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        capsys.readouterr()
        code = main(["import", "--resume", "busy", "--output", str(out), "--no-progress"])
        err = capsys.readouterr().err
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    assert code == 2 and f"in use by crmkit process {holder.pid}" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert state_of(out, "busy") == "stopped"


def test_plan_json_is_written_atomically(data: Path, tmp_path: Path) -> None:
    """plan.json goes through a temporary name; no partial file is left behind."""
    out = tmp_path / "out"
    result = run_import(options(data, out, run_id="p", dry_run=True, target=None), plan=make_plan())
    folder = RunFolder(result.run_dir)
    assert ImportPlan.load(folder.plan).summary() == make_plan().summary()
    assert not list(folder.path.glob("*.partial"))
