"""Per-value converters: one raw source string in, HubSpot's string (or a problem) out.

:func:`converter_for` picks the converter of a column by its property's type (dates, numbers,
yes/no, options, emails, phones, domains, text); :mod:`crmkit.coerce.frame` runs it once per
distinct value of the column and spreads the answers over the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crmkit.coerce.dateorder import decide_order
from crmkit.coerce.dates import (
    DateOrder,
    format_date,
    format_datetime,
    is_ambiguous,
    parse_datetime,
)
from crmkit.coerce.numbers import decimal_comma, format_number, parse_bool, parse_number
from crmkit.coerce.phones import is_phone, phone_converter
from crmkit.coerce.text import MAX_VALUE_CHARS, clean_block, clean_line, domain_of
from crmkit.extract import normalize_email
from crmkit.mapping.model import Mapping
from crmkit.mapping.values import map_multi, map_value
from crmkit.schema import PropertyDef

INTEGER_PROPERTIES = frozenset({"numberofemployees"})

Problem = tuple[str, str]  # (category, message)
Converted = tuple[str, Problem | None]  # (HubSpot string, problem)
Converter = Callable[[str], Converted]


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
