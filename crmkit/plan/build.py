"""``build_plan``: from prepared (valid, coerced) frames to the records and links to write.

Steps per object type: compute upsert keys (rows without one are rejected), fill ticket
defaults, merge duplicates, turn rows into :class:`PlannedRecord`; then index the companies and
resolve contact → company, ticket → contact and ticket → company links. Everything is
vectorised or done once per distinct value except building the records themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import PurePath
from typing import Any, Protocol

import pandas as pd

from crmkit import OBJECT_TYPES
from crmkit.issues import RowIssue
from crmkit.plan.companies import CompanyIndex, MatchPolicy
from crmkit.plan.decisions import column_decisions
from crmkit.plan.dedupe import Merged, merge_duplicates
from crmkit.plan.defaults import with_default_pipeline
from crmkit.plan.gcpause import paused_gc
from crmkit.plan.keys import column, company_domains, keys_for
from crmkit.plan.linking import link_contacts
from crmkit.plan.model import ImportPlan, PlannedLink, PlannedRecord
from crmkit.plan.tickets import link_tickets
from crmkit.schema import IMPORT_KEY_PROPERTY

_WHY_NO_KEY = {
    "contacts": "no valid email: contacts are upserted by email, so this row cannot be written "
    "without risking a duplicate",
    "companies": "no id, domain or name to build the import key from",
    "tickets": "no import key could be built",
}


class PreparedObjectLike(Protocol):
    """What the planner reads from ``crmkit.prepare.PreparedObject``."""

    object_type: str
    file: Any
    rows: int
    frame: pd.DataFrame
    issues: list[RowIssue]
    quality: Any


class PreparedLike(Protocol):
    """What the planner reads from ``crmkit.prepare.Prepared``."""

    @property
    def objects(self) -> Mapping[str, PreparedObjectLike]: ...


def id_property(object_type: str) -> str:
    """The property HubSpot upserts this object type by."""
    return "email" if object_type == "contacts" else IMPORT_KEY_PROPERTY


@dataclass
class _Staged:
    object_type: str
    file: str
    merged: Merged
    rejected: int
    issues: list[RowIssue] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)


def _file_name(file: Any) -> str:
    return file.name if isinstance(file, PurePath) else str(file)


def quality_of(quality: Any) -> dict[str, Any]:
    """``{"score", "columns"}`` from a float, a dict or a validation report."""
    if quality is None:
        return {}
    if isinstance(quality, Mapping):
        return dict(quality)
    if isinstance(quality, int | float):
        return {"score": float(quality), "columns": {}}
    score = getattr(quality, "quality", getattr(quality, "score", None))
    columns = getattr(quality, "column_quality", getattr(quality, "columns", {}))
    return {"score": None if score is None else float(score), "columns": dict(columns or {})}


def _stage(obj: PreparedObjectLike, object_type: str) -> _Staged:
    file = _file_name(obj.file)
    frame = obj.frame
    keys = keys_for(object_type, frame)
    no_key = keys == ""
    issues = [
        RowIssue(file, int(row), "plan", "MISSING_KEY", _WHY_NO_KEY[object_type])
        for row in frame.index[no_key].tolist()
    ]
    if no_key.any():
        frame, keys = frame[~no_key], keys[~no_key]
    decisions = column_decisions(getattr(obj, "mapping", None), file)
    if object_type == "tickets":
        frame, defaulted, file_wide = with_default_pipeline(frame, file=file)
        issues.extend(defaulted)
        decisions.extend(file_wide)
    merged = merge_duplicates(frame, keys, file=file, id_property=id_property(object_type))
    issues.extend(merged.issues)
    rejected = int(obj.rows) - len(obj.frame) + int(no_key.sum())
    return _Staged(object_type, file, merged, rejected, issues, decisions)


def _records(staged: _Staged) -> list[PlannedRecord]:
    """One record per merged row; empty values are left out so an upsert never blanks data."""
    frame, file, object_type = staged.merged.frame, staged.file, staged.object_type
    id_prop = id_property(object_type)
    props = [c for c in frame.columns if not str(c).startswith("_") and c != id_prop]
    columns = [frame[c].fillna("").astype(str).tolist() for c in props]
    extra = staged.merged.extra_rows
    values_of = zip(*columns, strict=True) if props else repeat((), len(frame))
    out: list[PlannedRecord] = []
    append = out.append
    for key, row, values in zip(
        staged.merged.keys.tolist(), frame.index.tolist(), values_of, strict=True
    ):
        properties = {c: v for c, v in zip(props, values, strict=True) if v}
        properties[id_prop] = key
        rows = [(file, row)]
        if extra and row in extra:
            rows.extend((file, r) for r in extra[row])
        append(PlannedRecord(object_type, key, id_prop, properties, rows))
    return out


def _dedupe_links(links: list[PlannedLink]) -> list[PlannedLink]:
    """One link per (from, to) pair; the first rule that found it wins."""
    seen: dict[tuple[str, str, str, str], PlannedLink] = {}
    for link in links:
        seen.setdefault((link.from_type, link.from_key, link.to_type, link.to_key), link)
    return list(seen.values())


def build_plan(
    prepared: PreparedLike,
    *,
    create_contacts_from_tickets: bool = True,
    policy: MatchPolicy | None = None,
) -> ImportPlan:
    """Plan the import of a prepared folder: records to upsert, links, and every issue."""
    with paused_gc():  # a record, a dict and a link per row: see crmkit.plan.gcpause
        return _build(prepared, create_contacts_from_tickets, policy)


def _build(
    prepared: PreparedLike, create_contacts_from_tickets: bool, policy: MatchPolicy | None
) -> ImportPlan:
    issues: list[RowIssue] = []
    staged: dict[str, _Staged] = {}
    for object_type in OBJECT_TYPES:
        obj = prepared.objects.get(object_type)
        if obj is None:
            continue
        issues.extend(obj.issues)
        staged[object_type] = _stage(obj, object_type)
        issues.extend(staged[object_type].issues)
    records = {t: _records(s) for t, s in staged.items()}

    index = CompanyIndex(policy=policy or MatchPolicy())
    if "companies" in staged:
        merged = staged["companies"].merged
        index = CompanyIndex.build(
            merged.keys.tolist(),
            company_domains(merged.frame).tolist(),
            column(merged.frame, "name").tolist(),
            policy,
        )
    links: list[PlannedLink] = []
    company_of: dict[str, str] = {}
    contact_keys: set[str] = set()
    if "contacts" in staged:
        s = staged["contacts"]
        found = link_contacts(index, s.merged.frame, s.merged.keys, s.file)
        links.extend(found.links)
        issues.extend(found.issues)
        company_of = found.company_of
        contact_keys = set(s.merged.keys.tolist())
    if "tickets" in staged:
        s = staged["tickets"]
        found = link_tickets(
            s.merged.frame,
            s.merged.keys,
            file=s.file,
            contact_keys=contact_keys,
            company_of=company_of,
            index=index,
            create_contacts=create_contacts_from_tickets,
            contacts=None
            if "contacts" not in staged
            else (staged["contacts"].merged.frame, staged["contacts"].merged.keys),
        )
        links.extend(found.links)
        issues.extend(found.issues)
        if found.new_contacts:
            records.setdefault("contacts", []).extend(found.new_contacts)

    plan = ImportPlan(
        records=records,
        links=_dedupe_links(links),
        issues=issues,
        rows={t: int(prepared.objects[t].rows) for t in staged},
        duplicates={t: s.merged.duplicates for t, s in staged.items()},
        quality={t: quality_of(prepared.objects[t].quality) for t in staged},
        rejected={t: s.rejected for t, s in staged.items()},
        files={t: s.file for t, s in staged.items()},
        columns={t: _columns(prepared.objects[t]) for t in staged},
        decisions=[d for s in staged.values() for d in s.decisions],
        suggestions={t: _suggestions(prepared.objects[t]) for t in staged},
        schema_changes=[
            c for t in staged for c in getattr(prepared.objects[t], "schema_changes", [])
        ],
    )
    discovery = getattr(prepared, "discovery", None)
    if discovery is not None:
        plan.sources = {**discovery.to_dict(), "notes": list(getattr(prepared, "source_notes", []))}
    from crmkit.sources.combine import locate_plan
    from crmkit.sources.notes import plan_notes

    plan = locate_plan(plan, prepared.objects)  # rows of stacked files named as their own
    plan_notes(prepared, plan)  # notes columns, Salesforce Note.csv, Zendesk comments
    return plan


def _suggestions(obj: PreparedObjectLike) -> dict[str, dict[str, dict[str, Any]]]:
    """The mapping's unsure value matches by property (see ``Mapping.suggestions``)."""
    mapping = getattr(obj, "mapping", None)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    if mapping is None:
        return out
    for col, table in getattr(mapping, "suggestions", {}).items():
        prop = mapping.columns[col].property if col in mapping.columns else None
        for raw, (option, confidence) in table.items():
            entry = {"option": option, "confidence": confidence}
            out.setdefault(prop or col, {})[raw] = entry
    return out


def _columns(obj: PreparedObjectLike) -> dict[str, str | None]:
    mapping = getattr(obj, "mapping", None)
    return dict(mapping.to_dict()) if mapping is not None else {}
