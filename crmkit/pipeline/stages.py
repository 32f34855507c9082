"""The import's stages, each a function the CLI and the notebooks call the same way.

    run = start_run(options)             # run folder, journal, portal connection
    plan = plan_run(run)                 # read → map → coerce/extract → validate → plan
    import_objects(run, plan, "companies")   # then "contacts", "tickets"
    import_associations(run, plan)
    result = finish_run(run)             # report.json, summary.txt, errors.csv

``run_import`` chains them, and turns a daily-limit stop into a clean, resumable ending.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.errors import ConfigError, DailyLimitReached, InternalError
from crmkit.pipeline.accounting import account
from crmkit.pipeline.executor import Done, chunked, run_concurrently
from crmkit.pipeline.journal import BatchRow, Journal, LinkOutcome, Outcome, RecordRow
from crmkit.pipeline.options import (
    DEFAULT_TARGET,
    ImportOptions,
    ImportResult,
    check_run_id,
    new_run_id,
)
from crmkit.pipeline.progress import StageBar
from crmkit.pipeline.reportfiles import build_report, write_report_files
from crmkit.pipeline.writer import LinkResult, RecordOutcome, Writer, fingerprint, trace_id
from crmkit.plan.model import ImportPlan, PlannedRecord

JOURNAL_FILE = "journal.sqlite"
PLAN_FILE = "plan.json"
NOT_IMPORTED = "ENDPOINT_NOT_IMPORTED"

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
    plan: ImportPlan | None = None
    session_clock: float = field(default_factory=time.monotonic)
    offset_s: float = 0.0
    session_epoch: float = field(default_factory=time.time)
    write_s: float = 0.0

    def elapsed(self) -> float:
        """Active seconds since the run began, summed over resumed sessions."""
        return self.offset_s + (time.monotonic() - self.session_clock)

    def stats(self) -> dict[str, int] | None:
        return self.writer.stats() if self.writer is not None else None

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
        run = Run(
            options=options,
            run_id=run_id,
            run_dir=run_dir,
            target=target,
            journal=journal,
            writer=None,
            started_at=float(info.get("created_at") or time.time()),
            resumed=True,
        )
    else:
        run_id = options.run_id or new_run_id()
        run_dir = runs_dir(options.output_dir) / run_id
        if (run_dir / JOURNAL_FILE).exists() or (run_dir / "report.json").exists():
            raise ConfigError(
                f"run {run_id!r} exists already in {run_dir}: resume it with --resume {run_id},"
                " or choose another --run-id"
            )
        run_dir.mkdir(parents=True, exist_ok=True)
        target = None
        journal = None
        if not options.dry_run:
            target = options.target or os.environ.get("HUBSPOT_BASE_URL") or DEFAULT_TARGET
            journal = Journal(run_dir / JOURNAL_FILE)
            journal.create_run(run_id, options.journal_dict(), target, dry_run=False)
        run = Run(
            options=options,
            run_id=run_id,
            run_dir=run_dir,
            target=target,
            journal=journal,
            writer=None,
            started_at=time.time(),
        )
    if run.journal is not None:
        run.offset_s = run.journal.active_seconds()
        run.journal.start_session()
        run.journal.set_status("running")
        try:
            run.writer = (writer_factory or _hubspot_writer)(run)
        except BaseException:
            run.journal.set_status("failed")
            run.journal.close()
            raise
    return run


def _hubspot_writer(run: Run) -> Writer:
    from crmkit.pipeline.hubspot_writer import connect

    return connect(run.target or DEFAULT_TARGET, run.options, run_started=run.started_at)


def plan_run(run: Run, plan: ImportPlan | None = None) -> ImportPlan:
    """Prepare the data folder and plan the writes; on resume, reload the saved plan.

    A notebook that built (and perhaps inspected) the plan itself passes it as ``plan``.
    """
    plan_path = run.run_dir / PLAN_FILE
    with StageBar("plan", 1, enabled=run.options.progress, unit="step") as bar:
        if run.resumed:
            plan = ImportPlan.load(plan_path)
        else:
            plan = plan if plan is not None else _make_plan(run)
            plan.save(plan_path)
        bar.update()
    _check_keys(plan)
    if run.journal is not None:
        run.journal.add_records(
            RecordRow(
                object_type=r.object_type,
                key=r.key,
                trace_id=trace_id(r.object_type, r.key),
                origin=r.origin,
                source_rows=list(r.source_rows),
                fingerprint=fingerprint(r),
            )
            for object_type in OBJECT_TYPES
            for r in plan.records.get(object_type, [])
        )
        run.journal.add_links(
            (k.from_type, k.from_key, k.to_type, k.to_key, k.reason) for k in plan.links
        )
    run.plan = plan
    return plan


def _make_plan(run: Run) -> ImportPlan:
    from crmkit.plan import build_plan
    from crmkit.prepare import prepare_folder

    assert run.options.data_dir is not None  # validated() guarantees it for a new run
    schema_for = getattr(run.writer, "schema_for", None)
    prepared = prepare_folder(
        run.options.data_dir, mapping_file=run.options.mapping_file, schema_for=schema_for
    )
    return build_plan(
        prepared, create_contacts_from_tickets=run.options.create_contacts_from_tickets
    )


def _check_keys(plan: ImportPlan) -> None:
    """Two records with one key would be sent twice (and break the batch): the plan's bug."""
    for object_type, records in plan.records.items():
        seen: set[str] = set()
        for record in records:
            if record.key in seen:
                raise InternalError(f"plan has two {object_type} records with key {record.key!r}")
            seen.add(record.key)


