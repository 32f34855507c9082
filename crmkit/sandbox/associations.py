"""Associations v4: HUBSPOT_DEFINED types, both directions stored, batch endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmkit.sandbox.replies import JSON, ApiFailure, Reply, batch_envelope, now_ms, standard_error
from crmkit.sandbox.schemadata import OBJECT_TYPE_IDS, SINGULAR
from crmkit.sandbox.store import Store

HUBSPOT_DEFINED: Mapping[tuple[str, str], Mapping[int, str | None]] = {
    ("contacts", "companies"): {279: None, 1: "Primary"},
    ("companies", "contacts"): {280: None, 2: "Primary"},
    ("contacts", "tickets"): {15: None},
    ("tickets", "contacts"): {16: None},
    ("tickets", "companies"): {339: None, 26: "Primary"},
    ("companies", "tickets"): {340: None, 25: "Primary"},
    ("notes", "contacts"): {202: None},
    ("contacts", "notes"): {201: None},
    ("notes", "companies"): {190: None},
    ("companies", "notes"): {189: None},
    ("notes", "tickets"): {228: None},
    ("tickets", "notes"): {227: None},
}
"""Association type ids by (from, to): the unlabelled default and the primary label."""

INVERSE: Mapping[int, int] = {
    279: 280,
    280: 279,
    1: 2,
    2: 1,
    15: 16,
    16: 15,
    339: 340,
    340: 339,
    26: 25,
    25: 26,
    202: 201,
    201: 202,
    190: 189,
    189: 190,
    228: 227,
    227: 228,
}
MAX_INPUTS = 2000
MAX_READ_INPUTS = 1000


def default_type(from_type: str, to_type: str) -> int:
    """The unlabelled HUBSPOT_DEFINED type id of a pair."""
    return next(t for t, label in HUBSPOT_DEFINED[(from_type, to_type)].items() if label is None)


def target_type(from_type: str, type_id: int) -> str | None:
    """Which object type a HUBSPOT_DEFINED type id from ``from_type`` points at."""
    for (source, target), types in HUBSPOT_DEFINED.items():
        if source == from_type and type_id in types:
            return target
    return None


def associate(
    store: Store, from_type: str, from_id: int, to_type: str, to_id: int, type_id: int
) -> None:
    """Link two records both ways; a labelled (primary) link implies the unlabelled one too."""
    category = "HUBSPOT_DEFINED"
    store.link(from_type, from_id, to_type, to_id, type_id, category)
    store.link(to_type, to_id, from_type, from_id, INVERSE[type_id], category)
    unlabelled = default_type(from_type, to_type)
    if type_id != unlabelled:
        associate(store, from_type, from_id, to_type, to_id, unlabelled)


def batch_create(store: Store, from_type: str, to_type: str, body: Any) -> Reply:
    """``POST /crm/v4/associations/{from}/{to}/batch/create`` → 201 (207 with missing ids)."""
    allowed = _pair(from_type, to_type)
    inputs = _inputs(body, MAX_INPUTS)
    started = now_ms()
    plans: list[tuple[int, int, list[int]]] = []
    for item in inputs:
        from_id, to_id = _id(item.get("from")), _id(item.get("to"))
        types = item.get("types")
        if not isinstance(types, list) or not types:
            raise ApiFailure(400, "VALIDATION_ERROR", "Each input needs at least one type.")
        type_ids: list[int] = []
        for spec in types:
            type_id = _type_id(spec)
            category = spec.get("associationCategory") if isinstance(spec, dict) else None
            if category != "HUBSPOT_DEFINED" or type_id is None or type_id not in allowed:
                raise ApiFailure(
                    400,
                    "VALIDATION_ERROR",
                    f"{category} association type {type_id} is not valid from "
                    f"{SINGULAR[from_type].lower()} to {SINGULAR[to_type].lower()}.",
                )
            type_ids.append(type_id)
        plans.append((from_id, to_id, type_ids))
    results: list[JSON] = []
    errors: list[JSON] = []
    with store.transaction():
        for from_id, to_id, type_ids in plans:
            missing = _missing(store, from_type, from_id, to_type, to_id)
            if missing:
                errors.append(missing)
                continue
            for type_id in type_ids:
                associate(store, from_type, from_id, to_type, to_id, type_id)
            results.append(
                {
                    "fromObjectTypeId": OBJECT_TYPE_IDS[from_type],
                    "fromObjectId": from_id,
                    "toObjectTypeId": OBJECT_TYPE_IDS[to_type],
                    "toObjectId": to_id,
                    "labels": [lbl for t in type_ids if (lbl := allowed[t]) is not None],
                }
            )
    return Reply(207 if errors else 201, batch_envelope(results, errors, started))


def batch_default(store: Store, from_type: str, to_type: str, body: Any) -> Reply:
    """``…/batch/associate/default`` → 200 with one result per direction."""
    _pair(from_type, to_type)
    inputs = _inputs(body, MAX_INPUTS)
    started = now_ms()
    forward, backward = default_type(from_type, to_type), default_type(to_type, from_type)
    results: list[JSON] = []
    errors: list[JSON] = []
    with store.transaction():
        for item in inputs:
            from_id, to_id = _id(item.get("from")), _id(item.get("to"))
            missing = _missing(store, from_type, from_id, to_type, to_id)
            if missing:
                errors.append(missing)
                continue
            associate(store, from_type, from_id, to_type, to_id, forward)
            for a, b, type_id in ((from_id, to_id, forward), (to_id, from_id, backward)):
                results.append(
                    {
                        "from": {"id": str(a)},
                        "to": {"id": str(b)},
                        "associationSpec": {
                            "associationCategory": "HUBSPOT_DEFINED",
                            "associationTypeId": type_id,
                        },
                    }
                )
    return Reply(207 if errors else 200, batch_envelope(results, errors, started))


def batch_read(store: Store, from_type: str, to_type: str, body: Any) -> Reply:
    """``…/batch/read``: each id's associated records with their types (either direction)."""
    labels = _pair(from_type, to_type)
    inputs = _inputs(body, MAX_READ_INPUTS)
    started = now_ms()
    results: list[JSON] = []
    errors: list[JSON] = []
    for item in inputs:
        from_id = _id(item)
        grouped: dict[int, list[JSON]] = {}
        for to_id, type_id, category in store.links_from(from_type, from_id, to_type):
            grouped.setdefault(to_id, []).append(
                {"category": category, "typeId": type_id, "label": labels.get(type_id)}
            )
        if not grouped:
            errors.append(
                standard_error(
                    "OBJECT_NOT_FOUND",
                    f"No {SINGULAR[to_type].lower()} is associated with "
                    f"{SINGULAR[from_type].lower()} {from_id}.",
                    {"fromObjectId": [str(from_id)]},
                )
            )
            continue
        results.append(
            {
                "from": {"id": str(from_id)},
                "to": [{"toObjectId": k, "associationTypes": v} for k, v in grouped.items()],
            }
        )
    return Reply(207 if errors else 200, batch_envelope(results, errors, started))


