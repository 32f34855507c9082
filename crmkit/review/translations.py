"""The value translations of a mapping: each raw value of an enumeration column and its option.

One table, shown twice: as a static table in ``02_map`` (what a saved notebook shows) and
inside the review screen, where it is redrawn after every dropdown change, so what a person
reads always matches what they chose.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from crmkit.review.state import ReviewState

COLUMNS = ["object", "column", "property", "value → option", "no option: value dropped"]


def value_table(state: ReviewState) -> pd.DataFrame:
    """Per enumeration column: each raw value and the option it becomes, and the misses."""
    lines = []
    for object_type, review in state.objects.items():
        for column, prop in review.current().mapped().items():
            rows = state.value_rows(object_type, column)
            if not rows:
                continue
            lines.append(
                {
                    "object": object_type,
                    "column": column,
                    "property": prop,
                    "value → option": "; ".join(
                        f"{r} → {o or '(empty)'}" for r, o in rows if o is not None
                    ),
                    "no option: value dropped": ", ".join(r for r, o in rows if o is None),
                }
            )
    return pd.DataFrame(lines, columns=COLUMNS)


def value_table_html(state: ReviewState) -> str:
    """:func:`value_table` as the screen's HTML (no row index, nothing cut short)."""
    table = value_table(state)
    if table.empty:
        return "<p><i>No enumeration column is mapped: there are no values to translate.</i></p>"
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{c}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='padding:2px 8px;vertical-align:top'>{html.escape(str(v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
