"""Dates and datetimes as people write them, into HubSpot's formats.

HubSpot wants ``date`` values at midnight UTC (we send ``YYYY-MM-DD``) and ``datetime`` values
as ISO-8601 (we send ``YYYY-MM-DDTHH:MM:SSZ``). Whether ``03/04/2024`` is March or April is
decided once per column, never guessed (see :mod:`crmkit.coerce.dateorder`): from the column's
own values (a part above 12, dots), else the file's other date columns, else the rows'
countries, else the user's ``--date-order``; when none can tell, each ambiguous value is
reported and left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil import parser as du_parser

MIN_YEAR, MAX_YEAR = 1900, 2100
_EXCEL_EPOCH = date(1899, 12, 30)

_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:,?\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?$"
)
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_EXCEL = re.compile(r"^\d{5}(?:\.\d+)?$")
_HAS_MONTH_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DateOrder:
    """Per-column decision for ``a/b/yyyy`` values; ``day_first`` None = nothing could tell."""

    day_first: bool | None
    evidence: str

    @property
    def decided(self) -> bool:
        return self.day_first is not None


UNDECIDED = DateOrder(None, "every value fits both day-first and month-first")


def order_of_values(values: Iterable[str]) -> DateOrder:
    """Day first or month first from a column's own values, or :data:`UNDECIDED`."""
    firsts = seconds = 0
    dotted = False
    for v in values:
        m = _NUMERIC.match(v.strip())
        if not m:
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        dotted = dotted or m.group("sep") == "."
        if a > 12 >= b:
            firsts += 1
        elif b > 12 >= a:
            seconds += 1
    if firsts and not seconds:
        return DateOrder(True, "a first part above 12")
    if seconds and not firsts:
        return DateOrder(False, "a second part above 12")
    if dotted:
        return DateOrder(True, "dotted dates are day first")
    return UNDECIDED


def is_ambiguous(text: str) -> bool:
    """True for ``a/b/yyyy`` where both orders give a different real date (03/04/2024)."""
    m = _NUMERIC.match(text.strip())
    if not m:
        return False
    a, b = int(m.group("a")), int(m.group("b"))
    return a != b and 1 <= a <= 12 and 1 <= b <= 12


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 69 else 1900
    return y


def _tz_offset(text: str | None) -> timedelta:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _build(
    y: int, mo: int, d: int, hh: int = 0, mi: int = 0, ss: int = 0, us: int = 0
) -> datetime | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return datetime(y, mo, d, hh, mi, ss, us, tzinfo=UTC)
    except ValueError:
        return None


def parse_datetime(text: str, order: DateOrder) -> datetime | None:
    """One value → an aware UTC datetime, or None when it is not a date we can trust."""
    s = text.strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        frac = (m.group("f") or "0").ljust(6, "0")[:6]
        dt = _build(
            int(m.group("y")), int(m.group("m")), int(m.group("d")),
            int(m.group("H") or 0), int(m.group("M") or 0), int(m.group("S") or 0), int(frac),
        )  # fmt: skip
        return dt - _tz_offset(m.group("tz")) if dt else None
    m = _NUMERIC.match(s)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        day_first = order.day_first if order.day_first is not None else a > 12
        day, month = (a, b) if day_first else (b, a)
        hh = int(m.group("H") or 0)
        ampm = (m.group("ampm") or "").lower()
        if ampm:
            if not 1 <= hh <= 12:
                return None
            hh = hh % 12 + (12 if ampm == "pm" else 0)
        return _build(
            _year(m.group("y")), month, day, hh, int(m.group("M") or 0), int(m.group("S") or 0)
        )
    m = _COMPACT.match(s)
    if m:
        return _build(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if _EPOCH.match(s):
        seconds = int(s) / (1000 if len(s) == 13 else 1)
        dt = datetime.fromtimestamp(seconds, tz=UTC)
        return dt if MIN_YEAR <= dt.year <= MAX_YEAR else None
    if _EXCEL.match(s):
        serial = float(s)
        if 20_000 <= serial <= 80_000:  # 1954..2119: a spreadsheet's day number
            dt = datetime.combine(_EXCEL_EPOCH, datetime.min.time(), tzinfo=UTC)
            return dt + timedelta(days=serial)
        return None
    if _HAS_MONTH_WORD.search(s):
        return _parse_words(s, order)
    return None


def _parse_words(s: str, order: DateOrder) -> datetime | None:
    """ "Mar 15, 2024", "15 March 2024 10:30": dateutil, refusing anything it had to guess."""
    marks = (datetime(1901, 1, 1), datetime(1902, 2, 2))  # differing defaults reveal gaps
    try:
        got = [du_parser.parse(s, dayfirst=bool(order.day_first), default=d) for d in marks]
    except (ValueError, OverflowError):
        return None
    if got[0].date() != got[1].date():
        return None
    dt = got[0]
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return _build(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond)


def format_date(dt: datetime) -> str:
    """HubSpot ``date``: the calendar day (midnight UTC), ``YYYY-MM-DD``."""
    return dt.strftime("%Y-%m-%d")


def format_datetime(dt: datetime) -> str:
    """HubSpot ``datetime``: ISO-8601 in UTC, milliseconds only when there are some."""
    if dt.microsecond:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
