"""Coercion spreads each distinct value's result over every row that holds it."""

from __future__ import annotations

import pandas as pd
import pytest

from crmkit.coerce import coerce_frame
from crmkit.mapping import auto_map
from crmkit.schema import Schema


@pytest.mark.parametrize(
    ("column", "prop", "values", "expected", "bad"),
    [
        ("Employees", "numberofemployees", ["12", "lots", " ", "12", "lots", ""],
         ["12", "lots", "", "12", "lots", ""], {1: "lots", 4: "lots"}),
        ("Founded", "founded_year", ["1999", "1999", "1999"], ["1999"] * 3, {}),
        ("Is Public", "is_public", ["maybe", "yes", "maybe", "no"],
         ["maybe", "true", "maybe", "false"], {0: "maybe", 2: "maybe"}),
    ],
)  # fmt: skip
def test_every_row_of_a_value_gets_its_result_and_issue(
    column: str, prop: str, values: list[str], expected: list[str], bad: dict[int, str]
) -> None:
    index = pd.Index(range(7, 7 + len(values)), name="row")
    frame = pd.DataFrame({"Company Name": ["Acme"] * len(values), column: values}, index=index)
    mapping = auto_map(list(frame.columns), "companies", samples=frame)
    result = coerce_frame(frame, mapping, Schema.bundled("companies"), file="c.csv")
    assert result.frame[prop].tolist() == expected
    assert result.frame.index.equals(index)
    assert str(result.frame[prop].dtype) == "str"
    assert [(i.row, i.value, i.column) for i in result.issues] == [
        (7 + p, v, column) for p, v in sorted(bad.items())
    ]
