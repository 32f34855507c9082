"""Per object type: rows that landed without some values, values left out, defaults applied.

A row lands *partial* when at least one of its values was left out (``dropped``: unreadable,
unmatched, or cut to HubSpot's limit, :mod:`crmkit.rejection`); a record merged from several
rows is partial when any of them is. ``landed_partial`` counts such records among those that
landed (created or updated) — in a dry run, among those planned — so it is always part of
``created + updated`` (``planned``), never on top. Defaults (a ticket's first stage) are counted
apart: a default fills a blank, it does not lose a value unless the value was also dropped.
Also here: each object type's rejected rows by their first reason (the top three lead the
summary).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crmkit.pipeline.journal import Journal
from crmkit.plan.defaults import DEFAULT_CATEGORIES
from crmkit.plan.model import ImportPlan


@dataclass
class ValueCounts:
    """What :func:`count_values` found, per object type."""

    landed_partial: dict[str, int] = field(default_factory=dict)
    values_dropped: dict[str, int] = field(default_factory=dict)
    defaults: dict[str, int] = field(default_factory=dict)
    rejected_reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    values_by_category: dict[str, int] = field(default_factory=dict)


def count_values(plan: ImportPlan, journal: Journal | None) -> ValueCounts:
    """Count partial records, dropped values and defaults; rejected rows by first reason."""
    type_of = plan.file_types()
    rejected: set[tuple[str, int]] = set()
    first_reason: dict[tuple[str, int], str] = {}
    for issue in plan.issues:
        if issue.severity == "error":
            rejected.add((issue.file, issue.row))
            first_reason.setdefault((issue.file, issue.row), issue.category)
    partial: set[tuple[str, int]] = set()
    out = ValueCounts()
    by_category: Counter[str] = Counter()
    for issue in plan.issues:
        where = (issue.file, issue.row)
        object_type = type_of.get(issue.file)
        if object_type is None or where in rejected:
            continue
        if issue.severity == "dropped":
            partial.add(where)
            out.values_dropped[object_type] = out.values_dropped.get(object_type, 0) + 1
            by_category[issue.category] += 1
        elif issue.category in DEFAULT_CATEGORIES:
            out.defaults[object_type] = out.defaults.get(object_type, 0) + 1
            by_category[issue.category] += 1
    for (file, _row), reason in first_reason.items():
        object_type = type_of.get(file, "")
        reasons = out.rejected_reasons.setdefault(object_type, {})
        reasons[reason] = reasons.get(reason, 0) + 1
    out.rejected_reasons = {
        t: dict(Counter(r).most_common()) for t, r in out.rejected_reasons.items()
    }
    out.values_by_category = dict(by_category.most_common())
    if partial:
        out.landed_partial = _partial_records(plan, journal, partial)
    return out


def _partial_records(
    plan: ImportPlan, journal: Journal | None, partial: set[tuple[str, int]]
) -> dict[str, int]:
    landed: set[tuple[str, str]] | None = None
    if journal is not None:
        landed = {
            (r.object_type, r.key)
            for r in journal.records()
            if r.origin == "file" and r.state in ("created", "updated")
        }
    counts: dict[str, int] = {}
    for object_type, records in plan.records.items():
        for record in records:
            if record.origin != "file" or not any(
                (f, int(n)) in partial for f, n in record.source_rows
            ):
                continue
            if landed is None or (object_type, record.key) in landed:
                counts[object_type] = counts.get(object_type, 0) + 1
    return counts
