"""Merge rows that share an upsert key, so no record is ever sent twice.

The first row of a key is the primary; later rows only fill its empty values. A later row that
disagrees with a value already kept is reported (``DUPLICATE_CONFLICT``, naming both values), so
a person can see what was dropped; every merged row is reported too (``DUPLICATE_MERGED``).
Rows with unique keys (nearly all, usually) take a vectorised path; only duplicated keys are
merged value by value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.plan.normalize import normalize_company_name, normalize_domain


@dataclass
class Merged:
    """One row per key, in file order (index = the primary row), with its source rows."""

    frame: pd.DataFrame
    keys: pd.Series
    extra_rows: dict[int, list[int]] = field(default_factory=dict)  # primary -> merged rows
    duplicates: int = 0
    issues: list[RowIssue] = field(default_factory=list)


def is_empty(value: Any) -> bool:
    """ "" , None, NaN and empty lists are all "no value"."""
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, list | tuple):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# Values that differ only in spelling are not a conflict: compare them in normal form.
_NORMAL_FORM: dict[str, Callable[[str], str]] = {
    "domain": normalize_domain,
    "website": normalize_domain,
    "name": normalize_company_name,
    "company": normalize_company_name,
}


def _same(column: str, a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        normal = _NORMAL_FORM.get(column)
        if normal is not None and normal(a) == normal(b) != "":
            return True
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return bool(a == b)


def merge_duplicates(
    frame: pd.DataFrame, keys: pd.Series, *, file: str, id_property: str
) -> Merged:
    """Collapse rows with equal keys; report merges and conflicting values as warnings."""
    dup_mask = keys.duplicated(keep=False)
    if not dup_mask.any():
        return Merged(frame=frame, keys=keys)
    columns = list(frame.columns)
    groups: dict[str, list[tuple[int, list[Any]]]] = {}
    sub = frame[dup_mask]
    for row, key, cells in zip(
        sub.index.tolist(),
        keys[dup_mask].tolist(),
        sub.itertuples(index=False, name=None),
        strict=True,
    ):
        groups.setdefault(key, []).append((int(row), list(cells)))
    merged_values: list[list[Any]] = []
    primaries: list[int] = []
    issues: list[RowIssue] = []
    extra_rows: dict[int, list[int]] = {}
    for key, members in groups.items():
        first_row, kept = members[0]
        kept_from = [first_row] * len(columns)
        for row, values in members[1:]:
            issues.append(
                RowIssue(
                    file=file,
                    row=row,
                    stage="plan",
                    category="DUPLICATE_MERGED",
                    message=f"same {id_property} as row {first_row}; merged into that record",
                    key=key,
                    severity="warning",
                )
            )
            for i, value in enumerate(values):
                if is_empty(value):
                    continue
                if is_empty(kept[i]):
                    kept[i], kept_from[i] = value, row
                elif not columns[i].startswith("_") and not _same(columns[i], kept[i], value):
                    issues.append(
                        RowIssue(
                            file=file,
                            row=row,
                            stage="plan",
                            category="DUPLICATE_CONFLICT",
                            message=(
                                f"{columns[i]}: kept {kept[i]!r} from row {kept_from[i]}, "
                                f"ignored {value!r}"
                            ),
                            column=columns[i],
                            value=str(value),
                            key=key,
                            severity="warning",
                        )
                    )
        merged_values.append(kept)
        primaries.append(first_row)
        extra_rows[first_row] = [row for row, _ in members[1:]]
    merged = pd.DataFrame(merged_values, columns=columns, index=pd.Index(primaries, name="row"))
    for name in columns:  # keep string columns as strings after the round trip
        if frame[name].dtype != object:
            merged[name] = merged[name].astype(frame[name].dtype)
    out = pd.concat([frame[~dup_mask], merged]).sort_index(kind="stable")
    out_keys = pd.concat([keys[~dup_mask], pd.Series(list(groups), index=merged.index)])
    out_keys = out_keys.sort_index(kind="stable").astype(object)
    return Merged(
        frame=out,
        keys=out_keys,
        extra_rows=extra_rows,
        duplicates=int(dup_mask.sum()) - len(groups),
        issues=issues,
    )
