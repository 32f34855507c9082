"""Regressions found on real exports (tests/realworld): headers and values crmkit missed."""

from __future__ import annotations

import pytest

from crmkit.mapping import auto_map, map_value, normalize_header
from crmkit.schema import Schema

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


# (property, object type, raw picklist value from a source CRM, expected option or None)
VENDOR_VALUES = [
    ("type", "companies", "Technology Partner", "PARTNER"),  # Salesforce Account Type
    ("type", "companies", "Installation Partner", "PARTNER"),
    ("type", "companies", "Channel Partner / Reseller", "RESELLER"),  # every part agrees
    ("type", "companies", "Customer - Direct", None),  # no company type fits
    ("type", "companies", "Prospect / Partner", None),  # parts disagree: not guessed
    ("industry", "companies", "Recreation", "RECREATIONAL_FACILITIES_AND_SERVICES"),
    ("source_type", "tickets", "Phone call (incoming)", "PHONE"),  # Zendesk "Via"
    ("source_type", "tickets", "Voicemail", "PHONE"),
    ("hs_pipeline_stage", "tickets", "Waiting on Third Party", "3"),  # Freshdesk status
    ("hs_ticket_category", "tickets", "task", None),  # Zendesk type without a fit
]


@pytest.mark.parametrize(("prop", "object_type", "raw", "expected"), VENDOR_VALUES)
def test_vendor_picklist_values(
    prop: str, object_type: str, raw: str, expected: str | None
) -> None:
    """Source picklist values land on the option a person would choose, or on none."""
    definition = Schema.bundled(object_type).get(prop)
    assert definition is not None
    assert map_value(definition, raw) == expected


@pytest.mark.parametrize(
    ("object_type", "header", "role"),
    [
        ("contacts", "Associated Company IDs", "company_id"),  # HubSpot's own export
        ("contacts", "AccountId", "company_id"),  # Salesforce Data Loader
        ("tickets", "Associated Contact IDs", "contact_id"),
        ("companies", "Parent Account ID", None),  # another company, never the own id
    ],
)
def test_related_id_columns_link(object_type: str, header: str, role: str | None) -> None:
    """Id columns of related records are not imported but keep a linking role."""
    match = auto_map([header], object_type).columns[header]
    assert (match.property, match.role) == (None, role)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Associated Company IDs", "associated company ids"), ("Website URLs", "website urls")],
)
def test_plural_acronyms_stay_one_word(text: str, expected: str) -> None:
    assert normalize_header(text) == expected
