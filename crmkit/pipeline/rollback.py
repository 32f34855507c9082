"""Undo a run: archive the records it created, keep the ones it only updated.

Records the run merely updated existed before it, so archiving them would destroy data the run
did not bring. Each archived batch is journaled at once, so an interrupted rollback continues
where it stopped, and running it twice archives nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crmkit import RECORD_TYPES
from crmkit.errors import ConfigError
from crmkit.pipeline.executor import chunked
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.options import MAX_BATCH, ImportOptions, check_run_id
from crmkit.pipeline.progress import StageBar
from crmkit.pipeline.runfolder import RunFolder
from crmkit.pipeline.write_contract import Writer

RollbackWriterFactory = Callable[[str, ImportOptions, float], Writer]


def rollback(
    run_id: str,
    *,
    output_dir: Path = Path("output"),
    target: str | None = None,
    progress: bool = False,
    writer_factory: RollbackWriterFactory | None = None,
) -> str:
    """Archive what run ``run_id`` created; returns a short summary for people."""
    check_run_id(run_id)
    folder = RunFolder.of(output_dir, run_id)
    if not folder.has_journal():
        raise ConfigError(f"no journal for run {run_id!r} in {folder.path} (dry runs have none)")
    with Journal(folder.journal) as journal:
        info = journal.run_info()
        stored = info.get("options", {})
        options = ImportOptions(
            tier=str(stored.get("tier", "professional")),
            window_s=float(stored.get("window_s") or 10.0),
            timeout_s=stored.get("timeout_s"),
            progress=progress,
        )
        portal = target or info.get("target")
        if not portal:
            raise ConfigError(f"run {run_id!r} has no target; pass --target URL")
        todo = {t: journal.created_ids(t) for t in reversed(RECORD_TYPES)}
        if not todo.get("notes"):
            todo.pop("notes", None)  # a run without notes says nothing about them
        if not any(todo.values()):
            done = journal.rolled_back_count()
            return f"Nothing to roll back for run {run_id}" + (
                f" ({done} records were archived by an earlier rollback)." if done else "."
            )
        writer = (writer_factory or _connect)(portal, options, float(info["created_at"]))
        archived: dict[str, int] = {}
        for object_type, pairs in todo.items():
            archived[object_type] = 0
            with StageBar(f"rollback {object_type}", len(pairs), enabled=progress) as bar:
                for chunk in chunked(pairs, MAX_BATCH):
                    writer.archive(object_type, [hubspot_id for _, hubspot_id in chunk])
                    journal.mark_rolled_back(object_type, [key for key, _ in chunk])
                    archived[object_type] += len(chunk)
                    bar.update(len(chunk))
        kept = sum(n for (_, _, state), n in journal.state_counts().items() if state == "updated")
        journal.set_state("rolled_back")
    parts = ", ".join(f"{n} {t}" for t, n in archived.items())
    return (
        f"Rolled back run {run_id} on {portal}: archived {parts}."
        f" Kept {kept} records the run only updated."
    )


def _connect(target: str, options: ImportOptions, run_started: float) -> Writer:
    from crmkit.pipeline.hubspot_writer import connect

    return connect(target, options, run_started=run_started)
