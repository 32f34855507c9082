"""Hand-made prepared inputs in the shape ``crmkit.prepare`` produces (see docs/architecture.md).

A prepared frame holds only valid rows: HubSpot property names as columns (string values, ""
empty), role columns prefixed with ``_``, and the spreadsheet row number as index ``row``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from tests.support.plan_fakes import FakeObject, FakePrepared, make_frame, make_object

MakePrepared = Callable[..., FakePrepared]


@pytest.fixture
def make_prepared() -> MakePrepared:
    """``make_prepared(companies=[...], contacts=[...], tickets=[...], rejected={type: n})``."""

    def factory(
        companies: list[dict[str, Any]] | None = None,
        contacts: list[dict[str, Any]] | None = None,
        tickets: list[dict[str, Any]] | None = None,
        rejected: dict[str, int] | None = None,
    ) -> FakePrepared:
        objects: dict[str, FakeObject] = {}
        for object_type, records in (
            ("companies", companies),
            ("contacts", contacts),
            ("tickets", tickets),
        ):
            if records is not None:
                objects[object_type] = make_object(
                    object_type, records, rejected=(rejected or {}).get(object_type, 0)
                )
        return FakePrepared(objects)

    return factory


FrameMaker = Callable[..., pd.DataFrame]


@pytest.fixture
def frame_of() -> FrameMaker:
    """``frame_of([{...}, ...])``: a prepared-shape frame from row dicts."""
    return make_frame
