"""``crmkit verify RUN_ID``: read back what a run wrote and compare it with what it meant to.

Every record the run created, updated or found unchanged is read by its HubSpot id and
compared, property by property, with the values the run left it with (the journal's images;
for a run without them, the plan's values). Every association the run made is looked up. The
counts go into the run's report.json as ``verify.{checked, matched, mismatched, missing}``,
the differences into ``verify.csv``; only a run whose every record and link matches passes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkit import RECORD_TYPES
from crmkit.hubspot import HubSpotClient
from crmkit.pipeline.before_images import BeforeImages
from crmkit.pipeline.compare import same_value
from crmkit.pipeline.hubspot_writer import portal_client
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.portal_read import PortalReader
from crmkit.pipeline.recorded import journaled_run, recorded_options, recorded_target
from crmkit.pipeline.reportfiles import safe_cell
from crmkit.pipeline.runfolder import RunFolder
from crmkit.plan.model import ImportPlan

VERIFY_CSV = "verify.csv"
VERIFY_COLUMNS = ("object_type", "key", "hubspot_id", "property", "expected", "actual", "problem")
LANDED = ("created", "updated", "unchanged")


@dataclass
class VerifyResult:
    """The verification's counts and its differences (one row per wrong value or absence)."""

    run_id: str
    target: str
    checked: int = 0
    matched: int = 0
    mismatched: int = 0
    missing: int = 0
    rows: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.mismatched == 0 and self.missing == 0

    def counts(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "matched": self.matched,
            "mismatched": self.mismatched,
            "missing": self.missing,
        }

    def text(self, run_dir: Path) -> str:
        verdict = "all match" if self.ok else "DIFFERENCES FOUND"
        return (
            f"Verified run {self.run_id} on {self.target}: {verdict}. Checked {self.checked}"
            f" (records and links): matched {self.matched}, mismatched {self.mismatched},"
            f" missing {self.missing}. Details: {run_dir / VERIFY_CSV}"
        )


def verify(
    run_id: str,
    *,
    output_dir: Path = Path("output"),
    target: str | None = None,
    client: HubSpotClient | None = None,
) -> VerifyResult:
    """Verify run ``run_id`` against its portal (or ``target``); writes verify.csv and
    report.json's ``verify``."""
    folder = journaled_run(run_id, output_dir)
    run_dir = folder.path
    with Journal(folder.journal) as journal:
        info = journal.run_info()
        portal = recorded_target(run_id, info, target)
        own = client is None
        if client is None:
            client = portal_client(portal, recorded_options(info))
        try:
            result = _verify(run_id, portal, run_dir, journal, PortalReader(client))
        finally:
            if own:
                client.close()
    _write_csv(run_dir / VERIFY_CSV, result.rows)
    _add_to_report(run_dir, result)
    if RunFolder(run_dir).report_html.is_file():  # the page people read shows it too
        from crmkit.report.page import write_page

        write_page(run_dir)
    return result


def _verify(
    run_id: str, portal: str, run_dir: Path, journal: Journal, reader: PortalReader
) -> VerifyResult:
    result = VerifyResult(run_id, portal)
    images = BeforeImages(journal.path)
    try:
        expected_by_key = {k: img.expected for k, img in images.images().items()}
    finally:
        images.close()
    planned = _planned(run_dir)
    for object_type in RECORD_TYPES:
        ids = journal.hubspot_ids(object_type)
        records = [r for r in journal.records(object_type) if r.state in LANDED and r.key in ids]
        if not records:
            continue
        wanted = {
            r.key: expected_by_key.get((object_type, r.key), planned.get((object_type, r.key), {}))
            for r in records
        }
        names = {n for values in wanted.values() for n in values}
        found = reader.by_id(object_type, [ids[r.key] for r in records], names)
        kinds = reader.kinds(object_type)
        for record in records:
            hubspot_id = ids[record.key]
            result.checked += 1
            held = found.get(hubspot_id)
            if held is None:
                result.missing += 1
                result.rows.append((object_type, record.key, hubspot_id, "", "", "", "missing"))
                continue
            wrong = [
                (name, value, held.properties.get(name, ""))
                for name, value in sorted(wanted[record.key].items())
                if not same_value(value, held.properties.get(name), kinds.get(name, "string"), name)
            ]
            if wrong:
                result.mismatched += 1
                for name, value, actual in wrong:
                    line = (object_type, record.key, hubspot_id, name, value, actual, "mismatch")
                    result.rows.append(line)
            else:
                result.matched += 1
    _verify_links(journal, reader, result)
    return result


def _verify_links(journal: Journal, reader: PortalReader, result: VerifyResult) -> None:
    ids = {t: journal.hubspot_ids(t) for t in RECORD_TYPES}
    by_kind: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    for link in journal.links():
        if link["state"] != "created":
            continue
        from_id = ids[link["from_type"]].get(link["from_key"])
        to_id = ids[link["to_type"]].get(link["to_key"])
        if from_id is None or to_id is None:
            continue  # an end was rolled back: the link went with it
        kind = (link["from_type"], link["to_type"])
        by_kind.setdefault(kind, []).append((link["from_key"], link["to_key"], from_id, to_id))
    for (from_type, to_type), links in by_kind.items():
        present = reader.links(from_type, to_type, [f for _, _, f, _ in links])
        for from_key, to_key, from_id, to_id in links:
            result.checked += 1
            if (from_id, to_id) in present:
                result.matched += 1
            else:
                result.missing += 1
                result.rows.append(
                    (f"{from_type}->{to_type}", f"{from_key} -> {to_key}",
                     f"{from_id} -> {to_id}", "", "", "", "missing")
                )  # fmt: skip


def _planned(run_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    """The plan's values, for records the journal has no image of (e.g. --no-compare)."""
    path = RunFolder(run_dir).plan
    if not path.is_file():
        return {}
    plan = ImportPlan.load(path)
    return {
        (t, r.key): {k: v for k, v in r.properties.items() if v != ""}
        for t in RECORD_TYPES
        for r in plan.records.get(t, [])
    }


def _write_csv(path: Path, rows: list[tuple[str, ...]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(VERIFY_COLUMNS)
        out.writerows([safe_cell(v) for v in row] for row in rows)
    tmp.replace(path)


def _add_to_report(run_dir: Path, result: VerifyResult) -> None:
    path = RunFolder(run_dir).report_json
    report: dict[str, Any] = {}
    if path.is_file():
        report = json.loads(path.read_text(encoding="utf-8"))
    report["verify"] = {**result.counts(), "ok": result.ok, "target": result.target}
    report.setdefault("files", {})["verify_csv"] = str(run_dir / VERIFY_CSV)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
