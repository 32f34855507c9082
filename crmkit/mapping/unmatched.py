"""How many rows hold each unmatched value: what the plan and the review screen list first.

A value that matches no option costs its rows that property; "Pending Customer Response" on
2,881 rows deserves a decision before "Pending customer respons" on one. Counted per chunk and
added up, so a file read in chunks counts like one read whole.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from crmkit.mapping.model import Mapping


def count_unmatched(mapping: Mapping, frame: pd.DataFrame) -> Mapping:
    """``mapping`` with the rows of ``frame`` holding each unmatched value added to its counts."""
    counts = {c: dict(v) for c, v in mapping.unmatched_counts.items()}
    for column, raws in mapping.unmatched_values.items():
        if column not in frame.columns or not raws:
            continue
        seen = frame[column].value_counts()
        table = counts.setdefault(column, {})
        for raw in raws:
            n = int(seen.get(raw, 0))
            if n:
                table[raw] = table.get(raw, 0) + n
        if not table:
            del counts[column]
    return replace(mapping, unmatched_counts=counts)
