"""Object types and default properties the sandbox serves (pipelines: ``pipelines.py``).

The definitions come from ``crmkit.schema`` (bundled JSON in the API's shape), so the sandbox
and the mapper agree on one portal.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmkit.sandbox.notes import note_properties
from crmkit.sandbox.replies import JSON
from crmkit.schema import REQUIRED_PROPERTIES, bundled_results

OBJECT_TYPE_IDS: Mapping[str, str] = {
    "contacts": "0-1",
    "companies": "0-2",
    "tickets": "0-5",
    "notes": "0-46",
}
_ALIASES: Mapping[str, str] = {
    "contacts": "contacts",
    "contact": "contacts",
    "0-1": "contacts",
    "companies": "companies",
    "company": "companies",
    "0-2": "companies",
    "tickets": "tickets",
    "ticket": "tickets",
    "0-5": "tickets",
    "notes": "notes",
    "note": "notes",
    "0-46": "notes",
}
SINGULAR: Mapping[str, str] = {
    "contacts": "Contact",
    "companies": "Company",
    "tickets": "Ticket",
    "notes": "Note",
}

# Set by the server on every write; never accepted from a client.
SERVER_SET: frozenset[str] = frozenset({"hs_object_id", "lastmodifieddate", "hs_lastmodifieddate"})
DEFAULT_PROPERTIES: Mapping[str, tuple[str, ...]] = {
    "contacts": ("firstname", "lastname", "email"),
    "companies": ("name", "domain"),
    "tickets": (
        "subject",
        "content",
        "hs_pipeline",
        "hs_pipeline_stage",
        "hs_ticket_priority",
        "hs_ticket_category",
    ),
    "notes": (),  # HubSpot answers with only the always-present dates and id
}


def canonical_type(name: str) -> str | None:
    """``contacts``/``contact``/``0-1`` → ``contacts``; None for types the sandbox lacks."""
    return _ALIASES.get(name.lower())


def bundled_properties(object_type: str) -> list[JSON]:
    """The default property definitions of one object type, in the API's shape."""
    if object_type == "notes":
        return note_properties()
    return bundled_results(object_type)


TICKET_REQUIRED: tuple[str, ...] = REQUIRED_PROPERTIES["tickets"]
