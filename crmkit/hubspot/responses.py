"""HubSpot's answers: error bodies into crmkit.errors types, per-input batch errors into facts.

Every field of an error body is optional (HubSpot's own shapes vary by endpoint), so each
helper here tolerates missing or oddly typed fields and never raises on a strange body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crmkit.errors import (
    AuthError,
    ConflictError,
    HubSpotError,
    HubSpotValidationError,
    NotFoundError,
    RateLimitError,
    ServerError,
)

CORRELATION_HEADER = "x-hubspot-correlation-id"
_EXISTING_ID = re.compile(r"Existing ID:\s*([0-9A-Za-z_-]+)")
_CODE_IN_MESSAGE = re.compile(r'"error"\s*:\s*"([A-Z_]+)"')
_CATEGORY_STATUS = {
    "VALIDATION_ERROR": 400,
    "INVALID_AUTHENTICATION": 401,
    "MISSING_SCOPES": 403,
    "OBJECT_NOT_FOUND": 404,
    "CONFLICT": 409,
    "RATE_LIMITS": 429,
}


@dataclass(frozen=True)
class ApiResponse:
    """One successful answer: status, decoded JSON body (``{}`` when empty), headers, attempts."""

    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    attempts: int = 1


@dataclass(frozen=True)
class BatchResult:
    """A batch call's answer. ``errors`` holds HubSpot's per-input errors of a 207, as sent."""

    status: int
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 1


def error_from_response(
    status: int, body: Mapping[str, Any] | None, headers: Mapping[str, str] | None = None
) -> HubSpotError:
    """The typed error for a non-2xx answer, keeping status, category, correlation id, body."""
    data = dict(body or {})
    category = _str(data.get("category")) or _str(data.get("errorType"))
    correlation = _str(data.get("correlationId")) or _header(headers, CORRELATION_HEADER)
    message = _str(data.get("message")) or f"HTTP {status}"
    text = f"HubSpot answered {status}" + (f" {category}" if category else "") + f": {message}"
    if correlation:
        text += f" (correlation id {correlation})"
    common: dict[str, Any] = {
        "status": status,
        "category": category,
        "correlation_id": correlation,
        "body": data,
    }
    if status in (401, 403):
        if status == 401:
            text += (
                ". Check that HUBSPOT_ACCESS_TOKEN holds a valid private-app access token"
                " (API keys were switched off on 2022-11-30)."
            )
        scopes = required_scopes(data)
        if scopes:
            text += f". The private app needs the scope {' or '.join(scopes)}: add it to the app"
        return AuthError(text, **common)
    if status == 429:
        return RateLimitError(text, policy=_str(data.get("policyName")), **common)
    if status == 409:
        return ConflictError(text, existing_id=existing_id_of(data), **common)
    if status == 404:
        return NotFoundError(text, **common)
    if status >= 500:
        return ServerError(text, **common)
    return HubSpotValidationError(text, **common)


def required_scopes(body: Mapping[str, Any]) -> list[str]:
    """The scopes a 403 MISSING_SCOPES names (``errors[].context.required*Scopes``)."""
    found: list[str] = []
    nested = body.get("errors")
    for item in nested if isinstance(nested, list) else []:
        context = item.get("context") if isinstance(item, Mapping) else None
        if not isinstance(context, Mapping):
            continue
        for key in ("requiredGranularScopes", "requiredScopes"):
            values = context.get(key)
            for value in values if isinstance(values, list) else []:
                if isinstance(value, str) and value not in found:
                    found.append(value)
    return found


def existing_id_of(error: Mapping[str, Any]) -> str | None:
    """The id of the record that already holds a unique value (409 / CONFLICT), if named."""
    context = error.get("context")
    if isinstance(context, Mapping):
        found = _first(context.get("existingId"))
        if found:
            return found
    match = _EXISTING_ID.search(_str(error.get("message")) or "")
    return match.group(1) if match else None


def trace_ids_of(error: Mapping[str, Any]) -> list[str]:
    """The ``objectWriteTraceId`` values a per-input error names (HubSpot sends a list)."""
    context = error.get("context")
    if not isinstance(context, Mapping):
        return []
    raw = context.get("objectWriteTraceId")
    if raw is None:
        return []
    values = raw if isinstance(raw, list) else [raw]
    return [str(v) for v in values if v is not None]


def code_of(error: Mapping[str, Any]) -> str | None:
    """The most specific reason code: an ``errors[].code``, a subCategory, or one in the text."""
    nested = error.get("errors")
    if isinstance(nested, list):
        for item in nested:
            if isinstance(item, Mapping) and _str(item.get("code")):
                return _str(item.get("code"))
    sub = _str(error.get("subCategory"))
    if sub:
        return sub
    match = _CODE_IN_MESSAGE.search(_str(error.get("message")) or "")
    return match.group(1) if match else None


def status_of(error: Mapping[str, Any], default: int = 400) -> int:
    """An HTTP-like status for one per-input error (HubSpot's ``status`` there is "error")."""
    raw = error.get("status")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    return _CATEGORY_STATUS.get(_str(error.get("category")) or "", default)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value not in (None, "") else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
