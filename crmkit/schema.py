"""Property definitions: HubSpot's defaults bundled as data, or a live portal's schema.

The mapper and coercion work from a :class:`Schema`. Offline they use the bundled defaults
(``crmkit/schema_data/*.json``, the exact shape of ``GET /crm/v3/properties/{type}``, which the
sandbox also serves); against a portal they use its own answer, custom properties included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.errors import ConfigError

IMPORT_KEY_PROPERTY = "crmkit_import_key"
"""Unique custom property crmkit creates on companies and tickets so re-runs upsert, not copy."""

IMPORT_KEY_GROUP = "crmkit"

REQUIRED_PROPERTIES: dict[str, tuple[str, ...]] = {
    "companies": ("name",),
    "contacts": ("email",),
    "tickets": ("subject", "hs_pipeline", "hs_pipeline_stage"),
}
"""Properties a record cannot be written without (contacts upsert by email)."""

TICKET_PIPELINES: dict[str, dict[str, Any]] = {
    "0": {
        "label": "Support Pipeline",
        "stages": {"1": "New", "2": "Waiting on contact", "3": "Waiting on us", "4": "Closed"},
        "closed_stages": ("4",),
    }
}
"""The default ticket pipeline of every portal: id ``"0"`` and its four stage ids."""

DEFAULT_TICKET_PIPELINE = "0"


@dataclass(frozen=True)
class PropertyOption:
    """One allowed value of an enumeration: HubSpot stores ``value``, people see ``label``."""

    value: str
    label: str
    display_order: int = 0
    hidden: bool = False

    def to_api(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "displayOrder": self.display_order,
            "hidden": self.hidden,
        }

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> PropertyOption:
        return cls(
            value=str(data.get("value", "")),
            label=str(data.get("label", data.get("value", ""))),
            display_order=int(data.get("displayOrder", 0) or 0),
            hidden=bool(data.get("hidden", False)),
        )


@dataclass(frozen=True)
class PropertyDef:
    """One property definition; ``read_only`` is ``modificationMetadata.readOnlyValue``,
    ``read_only_options`` its ``readOnlyOptions`` (the option list cannot be edited)."""

    name: str
    label: str
    type: str
    field_type: str
    group_name: str = ""
    description: str = ""
    options: tuple[PropertyOption, ...] = ()
    has_unique_value: bool = False
    read_only: bool = False
    calculated: bool = False
    hidden: bool = False
    hubspot_defined: bool = False
    form_field: bool = False
    external_options: bool = False
    read_only_options: bool = False

    @property
    def writable(self) -> bool:
        """True when an import may set this property."""
        return not (self.read_only or self.calculated)

    @property
    def multi(self) -> bool:
        """True for multi-select enumerations (values joined with ``;``)."""
        return self.type == "enumeration" and self.field_type == "checkbox"

    def option_values(self) -> list[str]:
        return [o.value for o in self.options]

    def to_api(self) -> dict[str, Any]:
        """The definition as HubSpot's properties API returns it."""
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "groupName": self.group_name,
            "description": self.description,
            "options": [o.to_api() for o in self.options],
            "displayOrder": -1,
            "hasUniqueValue": self.has_unique_value,
            "hidden": self.hidden,
            "formField": self.form_field,
            "calculated": self.calculated,
            "externalOptions": self.external_options,
            "hubspotDefined": self.hubspot_defined,
            "modificationMetadata": {
                "archivable": not self.hubspot_defined,
                "readOnlyDefinition": self.hubspot_defined,
                "readOnlyValue": self.read_only,
                "readOnlyOptions": self.read_only_options,
            },
        }

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> PropertyDef:
        """Build from one API result; every field but ``name`` is optional, as in real answers."""
        meta = data.get("modificationMetadata") or {}
        type_ = str(data.get("type", "string"))
        return cls(
            name=str(data["name"]),
            label=str(data.get("label") or data["name"]),
            type=type_,
            field_type=str(data.get("fieldType") or "text"),
            group_name=str(data.get("groupName") or ""),
            description=str(data.get("description") or ""),
            options=tuple(PropertyOption.from_api(o) for o in data.get("options") or []),
            has_unique_value=bool(data.get("hasUniqueValue", False)),
            read_only=bool(meta.get("readOnlyValue", data.get("readOnlyValue", False))),
            calculated=bool(data.get("calculated", False)),
            hidden=bool(data.get("hidden", False)),
            hubspot_defined=bool(data.get("hubspotDefined", False)),
            form_field=bool(data.get("formField", False)),
            external_options=bool(data.get("externalOptions", False)),
            read_only_options=bool(meta.get("readOnlyOptions", False)),
        )


