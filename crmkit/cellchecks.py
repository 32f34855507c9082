"""The suites' simplest expectations, evaluated as Great Expectations' pandas engine does.

Importing Great Expectations costs 4–6 s of a process, before the first record can be
written, and validating with it builds a validator, metrics and a result per expectation.
The bundled suites use five expectation types whose pandas semantics are one line each in
GX's own metric code: a regex searched in the text (``str.contains``), a set (``isin``),
lengths between two bounds (inclusive), not null, unique (``duplicated(keep=False)``); the
map expectations skip null cells, as GX's do. Those five, with exactly those arguments, are
evaluated here; any other expectation, or any other argument (``mostly``, a row condition,
strict bounds), still goes to GX. ``tests/unit/test_cellchecks.py`` runs both over every
bundled suite and checks they fail the same rows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

_ARGUMENTS: dict[str, frozenset[str]] = {
    "expect_column_values_to_not_be_null": frozenset({"column"}),
    "expect_column_values_to_match_regex": frozenset({"column", "regex"}),
    "expect_column_values_to_be_in_set": frozenset({"column", "value_set"}),
    "expect_column_value_lengths_to_be_between": frozenset({"column", "min_value", "max_value"}),
    "expect_column_values_to_be_unique": frozenset({"column"}),
}


def handles(expectation: dict[str, Any]) -> bool:
    """Whether this module evaluates ``expectation`` (else Great Expectations does)."""
    allowed = _ARGUMENTS.get(str(expectation.get("type")))
    kwargs = expectation.get("kwargs", {})
    if allowed is None or not set(kwargs) <= allowed or "column" not in kwargs:
        return False
    if expectation["type"] == "expect_column_value_lengths_to_be_between":
        return kwargs.get("min_value") is not None or kwargs.get("max_value") is not None
    if expectation["type"] == "expect_column_values_to_be_in_set":
        return isinstance(kwargs.get("value_set"), list)
    return True


def failing_labels(frame: pd.DataFrame, expectation: dict[str, Any]) -> list[int]:
    """Index labels of the rows ``expectation`` fails (those GX lists as unexpected)."""
    kwargs = expectation["kwargs"]
    column = frame[kwargs["column"]]
    present = column.notna()
    kind = expectation["type"]
    if kind == "expect_column_values_to_not_be_null":
        return [int(label) for label in frame.index[~present]]
    values = column[present]
    if kind == "expect_column_values_to_match_regex":
        ok = values.astype(str).str.contains(kwargs["regex"])
    elif kind == "expect_column_values_to_be_in_set":
        ok = values.isin(kwargs["value_set"])
    elif kind == "expect_column_value_lengths_to_be_between":
        lengths = values.astype(str).str.len()
        ok = pd.Series(True, index=values.index)
        if kwargs.get("min_value") is not None:
            ok &= lengths >= kwargs["min_value"]
        if kwargs.get("max_value") is not None:
            ok &= lengths <= kwargs["max_value"]
    else:  # expect_column_values_to_be_unique
        ok = ~values.duplicated(keep=False)
    return [int(label) for label in values.index[~ok.to_numpy(dtype=bool)]]
