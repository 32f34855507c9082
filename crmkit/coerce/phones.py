"""Phone cells: E.164 by the row's country, the first of several numbers, the rest reported."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from crmkit.coerce.regions import row_regions
from crmkit.coerce.text import clean_line
from crmkit.extract.phones import PhoneHit
from crmkit.mapping.model import Mapping
from crmkit.schema import PropertyDef

Problem = tuple[str, str]  # (category, message)
Converted = tuple[str, Problem | None]  # (HubSpot string, problem)

PHONE_PROPERTIES = frozenset({"phone", "mobilephone", "fax"})

PLACEHOLDERS = frozenset(
    {"null", "none", "nil", "n/a", "na", "#n/a", "-", "--", "?", "[not provided]", "not provided"}
)
"""Words exports write for "no number": HubSpot's contacts export of Shaftdog/Salesmod has
'null' in 40 of 88 phone cells. Kept as written they would land as a phone; they are left out."""


def phone_converter(region: str, uniq: Sequence[str] = ()) -> Callable[[str], Converted]:
    """The converter of a phone column; ``uniq`` (its distinct values) go through the fast
    path first (:mod:`crmkit.extract.phonefast`), the rest through phonenumbers."""
    from crmkit.extract import normalize_phone
    from crmkit.extract.phonefast import e164_texts

    fast = dict(zip(uniq, e164_texts(uniq, region), strict=True))

    def conv(raw: str) -> Converted:
        decided = fast.get(raw)
        if decided is not None:
            return decided, None
        hit = normalize_phone(raw, region)
        if hit is None:
            return _first_of_several_phones(raw, region)
        return _phone_text(hit), None

    return conv


def _phone_text(hit: PhoneHit) -> str:
    return hit.e164 + (f" ext. {hit.extension}" if hit.extension else "")


def _first_of_several_phones(raw: str, region: str) -> Converted:
    """ "+49 151 2345678 / +49 89 2345679": the first valid number, the others reported."""
    from crmkit.extract import find_phone_matches

    hits = [h for h in find_phone_matches(raw, region) if h.valid]
    numbers = list(dict.fromkeys(_phone_text(h) for h in hits))
    if len(numbers) < 2:
        if raw.strip().lower() in PLACEHOLDERS:
            return "", ("PLACEHOLDER_VALUE", f"{raw!r} stands for no phone number: left out")
        return clean_line(raw), ("INVALID_PHONE", f"{raw!r} is not a phone number: kept as is")
    others = ", ".join(repr(n) for n in numbers[1:])
    return numbers[0], (
        "MULTIPLE_PHONES",
        f"{len(numbers)} numbers in one cell: {numbers[0]!r} imported, {others} not",
    )


def is_phone(prop: PropertyDef) -> bool:
    return (
        prop.type == "phone_number"
        or prop.field_type == "phonenumber"
        or prop.name in PHONE_PROPERTIES
    )


def phone_regions(
    frame: pd.DataFrame, mapping: Mapping, prop: PropertyDef, region: str
) -> pd.Series | None:
    """For a phone column: each row's dialling region from its country column, when the file
    has one that names a country other than ``region`` (else None: one region for all)."""
    country = mapping.column_for("country")
    if not is_phone(prop) or country is None or country not in frame.columns:
        return None
    regions = row_regions(frame[country].fillna("").astype("str"), region)
    if not (regions != region).any():
        return None
    return regions.rename(country)
