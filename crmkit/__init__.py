"""crmkit: load CRM exports (companies, contacts, tickets) into HubSpot safely."""

__version__ = "0.1.0"

OBJECT_TYPES: tuple[str, ...] = ("companies", "contacts", "tickets")
"""The object types crmkit imports, in the order they must be written."""

RECORD_TYPES: tuple[str, ...] = (*OBJECT_TYPES, "notes")
"""What a run writes, in order: notes last, since each is linked to a record written before it
(``crmkit.sources.notes``); a run without notes writes only ``OBJECT_TYPES``."""
