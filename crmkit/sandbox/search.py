"""``POST /crm/v3/objects/{type}/search``: filter groups ORed, filters ANDed, HubSpot's caps."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from crmkit.sandbox.records import render
from crmkit.sandbox.replies import JSON, ApiFailure, Reply, now_ms
from crmkit.sandbox.store import Record, Store

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_LIMIT = 200
MAX_RESULTS = 10_000
OPERATORS = frozenset(
    {
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
        "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
    }
)  # fmt: skip
_QUERY_FIELDS: Mapping[str, tuple[str, ...]] = {
    "contacts": ("firstname", "lastname", "email", "phone", "company"),
    "companies": ("name", "domain", "website", "phone"),
    "tickets": ("subject", "content"),
}
_TOKEN_SPLIT = re.compile(r"[\s,;:.@/()_\-]+")

Match = Callable[[Record], bool]


def search(store: Store, object_type: str, body: Any, lag_ms: float = 0.0) -> Reply:
    """Search one object type; results are ordered by ``sorts`` (default: id ascending).

    Records created less than ``lag_ms`` ago are not indexed yet (eventual consistency).
    """
    if not isinstance(body, dict):
        raise _bad("Invalid input JSON: expected an object")
    schema = store.properties(object_type)
    groups = body.get("filterGroups") or []
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise _bad(f"Too many filter groups: at most {MAX_GROUPS} are allowed.")
    matchers = [_group(schema, g) for g in groups]
    limit = _number(body.get("limit", 10), "limit")
    if not 0 <= limit <= MAX_LIMIT:
        raise _bad(f"limit must be between 0 and {MAX_LIMIT}, got {limit}")
    after = _number(body.get("after") or 0, "after")
    if after >= MAX_RESULTS or after < 0:
        raise _bad(f"Paging past {MAX_RESULTS} results is not supported (after={after}).")
    query = str(body.get("query") or "").strip().lower()
    fields = _QUERY_FIELDS[object_type]
    indexed_before = now_ms() - lag_ms
    found = [
        r
        for r in store.scan(object_type)
        if r.created_at <= indexed_before
        and (not matchers or any(m(r) for m in matchers))
        and (not query or any(query in r.properties.get(f, "").lower() for f in fields))
    ]
    for name, descending in reversed(_sorts(body.get("sorts"))):
        kind = str(schema.get(name, {}).get("type", "string"))
        found.sort(key=_sorter(name, kind), reverse=descending)
    end = min(after + limit, MAX_RESULTS)
    requested = body.get("properties") or None
    out: JSON = {
        "total": len(found),
        "results": [render(r, requested) for r in found[after:end]],
    }
    if end < len(found) and end < MAX_RESULTS:
        out["paging"] = {"next": {"after": str(end)}}
    return Reply(200, out)


def _group(schema: Mapping[str, JSON], group: Any) -> Match:
    filters = group.get("filters") if isinstance(group, dict) else None
    if not isinstance(filters, list) or len(filters) > MAX_FILTERS_PER_GROUP:
        raise _bad(f"Each filter group needs 1 to {MAX_FILTERS_PER_GROUP} filters.")
    tests = [_filter(schema, f) for f in filters]
    return lambda record: all(t(record) for t in tests)


def _filter(schema: Mapping[str, JSON], spec: Any) -> Match:
    if not isinstance(spec, dict):
        raise _bad("A filter must be an object.")
    name, operator = str(spec.get("propertyName")), spec.get("operator", "EQ")
    if name not in schema:
        raise _bad(f'Property "{name}" does not exist')
    if operator not in OPERATORS:
        raise _bad(f"Unknown operator {operator!r}; use one of {', '.join(sorted(OPERATORS))}")
    kind = str(schema[name].get("type", "string"))
    prop = name

    def value(key: str = "value") -> Any:
        return _comparable(spec.get(key), kind)

    if operator == "HAS_PROPERTY":
        return lambda r: bool(r.properties.get(prop))
    if operator == "NOT_HAS_PROPERTY":
        return lambda r: not r.properties.get(prop)
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        token = str(spec.get("value", "")).lower()
        positive = operator == "CONTAINS_TOKEN"
        return lambda r: _has_token(r.properties.get(prop, ""), token) == positive
    if operator in ("IN", "NOT_IN"):
        raw = spec.get("values")
        if not isinstance(raw, list):
            raise _bad(f"{operator} needs a list of values")
        wanted = {_comparable(v, kind) for v in raw}
        inside = operator == "IN"
        return lambda r: _has_value(r, prop, kind, wanted) == inside
    if operator == "BETWEEN":
        low, high = value(), value("highValue")
        return lambda r: _cmp(r, prop, kind, lambda x: low <= x <= high)
    target = value()
    compare: dict[str, Callable[[Any], bool]] = {
        "EQ": lambda x: x == target,
        "LT": lambda x: x < target,
        "LTE": lambda x: x <= target,
        "GT": lambda x: x > target,
        "GTE": lambda x: x >= target,
    }
    if operator == "NEQ":
        return lambda r: not _cmp(r, prop, kind, compare["EQ"])
    chosen = compare[operator]
    return lambda r: _cmp(r, prop, kind, chosen)


def _cmp(record: Record, prop: str, kind: str, test: Callable[[Any], bool]) -> bool:
    raw = record.properties.get(prop)
    if not raw:
        return False
    try:
        return test(_comparable(raw, kind))
    except TypeError:
        return False


def _has_value(record: Record, prop: str, kind: str, wanted: set[Any]) -> bool:
    raw = record.properties.get(prop)
    if not raw:
        return False
    parts = raw.split(";") if kind == "enumeration" else [raw]
    return any(_comparable(p, kind) in wanted for p in parts)


def _has_token(text: str, token: str) -> bool:
    lowered = text.lower()
    tokens = {t for t in _TOKEN_SPLIT.split(lowered) if t} | {lowered}
    if "*" in token:
        return any(fnmatch.fnmatchcase(t, token) for t in tokens)
    return token in tokens


def _comparable(raw: Any, kind: str) -> Any:
    """Numbers and dates compare as numbers (epoch ms); strings case-insensitively."""
    text = "" if raw is None else str(raw).strip()
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise _bad(f"{text!r} is not a number") from None
    if kind in ("date", "datetime"):
        return _epoch_ms(text)
    return text.lower()


def _epoch_ms(text: str) -> int:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(f"{text!r} is not a date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _sorts(raw: Any) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for item in raw or []:
        if isinstance(item, str):
            out.append((item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, dict) and item.get("propertyName"):
            out.append((str(item["propertyName"]), item.get("direction") == "DESCENDING"))
    return out


def _sorter(name: str, kind: str) -> Callable[[Record], tuple[int, Any]]:
    return lambda record: _sort_key(record, name, kind)


def _sort_key(record: Record, name: str, kind: str) -> tuple[int, Any]:
    if name in ("hs_object_id", "id"):
        return (0, record.id)
    raw = record.properties.get(name)
    if not raw:
        return (1, 0)
    try:
        return (0, _comparable(raw, kind))
    except ApiFailure:
        return (0, raw)


def _number(raw: Any, name: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise _bad(f"{name} must be an integer, got {raw!r}") from None


def _bad(message: str) -> ApiFailure:
    return ApiFailure(400, "VALIDATION_ERROR", message)
