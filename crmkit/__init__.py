"""crmkit: load CRM exports (companies, contacts, tickets) into HubSpot safely."""

__version__ = "0.1.0"

OBJECT_TYPES: tuple[str, ...] = ("companies", "contacts", "tickets")
"""The object types crmkit imports, in the order they must be written."""
