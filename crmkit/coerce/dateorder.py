"""Which way round a file writes ``03/04/2024``: decided with evidence, never guessed.

A UK export's 03/04/2024 is 3 April; read month first it silently becomes 4 March. So for each
date column whose own values cannot tell (no part above 12, no dots), the evidence is, in order:
the file's other date columns (one system writes all its dates alike), the rows' countries when
they all agree (UK and the EU day first, the US month first), then the user's ``--date-order``.
With none of these the column stays undecided and each value that reads both ways is reported
(``AMBIGUOUS_DATE``) and left out of its record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, get_args

from crmkit.coerce.dates import UNDECIDED, DateOrder, order_of_values
from crmkit.coerce.regions import region_of
from crmkit.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from crmkit.mapping.model import Mapping
    from crmkit.schema import Schema

DateOrderOption = Literal["dmy", "mdy"]
DATE_ORDERS: tuple[str, ...] = get_args(DateOrderOption)

MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "PW", "MH", "AS", "GU", "MP", "PR", "VI", "UM"})
# The UK, the EU/EEA, Switzerland and the other countries that write the day first in a/b/yyyy.
# fmt: off
DAY_FIRST_REGIONS = frozenset({
    "GB", "IE", "FR", "DE", "AT", "CH", "BE", "NL", "LU", "ES", "PT", "IT", "DK", "NO", "SE",
    "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "HR", "SI", "EE", "LV", "LT", "MT",
    "CY", "LI", "RS", "UA", "TR", "RU", "IL", "AU", "NZ", "IN", "PK", "BD", "LK", "SG", "MY",
    "ID", "TH", "VN", "BR", "AR", "CL", "CO", "PE", "MX", "ZA", "NG", "KE", "EG", "MA", "AE",
    "SA", "QA", "LB", "HK",
})
# fmt: on


def check_date_order(value: str | None) -> DateOrderOption | None:
    """``--date-order`` as given: ``dmy``, ``mdy`` or nothing; anything else is a ConfigError."""
    if value is None or value == "":
        return None
    if value not in DATE_ORDERS:
        raise ConfigError(f"--date-order must be one of {', '.join(DATE_ORDERS)}, not {value!r}")
    return value  # type: ignore[return-value]


def order_of_countries(countries: Iterable[str]) -> DateOrder:
    """The order every known country of the rows writes, or UNDECIDED when they differ."""
    orders: dict[bool, str] = {}
    for country in countries:
        region = region_of(country) if country.strip() else None
        if region in MONTH_FIRST_REGIONS:
            orders.setdefault(False, region)
        elif region in DAY_FIRST_REGIONS:
            orders.setdefault(True, region)
    if len(orders) != 1:
        return UNDECIDED
    ((day_first, region),) = orders.items()
    return DateOrder(day_first, f"the rows' country ({region})")


def decide_order(
    values: Iterable[str],
    *,
    others: Iterable[tuple[str, DateOrder]] = (),
    countries: Iterable[str] = (),
    date_order: str | None = None,
) -> DateOrder:
    """One column's order: its values, then ``others`` (column, order), countries, the option."""
    own = order_of_values(values)
    if own.decided:
        return own
    told = {(o.day_first, column) for column, o in others if o.decided}
    if told and len({d for d, _ in told}) == 1:
        day_first, column = min(told, key=lambda t: t[1])
        return DateOrder(day_first, f"like the file's column {column!r}")
    by_country = order_of_countries(countries)
    if by_country.decided:
        return by_country
    if date_order is not None:
        return DateOrder(check_date_order(date_order) == "dmy", f"--date-order {date_order}")
    return UNDECIDED


def file_orders(
    frame: pd.DataFrame, mapping: Mapping, schema: Schema, date_order: str | None = None
) -> dict[str, DateOrder]:
    """Every date column's order, decided with the whole file as evidence."""
    columns = []
    for column, prop_name in mapping.mapped().items():
        prop = schema.get(prop_name)
        if prop is not None and prop.type in ("date", "datetime") and column in frame.columns:
            columns.append(column)
    if not columns:
        return {}
    distinct = {c: [str(v) for v in frame[c].dropna().unique()] for c in columns}
    own = {c: order_of_values(distinct[c]) for c in columns}
    country = mapping.column_for("country")
    countries: list[str] = []
    if country is not None and country in frame.columns:
        countries = [str(v) for v in frame[country].dropna().unique()]
    return {
        c: decide_order(
            distinct[c],
            others=[(o, own[o]) for o in columns if o != c],
            countries=countries,
            date_order=date_order,
        )
        for c in columns
    }