def import_objects(run: Run, plan: ImportPlan, object_type: str) -> int:
    """Upsert every pending record of one type, journaling each batch as it completes.

    Returns the number of records sent. A DailyLimitReached stops after the batches in flight.
    """
    journal, writer = _real(run)
    by_key = {r.key: r for r in plan.records.get(object_type, [])}
    pending = [by_key[k] for k in journal.pending_keys(object_type) if k in by_key]
    if not pending:
        return 0
    start = time.monotonic()
    last_stats: dict[str, dict[str, int]] = {"value": writer.stats()}
    tally = {"landed": 0, "failed": 0}
    with StageBar(object_type, len(pending), enabled=run.options.progress) as bar:

        def done(item: Done[list[PlannedRecord], list[RecordOutcome]]) -> None:
            outcomes = _complete(item.item, item.result)
            ok = sum(1 for o in outcomes if o.state in ("created", "updated"))
            stats = writer.stats()
            journal.record_batch(
                BatchRow(
                    t=run.offset_s + (item.started - run.session_clock),
                    object_type=object_type,
                    action="upsert",
                    records=len(outcomes),
                    succeeded=ok,
                    failed=len(outcomes) - ok,
                    attempts=max((o.attempts for o in item.result), default=1),
                    duration_s=item.duration_s,
                    stats_delta=_delta(stats, last_stats["value"]),
                ),
                (
                    Outcome(object_type, o.key, o.state, o.hubspot_id, o.category, o.message)
                    for o in outcomes
                ),
                stats,
            )
            last_stats["value"] = stats
            tally["landed"] += ok
            tally["failed"] += len(outcomes) - ok
            bar.update(len(outcomes))
            bar.note(**tally)

        try:
            run_concurrently(
                chunked(pending, run.options.batch_size),
                lambda batch: writer.write(object_type, batch),
                done,
                concurrency=run.options.concurrency,
                clock=time.monotonic,
            )
        finally:
            spent = time.monotonic() - start
            run.write_s += spent
            journal.save_stats(writer.stats(), write_s=spent)
    return len(pending)


def _complete(records: list[PlannedRecord], outcomes: list[RecordOutcome]) -> list[RecordOutcome]:
    """One outcome per record: a record the writer did not answer for stays unknown (sent)."""
    by_key = {o.key: o for o in outcomes}
    return [
        by_key.get(r.key)
        or RecordOutcome(r.key, "sent", None, "NO_OUTCOME", "no result came back for this input")
        for r in records
    ]


def _delta(now: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: int(now.get(k, 0)) - int(before.get(k, 0)) for k in now}


def _real(run: Run) -> tuple[Journal, Writer]:
    if run.journal is None or run.writer is None:
        raise ConfigError("this stage writes to the portal; a dry run stops after the plan")
    return run.journal, run.writer


