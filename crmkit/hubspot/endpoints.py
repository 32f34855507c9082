"""Object types, batch limits, association type ids and API paths, in one place."""

from __future__ import annotations

import re
from urllib.parse import quote

OBJECT_TYPE_IDS: dict[str, str] = {"contacts": "0-1", "companies": "0-2", "tickets": "0-5"}
ENGAGEMENT_TYPE_IDS: dict[str, str] = {"notes": "0-46"}
"""Engagement objects crmkit writes beside the three CRM objects (same batch API)."""
BATCH_ACTIONS: tuple[str, ...] = ("create", "upsert", "update", "read", "archive")
MAX_BATCH_INPUTS = 100
"""HubSpot refuses an object batch of more than 100 inputs (400)."""
ASSOCIATION_BATCH_SIZE = 100
"""Sources say 2,000 for association batches; 100 stays clear of undocumented caps."""
ASSOCIATION_READ_SIZE = 1000
ACCOUNT_DETAILS_PATH = "/account-info/v3/details"

#: HUBSPOT_DEFINED unlabelled association type ids, (from, to) → id.
ASSOCIATION_TYPE_IDS: dict[tuple[str, str], int] = {
    ("contacts", "companies"): 279,
    ("companies", "contacts"): 280,
    ("contacts", "tickets"): 15,
    ("tickets", "contacts"): 16,
    ("tickets", "companies"): 339,
    ("companies", "tickets"): 340,
    ("notes", "contacts"): 202,
    ("contacts", "notes"): 201,
    ("notes", "companies"): 190,
    ("companies", "notes"): 189,
    ("notes", "tickets"): 228,
    ("tickets", "notes"): 227,
}
#: HUBSPOT_DEFINED "primary" association type ids, (from, to) → id.
PRIMARY_ASSOCIATION_TYPE_IDS: dict[tuple[str, str], int] = {
    ("contacts", "companies"): 1,
    ("companies", "contacts"): 2,
    ("tickets", "companies"): 26,
    ("companies", "tickets"): 25,
}

_ALL_TYPE_IDS = {**OBJECT_TYPE_IDS, **ENGAGEMENT_TYPE_IDS}
_BY_ID = {v: k for k, v in _ALL_TYPE_IDS.items()}
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")


def object_type_name(object_type: str) -> str:
    """``contacts`` / ``companies`` / ``tickets`` / ``notes`` (also ``0-1`` …); else ValueError."""
    name = _BY_ID.get(object_type, object_type)
    if name not in _ALL_TYPE_IDS:
        known = ", ".join(_ALL_TYPE_IDS)
        raise ValueError(f"unknown object type {object_type!r}; crmkit handles {known}")
    return name


def objects_path(object_type: str, *rest: str) -> str:
    """``/crm/v3/objects/{type}/…``."""
    return "/".join(["/crm/v3/objects", object_type_name(object_type), *rest])


def properties_path(object_type: str, name: str | None = None) -> str:
    """``/crm/v3/properties/{type}[/{name}]``; a property name is a single safe segment."""
    path = f"/crm/v3/properties/{object_type_name(object_type)}"
    if name is not None:
        if not _SAFE_SEGMENT.match(name):
            raise ValueError(f"not a valid property name: {name!r}")
        path += "/" + quote(name)
    return path


def pipelines_path(object_type: str, *rest: str) -> str:
    """``/crm/v3/pipelines/{type}[/{id}/stages]`` (tickets; deals are not crmkit's)."""
    for part in rest:
        if not _SAFE_SEGMENT.match(part):
            raise ValueError(f"not a valid pipeline path segment: {part!r}")
    return "/".join(["/crm/v3/pipelines", object_type_name(object_type), *rest])


def associations_path(from_type: str, to_type: str, action: str) -> str:
    """``/crm/v4/associations/{from}/{to}/batch/{action}``."""
    return (
        f"/crm/v4/associations/{object_type_name(from_type)}/"
        f"{object_type_name(to_type)}/batch/{action}"
    )
