"""Finding the run a command continues, and refusing a resume that would go wrong.

``--resume RUN_ID`` continues a run from whatever state a kill, a stop or an error left it in.
``--run-id RUN_ID`` of a run that exists and is unfinished continues it too: re-typing the
command that was interrupted is what people do, and it is safe (every write is an upsert,
the inputs and the portal are checked). A resume is refused, with what to do instead, when:

- the run is finished (``RunFinished``) or rolled back;
- ``--data`` (or ``--mapping``) names another folder than the run recorded;
- the inputs changed since the plan (unless ``--replan``);
- another process holds the run (see :mod:`crmkit.pipeline.runlock`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from crmkit.errors import ConfigError, RunFinished
from crmkit.pipeline.inputs import check_inputs_unchanged
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.options import ImportOptions, check_run_id
from crmkit.pipeline.run import Run
from crmkit.pipeline.runfolder import RunFolder
from crmkit.pipeline.states import as_run_state

log = logging.getLogger("crmkit.pipeline")

KILLED = "its process ended without finishing (killed, or the machine stopped)"


def existing_run(options: ImportOptions) -> RunFolder | None:
    """The folder of the run to continue, or None for a new run."""
    if options.resume is not None:
        folder = RunFolder.of(options.output_dir, check_run_id(options.resume))
        if not folder.has_journal():
            raise ConfigError(
                f"cannot resume {options.resume!r}: no journal in {folder.path}"
                " (a dry run cannot be resumed; start a new import instead)"
            )
        return folder
    if options.run_id is not None and not options.dry_run:
        folder = RunFolder.of(options.output_dir, options.run_id)
        if folder.has_journal():
            return folder
    return None


def reopen(options: ImportOptions, folder: RunFolder) -> Run | None:
    """Open the run's journal (taking its lock), check the resume can go on, return the Run.

    None when the journal holds no run at all (killed between making the file and recording
    the run): nothing was recorded or sent, so it is removed and the run starts afresh.
    """
    journal = Journal(folder.journal)
    if journal.lock.taken_over:
        log.warning(
            "run %s: process %s held it and is gone; taking the run over",
            folder.run_id,
            journal.lock.taken_over.get("pid"),
        )
    try:
        info = journal.run_info()
        if not info:
            journal.close()
            folder.remove_journal()
            return None
        merged = _checked(options, folder, journal, info)
    except BaseException:
        journal.close()
        raise
    state = as_run_state(str(info.get("status")))
    if state in ("created", "planned", "objects", "associations"):
        journal.set_state("stopped", reason=KILLED)  # no live process holds it: it died
        state = "stopped"
    return Run(
        options=merged,
        run_id=folder.run_id,
        folder=folder,
        target=merged.target or info.get("target"),
        journal=journal,
        writer=None,
        started_at=float(info.get("created_at") or time.time()),
        resumed=True,
        state=state,
    )


def _checked(
    options: ImportOptions, folder: RunFolder, journal: Journal, info: dict[str, Any]
) -> ImportOptions:
    run_id = folder.run_id
    state = as_run_state(str(info.get("status")))
    if state == "rolled_back":
        raise ConfigError(f"run {run_id!r} was rolled back; start a new import instead")
    if state == "reported" and not options.replan:
        status = folder.report_status()
        if options.resume is None:
            raise ConfigError(
                f"run {run_id!r} exists already and is finished (status {status}) in"
                f" {folder.path}: choose another --run-id"
            )
        raise RunFinished(
            f"run {run_id!r} is finished (status {status}); nothing was sent."
            f" Its report: {folder.summary_txt}",
            run_id=run_id,
            status=status,
        )
    recorded = info.get("options") or {}
    merged = _merged(options, recorded, run_id)
    if options.resume is None:
        log.warning("run %s is unfinished (state %s): resuming it", run_id, state)
    if journal.planned() and not options.replan:
        check_inputs_unchanged(run_id, info.get("inputs"), merged)
    return merged


def _merged(options: ImportOptions, recorded: dict[str, Any], run_id: str) -> ImportOptions:
    """The recorded data folder, mapping file and planning options, after checking that the
    ones given on the command line (if any) are the same."""
    data = _same(run_id, "--data", options.data_dir, recorded.get("data_dir"))
    mapping = recorded.get("mapping_file")
    if options.replan and options.mapping_file is not None:
        mapping = str(options.mapping_file)  # a replan may use a corrected mapping file
    else:
        mapping = _same(run_id, "--mapping", options.mapping_file, mapping)
    return replace(
        options,
        data_dir=Path(data) if data else None,
        mapping_file=Path(mapping) if mapping else None,
        create_contacts_from_tickets=bool(
            recorded.get("create_contacts_from_tickets", options.create_contacts_from_tickets)
        ),
        sources=options.sources or tuple(tuple(p) for p in recorded.get("sources") or ()),
        date_order=options.date_order or recorded.get("date_order"),
        resume=run_id,
        run_id=run_id,
        dry_run=False,
    )


def _same(run_id: str, flag: str, given: Path | None, recorded: str | None) -> str | None:
    if given is None:
        return recorded
    if recorded is None or Path(given).resolve() != Path(recorded).resolve():
        was = f"with {flag} {recorded}" if recorded else f"without {flag}"
        raise ConfigError(
            f"run {run_id!r} was planned {was}, not with {flag} {given}: resume it {was}"
            f" (or leave {flag} out), or start a new import for {given}"
        )
    return recorded