def import_associations(run: Run, plan: ImportPlan) -> int:
    """Create the planned associations between records that landed; returns links sent."""
    journal, writer = _real(run)
    ids = {t: journal.hubspot_ids(t) for t in OBJECT_TYPES}
    todo = [
        link
        for link in journal.links()
        if link["state"] in ("new", "sent")
        or (link["state"] == "failed" and link["error_category"] == NOT_IMPORTED)
    ]
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], str, str]]] = {}
    missing: list[LinkOutcome] = []
    for link in todo:
        from_id = ids.get(link["from_type"], {}).get(link["from_key"])
        to_id = ids.get(link["to_type"], {}).get(link["to_key"])
        if from_id is None or to_id is None:
            absent = link["from_key"] if from_id is None else link["to_key"]
            missing.append(
                _link_outcome(link, "failed", NOT_IMPORTED, f"{absent} was not imported")
            )
            continue
        groups.setdefault((link["from_type"], link["to_type"]), []).append((link, from_id, to_id))
    if missing:
        journal.record_links(None, missing, writer.stats())
    batches = [
        (pair, chunk)
        for pair, links in groups.items()
        for chunk in chunked(links, run.options.link_batch_size)
    ]
    total = sum(len(chunk) for _, chunk in batches)
    if not total:
        return 0
    start = time.monotonic()
    last_stats = {"value": writer.stats()}
    with StageBar("associations", total, enabled=run.options.progress, unit="link") as bar:

        def send(
            batch: tuple[tuple[str, str], list[tuple[dict[str, Any], str, str]]],
        ) -> list[LinkResult]:
            (from_type, to_type), chunk = batch
            return writer.associate(from_type, to_type, [(f, t) for _, f, t in chunk])

        def done(item: Done[Any, list[LinkResult]]) -> None:
            (from_type, to_type), chunk = item.item
            results = {r.index: r for r in item.result}
            outcomes = []
            for index, (link, _, _) in enumerate(chunk):
                result = results.get(index) or LinkResult(index, "sent", "NO_OUTCOME", "no result")
                outcomes.append(_link_outcome(link, result.state, result.category, result.message))
            ok = sum(1 for o in outcomes if o.state == "created")
            stats = writer.stats()
            journal.record_links(
                BatchRow(
                    t=run.offset_s + (item.started - run.session_clock),
                    object_type=f"{from_type}->{to_type}",
                    action="associate",
                    records=len(outcomes),
                    succeeded=ok,
                    failed=len(outcomes) - ok,
                    attempts=1,
                    duration_s=item.duration_s,
                    stats_delta=_delta(stats, last_stats["value"]),
                ),
                outcomes,
                stats,
            )
            last_stats["value"] = stats
            bar.update(len(outcomes))

        try:
            run_concurrently(batches, send, done, concurrency=run.options.concurrency)
        finally:
            journal.save_stats(writer.stats(), write_s=time.monotonic() - start)
    return total


def _link_outcome(
    link: dict[str, Any], state: str, category: str | None, message: str | None
) -> LinkOutcome:
    return LinkOutcome(
        link["from_type"],
        link["from_key"],
        link["to_type"],
        link["to_key"],
        state,
        category,
        message,
    )


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
    )


def abandon_run(run: Run, status: str) -> None:
    """Leave the journal consistent and marked when a run ends by an error or an interrupt."""
    if run.journal is not None and not run.journal.closed:
        try:
            run.journal.set_status(status)
        finally:
            run.journal.close()
    if run.options.dry_run and not any(run.run_dir.iterdir()):
        shutil.rmtree(run.run_dir, ignore_errors=True)


def run_import(
    options: ImportOptions,
    *,
    writer_factory: WriterFactory | None = None,
    plan: ImportPlan | None = None,
) -> ImportResult:
    """Every stage in order; a daily-limit stop ends cleanly with status stopped_daily_limit.

    ``plan`` skips preparing the data folder (a notebook or benchmark that made it already).
    """
    run = start_run(options, writer_factory=writer_factory)
    try:
        plan = plan_run(run, plan)
        if not run.options.dry_run:
            try:
                for object_type in OBJECT_TYPES:
                    import_objects(run, plan, object_type)
                import_associations(run, plan)
            except DailyLimitReached:
                run.status = "stopped_daily_limit"
        return finish_run(run)
    except KeyboardInterrupt:
        abandon_run(run, "interrupted")
        raise
    except BaseException:
        abandon_run(run, "failed")
        raise
