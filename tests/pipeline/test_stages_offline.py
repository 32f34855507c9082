"""The stages over an in-memory portal: accounting, resume, daily-limit stop, rollback, reports.

The same scenarios run over HTTP against the sandbox in test_import_sandbox.py; here they are
fast and exact, so every branch of the journal logic is pinned down.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crmkit.errors import ConfigError, InternalError
from crmkit.pipeline import ImportOptions, rollback, run_import
from crmkit.pipeline.options import ImportResult
from tests.support.pipeline_fakes import FakeWriter, make_plan


def options(tmp_path: Path, **kw: Any) -> ImportOptions:
    base: dict[str, Any] = {
        "data_dir": tmp_path,
        "output_dir": tmp_path / "out",
        "progress": False,
        "concurrency": 2,
        "batch_size": 2,
        "link_batch_size": 3,
        "target": "http://127.0.0.1:9",
    }
    base.update(kw)
    return ImportOptions(**base)


def run(tmp_path: Path, writer: FakeWriter, **kw: Any) -> ImportResult:
    plan = kw.pop("plan", None) or make_plan()
    return run_import(options(tmp_path, **kw), writer_factory=lambda _run: writer, plan=plan)


def invariant(report: dict[str, Any]) -> None:
    for o in report["objects"].values():
        assert (
            o["rows"] == o["rejected"] + o["duplicates"] + o["created"] + o["updated"] + o["failed"]
        )


def test_full_run_lands_everything_and_accounts_for_every_row(tmp_path: Path) -> None:
    """Every planned record is created, every link made, every row accounted for."""
    writer = FakeWriter()
    result = run(tmp_path, writer, run_id="r1")
    report = result.report
    assert result.complete and report["status"] == "complete"
    invariant(report)
    assert report["objects"]["contacts"] == {
        "rows": 7,
        "rejected": 1,
        "duplicates": 1,
        "planned": 5,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "failed": 0,
        "created_from_tickets": 1,
        "landed_partial": 0,
        "values_dropped": 0,
        "defaults": 0,
    }
    assert report["associations"] == {"planned": 9, "created": 9, "failed": 0}
    assert len(writer.links) == 9
    assert len(writer.store) == 3 + 6 + 4
    on_disk = json.loads((result.run_dir / "report.json").read_text())
    assert on_disk == report
    assert {b["action"] for b in report["batches"]} == {"upsert", "associate"}
    assert all(b["records"] <= 2 for b in report["batches"] if b["action"] == "upsert")
    assert (result.run_dir / "plan.json").is_file()
    assert "Success rate" in result.summary_text


def test_rerun_of_finished_import_updates_and_creates_nothing(tmp_path: Path) -> None:
    """Run twice against the same portal: the second run only updates."""
    writer = FakeWriter()
    run(tmp_path, writer, run_id="first")
    size = len(writer.store)
    second = run(tmp_path, writer, run_id="second").report
    assert len(writer.store) == size
    assert sum(o["created"] for o in second["objects"].values()) == 0
    assert second["objects"]["companies"]["updated"] == 3
    invariant(second)


def test_refused_record_fails_alone_and_is_reported(tmp_path: Path) -> None:
    """A refused record fails alone; its links are reported as not made; exit is incomplete."""
    writer = FakeWriter(invalid={"p1@co1.example"})
    result = run(tmp_path, writer, run_id="r1")
    report = result.report
    assert not result.complete and report["status"] == "incomplete"
    assert report["objects"]["contacts"]["failed"] == 1
    assert report["objects"]["contacts"]["created"] == 4
    invariant(report)
    assert report["errors_by_category"]["INVALID_EMAIL"] == 2  # one rejected, one refused
    assert report["associations"]["failed"] == 2  # its company link, one ticket's link
    with (result.run_dir / "errors.csv").open(newline="") as fh:
        lines = list(csv.DictReader(fh))
    stages = sorted(line["stage"] for line in lines)
    assert stages == ["associate", "associate", "import", "validate"]
    rejected = next(line for line in lines if line["stage"] == "validate")
    assert rejected["value"] == "'=HYPERLINK(1)"
    assert "--resume r1 --output" in result.summary_text and "--replan" in result.summary_text


def test_unknown_outcome_is_resent_on_resume(tmp_path: Path) -> None:
    """A record whose outcome is unknown is sent again by --resume, and then lands."""
    writer = FakeWriter(flaky={"co1.example"})
    first = run(tmp_path, writer, run_id="r1")
    assert first.report["objects"]["companies"]["failed"] == 1
    calls = writer.calls
    resumed = run_import(
        options(tmp_path, resume="r1", data_dir=None), writer_factory=lambda _run: writer
    )
    assert resumed.complete
    assert resumed.report["objects"]["companies"]["created"] == 3
    # one upsert for the company, one association batch for the two links it unblocks
    assert writer.calls - calls == 2
    invariant(resumed.report)


def test_daily_limit_stops_cleanly_and_resume_finishes(tmp_path: Path) -> None:
    """The daily limit ends the run with its own status; resume sends only what is left."""
    writer = FakeWriter(daily_budget=3)
    first = run(tmp_path, writer, run_id="r1", concurrency=1)
    report = first.report
    assert report["status"] == "stopped_daily_limit" and not first.complete
    invariant(report)
    assert report["errors_by_category"]["NOT_SENT"] > 0
    assert "--resume r1" in first.summary_text
    sent_before = len(writer.store)
    writer.daily_budget = None
    second = run_import(
        options(tmp_path, resume="r1", data_dir=None), writer_factory=lambda _run: writer
    )
    assert second.complete and second.report["status"] == "complete"
    assert len(writer.store) == 13 and sent_before == 5  # two company batches, one contact batch
    assert sum(o["updated"] for o in second.report["objects"].values()) == 0


def test_dry_run_needs_no_writer_and_writes_the_plan(tmp_path: Path) -> None:
    """A dry run never connects; its report says what would be written."""

    def no_connection(_run: object) -> FakeWriter:
        raise AssertionError("a dry run must not connect")

    result = run_import(
        options(tmp_path, dry_run=True, run_id="dry", target=None),
        writer_factory=no_connection,
        plan=make_plan(),
    )
    assert result.report["status"] == "planned" and result.report["target"] is None
    assert result.report["objects"]["contacts"]["planned"] == 5
    assert result.report["requests"]["total"] == 0
    assert not (result.run_dir / "journal.sqlite").exists()
    assert "To upsert: 12" in result.summary_text


def test_rollback_archives_only_what_the_run_created(tmp_path: Path) -> None:
    """Records the run only updated survive its rollback; a second rollback does nothing."""
    writer = FakeWriter()
    plan = make_plan()
    writer.store[("companies", "co0.example")] = "1"  # existed before the run
    run(tmp_path, writer, run_id="r1", plan=plan)
    out = tmp_path / "out"
    text = rollback("r1", output_dir=out, writer_factory=lambda *_: writer)
    assert "archived 4 tickets, 6 contacts, 2 companies" in text
    assert writer.store == {("companies", "co0.example"): "1"}
    again = rollback("r1", output_dir=out, writer_factory=lambda *_: writer)
    assert again.startswith("Nothing to roll back")
    with pytest.raises(ConfigError, match="rolled back"):
        run_import(options(tmp_path, resume="r1", data_dir=None), writer_factory=lambda _r: writer)


def test_broken_accounting_raises(tmp_path: Path) -> None:
    """A plan whose rows do not add up is a bug: InternalError, not a pleasant report."""
    plan = make_plan()
    plan.rows["tickets"] += 1
    with pytest.raises(InternalError, match="tickets: 5 rows read"):
        run(tmp_path, FakeWriter(), run_id="r1", plan=plan)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"resume": "nope", "data_dir": None}, "cannot resume"),
        ({"data_dir": None}, "--data DIR is required"),
        ({"run_id": "../escape"}, "not valid"),
        ({"concurrency": 0}, "--concurrency"),
        ({"dry_run": True, "resume": "r1"}, "cannot be combined"),
    ],
)
def test_bad_options_are_user_errors(tmp_path: Path, kw: dict[str, Any], message: str) -> None:
    """Options that cannot work give a ConfigError with a message, never a traceback."""
    with pytest.raises(ConfigError, match=message):
        run_import(options(tmp_path, **kw), writer_factory=lambda _r: FakeWriter())


def test_finished_run_id_is_refused(tmp_path: Path) -> None:
    """Reusing a finished run's id would mix two runs' journals: it is refused."""
    run(tmp_path, FakeWriter(), run_id="r1")
    with pytest.raises(ConfigError, match=r"finished .*choose another --run-id"):
        run(tmp_path, FakeWriter(), run_id="r1")


class InterruptingWriter(FakeWriter):
    """Raises KeyboardInterrupt on the n-th write call, as Ctrl-C would land mid-run."""

    def __init__(self, at_call: int) -> None:
        super().__init__()
        self.at_call = at_call

    def write(self, object_type: str, records: Any) -> Any:
        if self.calls == self.at_call:
            self.calls += 1
            raise KeyboardInterrupt
        return super().write(object_type, records)


def test_interrupt_leaves_a_consistent_journal_that_resumes(tmp_path: Path) -> None:
    """Ctrl-C mid-run: finished batches stay journaled, status says interrupted, resume ends it."""
    writer = InterruptingWriter(at_call=3)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, writer, run_id="r1", concurrency=1)
    journal = tmp_path / "out" / "runs" / "r1" / "journal.sqlite"
    with sqlite3.connect(journal) as db:
        status = db.execute("SELECT status FROM runs").fetchone()[0]
        landed = db.execute("SELECT COUNT(*) FROM records WHERE state = 'created'").fetchone()[0]
    assert status == "stopped"
    # what landed is journaled: three batches before the interrupt, and at most one batch the
    # worker had already picked up
    assert landed == len(writer.store) and 5 <= landed <= 7
    resumed = run_import(
        options(tmp_path, resume="r1", data_dir=None), writer_factory=lambda _run: writer
    )
    assert resumed.complete
    assert sum(o["created"] for o in resumed.report["objects"].values()) == 12
