"""What a column's sampled values say about it: what they look like, and what they cannot be.

Headers lie or say little ("Status", "URL", "type"); values rarely do. A column of e-mail
addresses is an e-mail column whatever its header; a "Status" column holding "Unsubscribed" and
"bounced" is a subscription state, not a lead status, so it is not mapped to one.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmkit.mapping.normalize import normalize
from crmkit.mapping.values import map_values
from crmkit.schema import PropertyDef

SNIFF_VALUES = 200
_MIN_VALUES = 3
# Single words that name no property by themselves: only the values can confirm the guess.
GENERIC_WORDS = frozenset(
    {"status", "state", "type", "stage", "category", "source", "tier", "level", "kind", "class"}
)
# Values that belong to another kind of column than any property's options: a mailing tool's
# subscription states, or the record kind an API export writes in its "type" column.
OTHER_KINDS = {
    "subscription states": frozenset(
        {
            "subscribed",
            "unsubscribed",
            "bounced",
            "unconfirmed",
            "cleaned",
            "pending",
            "confirmed",
            "opted in",
            "opted out",
            "blocklisted",
            "blacklisted",
            "complained",
            "active",
            "inactive",
            "archived",
            "never subscribed",
            "non subscribed",
        }
    ),
    "record kinds": frozenset(
        {
            "contact",
            "company",
            "conversation",
            "conversation message",
            "user",
            "lead",
            "person",
            "ticket",
            "admin",
            "team",
            "visitor",
            "account",
            "deal",
        }
    ),
}


# A sales territory, not a state or province ("Region: East").
SALES_REGIONS = frozenset(
    {
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "midwest",
        "emea",
        "apac",
        "amer",
        "americas",
        "latam",
        "nordics",
        "dach",
        "benelux",
        "international",
        "domestic",
    }
)


def _filled(values: Sequence[str]) -> list[str]:
    return [v.strip() for v in values[:SNIFF_VALUES] if v and v.strip()]


def _is_email(value: str) -> bool:
    return "@" in value and " " not in value and "." in value.split("@")[-1]


def looks_like(values: Sequence[str]) -> str | None:
    """ "email" when most sampled values are e-mail addresses (for a header that says nothing)."""
    vals = _filled(values)
    if len(vals) < _MIN_VALUES:
        return None
    return "email" if sum(map(_is_email, vals)) / len(vals) >= 0.8 else None


def contradiction(prop: PropertyDef, values: Sequence[str], header: str) -> str | None:
    """Why the sampled values cannot be ``prop``'s, or None when they can (or say nothing)."""
    vals = _filled(values)
    if not vals:
        return None
    if prop.name == "email" and not any("@" in v for v in vals):
        return f"values such as {vals[0]!r} are not e-mail addresses"
    if prop.name == "website":
        profiles = sum(1 for v in vals if "linkedin.com/in/" in v.lower())
        if profiles / len(vals) >= 0.5:
            return "values are LinkedIn profile URLs, not a company website"
    if prop.name == "state":
        regions = sum(1 for v in vals if normalize(v) in SALES_REGIONS)
        if regions / len(vals) >= 0.5:
            return f"values such as {vals[0]!r} are sales regions, not states or provinces"
    if prop.type == "enumeration" and header in GENERIC_WORDS:
        distinct = list(dict.fromkeys(vals))
        mapped, missing = map_values(prop, distinct)
        if mapped or not missing:
            return None
        for kind, words in OTHER_KINDS.items():
            if sum(1 for v in missing if normalize(v) in words) / len(missing) >= 0.5:
                shown = ", ".join(repr(v) for v in missing[:3])
                return f"values {shown} are {kind}, not {prop.label!r} options"
    return None
