"""Object types, default properties and ticket pipelines the sandbox serves.

The definitions come from ``crmkit.schema`` (bundled JSON in the API's shape), so the sandbox
and the mapper agree on one portal.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from crmkit.sandbox.replies import JSON
from crmkit.schema import REQUIRED_PROPERTIES, TICKET_PIPELINES, bundled_results

OBJECT_TYPE_IDS: Mapping[str, str] = {"contacts": "0-1", "companies": "0-2", "tickets": "0-5"}
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
}
SINGULAR: Mapping[str, str] = {"contacts": "Contact", "companies": "Company", "tickets": "Ticket"}

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
}


def canonical_type(name: str) -> str | None:
    """``contacts``/``contact``/``0-1`` → ``contacts``; None for types the sandbox lacks."""
    return _ALIASES.get(name.lower())


def bundled_properties(object_type: str) -> list[JSON]:
    """The default property definitions of one object type, in the API's shape."""
    return bundled_results(object_type)


@cache
def ticket_pipelines() -> dict[str, frozenset[str]]:
    """Pipeline id → its stage ids (the default support pipeline ``0``)."""
    return {pid: frozenset(p["stages"]) for pid, p in TICKET_PIPELINES.items()}


TICKET_REQUIRED: tuple[str, ...] = REQUIRED_PROPERTIES["tickets"]
