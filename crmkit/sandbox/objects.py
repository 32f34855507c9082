"""Writing CRM objects: batch create, upsert and update, and their single-object forms.

Whole-batch rejection is the default (nothing written, 400 listing every invalid value, or 409
for the first unique-value conflict). When every input carries a unique ``objectWriteTraceId``
each input stands alone and the answer is 207 with per-input errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crmkit.sandbox import associations
from crmkit.sandbox.records import (
    batch_inputs,
    first,
    not_found,
    reject_duplicates,
    render,
    resolve,
    trace_ids,
)
from crmkit.sandbox.replies import (
    JSON,
    ApiFailure,
    Reply,
    batch_envelope,
    error_body,
    now_ms,
    standard_error,
)
from crmkit.sandbox.schemadata import SINGULAR
from crmkit.sandbox.store import Record, Store, unique_key
from crmkit.sandbox.validation import Problem, check_properties, check_record, check_value
from crmkit.sandbox.validation import problems_message as _listing


@dataclass
class ValidInput:
    """One validated input, ready to write; ``record`` None means create."""

    values: dict[str, str]
    record: Record | None
    links: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Refusal:
    """One input that cannot be written: invalid values or an id that does not exist."""

    problems: list[Problem] = field(default_factory=list)
    missing: str | None = None


Validator = Callable[[JSON], ValidInput | Refusal]


# -- batch writes ---------------------------------------------------------------------------
def batch_create(store: Store, object_type: str, body: Any) -> Reply:
    inputs = batch_inputs(body)
    schema = store.properties(object_type)
    pipelines = store.pipelines.stage_map("tickets")

    def validate(item: JSON) -> ValidInput | Refusal:
        values, problems = check_properties(schema, item.get("properties"), object_type)
        values = {k: v for k, v in values.items() if v != ""}
        problems += check_record(object_type, values, creating=True, pipelines=pipelines)
        links, link_problems = _inline_links(store, object_type, item.get("associations"))
        problems += link_problems
        return Refusal(problems) if problems else ValidInput(values, None, links)

    return _execute(store, object_type, inputs, validate, 201)


def batch_upsert(store: Store, object_type: str, body: Any) -> Reply:
    inputs = batch_inputs(body)
    schema = store.properties(object_type)
    unique = store.unique_properties(object_type)
    pipelines = store.pipelines.stage_map("tickets")
    keys: list[str] = []
    for item in inputs:
        id_property = item.get("idProperty")
        if id_property in (None, "", "hs_object_id"):
            raise ApiFailure(
                400,
                "VALIDATION_ERROR",
                f"Upsert needs an idProperty with unique values, not {id_property or 'none'}: "
                "hs_object_id cannot be used to upsert.",
            )
        if id_property not in schema:
            raise ApiFailure(400, "VALIDATION_ERROR", f'Property "{id_property}" does not exist')
        if id_property not in unique:
            raise ApiFailure(
                400,
                "VALIDATION_ERROR",
                f"{id_property} is not a unique property; upsert needs hasUniqueValue: true.",
            )
        keys.append(unique_key(id_property, str(item.get("id", ""))))
    reject_duplicates(keys)

    def validate(item: JSON) -> ValidInput | Refusal:
        id_property = str(item["idProperty"])
        key, problem = check_value(schema[id_property], str(item.get("id", "")), object_type)
        values, problems = check_properties(schema, item.get("properties"), object_type)
        if problem is not None or not key:
            return Refusal(
                [*problems, problem or Problem(id_property, "INVALID_INPUT", "empty id")]
            )
        values[id_property] = key
        existing = store.find_unique(object_type, id_property, key)
        record = store.get(object_type, existing) if existing is not None else None
        if record is None:
            values = {k: v for k, v in values.items() if v != ""}
        merged = {**(record.properties if record else {}), **values}
        problems += check_record(object_type, merged, creating=record is None, pipelines=pipelines)
        return Refusal(problems) if problems else ValidInput(values, record)

    return _execute(store, object_type, inputs, validate, 200, upsert=True)


def batch_update(store: Store, object_type: str, body: Any) -> Reply:
    inputs = batch_inputs(body)
    schema = store.properties(object_type)
    id_property = body.get("idProperty") if isinstance(body, dict) else None
    pipelines = store.pipelines.stage_map("tickets")
    reject_duplicates([str(i.get("id", "")) for i in inputs])

    def validate(item: JSON) -> ValidInput | Refusal:
        record = resolve(store, object_type, item.get("id"), item.get("idProperty") or id_property)
        if record is None:
            return Refusal(missing=str(item.get("id", "")))
        values, problems = check_properties(schema, item.get("properties"), object_type)
        merged = {**record.properties, **values}
        problems += check_record(object_type, merged, creating=False, pipelines=pipelines)
        return Refusal(problems) if problems else ValidInput(values, record)

    return _execute(store, object_type, inputs, validate, 200)


def _execute(
    store: Store,
    object_type: str,
    inputs: list[JSON],
    validate: Validator,
    ok_status: int,
    *,
    upsert: bool = False,
) -> Reply:
    started = now_ms()
    traces = trace_ids(inputs)
    results: list[JSON] = []
    errors: list[JSON] = []
    if traces is None:
        valid: list[ValidInput] = []
        problems: list[Problem] = []
        for item in inputs:
            outcome = validate(item)
            if isinstance(outcome, ValidInput):
                valid.append(outcome)
            elif outcome.missing is not None:
                errors.append(not_found(object_type, [outcome.missing]))
            else:
                problems += outcome.problems
        if problems:
            raise ApiFailure(
                400,
                "VALIDATION_ERROR",
                _listing(problems),
                errors=[p.detail() for p in problems],
            )
        pending: dict[tuple[str, str], int | None] = {}
        for chosen in valid:
            _raise_conflict(store, object_type, chosen, pending)
        with store.transaction():
            results = [_apply(store, object_type, chosen, upsert) for chosen in valid]
        return Reply(207 if errors else ok_status, batch_envelope(results, errors, started))
    with store.transaction():
        for item, trace in zip(inputs, traces, strict=True):
            outcome = validate(item)
            if isinstance(outcome, Refusal):
                errors.append(_refusal_error(object_type, outcome, trace))
                continue
            conflict = _conflict(store, object_type, outcome, None)
            if conflict is not None:
                message, existing_id = conflict
                context = {"objectWriteTraceId": [trace], "existingId": [existing_id]}
                errors.append(standard_error("CONFLICT", message, context))
                continue
            result = _apply(store, object_type, outcome, upsert)
            result["objectWriteTraceId"] = trace
            results.append(result)
    return Reply(207 if errors else ok_status, batch_envelope(results, errors, started))


def _apply(store: Store, object_type: str, valid: ValidInput, upsert: bool) -> JSON:
    now = now_ms()
    if valid.record is None:
        record = store.insert(object_type, valid.values, now)
        for to_type, to_id, type_id in valid.links:
            associations.associate(store, object_type, record.id, to_type, to_id, type_id)
    else:
        record = store.update(valid.record, valid.values, now)
    result = render(record, full=True)
    if upsert:
        result["new"] = valid.record is None
    return result


def _conflict(
    store: Store,
    object_type: str,
    valid: ValidInput,
    pending: dict[tuple[str, str], int | None] | None,
) -> tuple[str, str] | None:
    """(message, existing id) for the first unique value another record holds already."""
    own = valid.record.id if valid.record else None
    for prop in sorted(store.unique_properties(object_type)):
        value = valid.values.get(prop)
        if not value:
            continue
        existing = store.find_unique(object_type, prop, value)
        if existing is not None and existing != own:
            singular = SINGULAR[object_type]
            if prop == "email":
                return f"{singular} already exists. Existing ID: {existing}", str(existing)
            return (
                f'A {singular.lower()} with {prop} "{value}" already exists. '
                f"Existing ID: {existing}",
                str(existing),
            )
        if pending is not None:
            key = (prop, unique_key(prop, value))
            if key in pending and pending[key] != own:
                raise ApiFailure(
                    400,
                    "VALIDATION_ERROR",
                    f"Duplicate values for unique property {prop} in batch input: [{value}]",
                )
            pending[key] = own
    return None


def _raise_conflict(
    store: Store, object_type: str, valid: ValidInput, pending: dict[tuple[str, str], int | None]
) -> None:
    conflict = _conflict(store, object_type, valid, pending)
    if conflict is not None:
        message, existing_id = conflict
        raise ApiFailure(409, "CONFLICT", message, context={"existingId": [existing_id]})


def _refusal_error(object_type: str, refusal: Refusal, trace: str) -> JSON:
    if refusal.missing is not None:
        error = not_found(object_type, [refusal.missing])
    else:
        names = [p.name for p in refusal.problems]
        error = standard_error(
            "VALIDATION_ERROR", _listing(refusal.problems), {"propertyName": names}
        )
        error["errors"] = [p.detail() for p in refusal.problems]
    error["context"]["objectWriteTraceId"] = [trace]
    return error


def _inline_links(
    store: Store, object_type: str, raw: Any
) -> tuple[list[tuple[str, int, int]], list[Problem]]:
    links: list[tuple[str, int, int]] = []
    problems: list[Problem] = []
    for item in raw or []:
        to = item.get("to") if isinstance(item, dict) else None
        to_id = str(to.get("id", "")) if isinstance(to, dict) else ""
        for spec in (item.get("types") or []) if isinstance(item, dict) else []:
            type_id = spec.get("associationTypeId") if isinstance(spec, dict) else None
            target = associations.target_type(object_type, int(type_id or -1))
            if target is None or type_id is None:
                problems.append(
                    Problem(
                        "associations",
                        "INVALID_ASSOCIATION",
                        f"association type {type_id} is not valid for {object_type}",
                    )
                )
            elif not to_id.isdigit() or store.get(target, int(to_id)) is None:
                problems.append(
                    Problem(
                        "associations",
                        "INVALID_ASSOCIATION",
                        f"{SINGULAR[target]} {to_id} does not exist",
                    )
                )
            else:
                links.append((target, int(to_id), int(type_id)))
    return links, problems


# -- single-object calls (the SDK's basic API) -----------------------------------------------
def create_one(store: Store, object_type: str, body: Any) -> Reply:
    """``POST /crm/v3/objects/{type}``: a batch of one, answered with the object itself."""
    item = {k: v for k, v in (body or {}).items() if k != "objectWriteTraceId"}
    reply = batch_create(store, object_type, {"inputs": [item]})
    return _single(reply, 201)


def update_one(
    store: Store, object_type: str, raw_id: str, query: Mapping[str, list[str]], body: Any
) -> Reply:
    """``PATCH /crm/v3/objects/{type}/{id}``; 404 when the record does not exist."""
    properties = body.get("properties") if isinstance(body, dict) else None
    item = {"id": raw_id, "properties": properties, "idProperty": first(query, "idProperty")}
    reply = batch_update(store, object_type, {"inputs": [item]})
    if reply.status == 207:
        return Reply(404, error_body("OBJECT_NOT_FOUND", "resource not found"))
    return _single(reply, 200)


def _single(reply: Reply, status: int) -> Reply:
    if reply.status != status or reply.body is None:
        return reply
    result: JSON = reply.body["results"][0]
    return Reply(status, result)
