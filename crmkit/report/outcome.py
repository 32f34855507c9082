"""The outcome of a run per file, computed from its ``report.json`` only.

Every number the report page, the report notebook and the charts show about where rows went
comes from :func:`file_outcomes` and :func:`run_outcome`, which build on the pipeline's own
per-file outcome (the lines summary.txt and the CLI print), so the page cannot disagree with
the summary, with itself or with report.json.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.pipeline.outcome import file_outcomes as pipeline_outcomes

Report = Mapping[str, Any]

STATUS_WORDS: dict[str, str] = {
    "complete": "Complete: every row that could be imported landed",
    "incomplete": "Incomplete: some records did not land yet; resume the run to send them",
    "stopped_daily_limit": "Stopped at the portal's daily request limit; resume it tomorrow",
    "planned": "Dry run: the plan is ready, nothing was sent",
    "rolled_back": "Rolled back: what this run created was archived",
}


def as_int(value: Any) -> int:
    """A count from report.json; anything unreadable counts as 0."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def as_float(value: Any) -> float:
    """A measure from report.json; anything unreadable or infinite is 0.0."""
    try:
        result = float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


@dataclass(frozen=True)
class FileOutcome:
    """Where the rows of one source file went (a dry run plans instead of landing)."""

    object_type: str
    file: str
    rows: int
    landed: int
    landed_without_some_values: int
    rejected: int
    failed: int
    duplicates: int
    created: int
    updated: int
    unchanged: int  # already in the portal as the file has it: nothing was sent
    planned: int
    from_tickets: int

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def object_types(report: Report) -> list[str]:
    """Object types of the report in write order first, then any others it holds."""
    objects = report.get("objects") or {}
    known = [t for t in OBJECT_TYPES if t in objects]
    return known + sorted(t for t in objects if t not in OBJECT_TYPES)


def unplaced_files(report: Report) -> list[tuple[str, str]]:
    """(file, why) for each file of the data folder that was not imported."""
    unplaced = (report.get("sources") or {}).get("unplaced") or []
    return [
        (str(u.get("file")), str(u.get("reason") or ""))
        for u in unplaced
        if isinstance(u, Mapping) and u.get("file")
    ]


def file_outcomes(report: Report) -> list[FileOutcome]:
    """Per source file: the pipeline's outcome (what summary.txt prints) plus record counts.

    ``landed`` is rows landed (a merged duplicate lands with its record), exactly as
    :func:`crmkit.pipeline.outcome.file_outcomes` counts it for summary.txt and the CLI.
    """
    objects = report.get("objects") or {}
    outcomes = []
    for o in pipeline_outcomes(dict(report)):
        section = objects.get(o.object_type) or {}
        outcomes.append(
            FileOutcome(
                object_type=o.object_type,
                file=o.file,
                rows=o.rows,
                landed=o.landed,
                landed_without_some_values=o.landed_partial,
                rejected=o.rejected,
                failed=o.failed,
                duplicates=o.merged,
                created=as_int(section.get("created")),
                updated=as_int(section.get("updated")),
                unchanged=as_int(section.get("unchanged")),
                planned=as_int(section.get("planned")),
                from_tickets=as_int(section.get("created_from_tickets")),
            )
        )
    return outcomes


@dataclass(frozen=True)
class RunOutcome:
    """The run's headline: the totals over every file, and what they mean."""

    rows: int
    landed: int
    landed_without_some_values: int
    rejected: int
    failed: int
    duplicates: int
    success_rate: float | None
    links_planned: int
    links_created: int
    links_failed: int
    requests: int
    retried: int
    rate_limited: int
    server_errors: int
    duration_s: float
    status: str
    status_words: str
    dry_run: bool


def success_rate(report: Report) -> float | None:
    """Records landed / (landed + rejected + failed): summary.txt's "Success rate".

    Records, not rows: merged duplicates are neither success nor failure, and a dry run
    counts its planned records. ``None`` when there is nothing to count (an empty run), so
    history charts show a gap rather than 0 %.
    """
    dry = bool(report.get("dry_run"))
    ok = bad = 0
    for section in (report.get("objects") or {}).values():
        o = section or {}
        if dry:
            ok += as_int(o.get("planned"))
        else:
            ok += as_int(o.get("created")) + as_int(o.get("updated")) + as_int(o.get("unchanged"))
            bad += as_int(o.get("failed"))
        bad += as_int(o.get("rejected"))
    return ok / (ok + bad) if ok + bad else None


def run_outcome(report: Report) -> RunOutcome:
    """Totals of :func:`file_outcomes` plus links, requests and the status in words."""
    outcomes = file_outcomes(report)
    links = report.get("associations") or {}
    requests = report.get("requests") or {}
    status = str(report.get("status") or "")
    return RunOutcome(
        rows=sum(o.rows for o in outcomes),
        landed=sum(o.landed for o in outcomes),
        landed_without_some_values=sum(o.landed_without_some_values for o in outcomes),
        rejected=sum(o.rejected for o in outcomes),
        failed=sum(o.failed for o in outcomes),
        duplicates=sum(o.duplicates for o in outcomes),
        success_rate=success_rate(report),
        links_planned=as_int(links.get("planned")),
        links_created=as_int(links.get("created")),
        links_failed=as_int(links.get("failed")),
        requests=as_int(requests.get("total")),
        retried=as_int(requests.get("retried")),
        rate_limited=as_int(requests.get("rate_limited")),
        server_errors=as_int(requests.get("server_errors")),
        duration_s=as_float(report.get("duration_s")),
        status=status,
        status_words=STATUS_WORDS.get(status, status or "unknown"),
        dry_run=bool(report.get("dry_run")),
    )
