"""Undo a run fully: archive what it created, restore what it updated, unlink what it linked.

From the journal and its images (``crmkit.pipeline.before_images``): records the run created
are archived; records it updated get the portal's values from before the run back (an empty
one is cleared again); associations the run added are removed, never ones the portal had
before. A record that someone changed in the portal after the run is left alone and reported
as a conflict (``rollback.csv``), never clobbered. Rollback says what it will do before doing
it (``confirm``; the CLI asks unless ``--yes``), journals every batch at once, so an
interrupted rollback continues where it stopped, and running it twice does nothing twice.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crmkit import RECORD_TYPES
from crmkit.pipeline.before_images import BeforeImages, RecordImage
from crmkit.pipeline.compare import same_value
from crmkit.pipeline.executor import chunked
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.options import MAX_BATCH, ImportOptions
from crmkit.pipeline.portal_read import PortalReader
from crmkit.pipeline.progress import StageBar
from crmkit.pipeline.recorded import journaled_run, recorded_options, recorded_target
from crmkit.pipeline.reportfiles import safe_cell
from crmkit.pipeline.schemachanges import undo_changes
from crmkit.pipeline.write_contract import Writer

RollbackWriterFactory = Callable[[str, ImportOptions, float], Writer]
ROLLBACK_CSV = "rollback.csv"
CONFLICT_COLUMNS = ("object_type", "key", "hubspot_id", "property", "run_value", "portal_value")


@dataclass
class RollbackPlan:
    """What a rollback will do, and what it leaves alone."""

    archive: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    restore: dict[str, list[tuple[RecordImage, str]]] = field(default_factory=dict)
    unlink: list[tuple[str, str, str, str]] = field(default_factory=list)
    gone_links: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Links the run added to a record it archives: they go with the record."""
    conflicts: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (any(self.archive.values()) or any(self.restore.values()) or self.unlink)

    def describe(self, run_id: str, portal: str) -> str:
        archive = ", ".join(f"{len(v)} {t}" for t, v in self.archive.items() if v) or "nothing"
        restore = ", ".join(f"{len(v)} {t}" for t, v in self.restore.items() if v) or "nothing"
        keys = {(c[0], c[1]) for c in self.conflicts}
        return (
            f"Rollback of run {run_id} on {portal} will archive {archive} (created by the run),"
            f" restore {restore} (updated by the run) and remove {len(self.unlink)}"
            f" associations the run added. {len(keys)} records changed in the portal since the"
            " run are left alone (conflicts)."
        )


def rollback(
    run_id: str,
    *,
    output_dir: Path = Path("output"),
    target: str | None = None,
    progress: bool = False,
    writer_factory: RollbackWriterFactory | None = None,
    confirm: Callable[[str], bool] | None = None,
) -> str:
    """Roll run ``run_id`` back; returns a short summary for people.

    ``confirm`` is shown what will happen and may refuse (None: go ahead, as in scripts).
    """
    folder = journaled_run(run_id, output_dir)
    run_dir, path = folder.path, folder.journal
    with Journal(path) as journal:
        info = journal.run_info()
        options = recorded_options(info, progress=progress)
        portal = recorded_target(run_id, info, target)
        images = BeforeImages(path)
        try:
            todo = {t: journal.created_ids(t) for t in reversed(RECORD_TYPES)}
            if not todo.get("notes"):
                todo.pop("notes", None)  # a run without notes says nothing about them
            restorable = _restorable(journal, images)
            if not any(todo.values()) and not any(restorable.values()) and not images.added_links():
                done = journal.rolled_back_count()
                return f"Nothing to roll back for run {run_id}" + (
                    f" ({done} records were rolled back by an earlier rollback)." if done else "."
                )
            writer = (writer_factory or _connect)(portal, options, float(info["created_at"]))
            client = getattr(writer, "client", None)
            reader = PortalReader(client) if client is not None else None
            plan = _plan(todo, restorable, images, journal, reader)
            _write_conflicts(run_dir / ROLLBACK_CSV, plan.conflicts)
            if plan.empty():
                return (
                    f"Nothing rolled back for run {run_id}: every record left is a conflict"
                    f" (changed since the run); see {run_dir / ROLLBACK_CSV}."
                )
            text = plan.describe(run_id, str(portal))
            if confirm is not None and not confirm(text):
                return f"Rollback of run {run_id} cancelled; nothing was changed."
            _execute(plan, journal, images, writer, progress)
            undone = [] if client is None else undo_changes(client, journal.conn)
            journal.set_state("rolled_back")
            updated = sum(n for (_, _, s), n in journal.state_counts().items() if s == "updated")
        finally:
            images.close()
    conflicts = len({(c[0], c[1]) for c in plan.conflicts})
    archived = ", ".join(f"{len(v)} {t}" for t, v in plan.archive.items()) or "nothing"
    restored = sum(len(v) for v in plan.restore.values())
    kept = updated - restored - sum(1 for c in {(c[0], c[1]) for c in plan.conflicts})
    tail = f" {conflicts} conflicts left alone: see {run_dir / ROLLBACK_CSV}." if conflicts else ""
    return (
        f"Rolled back run {run_id} on {portal}: archived {archived}; restored {restored}"
        f" updated records; removed {len(plan.unlink)} associations."
        f" Kept {max(kept, 0)} records the run updated without before-images.{tail}"
        + "".join(f" {line[0].upper()}{line[1:]}." for line in undone)
    )


