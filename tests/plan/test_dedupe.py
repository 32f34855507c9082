"""Duplicates inside a file are merged into one record, never sent twice."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from crmkit.plan.dedupe import Merged, is_empty, merge_duplicates

FrameOf = Callable[..., pd.DataFrame]


def _merge(frame_of: FrameOf, records: list[dict[str, object]], keys: list[str]) -> Merged:
    frame = frame_of(records)
    return merge_duplicates(
        frame, pd.Series(keys, index=frame.index, dtype=object), file="f.csv", id_property="email"
    )


def test_unique_keys_pass_through(frame_of: FrameOf) -> None:
    """No duplicates: same frame, nothing reported."""
    merged = _merge(frame_of, [{"a": "1"}, {"a": "2"}], ["x", "y"])
    assert merged.duplicates == 0 and merged.issues == [] and len(merged.frame) == 2


def test_first_value_wins_and_later_rows_fill_gaps(frame_of: FrameOf) -> None:
    """The first non-empty value wins; a later row fills what the first left empty."""
    merged = _merge(
        frame_of,
        [
            {"firstname": "Ann", "lastname": "", "phone": ""},
            {"firstname": "Bob", "lastname": "Zed", "phone": ""},
            {"firstname": "Annie", "lastname": "Lee", "phone": "+1555"},
            {"firstname": "Cy", "lastname": "", "phone": ""},
        ],
        ["k", "other", "k", "k"],
    )
    assert merged.duplicates == 2
    assert merged.frame.index.tolist() == [2, 3]  # file order by primary row
    assert merged.keys.tolist() == ["k", "other"]
    first = merged.frame.loc[2]
    assert (first["firstname"], first["lastname"], first["phone"]) == ("Ann", "Lee", "+1555")
    assert merged.extra_rows == {2: [4, 5]}


def test_merges_and_conflicts_are_reported(frame_of: FrameOf) -> None:
    """Every merged row is reported; each conflicting value names both values and rows."""
    merged = _merge(
        frame_of,
        [{"firstname": "Ann", "city": "Paris"}, {"firstname": "Annie", "city": "paris"}],
        ["k", "k"],
    )
    categories = sorted(i.category for i in merged.issues)
    assert categories == ["DUPLICATE_CONFLICT", "DUPLICATE_MERGED"]  # "paris" is not a conflict
    conflict = next(i for i in merged.issues if i.category == "DUPLICATE_CONFLICT")
    assert (conflict.row, conflict.column, conflict.value) == (3, "firstname", "Annie")
    assert "kept 'Ann' from row 2" in conflict.message
    assert all(i.severity == "warning" and i.stage == "plan" for i in merged.issues)


@pytest.mark.parametrize(
    ("column", "first", "second", "conflict"),
    [
        ("domain", "acme.com", "https://www.acme.com/", False),
        ("name", "Acme Inc.", "ACME, Inc", False),
        ("name", "Acme", "Globex", True),
        ("jobtitle", "CTO", " cto ", False),
        ("jobtitle", "CTO", "CEO", True),
        ("_company_name", "Acme", "Globex", False),  # role columns are not sent: no report
    ],
)
def test_conflicts_compare_normal_forms(
    column: str, first: str, second: str, conflict: bool, frame_of: FrameOf
) -> None:
    """Values that differ only in spelling are not conflicts."""
    merged = _merge(frame_of, [{column: first}, {column: second}], ["k", "k"])
    found = any(i.category == "DUPLICATE_CONFLICT" for i in merged.issues)
    assert found is conflict
    assert merged.frame[column].tolist() == [first]


def test_list_roles_merge_first_non_empty(frame_of: FrameOf) -> None:
    """List-valued role columns (emails found in text) keep the first non-empty list."""
    merged = _merge(
        frame_of,
        [
            {"_emails_in_text": []},
            {"_emails_in_text": ["a@b.com"]},
            {"_emails_in_text": ["c@d.com"]},
        ],
        ["k", "k", "k"],
    )
    assert merged.frame["_emails_in_text"].tolist() == [["a@b.com"]]


@pytest.mark.parametrize(
    ("value", "empty"),
    [("", True), (None, True), (float("nan"), True), ([], True), ("x", False), (["x"], False)],
)
def test_is_empty(value: object, empty: bool) -> None:
    """ "", None, NaN and [] are all "no value"."""
    assert is_empty(value) is empty
