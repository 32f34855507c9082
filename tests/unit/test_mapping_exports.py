"""Regressions found on real exports (tests/realworld): headers and values crmkit missed."""

from __future__ import annotations

import pytest

from crmkit.mapping import auto_map

# (object type, header, expected property or None)
NESTED_AND_VENDOR_HEADERS = [
    # Pipedrive nests field names: "<object> - <field> - <part>"
    ("contacts", "Person - Phone - Mobile", "mobilephone"),
    ("contacts", "Person - Phone - Work", "phone"),
    ("contacts", "Person - Person created", "createdate"),
    ("contacts", "Person - Email - Home", None),
    ("companies", "Organization - Address - Country", "country"),
    ("companies", "Organization - Address - ZIP/Postal code", "zip"),
    ("companies", "Organization - Address - City/town/village/locality", "city"),
    ("companies", "Organization - Organization created", "createdate"),
    # another object's nested field is not this object's
    ("contacts", "Organization - Address - Country", None),
    # Salesforce case reports, Zoho addresses, Freshdesk contacts
    ("tickets", "Date/Time Opened", "createdate"),
    ("tickets", "Date/Time Closed", "closed_date"),
    ("companies", "Billing Code", "zip"),
    ("companies", "Shipping Code", "zip"),
    ("contacts", "Mailing Code", "zip"),
    ("contacts", "Twitter ID", "twitterhandle"),
]


@pytest.mark.parametrize(("object_type", "header", "expected"), NESTED_AND_VENDOR_HEADERS)
def test_vendor_headers(object_type: str, header: str, expected: str | None) -> None:
    """Each header maps as a person migrating from that system would map it."""
    assert auto_map([header], object_type).to_dict()[header] == expected
