"""The fast path for phone cells: libphonenumber's own metadata, without its parser.

``phonenumbers.parse`` plus its checks costs about 65 µs a value, so an export where every
contact has its own number spends a minute per million rows there. Most cells are written
the plain way (``(415) 555-0123``, ``+44 20 7946 0958``, ``415.555.0123 ext. 12``): for those
the answer is "+", the country code and the national digits, when the national number has a
length libphonenumber's metadata calls possible for that country. This module computes that
with a few precompiled patterns per value (about 3 µs; without pyarrow, pandas' string
methods are Python loops too and were slower), and *decides only the cells for
which that is certainly what* :func:`crmkit.extract.phones.normalize_phone` *would say*: any
cell where libphonenumber would do more (strip a national or international prefix, keep a
leading zero, read a country code out of a number without ``+``, a length that is only
locally possible or impossible, any other shape) is left undecided (``None``) and goes to
phonenumbers, the reference. ``tests/unit/test_phonefast.py`` proves both agree on a large
labelled sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE, region_code_for_country_code

from crmkit.extract.phones import CELL_DATE, CELL_LABEL

_SHAPE = re.compile(r"^(\+?)([0-9\s().\-]{4,}?)(?:\s*(?:ext\.?|x)\s*([0-9]{1,6}))?$", re.I)
"""A plain cell: an optional ``+``, ASCII digits and separators, an optional extension."""
_PLAIN = re.compile(r"^(\+?)([0-9\s().\-]{4,})()$")
"""The same without an extension: tried first, since it never backtracks."""
_SEPARATORS = str.maketrans("", "", " ().-\t")

_COUNTRY_CODES = frozenset(str(code) for code in COUNTRY_CODE_TO_REGION_CODE)
_NOT_DIGIT = re.compile(r"[^0-9]")
_NON_ZERO = frozenset("123456789")
_LONGEST_DATE = 12  # what CELL_DATE can match: 4 + 1 + 2 + 1 + 4 characters


@lru_cache(maxsize=512)
def _rules(country_code: int) -> tuple[frozenset[int], re.Pattern[str] | None] | None:
    """Possible national lengths of a calling code (its main country's metadata) and that
    country's national-prefix pattern; None when there is no single geographic country."""
    region = region_code_for_country_code(country_code)
    metadata = PhoneMetadata.metadata_for_region(region, None) if len(region) == 2 else None
    if metadata is None or metadata.general_desc is None:
        return None
    desc = metadata.general_desc
    lengths = frozenset(desc.possible_length) - frozenset(desc.possible_length_local_only)
    prefix = metadata.national_prefix_for_parsing
    return lengths, re.compile(prefix) if prefix else None


@lru_cache(maxsize=512)
def _region(region: str) -> tuple[str, re.Pattern[str]] | None:
    """A default region's calling code, and one pattern for what libphonenumber would read
    otherwise at the start of a number written without ``+``: that calling code itself, the
    region's international prefix, or its national prefix."""
    metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
    if metadata is None or metadata.country_code is None:
        return None
    code = str(metadata.country_code)
    starts = [code] + [
        f"(?:{pattern})"
        for pattern in (metadata.international_prefix, metadata.national_prefix_for_parsing)
        if pattern
    ]
    return code, re.compile("|".join(starts))


def e164_texts(values: Sequence[str], region: str = "US") -> list[str | None]:
    """Per value: the phone cell's HubSpot text (E.164, `` ext. N``) or None (undecided).

    A decided value equals ``_phone_text(normalize_phone(value, region))``; an undecided one
    may be anything (a number phonenumbers reads otherwise, or no number at all).
    """
    home = _region(region)
    if home is None:
        return [None] * len(values)
    return [_decide(value, home) for value in values]


def _decide(value: str, home: tuple[str, re.Pattern[str]]) -> str | None:
    text = value.strip()
    if text[:1].isalpha():  # "Tel: …" (every label starts with a letter)
        text = CELL_LABEL.sub("", text)
    if text.startswith("00") and text[2:3] in _NON_ZERO:
        text = "+" + text[2:]
    shape = _PLAIN.match(text) or _SHAPE.match(text)
    if shape is None or (len(text) <= _LONGEST_DATE and CELL_DATE.match(text)):
        return None
    plus, body, ext = shape.groups()
    digits = body.translate(_SEPARATORS)
    if not digits.isdigit():  # another kind of space between the digits
        digits = _NOT_DIGIT.sub("", body)
    if plus:
        code = next((digits[:w] for w in (1, 2, 3) if digits[:w] in _COUNTRY_CODES), None)
        if code is None:
            return None
        national = digits[len(code) :]
    else:
        code, reads_otherwise = home
        if reads_otherwise.match(digits):
            return None  # libphonenumber would read a country code or strip a prefix
        national = digits
    rules = _rules(int(code))
    if rules is None or national.startswith("0") or len(national) not in rules[0]:
        return None
    if plus and _matches(rules[1], national):
        return None  # "+44 (0)20 …": libphonenumber strips a national prefix after the code
    return f"+{code}{national}" + (f" ext. {ext}" if ext else "")


def _matches(pattern: re.Pattern[str] | None, digits: str) -> bool:
    return pattern is not None and pattern.match(digits) is not None
