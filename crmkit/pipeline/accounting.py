"""Every source row accounted for: the counts of report.json and the invariant behind them.

Per object type: ``rows = rejected + duplicates + created + updated + unchanged +
failed`` (unchanged: the portal held the values already, nothing sent) (for a dry
run, ``rows = rejected + duplicates + planned``); ``landed_partial`` (records that landed
without some of their values, :mod:`crmkit.pipeline.valuecounts`) is part of
``created + updated`` (of ``planned`` in a dry run). Contacts created from tickets' emails are
not rows of the contacts file; they are counted apart as ``created_from_tickets``. A record
that was never sent because the run stopped counts as failed (category ``NOT_SENT``) until a
resume sends it. ``errors_by_category`` counts rejected rows by their first reason (a bad
email that coercion blanks is not counted again as a missing one), and records and links that
did not land by HubSpot's reason: the same lines errors.csv holds. If the counts do not add
up, crmkit has lost track of a row: that is a bug, and it raises instead of printing a report
that looks fine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crmkit import RECORD_TYPES
from crmkit.errors import InternalError
from crmkit.pipeline.journal import Journal
from crmkit.pipeline.valuecounts import count_values
from crmkit.plan.model import ImportPlan


@dataclass
class Accounting:
    """The counts a report is made of."""

    objects: dict[str, dict[str, int]]
    associations: dict[str, int]
    errors_by_category: dict[str, int]
    complete: bool
    from_tickets: dict[str, int] = field(default_factory=dict)
    rejected_reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per object type, rejected rows by their first reason, most frequent first."""
    values_by_category: dict[str, int] = field(default_factory=dict)
    """Values left out (or defaulted) in rows that were not rejected, by category."""
    schema_changes: list[dict[str, Any]] = field(default_factory=list)
    """Options planned (dry run) or made (with their journaled state) on the portal."""

    def landed(self) -> int:
        """Records written (created or updated), from files and from tickets."""
        return sum(o["created"] + o["updated"] for o in self.objects.values()) + sum(
            self.from_tickets.get(k, 0) for k in ("created", "updated")
        )


def account(plan: ImportPlan, journal: Journal | None) -> Accounting:
    """Count rows, outcomes and failures from the plan and (for a real run) the journal."""
    states = journal.state_counts() if journal is not None else {}
    objects: dict[str, dict[str, int]] = {}
    from_tickets = {"planned": 0, "created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    values = count_values(plan, journal)
    for object_type in RECORD_TYPES:
        if object_type not in plan.rows and object_type == "notes":
            continue  # only a run with notes reports them
        counts = {
            "rows": int(plan.rows.get(object_type, 0)),
            "rejected": int(plan.rejected.get(object_type, 0)),
            "duplicates": int(plan.duplicates.get(object_type, 0)),
            "planned": plan.from_file(object_type),
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "failed": 0,
            "created_from_tickets": 0,
            "landed_partial": values.landed_partial.get(object_type, 0),
            "values_dropped": values.values_dropped.get(object_type, 0),
            "defaults": values.defaults.get(object_type, 0),
        }
        for (otype, origin, state), n in states.items():
            if otype != object_type:
                continue
            outcome = state if state in ("created", "updated", "unchanged") else "failed"
            if origin == "file":
                counts[outcome] += n
            else:
                from_tickets[outcome] += n
                if outcome == "created":
                    counts["created_from_tickets"] += n
        from_tickets["planned"] += plan.from_tickets(object_type)
        check_rows(object_type, counts, dry_run=journal is None)
        objects[object_type] = counts

    links = journal.link_state_counts() if journal is not None else {}
    planned_links = len(plan.links)
    created_links = links.get("created", 0)
    associations = {
        "planned": planned_links,
        "created": created_links,
        "failed": planned_links - created_links if journal is not None else 0,
    }
    if journal is not None and sum(links.values()) != planned_links:
        raise InternalError(
            f"associations: {planned_links} planned but {sum(links.values())} journaled"
        )

    categories: Counter[str] = Counter()
    for reasons in values.rejected_reasons.values():
        categories.update(reasons)
    if journal is not None:
        categories.update(journal.failure_categories())
    complete = (
        journal is not None
        and all(o["failed"] == 0 for o in objects.values())
        and from_tickets["failed"] == 0
        and associations["failed"] == 0
    )
    return Accounting(
        objects=objects,
        associations=associations,
        errors_by_category=dict(categories.most_common()),
        complete=complete,
        from_tickets=from_tickets,
        rejected_reasons={t: values.rejected_reasons.get(t, {}) for t in objects},
        values_by_category=values.values_by_category,
        schema_changes=_schema_changes(plan, journal),
    )


def _schema_changes(plan: ImportPlan, journal: Journal | None) -> list[dict[str, Any]]:
    """The plan's schema changes, each with its state (``planned`` until it is journaled)."""
    if not plan.schema_changes:
        return []
    from crmkit.pipeline.schemachanges import journaled

    made = {}
    if journal is not None:
        made = {(c["object_type"], c["property"], c["value"]): c for c in journaled(journal.conn)}
    out = []
    for change in plan.schema_changes:
        done = made.get((change["object_type"], change["property"], change["value"]), {})
        out.append({**change, "state": done.get("state", "planned"), "detail": done.get("detail")})
    return out


def check_rows(object_type: str, counts: dict[str, int], *, dry_run: bool) -> None:
    """Raise InternalError unless every source row of ``object_type`` is accounted for."""
    base = counts["rejected"] + counts["duplicates"]
    written = counts["created"] + counts["updated"] + counts["unchanged"] + counts["failed"]
    if dry_run:
        parts: dict[str, Any] = {"planned": counts["planned"]}
        total = base + counts["planned"]
    else:
        parts = {k: counts[k] for k in ("created", "updated", "unchanged", "failed")}
        total = base + written
        if written != counts["planned"]:
            raise InternalError(
                f"{object_type}: {counts['planned']} records planned but {written} journaled"
            )
    landed = counts["planned"] if dry_run else counts["created"] + counts["updated"]
    if counts.get("landed_partial", 0) > landed:
        raise InternalError(
            f"{object_type}: {counts['landed_partial']} records landed partial of {landed} landed"
        )
    if total != counts["rows"]:
        detail = ", ".join(f"{k} {v}" for k, v in parts.items())
        raise InternalError(
            f"{object_type}: {counts['rows']} rows read but rejected {counts['rejected']},"
            f" duplicates {counts['duplicates']}, {detail} add up to {total}"
        )
