"""Coerce a mapped source frame into HubSpot property strings, one distinct value at a time.

Every conversion runs once per *distinct* raw value and is then spread over the column with a
dict lookup, so a million rows with repeated values cost little more than their distinct set.
A value that cannot be converted never raises: it becomes a :class:`RowIssue`. Such issues are
``error``s — the value is bad — and :mod:`crmkit.rejection` decides what that costs the row
(rejected, or landed without the value); the cell keeps the value as written so validation sees
the same cell (a value too long is cut instead). Only an unreadable phone (kept as written) and
an unusable domain (dropped) are ``warning``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmkit.coerce.converters import Converter, Problem, converter_for
from crmkit.coerce.dateorder import file_orders
from crmkit.coerce.phones import phone_converter, phone_regions
from crmkit.coerce.text import domain_of, split_full_name
from crmkit.issues import RowIssue, Severity
from crmkit.mapping.model import Mapping
from crmkit.schema import Schema

ISSUE_VALUE_CHARS = 200


@dataclass
class Coerced:
    """Property columns in HubSpot's formats (``""`` = empty) and the values that did not fit."""

    frame: pd.DataFrame
    issues: list[RowIssue] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    """Per source column, decisions a reviewer may want to see ("day first: …")."""


WARNING_CATEGORIES = frozenset(
    {"INVALID_PHONE", "INVALID_DOMAIN", "MULTIPLE_EMAILS", "MULTIPLE_PHONES", "AMBIGUOUS_DATE"}
)
"""Problems that keep (or already blank) the value; every other one is an ``error``."""


def _severity(category: str) -> Severity:
    return "warning" if category in WARNING_CATEGORIES else "error"


def _kept(raw: str, value: str, problem: Problem | None) -> str:
    """The cell's output: the converted value, or — for an error — the value as written.

    A bad value is never sent (its row is rejected, or the value left out by
    :mod:`crmkit.rejection`); keeping it lets validation see the same bad cell (one issue, not a
    second "missing" one) and the report show what was there. A value too long is kept cut.
    """
    if problem is None or _severity(problem[0]) == "warning" or problem[0] == "VALUE_TOO_LONG":
        return value
    return raw.strip()


def coerce_frame(
    frame: pd.DataFrame,
    mapping: Mapping,
    schema: Schema,
    *,
    file: str,
    region: str = "US",
    date_order: str | None = None,
) -> Coerced:
    """Mapped columns of ``frame`` → HubSpot property strings, with row issues for bad values.

    Output columns are property names in mapping order (plus ``domain`` for companies when it
    can be derived from the website, and ``firstname``/``lastname`` split from a full-name
    column when the file has no separate ones); the index is ``frame``'s (spreadsheet rows).
    ``date_order`` (``dmy``/``mdy``) decides date columns nothing in the file can decide.
    """
    out: dict[str, pd.Series] = {}
    issues: list[RowIssue] = []
    notes: dict[str, str] = {}
    sources: dict[str, str] = {}
    orders = file_orders(frame, mapping, schema, date_order)
    for column, prop_name in mapping.mapped().items():
        prop = schema.get(prop_name)
        if column not in frame.columns or prop is None or prop_name in out:
            continue
        series = _as_text(frame[column])
        distinct = _Distinct.of(series)
        conv, note = converter_for(
            prop, distinct.nonblank(), mapping, column, region, orders.get(column)
        )
        if note:
            notes[column] = note
        regions = phone_regions(frame, mapping, prop, region)
        if regions is None:
            out[prop_name], found = _convert(series, distinct, conv, file, column)
        else:
            notes[column] = f"numbers without + read by the row's {regions.name!r}"
            parts = []
            found = []
            for code, labels in regions.groupby(regions).groups.items():
                part = series.loc[labels]
                converted, part_issues = _convert(
                    part, _Distinct.of(part), phone_converter(str(code)), file, column
                )
                parts.append(converted)
                found.extend(part_issues)
            out[prop_name] = pd.concat(parts).reindex(series.index).fillna("").astype("str")
            found.sort(key=lambda i: i.row)
        issues.extend(found)
        sources[prop_name] = column
    _derive(frame, mapping, out)
    result = pd.DataFrame(out, index=frame.index) if out else pd.DataFrame(index=frame.index)
    return Coerced(result, issues, notes)


@dataclass(frozen=True)
class _Distinct:
    """A text column as its distinct values and, per row, the position of its value."""

    codes: np.ndarray[Any, np.dtype[np.intp]]
    values: list[str]

    @classmethod
    def of(cls, series: pd.Series) -> _Distinct:
        codes, uniques = pd.factorize(series)
        return cls(np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object).tolist())

    def nonblank(self) -> list[str]:
        return [v for v in self.values if v.strip()]


def _convert(
    series: pd.Series, distinct: _Distinct, conv: Converter, file: str, column: str
) -> tuple[pd.Series, list[RowIssue]]:
    """One column converted value by distinct value, and the issues of its bad values.

    Blank cells stay ``""``; each other distinct value is converted once and the results are
    spread over the rows by position (no second hashing of the column).
    """
    kept: list[str] = []
    bad: dict[int, Problem] = {}
    for position, raw in enumerate(distinct.values):
        if not raw.strip():
            kept.append("")
            continue
        value, problem = conv(raw)
        kept.append(_kept(raw, value, problem))
        if problem is not None:
            bad[position] = problem
    values = np.asarray(kept, dtype=object)[distinct.codes]
    converted = pd.Series(values, index=series.index, dtype="str", name=series.name)
    return converted, (_issues(series.index, distinct, bad, file, column) if bad else [])


def _issues(
    index: pd.Index, distinct: _Distinct, bad: dict[int, Problem], file: str, column: str
) -> list[RowIssue]:
    """One issue per row holding a bad value (built per distinct value, then per row)."""
    made = {
        position: (
            category,
            message[:500],
            distinct.values[position][:ISSUE_VALUE_CHARS],
            _severity(category),
        )
        for position, (category, message) in bad.items()
    }
    rows = np.flatnonzero(np.isin(distinct.codes, list(bad)))
    out = []
    for row, code in zip(index[rows].tolist(), distinct.codes[rows].tolist(), strict=True):
        category, message, value, severity = made[code]
        out.append(
            RowIssue(file, int(row), "coerce", category, message, column, value, None, severity)
        )
    return out


def _derive(
    frame: pd.DataFrame,
    mapping: Mapping,
    out: dict[str, pd.Series],
) -> None:
    """Fill properties the file implies: a company's domain from its website; split names."""
    if mapping.object_type == "companies" and "website" in out:
        sites = out["website"]
        from_site = sites.map({v: domain_of(v) or "" for v in pd.unique(sites)})
        if "domain" in out:
            out["domain"] = out["domain"].where(out["domain"] != "", from_site)
        else:
            out["domain"] = from_site
    name_col = mapping.roles().get("full_name")
    if (
        mapping.object_type == "contacts"
        and name_col in frame.columns
        and "firstname" not in out
        and "lastname" not in out
    ):
        names = _as_text(frame[name_col])
        split = {v: split_full_name(v) for v in pd.unique(names)}
        out["firstname"] = names.map({v: p[0] for v, p in split.items()})
        out["lastname"] = names.map({v: p[1] for v, p in split.items()})


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as strings with missing = "": frames read by crmkit.io are text already, but a
    frame built elsewhere (a notebook, a benchmark) may hold floats with NaN."""
    if series.dtype != "str":
        series = series.astype("object")
    return series.fillna("").astype("str")
