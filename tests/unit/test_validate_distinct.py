"""Validation over distinct values: every row holding a bad value is reported, as over all rows."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from crmkit.validate import PER_VALUE, SUITE_DIR, validate_frame

GOOD_EMAILS = ["ana@acme.example", "bo@acme.example", "cy@acme.example"]


def contacts(**columns: list[str]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    index = pd.Index(range(10, 10 + n), name="row")
    return pd.DataFrame(columns, index=index, dtype="str")


@pytest.mark.parametrize(
    ("column", "values", "bad", "category"),
    [
        # few distinct values: checked once each, mapped back to every row holding them
        ("lifecyclestage", ["lead", "Tier 2", "lead", "Tier 2", "customer", "lead"], {1, 3},
         "INVALID_OPTION"),
        ("createdate", ["2024-01-02", "2024-13-01", "2024-01-02"] * 3, {1, 4, 7},
         "INVALID_DATE"),
        ("phone", ["+14155550132", "", "(415) 555", "", "(415) 555", "+14155550132"], {2, 4},
         "INVALID_PHONE"),
        # every value distinct: the same verdicts
        ("lifecyclestage", ["lead", "Tier 2", "customer", "Tier 3"], {1, 3}, "INVALID_OPTION"),
    ],
)  # fmt: skip
def test_each_row_holding_a_bad_value_gets_its_issue(
    column: str, values: list[str], bad: set[int], category: str
) -> None:
    emails = [f"p{i}@acme.example" for i in range(len(values))]
    frame = contacts(email=emails, **{column: values})
    report = validate_frame(frame, "contacts", file="c.csv")
    found = [(i.row, i.column, i.category, i.value) for i in report.issues]
    assert found == [(10 + p, column, category, values[p]) for p in sorted(bad)]
    (outcome,) = [o for o in report.results if o.column == column and o.category == category]
    assert outcome.unexpected_count == len(bad) and outcome.success is False


@pytest.mark.parametrize("repeats", [1, 5])
def test_missing_and_blank_required_values_are_reported_on_every_row(repeats: int) -> None:
    """Empty and blank-only emails are one distinct 'missing' value each, on many rows."""
    emails = (["", *GOOD_EMAILS, "   "] * repeats)[: 5 * repeats]
    frame = contacts(email=emails)
    report = validate_frame(frame, "contacts", file="c.csv")
    missing = [i.row for i in report.issues if i.category == "MISSING_REQUIRED"]
    assert missing == [10 + p for p, e in enumerate(emails) if not e.strip()]
    assert {i.value for i in report.issues if i.category == "MISSING_REQUIRED"} == {"", "   "}


@pytest.mark.parametrize("repeats", [1, 4])
def test_uniqueness_still_sees_every_row_and_ignores_case(repeats: int) -> None:
    """Duplicates need all rows; case variants of one address count as the same value."""
    emails = ["Ana@ACME.example", "ana@acme.example", "bo@acme.example"] * repeats
    frame = contacts(email=emails, lifecyclestage=["lead"] * len(emails))
    report = validate_frame(frame, "contacts", file="c.csv")
    duplicates = [i.row for i in report.issues if i.category == "DUPLICATE"]
    expected = [10 + p for p, e in enumerate(emails) if e.lower().startswith("ana") or repeats > 1]
    assert duplicates == expected
    assert all(i.severity == "warning" for i in report.issues)


def test_outcomes_come_in_suite_order() -> None:
    raw = json.loads((SUITE_DIR / "contacts.json").read_text(encoding="utf-8"))
    frame = contacts(email=GOOD_EMAILS, lifecyclestage=["lead"] * 3, phone=["+14155550132"] * 3)
    report = validate_frame(frame, "contacts", file="c.csv")
    suite_order = [
        (e["type"], e["kwargs"]["column"])
        for e in raw["expectations"]
        if e["kwargs"]["column"] in frame.columns
    ]
    assert [(o.expectation_type, o.column) for o in report.results] == suite_order


def test_only_cell_by_cell_expectations_run_on_distinct_values() -> None:
    """Uniqueness and aggregates depend on other rows; they must never be in PER_VALUE."""
    assert "expect_column_values_to_be_unique" not in PER_VALUE
    assert not any("mean" in t or "proportion" in t or "unique" in t for t in PER_VALUE)
