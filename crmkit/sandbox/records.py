"""Shared pieces of the object endpoints: how records are rendered and inputs are read."""

from __future__ import annotations

from typing import Any

from crmkit.sandbox.replies import JSON, ApiFailure, first, iso, parse_int, standard_error

__all__ = ["first", "parse_int"]  # query helpers, re-exported for the endpoint modules
from crmkit.sandbox.schemadata import DEFAULT_PROPERTIES, SINGULAR
from crmkit.sandbox.store import Record, Store

MAX_BATCH = 100
_ALWAYS = ("createdate", "hs_object_id")
_MODIFIED = {"contacts": "lastmodifieddate"}


def render(record: Record, requested: list[str] | None = None, *, full: bool = False) -> JSON:
    """A record as HubSpot returns it: all values are strings (null when asked for but empty)."""
    if full:
        props: dict[str, str | None] = dict(record.properties)
    else:
        names = requested if requested else list(DEFAULT_PROPERTIES[record.object_type])
        modified = _MODIFIED.get(record.object_type, "hs_lastmodifieddate")
        props = {n: record.properties.get(n) for n in (*names, *_ALWAYS, modified)}
    out: JSON = {
        "id": str(record.id),
        "properties": props,
        "createdAt": iso(record.created_at),
        "updatedAt": iso(record.updated_at),
        "archived": record.archived,
    }
    if record.archived_at is not None:
        out["archivedAt"] = iso(record.archived_at)
    return out


def batch_inputs(body: Any) -> list[JSON]:
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise ApiFailure(400, "VALIDATION_ERROR", 'Invalid input JSON: expected {"inputs": [...]}')
    if len(inputs) > MAX_BATCH:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"Batch input limit exceeded: {len(inputs)} inputs were given, the limit is "
            f"{MAX_BATCH}.",
        )
    return inputs


def trace_ids(inputs: list[JSON]) -> list[str] | None:
    """The inputs' trace ids when every input has a distinct one (multi-status mode)."""
    traces = [i.get("objectWriteTraceId") for i in inputs]
    if not traces or not all(isinstance(t, str) and t for t in traces):
        return None
    if len(set(traces)) != len(traces):
        return None
    return [str(t) for t in traces]


def reject_duplicates(ids: list[str]) -> None:
    seen: set[str] = set()
    dupes: list[str] = []
    for value in ids:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    if dupes:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"Duplicate IDs found in batch input: [{', '.join(dupes)}]. IDs must be unique",
        )


def resolve(store: Store, object_type: str, raw_id: Any, id_property: Any) -> Record | None:
    text = str(raw_id) if raw_id is not None else ""
    if id_property in (None, "", "hs_object_id"):
        return store.get(object_type, int(text)) if text.isdigit() else None
    if id_property not in store.unique_properties(object_type):
        raise ApiFailure(400, "VALIDATION_ERROR", f"{id_property} is not a unique property.")
    found = store.find_unique(object_type, str(id_property), text)
    return store.get(object_type, found) if found is not None else None


def not_found(object_type: str, ids: list[str]) -> JSON:
    name = SINGULAR[object_type].upper()
    return standard_error(
        "OBJECT_NOT_FOUND",
        f"Could not get some {name} objects, they may be deleted or not exist. "
        "Check that ids are valid.",
        {"ids": ids},
    )


def property_names(raw: Any) -> list[str] | None:
    """``properties`` as a list, a comma-separated string or repeated query values."""
    if not raw:
        return None
    items = [raw] if isinstance(raw, str) else list(raw)
    names = [n.strip() for item in items for n in str(item).split(",") if n.strip()]
    return names or None
