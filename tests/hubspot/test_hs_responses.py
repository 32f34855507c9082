"""HubSpot error bodies into typed errors; per-input 207 errors into facts."""

from __future__ import annotations

from typing import Any

import pytest

from crmkit.errors import (
    AuthError,
    ConflictError,
    HubSpotError,
    HubSpotValidationError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from crmkit.hubspot.responses import (
    code_of,
    error_from_response,
    existing_id_of,
    status_of,
    trace_ids_of,
)

CONFLICT = {
    "status": "error",
    "message": "Contact already exists. Existing ID: 171591000198",
    "correlationId": "c-1",
    "category": "CONFLICT",
}
INVALID = {"category": "VALIDATION_ERROR", "message": "bad"}
TEN_S = {"errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"}
DAILY = {"errorType": "RATE_LIMIT", "policyName": "DAILY"}
PROPS = 'Property values were not valid: [{"isValid":false,"error":"PROPERTY_DOESNT_EXIST"}]'


@pytest.mark.parametrize(
    ("status", "body", "kind", "category", "transient"),
    [
        (400, INVALID, HubSpotValidationError, "VALIDATION_ERROR", False),
        (401, {"category": "INVALID_AUTHENTICATION"}, AuthError, "INVALID_AUTHENTICATION", False),
        (403, {"category": "MISSING_SCOPES"}, AuthError, "MISSING_SCOPES", False),
        (404, {"category": "OBJECT_NOT_FOUND"}, NotFoundError, "OBJECT_NOT_FOUND", False),
        (409, CONFLICT, ConflictError, "CONFLICT", False),
        (422, {}, HubSpotValidationError, None, False),
        (429, TEN_S, RateLimitError, "RATE_LIMIT", True),
        (429, DAILY, RateLimitError, "RATE_LIMIT", False),
        (500, {}, ServerError, None, True),
        (502, {"message": "<html>bad gateway</html>"}, ServerError, None, True),
        (503, {}, ServerError, None, True),
    ],
)  # fmt: skip
def test_status_and_body_give_the_right_error(
    status: int,
    body: dict[str, Any],
    kind: type[HubSpotError],
    category: str | None,
    transient: bool,
) -> None:
    error = error_from_response(status, body)
    assert type(error) is kind
    assert (error.status, error.category, error.transient) == (status, category, transient)
    assert error.body == body


def test_error_keeps_the_correlation_id_from_body_or_header() -> None:
    assert error_from_response(400, {"correlationId": "abc"}).correlation_id == "abc"
    from_header = error_from_response(500, {}, {"X-HubSpot-Correlation-Id": "hdr"})
    assert from_header.correlation_id == "hdr"
    assert "hdr" in from_header.message


def test_conflict_names_the_existing_record() -> None:
    error = error_from_response(409, CONFLICT)
    assert isinstance(error, ConflictError)
    assert error.existing_id == "171591000198"


def test_rate_limit_keeps_the_policy() -> None:
    error = error_from_response(429, {"policyName": "SECONDLY"})
    assert isinstance(error, RateLimitError) and error.policy == "SECONDLY"


def test_401_explains_tokens_and_api_keys() -> None:
    assert "2022-11-30" in error_from_response(401, {"message": "no"}).message


@pytest.mark.parametrize("body", [None, {}, {"message": 5, "category": ["x"], "context": "?"}])
def test_odd_bodies_never_break_parsing(body: dict[str, Any] | None) -> None:
    error = error_from_response(400, body)
    assert error.message.startswith("HubSpot answered 400")
    assert existing_id_of(error.body) is None and trace_ids_of(error.body) == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"context": {"objectWriteTraceId": ["r-2", "r-3"]}}, ["r-2", "r-3"]),
        ({"context": {"objectWriteTraceId": "r-9"}}, ["r-9"]),
        ({"context": {"objectWriteTraceId": [7]}}, ["7"]),
        ({"context": {}}, []),
        ({}, []),
    ],
)
def test_trace_ids_of(error: dict[str, Any], expected: list[str]) -> None:
    assert trace_ids_of(error) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"context": {"existingId": ["42"]}, "message": "Existing ID: 7"}, "42"),
        ({"message": "Contact already exists. Existing ID: 7"}, "7"),
        ({"message": "nope"}, None),
    ],
)
def test_existing_id_of(error: dict[str, Any], expected: str | None) -> None:
    assert existing_id_of(error) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"errors": [{"message": "m", "code": "INVALID_EMAIL"}]}, "INVALID_EMAIL"),
        ({"subCategory": "INVALID_OPTION"}, "INVALID_OPTION"),
        ({"message": PROPS}, "PROPERTY_DOESNT_EXIST"),
        ({"message": "plain"}, None),
    ],
)  # fmt: skip
def test_code_of(error: dict[str, Any], expected: str | None) -> None:
    assert code_of(error) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"status": "error", "category": "CONFLICT"}, 409),
        ({"status": "error", "category": "VALIDATION_ERROR"}, 400),
        ({"status": 404}, 404),
        ({"status": "error"}, 400),
    ],
)
def test_status_of(error: dict[str, Any], expected: int) -> None:
    assert status_of(error) == expected
