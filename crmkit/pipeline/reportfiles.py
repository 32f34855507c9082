"""The run's report files: report.json (for charts and notebooks), summary.txt (for people),
errors.csv (for fixing the data and importing it again), values.csv (every value not imported
as written, :mod:`crmkit.pipeline.valuesfile`).

errors.csv is opened in spreadsheets, and its cells come from the user's data: a cell that
starts like a formula (``= + - @``, tab, CR) gets a leading ``'`` so it is shown, never run.
HTML-ish text stays text; a CSV has no markup to escape.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crmkit.killpoints import killpoint
from crmkit.pipeline.accounting import Accounting
from crmkit.pipeline.journal import STAT_FIELDS, Journal
from crmkit.pipeline.outcome import file_outcomes, outcome_lines
from crmkit.pipeline.runfolder import (
    ERRORS_CSV,
    REPORT_JSON,
    SUMMARY_TXT,
    VALUES_CSV,
    RunFolder,
    write_atomically,
    write_text_atomically,
)
from crmkit.pipeline.valuesfile import value_rows, write_values_csv
from crmkit.plan.model import ImportPlan

__all__ = [
    "ERRORS_CSV",
    "REPORT_JSON",
    "SUMMARY_TXT",
    "VALUES_CSV",
    "build_report",
    "write_report_files",
]
ERROR_COLUMNS = ("file", "row", "key", "stage", "category", "message", "column", "value")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never evaluates."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_report(
    *,
    run_id: str,
    run_dir: Path,
    started_at: float,
    finished_at: float,
    duration_s: float,
    target: str | None,
    dry_run: bool,
    tier: str,
    status: str,
    accounting: Accounting,
    plan: ImportPlan,
    totals: dict[str, float],
    batches: list[dict[str, Any]],
    ceiling_records_per_s: float | None,
    data_dir: str | None = None,
    portal_id: str | None = None,
) -> dict[str, Any]:
    """The report.json dict, with exactly the keys of docs/architecture.md.

    ``data_dir`` (the folder read) and ``portal_id`` (the portal's hub id, when it said) let
    the history chart group runs of the same data into the same portal.
    """
    write_s = float(totals.get("write_s", 0.0))
    landed = accounting.landed()
    requests = {
        "total": int(totals.get("requests", 0)),
        "retried": int(totals.get("retried", 0)),
        "rate_limited": int(totals.get("rate_limited", 0)),
        "server_errors": int(totals.get("server_errors", 0)),
        "transport_errors": int(totals.get("transport_errors", 0)),
    }
    report: dict[str, Any] = {
        "run_id": run_id,
        "started_at": iso(started_at),
        "finished_at": iso(finished_at),
        "duration_s": round(duration_s, 3),
        "target": target,
        "data_dir": data_dir,
        "portal_id": portal_id,
        "dry_run": dry_run,
        "tier": tier,
        "status": status,
        "objects": accounting.objects,
        "associations": accounting.associations,
        "requests": requests,
        "records_per_s": round(landed / write_s, 2) if write_s > 0 else 0.0,
        "ceiling_records_per_s": (
            round(ceiling_records_per_s, 2) if ceiling_records_per_s is not None else None
        ),
        "quality": plan.quality,
        "sources": plan.sources,
        "errors_by_category": accounting.errors_by_category,
        "rejected_by_reason": accounting.rejected_reasons,
        "values_by_category": accounting.values_by_category,
        "unmatched": plan.unmatched(),
        "source_files": dict(plan.files),
        "schema_changes": accounting.schema_changes,
        "batches": [
            {
                "t": round(float(b["t"]), 3),
                "object_type": b["object_type"],
                "action": b["action"],
                "records": int(b["records"]),
                "succeeded": int(b["succeeded"]),
                "failed": int(b["failed"]),
                "attempts": int(b["attempts"]),
                "duration_s": round(float(b["duration_s"]), 3),
            }
            for b in batches
        ],
        "timeline": timeline(batches, totals),
        "files": {
            "report_json": str(RunFolder(run_dir).report_json),
            "summary_txt": str(RunFolder(run_dir).summary_txt),
            "errors_csv": str(RunFolder(run_dir).errors_csv),
            "values_csv": str(RunFolder(run_dir).values_csv),
        },
    }
    report["outcome"] = [o.to_dict() for o in file_outcomes(report)]
    return report


def timeline(
    batches: list[dict[str, Any]], totals: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    """Requests per whole second of the run, from the counters journaled with each batch.

    Requests outside any batch (the portal's properties and key checks before the first one)
    are counted at second 0, so the timeline adds up to ``requests.total`` (``totals``).
    """
    seconds: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STAT_FIELDS, 0))
    for batch in batches:
        bucket = seconds[int(float(batch["t"]))]
        for name in STAT_FIELDS:
            bucket[name] += int(batch.get(name, 0) or 0)
    in_batches = {name: sum(s[name] for s in seconds.values()) for name in STAT_FIELDS}
    outside = {name: int((totals or {}).get(name, 0)) - in_batches[name] for name in STAT_FIELDS}
    if any(n > 0 for n in outside.values()):
        for name, n in outside.items():
            seconds[0][name] += max(n, 0)
    return [
        {
            "t": t,
            "requests": seconds[t]["requests"],
            "retried": seconds[t]["retried"],
            "rate_limited": seconds[t]["rate_limited"],
            "server_errors": seconds[t]["server_errors"],
        }
        for t in sorted(seconds)
    ]


def error_rows(plan: ImportPlan, journal: Journal | None) -> list[dict[str, Any]]:
    """One line per rejected source row, per record that did not land, per failed link."""
    grouped: dict[tuple[str, int], list[Any]] = {}
    for issue in plan.issues:
        if issue.severity == "error":
            grouped.setdefault((issue.file, issue.row), []).append(issue)
    lines: list[dict[str, Any]] = []
    for (file, row), issues in sorted(grouped.items()):
        first = issues[0]
        columns = [i.column for i in issues if i.column]
        lines.append(
            {
                "file": file,
                "row": row,
                "key": next((i.key for i in issues if i.key), ""),
                "stage": first.stage,
                "category": first.category,
                "message": " | ".join(i.message for i in issues),
                "column": ";".join(dict.fromkeys(columns)),
                "value": next((i.value for i in issues if i.value is not None), ""),
            }
        )
    if journal is None:
        return lines
    primary: dict[tuple[str, str], tuple[str, int]] = {}
    for record in journal.records():
        file, row = record.source_rows[0] if record.source_rows else ("", 0)
        primary[(record.object_type, record.key)] = (file, row)
        if record.state in ("created", "updated", "unchanged"):
            continue
        lines.append(
            {
                "file": file,
                "row": row,
                "key": record.key,
                "stage": "import",
                "category": record.error_category or _unsent(record.state),
                "message": record.error_message or _unsent_message(record.state),
                "column": "",
                "value": "",
            }
        )
    for link in journal.links():
        if link["state"] == "created":
            continue
        file, row = primary.get((link["from_type"], link["from_key"]), ("", 0))
        lines.append(
            {
                "file": file,
                "row": row,
                "key": f"{link['from_key']} -> {link['to_key']}",
                "stage": "associate",
                "category": link["error_category"] or _unsent(link["state"]),
                "message": link["error_message"] or _unsent_message(link["state"]),
                "column": f"{link['from_type']}->{link['to_type']}",
                "value": "",
            }
        )
    return lines


def _unsent(state: str) -> str:
    return "NOT_SENT" if state == "new" else "UNKNOWN"


def _unsent_message(state: str) -> str:
    if state == "new":
        return "not sent yet: the run stopped before this record; resume the run to send it"
    return "outcome unknown after retries; resume the run to send it again"


def write_errors_csv(path: Path, lines: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ERROR_COLUMNS)
        for line in lines:
            writer.writerow([safe_cell(line.get(col, "")) for col in ERROR_COLUMNS])


def summary_text(report: dict[str, Any], accounting: Accounting, resume_hint: str | None) -> str:
    """The few lines a person reads first."""
    objects = report["objects"]
    rows = sum(o["rows"] for o in objects.values())
    duplicates = sum(o["duplicates"] for o in objects.values())
    rejected = sum(o["rejected"] for o in objects.values())
    failed = sum(o["failed"] for o in objects.values())
    dry = report["dry_run"]
    ok = sum(
        o["planned"] if dry else o["created"] + o["updated"] + o.get("unchanged", 0)
        for o in objects.values()
    )
    considered = ok + rejected + failed
    rate = 100.0 * ok / considered if considered else 100.0
    title = "Dry run (nothing sent)" if dry else "Import"
    lines = [
        *outcome_lines(report),
        f"crmkit {title} · run {report['run_id']} · status {report['status']}",
        f"Target: {report['target'] or '(none)'}",
        f"Duration: {report['duration_s']:.1f} s",
        f"Total processed: {rows} source rows ({duplicates} duplicates merged)",
        f"{'To upsert' if dry else 'Successful'}: {ok}",
        f"Failed: {rejected + failed} ({rejected} rejected before import, {failed} at import)",
        f"Success rate: {rate:.1f} %",
        "Per object type:",
    ]
    for object_type, o in objects.items():
        tail = (
            f"to upsert {o['planned']:>6}"
            if dry
            else f"created {o['created']:>6}  updated {o['updated']:>6}"
            f"  unchanged {o.get('unchanged', 0):>6}  failed {o['failed']:>5}"
        )
        lines.append(
            f"  {object_type:<10} rows {o['rows']:>6}  rejected {o['rejected']:>5}"
            f"  duplicates {o['duplicates']:>5}  {tail}"
        )
    ft = accounting.from_tickets
    if ft.get("planned"):
        lines.append(
            f"Contacts from tickets: {ft['planned']} planned"
            + (
                ""
                if dry
                else f", {ft['created']} created, {ft['updated']} updated, {ft['failed']} failed"
            )
        )
    a = report["associations"]
    lines.append(
        f"Associations: {a['planned']} planned"
        + ("" if dry else f", {a['created']} created, {a['failed']} failed")
    )
    if not dry:
        r = report["requests"]
        lines.append(
            f"Requests: {r['total']} ({r['retried']} retried, {r['rate_limited']} rate-limited,"
            f" {r['server_errors']} server errors, {r['transport_errors']} transport errors)"
        )
        lines.append(f"Throughput: {report['records_per_s']} records/s" + _ceiling_note(report))
    if report["errors_by_category"]:
        top = ", ".join(f"{k} {v}" for k, v in list(report["errors_by_category"].items())[:8])
        lines.append(f"Errors by category: {top}")
    unplaced = report.get("sources", {}).get("unplaced", [])
    if unplaced:  # a file left out is never silent (crmkit.sources.discover)
        named = "; ".join(f"{u['file']} ({u['reason']})" for u in unplaced[:5])
        lines.append(f"Files not imported: {len(unplaced)}: {named}")
    lines.extend(f"Note: {note}" for note in report.get("sources", {}).get("notes", [])[:10])
    for change in report.get("schema_changes", []):  # listed before anything is sent
        lines.append(
            f"Portal change ({change['state']}): option {change['label']!r} ="
            f" {change['value']!r} on {change['object_type']}.{change['property']}"
            f" ({change['rows']} rows)"
        )
    if report.get("values_by_category"):
        top = ", ".join(f"{k} {v}" for k, v in list(report["values_by_category"].items())[:8])
        lines.append(f"Values left out or defaulted (rows still landed): {top}")
    if resume_hint:
        lines.append(resume_hint)
    files = report["files"]
    lines.append(
        f"Reports: {files['report_json']}, {files['summary_txt']}, {files['errors_csv']},"
        f" {files['values_csv']}"
    )
    return "\n".join(lines) + "\n"


def write_report_files(
    run_dir: Path,
    report: dict[str, Any],
    plan: ImportPlan,
    journal: Journal | None,
    accounting: Accounting,
    resume_hint: str | None = None,
) -> str:
    """Write all three files (each atomically); returns the summary text.

    A kill between them leaves some new and some old files: the run's state is committed only
    after all three, so a resume writes them all again.
    """
    folder = RunFolder(run_dir)
    text = summary_text(report, accounting, resume_hint)
    report_text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_text_atomically(folder.report_json, report_text)
    killpoint("reporting")
    write_text_atomically(folder.summary_txt, text)
    lines = error_rows(plan, journal)
    write_atomically(folder.errors_csv, lambda tmp: write_errors_csv(tmp, lines))
    values = value_rows(plan)
    write_atomically(folder.values_csv, lambda tmp: write_values_csv(tmp, values))
    killpoint("reported")
    return text


def _ceiling_note(report: dict[str, Any]) -> str:
    """The tier's sustained ceiling beside the rate, and why a short run can beat it."""
    ceiling = report["ceiling_records_per_s"]
    if not ceiling:
        return ""
    if report["records_per_s"] > ceiling:
        return (
            f" (sustained ceiling {ceiling}: a run shorter than the rate window spends its"
            " budget in one burst)"
        )
    return f" (ceiling {ceiling})"
