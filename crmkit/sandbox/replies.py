"""Answers in HubSpot's shapes: the error body, batch envelopes and timestamps."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass
class Reply:
    """What a handler answers; the app adds the correlation id and headers."""

    status: int
    body: JSON | None = None


class ApiFailure(Exception):
    """Raised inside request logic to answer with a HubSpot error body at once."""

    def __init__(self, status: int, category: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.reply = Reply(status, error_body(category, message, **extra))


def error_body(category: str, message: str, **extra: Any) -> JSON:
    """HubSpot's error body (the app fills ``correlationId``)."""
    body: JSON = {"status": "error", "message": message, "correlationId": "", "category": category}
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def now_ms() -> int:
    """Wall-clock epoch milliseconds: record timestamps are real, unlike the rate clock."""
    return int(time.time() * 1000)


def iso(ms: int) -> str:
    """Epoch milliseconds as HubSpot's ISO-8601 with milliseconds and ``Z``."""
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def batch_envelope(results: list[JSON], errors: list[JSON], started_ms: int, **extra: Any) -> JSON:
    """``{"status":"COMPLETE","results":…}`` with ``numErrors``/``errors`` when some failed."""
    body: JSON = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": iso(started_ms),
        "completedAt": iso(now_ms()),
    }
    if errors:
        body["numErrors"] = len(errors)
        body["errors"] = errors
    body.update(extra)
    return body


def standard_error(category: str, message: str, context: dict[str, list[str]]) -> JSON:
    """One entry of a 207 answer's ``errors[]`` (the SDK needs context, links and errors)."""
    return {
        "status": "error",
        "category": category,
        "message": message,
        "context": context,
        "errors": [],
        "links": {},
    }


def parse_int(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiFailure(
            400, "VALIDATION_ERROR", f"{name} must be an integer, got {text!r}"
        ) from None


def first(query: Mapping[str, list[str]], key: str) -> str:
    return (query.get(key) or [""])[0]
