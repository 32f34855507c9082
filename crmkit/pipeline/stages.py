"""The import's stages, each a function the CLI and the notebooks call the same way.

    run = start_run(options)             # run folder, journal, portal connection
    plan = plan_run(run)                 # read → map → coerce/extract → validate → plan
    import_objects(run, plan, "companies")   # then "contacts", "tickets"
    import_associations(run, plan)
    result = finish_run(run)             # report.json, summary.txt, errors.csv

``run_import`` chains them, and turns a daily-limit stop, a refused token or a portal that no
longer answers into a clean, resumable ending (status ``stopped_daily_limit`` / ``incomplete``).
"""

from __future__ import annotations

import logging
import time

from crmkit import OBJECT_TYPES
from crmkit.errors import DailyLimitReached, HubSpotError, InternalError
from crmkit.pipeline.associate import import_associations
from crmkit.pipeline.executor import Done, chunked, run_concurrently
from crmkit.pipeline.journal import BatchRow, Outcome, RecordRow
from crmkit.pipeline.options import ImportOptions, ImportResult
from crmkit.pipeline.progress import StageBar
from crmkit.pipeline.run import (
    PLAN_FILE,
    Run,
    WriterFactory,
    abandon_run,
    delta,
    finish_run,
    real,
    start_run,
)
from crmkit.pipeline.write_contract import RecordOutcome, fingerprint, trace_id
from crmkit.plan.model import ImportPlan, PlannedRecord

log = logging.getLogger("crmkit.pipeline")


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

    schema_for = getattr(run.writer, "schema_for", None)
    prepared = prepare_folder(
        run.options.data_dir,
        mapping_file=run.options.mapping_file,
        schema_for=schema_for,
        sources=run.options.source_overrides(),
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
    journal, writer = real(run)
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
                    stats_delta=delta(stats, last_stats["value"]),
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
            journal.save_stats(writer.stats(), write_s=time.monotonic() - start)
    return len(pending)


def _complete(records: list[PlannedRecord], outcomes: list[RecordOutcome]) -> list[RecordOutcome]:
    """One outcome per record: a record the writer did not answer for stays unknown (sent)."""
    by_key = {o.key: o for o in outcomes}
    return [
        by_key.get(r.key)
        or RecordOutcome(r.key, "sent", None, "NO_OUTCOME", "no result came back for this input")
        for r in records
    ]


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
            except HubSpotError as exc:
                if not exc.stops_run:
                    raise
                run.status = "stopped"
                run.stop_reason = exc.message
        return finish_run(run)
    except KeyboardInterrupt as exc:
        hint = abandon_run(run, "interrupted")
        if hint:  # shown under the traceback in a notebook, and by the CLI after "interrupted"
            exc.add_note(hint)
        raise
    except BaseException:
        hint = abandon_run(run, "failed")
        if hint:
            log.warning("%s", hint)
        raise
