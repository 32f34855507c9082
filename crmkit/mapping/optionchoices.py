"""Option drift: what the analyst decided for each value that matched no option.

A mapping file section may hold, per property, a choice for each unmatched value::

    "tickets": {"options": {"hs_ticket_category": {"Refund request": "add",
                                                   "Billing question": "BILLING_ISSUE",
                                                   "Spam": null}}}

- an option value maps the raw value onto that existing option;
- ``null`` leaves the property empty on those rows (no report line: it was decided);
- ``"add"`` adds the value to the portal as a new option of the property
  (``PATCH /crm/v3/properties/{type}/{name}`` with the merged options, done by
  :mod:`crmkit.pipeline.schemachanges` before any record is written, journaled, reported and
  removed again by ``crmkit rollback`` when no record uses it). Only where HubSpot lets the
  options be edited: a property with ``modificationMetadata.readOnlyOptions`` (``industry``)
  is a MappingError naming the closest existing options instead. Ticket stages and pipelines
  cannot be added this way yet (their ids are the portal's): map them or leave them.

The choices are keyed by property, not column, so they hold for every file of the type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from crmkit.errors import MappingError
from crmkit.mapping.model import Mapping
from crmkit.schema import PropertyDef, PropertyOption, Schema

if TYPE_CHECKING:
    import pandas as pd

ADD = "add"
OptionChoices = dict[str, dict[str, str | None]]
"""``{property: {raw value: option value | None | "add"}}``."""

_NO_ADD = frozenset({"hs_pipeline", "hs_pipeline_stage"})


def new_option_value(label: str) -> str:
    """The value crmkit gives an option it adds: ``Refund request`` → ``REFUND_REQUEST``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    value = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_").upper()
    return value or "OPTION"


def _closest(prop: PropertyDef, raw: str) -> str:
    labels = {o.label: o.value for o in prop.options}
    hits = process.extract(raw, list(labels), scorer=fuzz.WRatio, limit=3)
    close = [f"{labels[h[0]]!r} ({h[0]})" for h in hits if h[1] >= 50]
    return f"; closest options: {', '.join(close)}" if close else ""


def parse_options(where: str, data: Any, schema: Schema) -> OptionChoices:
    """Check an ``options`` section against ``schema``: real enumerations, real options."""
    if not isinstance(data, dict):
        raise MappingError(f"{where}: 'options' must be an object of property: {{value: choice}}")
    out: OptionChoices = {}
    for name, table in data.items():
        prop = schema.get(str(name))
        if prop is None or prop.type != "enumeration":
            raise MappingError(f"{where}: options of {name!r}: not an enumeration property")
        if not isinstance(table, dict):
            raise MappingError(f"{where}: options of {name!r} must be an object")
        choices: dict[str, str | None] = {}
        for raw, choice in table.items():
            raw = str(raw)
            if choice is None or choice == "":
                choices[raw] = None
            elif choice == ADD:
                if prop.name in _NO_ADD:
                    raise MappingError(
                        f"{where}: {raw!r} of {name!r}: adding stages or pipelines is not "
                        "supported yet; map it to a stage or to null"
                    )
                if prop.read_only_options:
                    raise MappingError(
                        f"{where}: {raw!r} cannot be added to {name!r}: the portal does not let"
                        f" its options be edited (readOnlyOptions){_closest(prop, raw)}"
                    )
                choices[raw] = ADD
            elif isinstance(choice, str) and choice in prop.option_values():
                choices[raw] = choice
            else:
                raise MappingError(
                    f"{where}: {raw!r} of {name!r} maps to {choice!r}, not an option of"
                    f" {name!r}{_closest(prop, str(choice))}; use an option value, null or"
                    f" {ADD!r}"
                )
        out[prop.name] = choices
    return out


def added_options(choices: OptionChoices) -> dict[str, list[PropertyOption]]:
    """Per property, the options to add (``add`` choices), with crmkit's values."""
    out: dict[str, list[PropertyOption]] = {}
    for prop, table in choices.items():
        labels = [raw for raw, choice in table.items() if choice == ADD]
        if labels:
            out[prop] = [
                PropertyOption(value=new_option_value(label), label=label, display_order=-1)
                for label in labels
            ]
    return out


def with_added_options(schema: Schema, choices: OptionChoices) -> Schema:
    """``schema`` as it will be once the added options exist (to map and validate against)."""
    grown = []
    for name, options in added_options(choices).items():
        prop = schema.get(name)
        if prop is None:
            continue
        have = set(prop.option_values())
        new = tuple(o for o in options if o.value not in have)
        if new:
            grown.append(replace(prop, options=(*prop.options, *new)))
    return schema.with_properties(grown) if grown else schema


def apply_option_choices(mapping: Mapping, choices: OptionChoices) -> Mapping:
    """``mapping`` with each choice written into the value table of its property's column."""
    if not choices:
        return mapping
    values = {c: dict(v) for c, v in mapping.values.items()}
    unmatched = {c: list(v) for c, v in mapping.unmatched_values.items()}
    for prop, table in choices.items():
        column = mapping.column_for(prop)
        if column is None:
            continue
        for raw, choice in table.items():
            value = "" if choice is None else new_option_value(raw) if choice == ADD else choice
            values.setdefault(column, {})[raw] = value
        if column in unmatched:
            unmatched[column] = [v for v in unmatched[column] if v not in table]
    return replace(mapping, values=values, unmatched_values=unmatched)


def option_changes(
    object_type: str, choices: OptionChoices, frame: pd.DataFrame
) -> list[dict[str, Any]]:
    """The schema changes the plan lists: each option to add and the rows that will use it."""
    out = []
    for prop, options in added_options(choices).items():
        column = frame[prop].astype("str") if prop in frame.columns else None
        for option in options:
            rows = int((column == option.value).sum()) if column is not None else 0
            out.append(
                {
                    "object_type": object_type,
                    "kind": "option",
                    "property": prop,
                    "label": option.label,
                    "value": option.value,
                    "rows": rows,
                }
            )
    return out