def _restorable(journal: Journal, images: BeforeImages) -> dict[str, list[RecordImage]]:
    """Updated records with a before-image not restored yet, by type."""
    out: dict[str, list[RecordImage]] = {}
    for object_type in reversed(RECORD_TYPES):
        ids = journal.hubspot_ids(object_type)
        updated = {r.key for r in journal.records(object_type) if r.state == "updated"}
        out[object_type] = [
            img
            for (_, key), img in images.images(object_type).items()
            if img.action == "update" and img.restored_at is None and key in updated and key in ids
        ]
    return out


def _plan(
    todo: dict[str, list[tuple[str, str]]],
    restorable: dict[str, list[RecordImage]],
    images: BeforeImages,
    journal: Journal,
    reader: PortalReader | None,
) -> RollbackPlan:
    plan = RollbackPlan()
    archived_ids: set[tuple[str, str]] = set()
    for object_type, pairs in todo.items():
        created = images.images(object_type)
        kept, conflicts = _unchanged_since(
            reader, object_type, [(k, i, created.get((object_type, k))) for k, i in pairs]
        )
        plan.archive[object_type] = [(k, i) for k, i in pairs if k in kept]
        plan.conflicts += conflicts
        archived_ids |= {(object_type, i) for k, i in plan.archive[object_type]}
    for object_type, imgs in restorable.items():
        ids = journal.hubspot_ids(object_type)
        kept, conflicts = _unchanged_since(
            reader, object_type, [(img.key, ids[img.key], img) for img in imgs]
        )
        plan.restore[object_type] = [(img, ids[img.key]) for img in imgs if img.key in kept]
        plan.conflicts += conflicts
    for link in images.added_links():
        ends = {(link[0], link[1]), (link[2], link[3])}
        (plan.gone_links if ends & archived_ids else plan.unlink).append(link)
    return plan


def _unchanged_since(
    reader: PortalReader | None,
    object_type: str,
    items: list[tuple[str, str, RecordImage | None]],
) -> tuple[set[str], list[tuple[str, str, str, str, str, str]]]:
    """Keys whose portal values are still what the run left, and the conflicts of the rest."""
    if reader is None or not items:
        return {key for key, _, _ in items}, []
    names = {n for _, _, img in items if img is not None for n in _watched(img)}
    found = reader.by_id(object_type, [i for _, i, _ in items], names)
    kinds = reader.kinds(object_type)
    kept: set[str] = set()
    conflicts: list[tuple[str, str, str, str, str, str]] = []
    for key, hubspot_id, img in items:
        held = found.get(hubspot_id)
        if held is None or img is None:
            kept.add(key)  # gone already, or no image to compare with: archive/skip as planned
            continue
        wrong = [
            (object_type, key, hubspot_id, name, value, held.properties.get(name, ""))
            for name, value in sorted(_watched(img).items())
            if not same_value(value, held.properties.get(name), kinds.get(name, "string"), name)
        ]
        if wrong:
            conflicts += wrong
        else:
            kept.add(key)
    return kept, conflicts


def _watched(img: RecordImage) -> dict[str, str]:
    """The values to check: what the run wrote (an update's changed properties only)."""
    if img.action == "update":
        return {n: img.expected.get(n, "") for n in img.before}
    return dict(img.expected)


def _execute(
    plan: RollbackPlan,
    journal: Journal,
    images: BeforeImages,
    writer: Writer,
    progress: bool,
) -> None:
    client = getattr(writer, "client", None)
    by_kind: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    for link in plan.unlink:
        by_kind.setdefault((link[0], link[2]), []).append(link)
    for (from_type, to_type), links in by_kind.items():
        for link_chunk in chunked(links, MAX_BATCH):
            if client is not None:
                client.unassociate(from_type, to_type, [(f, t) for _, f, _, t in link_chunk])
            images.mark_links_removed(link_chunk)
    for object_type, items in plan.restore.items():
        if not items or client is None:
            continue
        with StageBar(f"restore {object_type}", len(items), enabled=progress) as bar:
            for restore_chunk in chunked(items, MAX_BATCH):
                inputs = [
                    {"id": hubspot_id, "properties": {k: v or "" for k, v in img.before.items()}}
                    for img, hubspot_id in restore_chunk
                ]
                client.batch(object_type, "update", inputs)
                keys = [img.key for img, _ in restore_chunk]
                images.mark_restored(object_type, keys)
                journal.mark_rolled_back(object_type, keys)
                bar.update(len(restore_chunk))
    for object_type, pairs in plan.archive.items():
        with StageBar(f"rollback {object_type}", len(pairs), enabled=progress) as bar:
            for chunk in chunked(pairs, MAX_BATCH):
                writer.archive(object_type, [hubspot_id for _, hubspot_id in chunk])
                journal.mark_rolled_back(object_type, [key for key, _ in chunk])
                bar.update(len(chunk))
    images.mark_links_removed(plan.gone_links)


def _write_conflicts(path: Path, conflicts: list[tuple[str, str, str, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(CONFLICT_COLUMNS)
        out.writerows([safe_cell(v) for v in row] for row in conflicts)


def _connect(target: str, options: ImportOptions, run_started: float) -> Writer:
    from crmkit.pipeline.hubspot_writer import connect

    return connect(target, options, run_started=run_started)
