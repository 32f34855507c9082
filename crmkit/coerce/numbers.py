"""Numbers and booleans as people write them, into HubSpot's strings.

``1,234.50``, ``1.234,50``, ``$1,200``, ``€ 3 400``, ``(500)``, ``1.2M`` and ``12%`` all occur in
real exports. Whether a comma is a decimal point is decided once per column: a comma followed by
one, two or four-plus digits, or after the last dot, means decimal comma for the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(
    r"^(?:[$€£¥₹₽₩₪฿]|(?:usd|eur|gbp|chf|cad|aud|jpy|inr|sek|nok|dkk|us\$|a\$|c\$)\b)\s*|"
    r"\s*(?:[$€£¥₹₽₩₪฿]|\b(?:usd|eur|gbp|chf|cad|aud|jpy|inr|sek|nok|dkk))$",
    re.IGNORECASE,
)
_SCALE = {"k": 3, "m": 6, "mm": 6, "mn": 6, "b": 9, "bn": 9}
_SCALE_RE = re.compile(r"^(?P<n>.*?\d)\s*(?P<s>k|mm|mn|m|bn|b)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DECIMAL_COMMA = re.compile(r",\d{1,2}$|,\d{4,}$")

TRUE_WORDS = frozenset(
    {"true", "t", "yes", "y", "1", "x", "on", "checked", "oui", "ja", "si", "sí", "vrai", "✓"}
)
FALSE_WORDS = frozenset(
    {"false", "f", "no", "n", "0", "off", "unchecked", "non", "nein", "faux", "-"}
)


def decimal_comma(values: Iterable[str]) -> bool:
    """True when the column writes decimals with a comma (``1.234,50``, ``12,5``)."""
    for v in values:
        s = _SPACES.sub("", v.strip())
        if "," not in s:
            continue
        if "." in s and s.rfind(",") > s.rfind("."):
            return True
        if "." not in s and _DECIMAL_COMMA.search(s):
            return True
    return False


def parse_number(text: str, comma_decimal: bool = False) -> Decimal | None:
    """One value → a Decimal, or None when it is not a number."""
    s = text.strip()
    if not s:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-") or s.startswith("−"):
        negative, s = not negative, s[1:].strip()
    s = _CURRENCY.sub("", s).strip()
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    s = s.rstrip("%").strip()
    scale = 0
    m = _SCALE_RE.match(s)
    if m:
        scale, s = _SCALE[m.group("s").lower()], m.group("n")
    s = _SPACES.sub("", s)
    if comma_decimal:
        s = s.replace(".", "").replace(",", ".")
    elif s.count(".") > 1 and "," not in s:
        s = s.replace(".", "")  # 1.234.567: dots grouping thousands
    else:
        s = s.replace(",", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", s):
        return None
    try:
        value = Decimal(s).scaleb(scale)
    except InvalidOperation:
        return None
    return -value if negative else value


def format_number(value: Decimal) -> str:
    """A plain decimal string: no exponent, no trailing zeros (``1200``, ``1234.5``)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def parse_bool(text: str) -> str | None:
    """``"true"`` / ``"false"`` for the many ways people write yes and no; None otherwise."""
    s = text.strip().lower()
    if s in TRUE_WORDS:
        return "true"
    if s in FALSE_WORDS:
        return "false"
    return None