def check_object_type(object_type: str) -> str:
    """Return ``object_type`` or raise :class:`ConfigError` naming the allowed ones."""
    if object_type not in OBJECT_TYPES:
        raise ConfigError(
            f"unknown object type {object_type!r}: expected one of {', '.join(OBJECT_TYPES)}"
        )
    return object_type


@dataclass(frozen=True)
class Schema:
    """The property definitions of one object type, by name."""

    object_type: str
    properties: dict[str, PropertyDef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_object_type(self.object_type)

    def get(self, name: str) -> PropertyDef | None:
        return self.properties.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.properties

    def __iter__(self) -> Iterator[PropertyDef]:
        return iter(self.properties.values())

    def __len__(self) -> int:
        return len(self.properties)

    def writable(self) -> list[PropertyDef]:
        """Properties an import may set: neither read-only nor calculated."""
        return [p for p in self.properties.values() if p.writable]

    def names(self) -> list[str]:
        return list(self.properties)

    def to_api(self) -> dict[str, Any]:
        """``{"results": [...]}`` as ``GET /crm/v3/properties/{type}`` answers."""
        return {"results": [p.to_api() for p in self.properties.values()]}

    def with_properties(self, extra: Iterable[PropertyDef]) -> Schema:
        """A copy with ``extra`` added (or replacing same-named ones)."""
        props = dict(self.properties)
        props.update({p.name: p for p in extra})
        return Schema(self.object_type, props)

    @classmethod
    def from_api(cls, object_type: str, results: Iterable[Mapping[str, Any]]) -> Schema:
        """From the ``results`` list of a properties API answer (a live portal or the sandbox)."""
        props = {}
        for item in results:
            if not isinstance(item, Mapping) or not item.get("name"):
                continue
            prop = PropertyDef.from_api(item)
            props[prop.name] = prop
        return cls(check_object_type(object_type), props)

    @classmethod
    def bundled(cls, object_type: str) -> Schema:
        """HubSpot's default properties for ``object_type``, as shipped with crmkit (cached)."""
        return _bundled(check_object_type(object_type))


@cache
def _bundled(object_type: str) -> Schema:
    return Schema.from_api(object_type, bundled_results(object_type))


def bundled_results(object_type: str) -> list[dict[str, Any]]:
    """The raw bundled JSON ``results`` for ``object_type`` (a fresh copy each call)."""
    check_object_type(object_type)
    text = resources.files("crmkit.schema_data").joinpath(f"{object_type}.json").read_text("utf-8")
    results: list[dict[str, Any]] = json.loads(text)["results"]
    return results


_SINGULAR = {"companies": "company", "contacts": "contact", "tickets": "ticket", "notes": "note"}


def import_key_definition(object_type: str) -> dict[str, Any]:
    """The ``POST /crm/v3/properties/{type}`` body that creates crmkit's unique import key."""
    what = _SINGULAR[object_type if object_type == "notes" else check_object_type(object_type)]
    return {
        "name": IMPORT_KEY_PROPERTY,
        "label": "crmkit import key",
        "type": "string",
        "fieldType": "text",
        "groupName": IMPORT_KEY_GROUP,
        "description": (
            f"Stable key of the source {what} row, set by crmkit so that re-running an "
            "import updates records instead of duplicating them."
        ),
        "hasUniqueValue": True,
        "formField": False,
        "hidden": False,
    }


def import_key_property(object_type: str) -> PropertyDef:
    """The import key as a :class:`PropertyDef` (what the portal holds once it exists)."""
    return PropertyDef.from_api(import_key_definition(object_type))
