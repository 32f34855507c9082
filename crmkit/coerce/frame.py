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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmkit.coerce.dateorder import decide_order, file_orders
from crmkit.coerce.dates import (
    DateOrder,
    format_date,
    format_datetime,
    is_ambiguous,
    parse_datetime,
)
from crmkit.coerce.numbers import decimal_comma, format_number, parse_bool, parse_number
from crmkit.coerce.phones import is_phone, phone_converter, phone_regions
from crmkit.coerce.text import MAX_VALUE_CHARS, clean_block, clean_line, domain_of, split_full_name
from crmkit.extract import normalize_email
from crmkit.issues import RowIssue, Severity
from crmkit.mapping.model import Mapping
from crmkit.mapping.values import map_multi, map_value
from crmkit.schema import PropertyDef, Schema

ISSUE_VALUE_CHARS = 200
INTEGER_PROPERTIES = frozenset({"numberofemployees"})

Problem = tuple[str, str]  # (category, message)
Converted = tuple[str, Problem | None]  # (HubSpot string, problem)
Converter = Callable[[str], Converted]


@dataclass
class Coerced:
    """Property columns in HubSpot's formats (``""`` = empty) and the values that did not fit."""

    frame: pd.DataFrame
    issues: list[RowIssue] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    """Per source column, decisions a reviewer may want to see ("day first: …")."""


def _date_converter(prop: PropertyDef, order: DateOrder) -> tuple[Converter, str]:
    fmt = format_date if prop.type == "date" else format_datetime
    kind = "date" if prop.type == "date" else "date and time"

    def conv(raw: str) -> Converted:
        if not order.decided and is_ambiguous(raw):
            return "", (
                "AMBIGUOUS_DATE",
                f"{raw!r} reads as two dates (day first or month first) and nothing in the file "
                "tells which: left out; --date-order dmy|mdy decides",
            )
        dt = parse_datetime(raw, order)
        if dt is None:
            return "", ("INVALID_DATE", f"{raw!r} is not a {kind} crmkit can read")
        return fmt(dt), None

    if not order.decided:
        return conv, f"day or month first undecided ({order.evidence})"
    return conv, f"{'day' if order.day_first else 'month'} first ({order.evidence})"


def _number_converter(prop: PropertyDef, uniq: list[str]) -> tuple[Converter, str]:
    comma = decimal_comma(uniq)

    def conv(raw: str) -> Converted:
        value = parse_number(raw, comma)
        if value is None:
            return "", ("INVALID_NUMBER", f"{raw!r} is not a number")
        if prop.name in INTEGER_PROPERTIES and (value != value.to_integral_value() or value < 0):
            return "", ("INVALID_NUMBER", f"{raw!r} is not a whole number of {prop.label}")
        return format_number(value), None

    return conv, "decimal comma" if comma else "decimal point"


def _bool_converter(raw: str) -> Converted:
    value = parse_bool(raw)
    if value is None:
        return "", ("INVALID_BOOL", f"{raw!r} is not yes/no")
    return value, None


def _enum_converter(prop: PropertyDef, known: dict[str, str]) -> Converter:
    allowed = ", ".join(o.value for o in prop.options[:12])
    allowed += ", …" if len(prop.options) > 12 else ""

    def conv(raw: str) -> Converted:
        value = known.get(raw)
        if value is not None:
            return value, None
        if prop.multi:
            value, missing = map_multi(prop, raw)
            if not missing:
                return value, None
            bad = ", ".join(repr(m) for m in missing)
            why = f"{bad} not among the options of {prop.name}: [{allowed}]"
            return value, ("INVALID_OPTION", why + ("; the rest kept" if value else ""))
        value = map_value(prop, raw)
        if value is None:
            why = (
                f"{raw!r} is not one of the allowed options of {prop.name}: [{allowed}]; "
                "a mapping file can translate it, or map it to null to leave it empty"
            )
            return "", ("INVALID_OPTION", why)
        return value, None

    return conv


# Plain ASCII addresses that email-validator certainly accepts, checked without it: validating
# 50,000 distinct addresses costs seconds, and most real addresses look like this.
_PLAIN_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_LIST_SEPARATORS = " \t\r\n,;/|\u00a0"
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def plain_email(raw: str) -> str | None:
    """The lower-cased address when ``raw`` is a plain one (fast path), else None."""
    s = raw.strip().lower()
    if len(s) > 254 or not _PLAIN_EMAIL.fullmatch(s):
        return None
    domain = s.rsplit("@", 1)[1]
    if "--" in domain or domain.rsplit(".", 1)[1] in _SPECIAL_USE_TLDS:
        return None
    return s


def _email_converter(raw: str) -> Converted:
    fast = plain_email(raw)
    if fast is not None:
        return fast, None
    value = normalize_email(raw)
    if value is None:
        return _first_of_several_emails(raw)
    return value.lower(), None


def _first_of_several_emails(raw: str) -> Converted:
    """ "a@x.com; b@y.com" (CRMs export a person's addresses in one cell): the first one.

    The others are reported, not lost silently: HubSpot keeps one email per contact.
    """
    from crmkit.extract import find_emails

    found = list(dict.fromkeys(e.lower() for e in find_emails(raw)))
    rest = raw.lower()
    for address in found:
        rest = rest.replace(address, " ")
    if len(found) < 2 or rest.strip(_LIST_SEPARATORS):
        return "", ("INVALID_EMAIL", f"{raw!r} is not a valid email address")
    others = ", ".join(repr(e) for e in found[1:])
    return found[0], (
        "MULTIPLE_EMAILS",
        f"{len(found)} addresses in one cell: {found[0]!r} imported, {others} not "
        "(a contact has one email)",
    )


def _string_converter(prop: PropertyDef) -> Converter:
    block = prop.field_type == "textarea"
    is_website = prop.name == "website"

    def conv(raw: str) -> Converted:
        value = clean_block(raw) if block else clean_line(raw)
        if is_website and "@" in value and "/" not in value:
            value = domain_of(value) or value  # an email in a website column: keep its domain
        if len(value) > MAX_VALUE_CHARS:
            return value[:MAX_VALUE_CHARS], (
                "VALUE_TOO_LONG",
                f"{len(value)} characters, more than HubSpot's {MAX_VALUE_CHARS}: cut",
            )
        return value, None

    return conv


def _domain_converter(raw: str) -> Converted:
    value = domain_of(raw)
    if value is None:
        return "", ("INVALID_DOMAIN", f"{raw!r} is not a web domain")
    return value, None


def converter_for(
    prop: PropertyDef,
    uniq: list[str],
    mapping: Mapping,
    column: str,
    region: str,
    order: DateOrder | None = None,
) -> tuple[Converter, str]:
    """The per-value converter of one column, and a note on any column-level decision.

    ``order`` is a date column's day/month decision made with the whole file as evidence
    (:func:`crmkit.coerce.dateorder.file_orders`); without it the column's values decide alone.
    """
    if prop.type in ("date", "datetime"):
        return _date_converter(prop, order or decide_order(uniq))
    if prop.type == "number":
        return _number_converter(prop, uniq)
    if prop.type == "bool":
        return _bool_converter, ""
    if prop.type == "enumeration":
        return _enum_converter(prop, mapping.values.get(column, {})), ""
    if prop.name == "email" or (prop.type == "string" and prop.name.endswith("_email")):
        return _email_converter, ""
    if is_phone(prop):
        return phone_converter(region, uniq), ""
    if prop.name == "domain" and mapping.object_type == "companies":
        return _domain_converter, ""
    return _string_converter(prop), ""


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
