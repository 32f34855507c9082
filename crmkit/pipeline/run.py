"""A run's state: its folder, journal and portal connection; how it starts and ends.

``start_run`` creates the run folder (or reopens it for ``--resume``), the journal and the
connection; ``finish_run`` counts, checks that every row is accounted for, and writes the
report files. The stages in between live in :mod:`crmkit.pipeline.stages`.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crmkit.errors import ConfigError, InternalError
from crmkit.pipeline.accounting import account
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.options import (
    DEFAULT_TARGET,
    ImportOptions,
    ImportResult,
    check_run_id,
    new_run_id,
)
from crmkit.pipeline.reportfiles import REPORT_JSON, build_report, write_report_files
from crmkit.pipeline.write_contract import Writer
from crmkit.plan.model import ImportPlan

log = logging.getLogger("crmkit.pipeline")

JOURNAL_FILE = "journal.sqlite"
PLAN_FILE = "plan.json"

WriterFactory = Callable[["Run"], Writer]


@dataclass
class Run:
    """One run in progress: where it writes, what it has journaled, how it reaches the portal."""

    options: ImportOptions
    run_id: str
    run_dir: Path
    target: str | None
    journal: Journal | None
    writer: Writer | None
    started_at: float
    resumed: bool = False
    status: str = "running"
    stop_reason: str | None = None
    plan: ImportPlan | None = None
    session_clock: float = field(default_factory=time.monotonic)
    offset_s: float = 0.0

    def elapsed(self) -> float:
        """Active seconds since the run began, summed over resumed sessions."""
        return self.offset_s + (time.monotonic() - self.session_clock)

    def resume_hint(self) -> str:
        return (
            f"Resume with: crmkit import --resume {self.run_id} --output {self.options.output_dir}"
        )


def runs_dir(output_dir: Path) -> Path:
    return output_dir / "runs"


def start_run(options: ImportOptions, *, writer_factory: WriterFactory | None = None) -> Run:
    """Create (or reopen, for ``resume``) the run folder and journal, and connect the portal.

    A real run needs the token in ``HUBSPOT_ACCESS_TOKEN``; a dry run needs neither token nor
    target. ``writer_factory`` replaces the HubSpot connection (tests, benchmarks).
    """
    options = options.validated()
    if options.resume is not None:
        run_id = check_run_id(options.resume)
        run_dir = runs_dir(options.output_dir) / run_id
        if not (run_dir / JOURNAL_FILE).is_file() or not (run_dir / PLAN_FILE).is_file():
            raise ConfigError(
                f"cannot resume {run_id!r}: no journal and plan in {run_dir}"
                " (a dry run cannot be resumed; start a new import instead)"
            )
        journal = Journal(run_dir / JOURNAL_FILE)
        info = journal.run_info()
        if info.get("status") == "rolled_back":
            journal.close()
            raise ConfigError(f"run {run_id!r} was rolled back; start a new import instead")
        target = options.target or info.get("target")
        started_at = float(info.get("created_at") or time.time())
    else:
        run_id = options.run_id or new_run_id()
        run_dir = runs_dir(options.output_dir) / run_id
        if (run_dir / JOURNAL_FILE).exists() or (run_dir / REPORT_JSON).exists():
            raise ConfigError(
                f"run {run_id!r} exists already in {run_dir}: resume it with --resume {run_id},"
                " or choose another --run-id"
            )
        try:
            run_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the run folder {run_dir}: {exc.strerror or exc};"
                " choose another --output"
            ) from None
        target = None
        journal = None
        if not options.dry_run:
            target = options.target or os.environ.get("HUBSPOT_BASE_URL") or DEFAULT_TARGET
            journal = Journal(run_dir / JOURNAL_FILE)
            journal.create_run(run_id, options.journal_dict(), target, dry_run=False)
        started_at = time.time()
    run = Run(
        options=options,
        run_id=run_id,
        run_dir=run_dir,
        target=target,
        journal=journal,
        writer=None,
        started_at=started_at,
        resumed=options.resume is not None,
    )
    if run.journal is not None:
        run.offset_s = run.journal.active_seconds()
        run.journal.start_session()
        run.journal.set_status("running")
        try:
            run.writer = (writer_factory or _hubspot_writer)(run)
        except BaseException:
            abandon_run(run, "failed")
            raise
    return run


def _hubspot_writer(run: Run) -> Writer:
    from crmkit.pipeline.hubspot_writer import connect

    return connect(run.target or DEFAULT_TARGET, run.options, run_started=run.started_at)


def delta(now: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: int(now.get(k, 0)) - int(before.get(k, 0)) for k in now}


def real(run: Run) -> tuple[Journal, Writer]:
    if run.journal is None or run.writer is None:
        raise ConfigError("this stage writes to the portal; a dry run stops after the plan")
    return run.journal, run.writer


def finish_run(run: Run) -> ImportResult:
    """Count, check the accounting invariant, write the report files, close the journal."""
    plan = run.plan
    if plan is None:
        raise InternalError("finish_run called before plan_run")
    accounting = account(plan, run.journal)
    if run.options.dry_run:
        status = "planned"
    elif run.status == "stopped_daily_limit":
        status = run.status
    elif run.status == "stopped":
        status = "incomplete"  # what did not land is still to send: resume sends it
    else:
        status = "complete" if accounting.complete else "incomplete"
    totals: dict[str, float] = run.journal.totals() if run.journal is not None else {}
    ceiling = run.writer.ceiling_records_per_s() if run.writer is not None else None
    duration = run.elapsed()
    report = build_report(
        run_id=run.run_id,
        run_dir=run.run_dir,
        started_at=run.started_at,
        finished_at=time.time(),
        duration_s=duration,
        target=run.target,
        dry_run=run.options.dry_run,
        tier=run.options.tier,
        status=status,
        accounting=accounting,
        plan=plan,
        totals=totals,
        batches=run.journal.batches() if run.journal is not None else [],
        ceiling_records_per_s=ceiling,
    )
    hint = run.resume_hint() if status in ("stopped_daily_limit", "incomplete") else None
    if status == "stopped_daily_limit":
        hint = "Stopped: the portal's daily request limit is spent. " + (hint or "")
    elif run.stop_reason:
        hint = f"Stopped: {run.stop_reason} " + (hint or "")
    text = write_report_files(run.run_dir, report, plan, run.journal, accounting, hint)
    if run.journal is not None:
        run.journal.set_status(status, finished=True)
        run.journal.close()
    run.status = status
    return ImportResult(
        run_id=run.run_id,
        run_dir=run.run_dir,
        report=report,
        summary_text=text,
        complete=accounting.complete and status == "complete",
        stop_reason=run.stop_reason,
    )


def abandon_run(run: Run, status: str) -> str | None:
    """Leave the journal consistent and marked when a run ends by an error or an interrupt.

    Returns what to tell the user (how to resume), or None when there is nothing to resume:
    a new run that ends before its plan is saved has sent no record, so its journal is removed
    and the same run id can simply be used again.
    """
    hint = None
    if run.journal is not None and not run.journal.closed:
        try:
            run.journal.set_status(status)
        finally:
            run.journal.close()
        if run.resumed or (run.run_dir / PLAN_FILE).exists():
            hint = f"run {run.run_id} {status}; what landed is journaled. {run.resume_hint()}"
        else:
            for path in run.run_dir.glob(JOURNAL_FILE + "*"):  # with SQLite's -wal, -shm
                path.unlink(missing_ok=True)
    if hint is None and run.run_dir.is_dir() and not any(run.run_dir.iterdir()):
        shutil.rmtree(run.run_dir, ignore_errors=True)
    return hint
