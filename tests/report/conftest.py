"""Fixtures for the report tests (helpers live in tests/support/report_scenarios.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.report_scenarios import batch, make_report


@pytest.fixture
def faulty_run() -> dict[str, Any]:
    """Contacts partly fail and are rejected; companies all land; 429s and a 5xx on the way."""
    return make_report(
        objects={
            "companies": {"rows": 4, "rejected": 0, "duplicates": 0, "created": 3, "updated": 1},
            "contacts": {"rows": 10, "rejected": 1, "created": 6, "updated": 2, "failed": 1},
            "tickets": {"rows": 0},
        },
        batches=[batch(0.0, 4), batch(0.5, 8, duration_s=0.4), batch(2.1, 0, failed=1)],
        timeline=[
            {"t": 0, "requests": 3, "retried": 0, "rate_limited": 0, "server_errors": 0},
            {"t": 2, "requests": 5, "retried": 2, "rate_limited": 1, "server_errors": 1},
        ],
        errors={"INVALID_EMAIL": 1, "CONFLICT": 1, "DUPLICATE": 0},
        quality={
            "contacts": {"score": 0.9, "columns": {"email": 0.8, "phone": 1.0}},
            "companies": {"score": 1.0, "columns": {"domain": 1.0}},
        },
        associations={"planned": 10, "created": 7, "failed": 1},
        records_per_s=4.0,
        ceiling=1000.0,
    )
