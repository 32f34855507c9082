"""The outcome of a run per file, computed from its ``report.json`` only.

Every number the report page, the report notebook and the charts show about where rows went
comes from :func:`file_outcomes` and :func:`run_outcome`, so the page cannot disagree with
itself or with report.json. The keys the pipeline may add later (the file's name, rows that
landed without some values) are read when present and default to what older reports imply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from crmkit import OBJECT_TYPES

Report = Mapping[str, Any]

PARTIAL_KEYS: tuple[str, ...] = (
    "landed_without_some_values",
    "landed_partial",
    "partial",
)
"""Names report.json may use for records that landed with a bad value left out (lenient
policy); the first one present wins."""

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
    planned: int
    from_tickets: int

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def object_types(report: Report) -> list[str]:
    """Object types of the report in write order first, then any others it holds."""
    objects = report.get("objects") or {}
    known = [t for t in OBJECT_TYPES if t in objects]
    return known + sorted(t for t in objects if t not in OBJECT_TYPES)


def _partial(section: Mapping[str, Any]) -> int:
    for key in PARTIAL_KEYS:
        if key in section:
            return as_int(section[key])
    return 0


def file_name(report: Report, object_type: str) -> str:
    """The source file(s) of ``object_type`` as report.json's ``sources`` places them."""
    placed = (report.get("sources") or {}).get("sources") or []
    names = [
        str(s.get("file")) + (f" ({s['sheet']})" if s.get("sheet") else "")
        for s in placed
        if isinstance(s, Mapping) and s.get("role") == object_type and s.get("file")
    ]
    return ", ".join(names) if names else f"{object_type}.csv"


def unplaced_files(report: Report) -> list[tuple[str, str]]:
    """(file, why) for each file of the data folder that was not imported."""
    unplaced = (report.get("sources") or {}).get("unplaced") or []
    return [
        (str(u.get("file")), str(u.get("reason") or ""))
        for u in unplaced
        if isinstance(u, Mapping) and u.get("file")
    ]


def file_outcomes(report: Report) -> list[FileOutcome]:
    """One outcome per object type that has anything to count (an absent file has not)."""
    objects = report.get("objects") or {}
    dry = bool(report.get("dry_run"))
    outcomes = []
    for object_type in object_types(report):
        section = objects.get(object_type) or {}
        created, updated = as_int(section.get("created")), as_int(section.get("updated"))
        unchanged = as_int(section.get("unchanged"))  # in the portal already: nothing sent
        planned = as_int(section.get("planned"))
        outcome = FileOutcome(
            object_type=object_type,
            file=file_name(report, object_type),
            rows=as_int(section.get("rows")),
            landed=planned if dry else created + updated + unchanged,
            landed_without_some_values=_partial(section),
            rejected=as_int(section.get("rejected")),
            failed=0 if dry else as_int(section.get("failed")),
            duplicates=as_int(section.get("duplicates")),
            created=created,
            updated=updated,
            planned=planned,
            from_tickets=as_int(section.get("created_from_tickets")),
        )
        counts = (outcome.rows, outcome.landed, outcome.rejected, outcome.failed)
        if any(counts) or outcome.duplicates or outcome.from_tickets:
            outcomes.append(outcome)
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
    """``landed / (landed + rejected + failed)``, the rate summary.txt prints.

    Merged duplicates are neither success nor failure. ``None`` when there is nothing to
    count (an empty run), so history charts show a gap rather than 0 %.
    """
    outcomes = file_outcomes(report)
    ok = sum(o.landed for o in outcomes)
    bad = sum(o.rejected + o.failed for o in outcomes)
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
