"""A run's state: its folder, journal and portal connection; how it starts and ends.

``start_run`` creates the run (state ``created``) or reopens it for a resume, and connects
the portal; ``finish_run`` counts, checks that every row is accounted for, writes the report
files and commits the final state. How a resume is found and checked lives in
:mod:`crmkit.pipeline.reopen`; the stages in between in :mod:`crmkit.pipeline.stages`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from crmkit.errors import ConfigError, InternalError
from crmkit.killpoints import killpoint
from crmkit.pipeline.accounting import account
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.options import DEFAULT_TARGET, ImportOptions, ImportResult, new_run_id
from crmkit.pipeline.reportfiles import build_report, write_report_files
from crmkit.pipeline.run_extras import add_extras
from crmkit.pipeline.runfolder import JOURNAL_SQLITE, RunFolder, runs_dir
from crmkit.pipeline.states import ReportStatus, RunState
from crmkit.pipeline.write_contract import Writer, portal_id_of
from crmkit.plan.model import ImportPlan

log = logging.getLogger("crmkit.pipeline")

WriterFactory = Callable[["Run"], Writer]
StopKind = Literal["daily_limit", "portal"]
"""Why the write stages ended early: the daily limit, or a portal that refuses or is gone."""
DAILY_LIMIT = "the portal's daily request limit is spent"

__all__ = ["Run", "WriterFactory", "abandon_run", "finish_run", "runs_dir", "start_run"]


@dataclass
class Run:
    """One run in progress: where it writes, what it has journaled, how it reaches the portal.

    ``state`` mirrors the journal's (the journal is the truth); ``stop`` says why the stages
    ended early (``daily_limit``, or a stop reason in ``stop_reason``), or None.
    """

    options: ImportOptions
    run_id: str
    folder: RunFolder
    target: str | None
    journal: Journal | None
    writer: Writer | None
    started_at: float
    resumed: bool = False
    state: RunState = "created"
    stop: StopKind | None = None
    stop_reason: str | None = None
    plan: ImportPlan | None = None
    portal_id: str | None = None
    session_clock: float = field(default_factory=time.monotonic)
    extras: dict[str, Any] = field(default_factory=dict)
    """report.json additions from the preview, the quota and the change-only writer."""
    notes: list[str] = field(default_factory=list)
    """summary.txt lines to add (preview, quota)."""
    offset_s: float = 0.0

    @property
    def run_dir(self) -> Path:
        return self.folder.path

    def elapsed(self) -> float:
        """Active seconds since the run began, summed over resumed sessions."""
        return self.offset_s + (time.monotonic() - self.session_clock)

    def resume_hint(self) -> str:
        return f"crmkit import --resume {self.run_id} --output {self.options.output_dir}"

    def enter(self, state: RunState, reason: str | None = None) -> None:
        """Move the run to ``state``: one journal commit (a dry run keeps it in memory)."""
        if self.journal is not None and not self.journal.closed:
            self.journal.set_state(state, reason=reason, finished=state in ("reported", "stopped"))
        self.state = state


def start_run(options: ImportOptions, *, writer_factory: WriterFactory | None = None) -> Run:
    """Create (or reopen, for a resume) the run folder and journal, and connect the portal.

    A real run needs the token in ``HUBSPOT_ACCESS_TOKEN``; a dry run needs neither token nor
    target. ``writer_factory`` replaces the HubSpot connection (tests, benchmarks).
    """
    from crmkit.pipeline.reopen import existing_run, reopen

    options = options.validated()
    folder = existing_run(options)
    run = reopen(options, folder) if folder is not None else None
    if run is None and options.resume is not None:  # it was killed before recording itself
        if options.data_dir is None and not options.sources:
            raise ConfigError(
                f"run {options.resume!r} was stopped before it recorded anything: start it"
                f" again with --data DIR --run-id {options.resume}"
            )
        options = replace(options, run_id=options.resume, resume=None)
    if run is None:
        run = _create(options)
    if run.journal is not None:
        run.offset_s = run.journal.active_seconds()
        run.journal.start_session()
        try:
            run.writer = (writer_factory or _hubspot_writer)(run)
            _check_portal(run)
        except BaseException:
            if run.resumed:  # refused before any work: the run stays as it was
                run.journal.close()
            else:
                abandon_run(run, "failed", None)
            raise
    return run


def _create(options: ImportOptions) -> Run:
    run_id = options.run_id or new_run_id()
    folder = RunFolder.of(options.output_dir, run_id)
    if folder.report_json.exists() or folder.has_journal():
        raise ConfigError(
            f"run {run_id!r} exists already in {folder.path}: choose another --run-id"
        )
    folder.create()
    target = None
    journal = None
    if not options.dry_run:
        target = options.target or os.environ.get("HUBSPOT_BASE_URL") or DEFAULT_TARGET
        journal = Journal(folder.journal)
        journal.create_run(run_id, options.journal_dict(), target, dry_run=False)
        killpoint("created")
    return Run(
        options=options,
        run_id=run_id,
        folder=folder,
        target=target,
        journal=journal,
        writer=None,
        started_at=time.time(),
    )


def _hubspot_writer(run: Run) -> Writer:
    from crmkit.pipeline.change_writer import change_only
    from crmkit.pipeline.hubspot_writer import connect

    writer = connect(run.target or DEFAULT_TARGET, run.options, run_started=run.started_at)
    if not run.options.compare:
        return writer
    return change_only(writer, run.run_dir / JOURNAL_SQLITE, run.options)


def _check_portal(run: Run) -> None:
    """Record the portal a new run writes to; refuse to resume a run against another one."""
    assert run.journal is not None
    portal = portal_id_of(run.writer)
    recorded = run.journal.run_info().get("portal_id")
    if run.resumed and recorded and portal and recorded != portal:
        raise ConfigError(
            f"cannot resume {run.run_id!r}: it wrote to portal {recorded}, but {run.target}"
            f" answers for portal {portal}. Resume it with a token (and --target) of portal"
            f" {recorded}, or start a new import for portal {portal}"
        )
    if portal and not recorded:
        run.journal.set_portal(portal)
    run.portal_id = portal or recorded


def delta(now: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: int(now.get(k, 0)) - int(before.get(k, 0)) for k in now}


def real(run: Run) -> tuple[Journal, Writer]:
    if run.journal is None or run.writer is None:
        raise ConfigError("this stage writes to the portal; a dry run stops after the plan")
    return run.journal, run.writer


def finish_run(run: Run) -> ImportResult:
    """Count, check the accounting invariant, write the report files, commit the final state.

    The final state is ``reported`` when nothing is left to send, else ``stopped`` (a resume
    sends the rest): the report files are written before it, so a kill while writing them
    leaves the run where a resume writes them again.
    """
    plan = run.plan
    if plan is None:
        raise InternalError("finish_run called before plan_run")
    accounting = account(plan, run.journal)
    status: ReportStatus
    if run.options.dry_run:
        status = "planned"
    elif run.stop == "daily_limit":
        status = "stopped_daily_limit"
    else:
        status = "complete" if accounting.complete else "incomplete"
    pending = run.journal.pending_work() if run.journal is not None else 0
    totals: dict[str, float] = run.journal.totals() if run.journal is not None else {}
    ceiling = run.writer.ceiling_records_per_s() if run.writer is not None else None
    report = build_report(
        run_id=run.run_id,
        run_dir=run.run_dir,
        started_at=run.started_at,
        finished_at=time.time(),
        duration_s=run.elapsed(),
        target=run.target,
        dry_run=run.options.dry_run,
        tier=run.options.tier,
        status=status,
        accounting=accounting,
        plan=plan,
        totals=totals,
        batches=run.journal.batches() if run.journal is not None else [],
        ceiling_records_per_s=ceiling,
        data_dir=str(run.options.data_dir.resolve()) if run.options.data_dir else None,
        portal_id=run.portal_id,
    )
    add_extras(run.run_dir, report, run.extras, plan, run.journal)  # preview, quota, ids.csv
    hint = (
        f"Resume with: {run.resume_hint()}" if pending or status == "stopped_daily_limit" else None
    )
    if status == "incomplete" and not pending:  # refused by the portal: the data must change
        hint = f"Fix the rows errors.csv lists, then send them with: {run.resume_hint()} --replan"
    if status == "stopped_daily_limit":
        hint = f"Stopped: {DAILY_LIMIT}. " + (hint or "")
    elif run.stop_reason:
        hint = f"Stopped: {run.stop_reason} " + (hint or "")
    lines = "\n".join([*run.notes, *([hint] if hint else [])]) or None  # preview, quota first
    text = write_report_files(run.run_dir, report, plan, run.journal, accounting, lines)
    if run.journal is not None:
        reason = run.stop_reason or (DAILY_LIMIT if run.stop == "daily_limit" else None)
        run.enter("stopped" if pending else "reported", reason)
        run.journal.close()
    return ImportResult(
        run_id=run.run_id,
        run_dir=run.run_dir,
        report=report,
        summary_text=text,
        complete=accounting.complete and status == "complete",
        stop_reason=run.stop_reason,
        next_step=hint,
    )


def abandon_run(run: Run, state: RunState, reason: str | None) -> str | None:
    """Leave the journal consistent and marked when a run ends by an error or an interrupt.

    Returns what to tell the user (how to resume), or None when there is nothing to resume:
    a new run that ends before its plan is saved has sent no record, so its journal is removed
    and the same run id can simply be used again. (A run *killed* then cannot clean up: it
    stays ``created``, and a resume plans it from the data folder it recorded.)
    """
    hint = None
    journal = run.journal
    if journal is not None and not journal.closed:
        if run.resumed or journal.planned():
            try:
                run.enter(state, reason)
            finally:
                journal.close()
            hint = (
                f"run {run.run_id} {state}; what landed is journaled."
                f" Resume with: {run.resume_hint()}"
            )
        else:
            journal.close()
            run.folder.remove_journal()
    if hint is None:
        run.folder.remove_if_empty()
    return hint
