"""The preview: a dry run compared with the portal, read-only.

``crmkit import --dry-run --target URL`` with ``HUBSPOT_ACCESS_TOKEN`` set reads every planned
record by its upsert key (100 per call, paced like any call) and says per record: create,
update (each changed property before → after) or unchanged, plus the associations to add. It
sends no write: not even the import-key property is created. Without a target or a token the
dry run stays offline, as before, and says so.

``diff.csv``: ``object_type,key,action,property,before,after`` — one row per changed property
of an update, one row (property empty) per create and per unchanged record.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkit import RECORD_TYPES
from crmkit.hubspot.auth import TOKEN_ENV
from crmkit.pipeline.compare import RecordDiff, UpdatePolicy, diff_record
from crmkit.pipeline.hubspot_writer import portal_client
from crmkit.pipeline.options import ImportOptions
from crmkit.pipeline.portal_read import PortalReader
from crmkit.pipeline.quota import estimate, quota_lines
from crmkit.pipeline.reportfiles import safe_cell
from crmkit.pipeline.run import Run
from crmkit.pipeline.run_extras import merge
from crmkit.pipeline.update_policy import ColumnPolicies, check_policy, column_policies
from crmkit.plan.model import ImportPlan, PlannedRecord

DIFF_CSV = "diff.csv"
DIFF_COLUMNS = ("object_type", "key", "action", "property", "before", "after")
ACTION_COUNTS = {"create": "would_create", "update": "would_update", "unchanged": "unchanged"}


@dataclass
class Preview:
    """What a preview found: per-record diffs and the counts for report.json."""

    target: str
    diffs: dict[str, list[RecordDiff]] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    links_to_add: int = 0
    links_present: int = 0
    reads: int = 0
    writes: int = 0
    daily_remaining: int | None = None
    portal_id: str | None = None

    def counts(self, object_type: str, origin: str = "file") -> dict[str, int]:
        out = dict.fromkeys(ACTION_COUNTS.values(), 0)
        for diff in self.diffs.get(object_type, []):
            if self.origins.get((object_type, diff.key), "file") == origin:
                out[ACTION_COUNTS[diff.action]] += 1
        return out


def compare_plan(
    reader: PortalReader,
    plan: ImportPlan,
    *,
    policy: UpdatePolicy = "overwrite",
    columns: ColumnPolicies | None = None,
) -> dict[str, list[RecordDiff]]:
    """Every planned record against the portal, in plan order."""
    out: dict[str, list[RecordDiff]] = {}
    for object_type in RECORD_TYPES:
        records = plan.records.get(object_type, [])
        out[object_type] = diff_all(reader, object_type, records, policy, columns or {})
    return out


def diff_all(
    reader: PortalReader,
    object_type: str,
    records: list[PlannedRecord],
    policy: UpdatePolicy,
    columns: ColumnPolicies,
) -> list[RecordDiff]:
    if not records:
        return []
    existing = reader.by_key(object_type, records)
    kinds = reader.kinds(object_type)
    chosen = columns.get(object_type, {})
    return [
        diff_record(r, existing.get(r.key), policy=policy, column_policies=chosen, kinds=kinds)
        for r in records
    ]


def preview_run(run: Run, plan: ImportPlan) -> None:
    """The dry run's comparison with the portal, into the run's report and summary."""
    target, reason = preview_target(run.options)
    found = run_preview(run.options, plan, run.run_dir) if target else None
    if found is not None:  # the report names the portal the preview compared with
        run.target, run.portal_id = found.target, found.portal_id
    extras = preview_extras(found, reason, run.options)
    merge(run.extras, extras)
    run.notes += preview_lines(extras)


def preview_target(options: ImportOptions) -> tuple[str | None, str]:
    """The portal to compare with, or None and why the dry run stays offline."""
    if not options.target:
        return None, "no --target: the dry run stays offline"
    if not os.environ.get(TOKEN_ENV, "").strip():
        return None, f"{TOKEN_ENV} is not set: the dry run stays offline"
    return options.target, ""


def run_preview(options: ImportOptions, plan: ImportPlan, run_dir: Path) -> Preview:
    """Compare ``plan`` with ``options.target`` and write diff.csv; sends reads only."""
    target = options.target
    assert target is not None
    client = portal_client(target, options)
    with client:
        portal = client.account_details().get("portalId")
        reader = PortalReader(client)
        policy = check_policy(options.update_policy)
        diffs = compare_plan(
            reader, plan, policy=policy, columns=column_policies(options.mapping_file)
        )
        result = Preview(target, diffs, portal_id=str(portal) if portal else None)
        result.origins = {
            (t, r.key): r.origin for t in RECORD_TYPES for r in plan.records.get(t, [])
        }
        result.links_to_add, result.links_present = _links(reader, plan, diffs)
        result.reads = int(client.stats.snapshot().get("requests", 0))
        result.daily_remaining = client.daily_remaining
    write_diff_csv(run_dir / DIFF_CSV, (d for t in RECORD_TYPES for d in diffs.get(t, [])))
    return result


def _links(
    reader: PortalReader, plan: ImportPlan, diffs: dict[str, list[RecordDiff]]
) -> tuple[int, int]:
    """(links to add, links the portal has already) among the planned ones."""
    ids = {t: {d.key: d.hubspot_id for d in ds if d.hubspot_id} for t, ds in diffs.items()}
    by_kind: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for link in plan.links:
        from_id = ids.get(link.from_type, {}).get(link.from_key)
        to_id = ids.get(link.to_type, {}).get(link.to_key)
        if from_id and to_id:
            by_kind.setdefault((link.from_type, link.to_type), []).append((from_id, to_id))
    present = 0
    for (from_type, to_type), pairs in by_kind.items():
        now = reader.links(from_type, to_type, [f for f, _ in pairs])
        present += sum(1 for pair in pairs if pair in now)
    return len(plan.links) - present, present


def write_diff_csv(path: Path, diffs: Iterable[RecordDiff]) -> int:
    """diff.csv, cells made spreadsheet-safe; returns the rows written."""
    rows = 0
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(DIFF_COLUMNS)
        for diff in diffs:
            if diff.action == "update":
                for change in diff.changes:
                    line = (diff.object_type, diff.key, "update", change.property,
                            change.before or "", change.after)  # fmt: skip
                    out.writerow([safe_cell(v) for v in line])
                    rows += 1
            else:
                out.writerow([safe_cell(v) for v in (diff.object_type, diff.key, diff.action)]
                             + ["", "", ""])  # fmt: skip
                rows += 1
    tmp.replace(path)
    return rows


def preview_extras(preview: Preview | None, reason: str, options: ImportOptions) -> dict[str, Any]:
    """The report.json additions of a dry run: per-type counts, the preview, the quota."""
    if preview is None:
        return {"preview": {"compared": False, "reason": reason}}
    shown = [t for t in RECORD_TYPES if t != "notes" or preview.diffs.get(t)]
    objects = {t: preview.counts(t) for t in shown}
    sends = sum(
        -(-sum(1 for d in preview.diffs.get(t, []) if d.action != "unchanged") // 100)
        for t in RECORD_TYPES
    )
    quota = estimate(
        options.tier,
        reads=preview.reads,
        writes=sends,
        links=-(-preview.links_to_add // 100),
        daily_remaining=preview.daily_remaining,
        window_s=options.window_s,
    )
    return {
        "objects": objects,
        "preview": {
            "compared": True,
            "target": preview.target,
            "update_policy": options.update_policy,
            "reads": preview.reads,
            "writes": 0,
            "from_tickets": {t: preview.counts(t, "ticket") for t in shown},
            "associations": {"to_add": preview.links_to_add, "present": preview.links_present},
            "diff_csv": DIFF_CSV,
        },
        "quota": quota,
    }


def preview_lines(extras: dict[str, Any]) -> list[str]:
    """The summary.txt lines of a preview."""
    info = extras.get("preview", {})
    if not info.get("compared"):
        if str(info.get("reason", "")).startswith("no --target"):
            return []  # an offline dry run, as asked: nothing to say
        return [f"Preview: not compared with a portal ({info.get('reason', '')})"]
    lines = [f"Preview against {info['target']} ({info['reads']} reads, no writes):"]
    for object_type, o in extras["objects"].items():
        lines.append(
            f"  {object_type:<10} would create {o['would_create']:>6}  would update"
            f" {o['would_update']:>6}  unchanged {o['unchanged']:>6}"
        )
    a = info["associations"]
    lines.append(f"  associations to add {a['to_add']} ({a['present']} present already)")
    lines += quota_lines(extras["quota"])
    lines.append(f"Changes: {info['diff_csv']}")
    return lines
