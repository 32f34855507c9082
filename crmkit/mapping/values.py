"""Enumeration values onto option values: "Hi" → ``HIGH``, "Resolved" → stage ``4``.

HubSpot stores an option's *value*, never its label, and refuses anything else, so every raw
value is translated or reported. :mod:`crmkit.mapping.optionmatch` says how sure a translation is;
only a sure one is applied, a likely one is kept as a suggestion for the person reviewing the
mapping, and the rest are listed as unmatched. Counts ("12" employees) fall into range options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crmkit.mapping.optionmatch import SUGGEST_AT, ValueMatch, match_value
from crmkit.schema import PropertyDef

MULTI_SPLIT = re.compile(r"\s*[;,|]\s*")
_RANGE = re.compile(r"^(\d+)\s*(?:-\s*(\d+)|\+)$")


def _range_bucket(prop: PropertyDef, raw: str) -> str | None:
    """A count such as "12" into a range option such as ``5-25`` (contacts ``numemployees``)."""
    digits = raw.replace(",", "").replace(" ", "")
    if not digits.isdigit():
        return None
    n = int(digits)
    for o in prop.options:
        m = _RANGE.match(o.value)
        if m and int(m.group(1)) <= n and (m.group(2) is None or n <= int(m.group(2))):
            return o.value
    return None


def match_one(prop: PropertyDef, raw: str) -> ValueMatch:
    """One raw single value → its best candidate option, with confidence and reason."""
    text = raw.strip()
    if not text:
        return ValueMatch("", 1.0, "empty")
    if not prop.options:
        # Owners and teams: options live elsewhere; a numeric id is the only safe value.
        if text.isdigit() and prop.external_options:
            return ValueMatch(text, 1.0, "id")
        return ValueMatch(None, 0.0, "no options")
    found = match_value(prop, text)
    if not found.applied:
        bucket = _range_bucket(prop, text)
        if bucket is not None:
            return ValueMatch(bucket, 1.0, "range")
    return found


def map_one(prop: PropertyDef, raw: str) -> tuple[str | None, str]:
    """One raw single value → (option value or None, how it matched); only sure matches."""
    found = match_one(prop, raw)
    return (
        (found.value, found.reason) if found.applied or found.value == "" else (None, found.reason)
    )


def map_multi(prop: PropertyDef, raw: str) -> tuple[str, list[str]]:
    """A multi-select cell → (matched values joined with ``;``, parts that match nothing).

    Cells are split on ``;``, ``,`` or ``|``; duplicates collapse, order is kept.
    """
    out: list[str] = []
    missing: list[str] = []
    for part in (p for p in MULTI_SPLIT.split(raw.strip()) if p):
        value, _ = map_one(prop, part)
        if value is None:
            missing.append(part)
        elif value and value not in out:
            out.append(value)
    return ";".join(out), missing


def map_value(prop: PropertyDef, raw: str) -> str | None:
    """A raw cell → the value HubSpot stores ("" for empty); None when (a part) matches nothing."""
    if prop.multi:
        value, missing = map_multi(prop, raw)
        return None if missing else value
    return map_one(prop, raw)[0]


Suggestion = tuple[str, float]
"""(option value, confidence) of a match too unsure to apply."""


@dataclass
class ValueMatches:
    """Distinct raw values of one column: applied translations, suggestions, the unmatched."""

    mapped: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)


def match_values(
    prop: PropertyDef, raws: Iterable[str], overrides: dict[str, str] | None = None
) -> ValueMatches:
    """Distinct raw values → applied matches, unmatched values and their suggestions.

    Overrides (a mapping file's choices) win. An unsure match is unmatched — never applied —
    and its candidate is kept in ``suggestions`` for the review screen and the plan.
    """
    overrides = overrides or {}
    out = ValueMatches()
    for raw in dict.fromkeys(raws):
        if raw in overrides:
            out.mapped[raw] = overrides[raw]
            continue
        value = map_value(prop, raw)
        if value is None:
            out.unmatched.append(raw)
            if not prop.multi:
                found = match_one(prop, raw)
                if found.value and found.confidence >= SUGGEST_AT:
                    out.suggestions[raw] = (found.value, round(found.confidence, 3))
        elif value:
            out.mapped[raw] = value
    return out


def map_values(
    prop: PropertyDef, raws: Iterable[str], overrides: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Distinct raw values → ``({raw: value}, [unmatched raws])``; overrides win."""
    found = match_values(prop, raws, overrides)
    return found.mapped, found.unmatched
