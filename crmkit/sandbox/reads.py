"""Reading and archiving objects: batch read (207 when some are missing), get, list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmkit.sandbox.records import (
    batch_inputs,
    first,
    not_found,
    parse_int,
    property_names,
    reject_duplicates,
    render,
    resolve,
)
from crmkit.sandbox.replies import JSON, Reply, batch_envelope, error_body, now_ms
from crmkit.sandbox.store import Store


def batch_read(store: Store, object_type: str, body: Any) -> Reply:
    inputs = batch_inputs(body)
    started = now_ms()
    id_property = body.get("idProperty")
    requested = property_names(body.get("properties"))
    ids = [str(i.get("id", "")) for i in inputs]
    reject_duplicates(ids)
    results: list[JSON] = []
    missing: list[str] = []
    for raw_id in ids:
        record = resolve(store, object_type, raw_id, id_property)
        if record is None:
            missing.append(raw_id)
        else:
            results.append(render(record, requested))
    errors = [not_found(object_type, missing)] if missing else []
    return Reply(207 if missing else 200, batch_envelope(results, errors, started))


def batch_archive(store: Store, object_type: str, body: Any) -> Reply:
    inputs = batch_inputs(body)
    ids = [str(i.get("id", "")) for i in inputs]
    reject_duplicates(ids)
    now = now_ms()
    with store.transaction():
        for raw_id in ids:
            if raw_id.isdigit():
                store.archive(object_type, int(raw_id), now)
    return Reply(204)


def get_one(store: Store, object_type: str, raw_id: str, query: Mapping[str, list[str]]) -> Reply:
    id_property = first(query, "idProperty")
    archived = first(query, "archived").lower() == "true"
    if archived:
        record = store.get(object_type, int(raw_id), archived=True) if raw_id.isdigit() else None
    else:
        record = resolve(store, object_type, raw_id, id_property)
    if record is None:
        return Reply(404, error_body("OBJECT_NOT_FOUND", "resource not found"))
    return Reply(200, render(record, property_names(query.get("properties"))))


def list_page(store: Store, object_type: str, query: Mapping[str, list[str]]) -> Reply:
    limit = parse_int((query.get("limit") or ["10"])[0], "limit")
    after = parse_int((query.get("after") or ["0"])[0], "after")
    limit = max(1, min(limit, 100))
    records = store.page(object_type, after, limit + 1)
    requested = property_names(query.get("properties"))
    body: JSON = {"results": [render(r, requested) for r in records[:limit]]}
    if len(records) > limit:
        cursor = str(records[limit - 1].id)
        body["paging"] = {
            "next": {"after": cursor, "link": f"/crm/v3/objects/{object_type}?after={cursor}"}
        }
    return Reply(200, body)


def archive_one(store: Store, object_type: str, raw_id: str) -> Reply:
    """``DELETE /crm/v3/objects/{type}/{id}`` → 204 whether or not it existed."""
    return batch_archive(store, object_type, {"inputs": [{"id": raw_id}]})
