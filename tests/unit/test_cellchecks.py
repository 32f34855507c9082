"""crmkit's evaluation of the simplest expectations fails exactly the rows GX fails.

Every expectation of every bundled suite runs twice over the same one-column frames, once
through :mod:`crmkit.cellchecks` and once through Great Expectations itself, on values made
to pass and to fail: members of the option sets and their case variants, emails, phones,
dates, numbers, blanks, nulls, repeats, very long and non-ASCII text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from crmkit import cellchecks
from crmkit.validate import _INDEX_NAME, _POSITION, _run_suite, load_suite_dict

PROBES = [
    "", " ", "x", "abc", "ABC", "Zoë Müller", "a@b.co", "ann@example.com", "ANN@EXAMPLE.COM",
    "not an email", "ann@", "@x.com", "ann@example", "+14155550123", "+1 415 555 0123",
    "415-555-0123", "+4930123456", "2024-01-31", "2024-13-45", "2024-02-30T10:00:00Z",
    "1/2/2024", "12.5", "-3", "1e5", "1,000", "true", "false", "yes", "0", "42", "x" * 300,
    "a" * 65_537, "line\nbreak", "tab\there", "https://acme.example", "acme.example",
    "ACME.EXAMPLE", "sub.acme.co.uk", "-bad-.com", "ann@example.com",
]  # fmt: skip


def probes_for(expectations: list[dict[str, Any]]) -> pd.DataFrame:
    values: list[Any] = list(PROBES)
    for exp in expectations:
        for option in exp["kwargs"].get("value_set") or []:
            values += [option, str(option).lower(), str(option).upper(), f" {option}"]
    values += [np.nan, None, np.nan]
    column = str(expectations[0]["kwargs"]["column"])
    frame = pd.DataFrame({column: pd.Series(values, dtype="str")})
    frame.index.name = _INDEX_NAME
    return frame


def suites() -> list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]]:
    cases = []
    for object_type in ("contacts", "companies", "tickets"):
        suite = load_suite_dict(object_type)
        by_column: dict[str, list[dict[str, Any]]] = {}
        for position, exp in enumerate(suite["expectations"]):
            exp.setdefault("meta", {})[_POSITION] = position
            by_column.setdefault(str(exp["kwargs"]["column"]), []).append(exp)
        cases += [(object_type, column, exps, suite) for column, exps in by_column.items()]
    return cases


def failing(frame: pd.DataFrame, object_type: str, suite: dict[str, Any], exps: list) -> dict:
    return {
        int(exp["meta"][_POSITION]): sorted(labels)
        for exp, labels in _run_suite(frame, object_type, suite, exps)
    }


@pytest.mark.parametrize(("object_type", "column", "exps", "suite"), suites())
def test_crmkit_and_great_expectations_fail_the_same_rows(
    monkeypatch: pytest.MonkeyPatch,
    object_type: str,
    column: str,
    exps: list[dict[str, Any]],
    suite: dict[str, Any],
) -> None:
    assert all(cellchecks.handles(e) for e in exps), "the bundled suites need no GX"
    frame = probes_for(exps)
    ours = failing(frame, object_type, suite, exps)
    monkeypatch.setattr(cellchecks, "handles", lambda expectation: False)
    theirs = failing(frame, object_type, suite, exps)
    assert ours == theirs
    assert any(ours.values()), f"the probes make no {column} expectation fail"


@pytest.mark.parametrize(
    "expectation",
    [
        {
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "c", "regex": "x", "mostly": 0.9},
        },
        {"type": "expect_column_value_lengths_to_be_between", "kwargs": {"column": "c"}},
        {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "c", "min_value": 1}},
    ],
)  # fmt: skip
def test_anything_else_is_left_to_great_expectations(expectation: dict[str, Any]) -> None:
    assert not cellchecks.handles(expectation)
