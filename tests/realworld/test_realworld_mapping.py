"""Automatic mapping of real exports against what a person would choose (see rw_expected)."""

from __future__ import annotations

import pytest

from crmkit.mapping import Mapping
from tests.realworld.rw_expected import COLUMNS, ROLES, VALUES, Choice
from tests.realworld.rw_support import prepared

CASES = [(s, t) for s, by_type in COLUMNS.items() for t in by_type]
ROLE_CASES = [
    (s, t, r, c) for s, by in ROLES.items() for t, rc in by.items() for r, c in rc.items()
]
VALUE_CASES = [
    (s, t, col, raw, option)
    for s, by in VALUES.items()
    for t, cols in by.items()
    for col, table in cols.items()
    for raw, option in table.items()
]


def _mapping(system: str, object_type: str) -> Mapping:
    return prepared(system).objects[object_type].mapping


def _fits(choice: Choice, got: str | None) -> bool:
    return got in choice if isinstance(choice, tuple) else got == choice


@pytest.mark.parametrize(("system", "object_type"), CASES)
def test_columns_map_as_a_person_would(system: str, object_type: str) -> None:
    """Every header lands on the property a migrating analyst would pick (or on none)."""
    mapping = _mapping(system, object_type)
    expected = COLUMNS[system][object_type]
    got = mapping.to_dict()
    wrong = {
        column: (want, got.get(column, "<absent>"), mapping.columns[column].reason)
        for column, want in expected.items()
        if column in mapping.columns and not _fits(want, got[column])
    }
    assert wrong == {}
    assert set(expected) <= set(got), "a header was lost on reading"


@pytest.mark.parametrize(("system", "object_type", "role", "column"), ROLE_CASES)
def test_linking_roles(system: str, object_type: str, role: str, column: str) -> None:
    """The columns a person would link records by carry that linking role."""
    assert _mapping(system, object_type).roles().get(role) == column


@pytest.mark.parametrize(("system", "object_type", "column", "raw", "option"), VALUE_CASES)
def test_enumeration_values(
    system: str, object_type: str, column: str, raw: str, option: str
) -> None:
    """Source picklist values translate onto the HubSpot option a person would choose."""
    mapping = _mapping(system, object_type)
    assert mapping.values.get(column, {}).get(raw) == option, mapping.unmatched_values.get(column)