def batch_archive(store: Store, from_type: str, to_type: str, body: Any) -> Reply:
    """``…/batch/archive``: remove every association between the pairs → 204."""
    _pair(from_type, to_type)
    inputs = _inputs(body, MAX_INPUTS)
    with store.transaction():
        for item in inputs:
            from_id = _id(item.get("from"))
            targets = item.get("to")
            if not isinstance(targets, list):
                raise ApiFailure(400, "VALIDATION_ERROR", "Each input needs a list of 'to' ids.")
            for target in targets:
                store.unlink(from_type, from_id, to_type, _id(target))
    return Reply(204)


def labels(store: Store, from_type: str, to_type: str) -> Reply:
    """``GET /crm/v4/associations/{from}/{to}/labels``: the pair's HUBSPOT_DEFINED types."""
    types = _pair(from_type, to_type)
    results = [
        {"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": label}
        for type_id, label in types.items()
    ]
    return Reply(200, {"results": results})


def _pair(from_type: str, to_type: str) -> Mapping[int, str | None]:
    types = HUBSPOT_DEFINED.get((from_type, to_type))
    if types is None:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"No associations are defined from {from_type} to {to_type}.",
        )
    return types


def _inputs(body: Any, limit: int) -> list[JSON]:
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise ApiFailure(400, "VALIDATION_ERROR", 'Invalid input JSON: expected {"inputs": [...]}')
    if len(inputs) > limit:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"Batch input limit exceeded: {len(inputs)} inputs were given, the limit is {limit}.",
        )
    return inputs


def _id(ref: Any) -> int:
    raw = ref.get("id") if isinstance(ref, dict) else None
    text = str(raw) if raw is not None else ""
    if not text.isdigit():
        raise ApiFailure(400, "VALIDATION_ERROR", f"Invalid object id: {raw!r}")
    return int(text)


def _type_id(spec: Any) -> int | None:
    raw = spec.get("associationTypeId") if isinstance(spec, dict) else None
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _missing(store: Store, from_type: str, from_id: int, to_type: str, to_id: int) -> JSON | None:
    for object_type, object_id, key in (
        (from_type, from_id, "fromObjectId"),
        (to_type, to_id, "toObjectId"),
    ):
        if store.get(object_type, object_id) is None:
            return standard_error(
                "OBJECT_NOT_FOUND",
                f"{SINGULAR[object_type]} {object_id} does not exist.",
                {key: [str(object_id)]},
            )
    return None
