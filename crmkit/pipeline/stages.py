"""The import's stages, each a function the CLI and the notebooks call the same way.

    run = start_run(options)             # run folder, journal, portal connection
    with guarded(run):                   # Ctrl-C or an error: journal consistent, resumable
        plan = plan_run(run)             # read → map → coerce/extract → validate → plan
        run_stages(run, plan)            # companies, contacts, tickets, then associations
    result = finish_run(run)             # report.json, summary.txt, errors.csv

``run_stages`` is the one loop over the write stages, and turns a daily-limit stop, a refused
token or a portal that no longer answers into a clean, resumable ending; ``run_import``
chains everything for ``crmkit import``, and notebook 03 runs the same calls cell by cell.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from crmkit import RECORD_TYPES
from crmkit.errors import DailyLimitReached, HubSpotError, InternalError
from crmkit.hubspot.outcome import WriteOutcome
from crmkit.killpoints import killpoint
from crmkit.pipeline.associate import import_associations
from crmkit.pipeline.batchloop import Answered, send_batches
from crmkit.pipeline.executor import chunked
from crmkit.pipeline.inputs import input_hashes
from crmkit.pipeline.journal import RecordRow
from crmkit.pipeline.options import ImportOptions, ImportResult
from crmkit.pipeline.preview import preview_run
from crmkit.pipeline.progress import StageBar
from crmkit.pipeline.quota import announce_quota
from crmkit.pipeline.run import Run, WriterFactory, abandon_run, finish_run, real, start_run
from crmkit.pipeline.runfolder import write_atomically
from crmkit.pipeline.write_contract import fingerprint, trace_id
from crmkit.plan.model import ImportPlan, PlannedRecord

log = logging.getLogger("crmkit.pipeline")
Batch = list[PlannedRecord]


def plan_run(run: Run, plan: ImportPlan | None = None) -> ImportPlan:
    """Prepare the data folder and plan the writes; a planned run reloads its saved plan.

    A run resumed before its plan was committed (killed while reading, validating or writing
    plan.json), or resumed with ``replan``, is planned again from the data folder it recorded:
    nothing was sent from a plan that was never committed, so planning again is safe. A
    notebook that built (and perhaps inspected) the plan itself passes it as ``plan``.
    """
    with StageBar("plan", 1, enabled=run.options.progress, unit="step") as bar:
        journal = run.journal
        if journal is not None and journal.planned() and not run.options.replan:
            plan = ImportPlan.load(run.folder.plan)
        else:
            if run.state != "created":
                run.enter("created")
            hashes = input_hashes(run.options)
            plan = plan if plan is not None else _make_plan(run)
            _check_keys(plan)
            write_atomically(run.folder.plan, plan.save, point="plan_writing")
            killpoint("plan_saved")
            if journal is not None:
                journal.commit_plan(_record_rows(plan), _link_rows(plan), hashes)
                run.state = "planned"
            killpoint("planned")
        bar.update()
    run.plan = plan
    return plan


def _record_rows(plan: ImportPlan) -> Iterator[RecordRow]:
    for object_type in RECORD_TYPES:
        for r in plan.records.get(object_type, []):
            yield RecordRow(
                object_type=r.object_type,
                key=r.key,
                trace_id=trace_id(r.object_type, r.key),
                origin=r.origin,
                source_rows=list(r.source_rows),
                fingerprint=fingerprint(r),
            )


def _link_rows(plan: ImportPlan) -> Iterator[tuple[str, str, str, str, str]]:
    return ((k.from_type, k.from_key, k.to_type, k.to_key, k.reason) for k in plan.links)


def _make_plan(run: Run) -> ImportPlan:
    from crmkit.plan import build_plan
    from crmkit.prepare import prepare_folder

    schema_for = getattr(run.writer, "schema_for", None)
    prepared = prepare_folder(
        run.options.data_dir,
        mapping_file=run.options.mapping_file,
        schema_for=schema_for,
        sources=run.options.source_overrides(),
        date_order=run.options.date_order,
        strict=run.options.strict,
        discovery=run.options.discovery,
    )
    from crmkit.sources.owners import resolve_owners

    client = getattr(run.writer, "client", None)  # owner columns → hubspot_owner_id
    resolve_owners(prepared, None if client is None else client.owners)
    killpoint("validated")
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
    run.enter("objects")
    client = getattr(writer, "client", None)
    if plan.schema_changes and client is not None:  # options the analyst chose to add
        from crmkit.pipeline.schemachanges import apply_changes

        apply_changes(client, journal.conn, plan.schema_changes, object_type)
    by_key = {r.key: r for r in plan.records.get(object_type, [])}
    pending = [by_key[k] for k in journal.pending_keys(object_type) if k in by_key]

    def journal_answer(
        answered: Answered[list[PlannedRecord], list[WriteOutcome]],
    ) -> tuple[int, int]:
        outcomes = _complete(answered.item, answered.result)
        ok = sum(1 for o in outcomes if o.state in ("created", "updated", "unchanged"))
        attempts = max((o.attempts for o in answered.result), default=1)
        journal.record_batch(
            answered.row(object_type, "upsert", len(outcomes), ok, attempts),
            outcomes,
            answered.stats,
        )
        return ok, len(outcomes) - ok

    if pending:
        send_batches(
            run,
            list(chunked(pending, run.options.batch_size)),
            lambda batch: writer.write(object_type, batch),
            journal_answer,
            label=object_type,
            total=len(pending),
        )
    killpoint("objects_done")
    return len(pending)


def _complete(records: list[PlannedRecord], outcomes: list[WriteOutcome]) -> list[WriteOutcome]:
    """One outcome per record: a record the writer did not answer for stays unknown (sent)."""
    by_key = {o.key: o for o in outcomes}
    return [
        by_key.get(r.key)
        or WriteOutcome(r.key, "sent", None, "NO_OUTCOME", "no result came back for this input")
        for r in records
    ]


def run_stages(run: Run, plan: ImportPlan) -> None:
    """Every write stage in order, with the stop handling of ``crmkit import``.

    A spent daily limit, a refused token or a portal that stops answering ends the stages
    after the batches in flight, with everything that landed journaled; ``finish_run`` then
    writes an incomplete report that says how to resume. A dry run writes nothing.
    """
    if run.options.dry_run:
        preview_run(run, plan)  # compares with --target when a token is set; else offline
        return
    try:
        announce_quota(run, plan)
        for object_type in RECORD_TYPES:
            import_objects(run, plan, object_type)
        import_associations(run, plan)
    except DailyLimitReached:
        run.stop = "daily_limit"
    except HubSpotError as exc:
        if not exc.stops_run:
            raise
        run.stop = "portal"
        run.stop_reason = exc.message


@contextmanager
def guarded(run: Run) -> Iterator[None]:
    """Ctrl-C or an unexpected error: leave the journal consistent, marked, and resumable.

    The resume hint travels as a note on the exception: a notebook shows it under the
    traceback, the CLI prints it after "interrupted".
    """
    try:
        yield
    except KeyboardInterrupt as exc:
        hint = abandon_run(run, "stopped", "interrupted (Ctrl-C)")
        if hint:
            exc.add_note(hint)
        raise
    except BaseException as exc:
        hint = abandon_run(run, "failed", f"{type(exc).__name__}: {exc}"[:500])
        if hint:
            log.warning("%s", hint)
        raise


def run_import(
    options: ImportOptions,
    *,
    writer_factory: WriterFactory | None = None,
    plan: ImportPlan | None = None,
) -> ImportResult:
    """Every stage in order, from whatever state the run is in (a new run: from the start).

    ``plan`` skips preparing the data folder (a notebook or benchmark that made it already).
    """
    run = start_run(options, writer_factory=writer_factory)
    with guarded(run):
        plan = plan_run(run, plan)
        run_stages(run, plan)
        result = finish_run(run)
    return result
