"""Regressions found on real exports (tests/realworld): headers and values crmkit missed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from crmkit.coerce import coerce_frame
from crmkit.mapping import (
    apply_overrides,
    auto_map,
    load_mapping_file,
    map_value,
    normalize_header,
    save_mapping_file,
)
from crmkit.schema import Schema

# (object type, header, expected property or None)
NESTED_AND_VENDOR_HEADERS = [
    # Pipedrive nests field names: "<object> - <field> - <part>"
    ("contacts", "Person - Phone - Mobile", "mobilephone"),
    ("contacts", "Person - Phone - Work", "phone"),
    ("contacts", "Person - Person created", "createdate"),
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


def test_work_email_beats_home_email() -> None:
    """Pipedrive's two e-mail columns: the work one fills email, the home one stays unmapped."""
    mapping = auto_map(["Person - Email - Home", "Person - Email - Work"], "contacts")
    assert mapping.to_dict() == {"Person - Email - Home": None, "Person - Email - Work": "email"}
    assert "already filled" in mapping.columns["Person - Email - Home"].reason


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


def test_value_mapped_to_null_leaves_the_property_empty(tmp_path: Path) -> None:
    """A picklist value HubSpot has no option for can be dropped without losing the row."""
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps({"companies": {"values": {"Type": {"Customer - Direct": None}}}}),
        encoding="utf-8",
    )
    section = load_mapping_file(path)["companies"]
    frame = pd.DataFrame({"Name": ["A", "B"], "Type": ["Customer - Direct", "Prospect"]})
    frame.index = pd.RangeIndex(2, 4, name="row")
    mapping = apply_overrides(auto_map(list(frame.columns), "companies", samples=frame), section)
    result = coerce_frame(frame, mapping, Schema.bundled("companies"), file="c.csv")
    assert result.frame["type"].tolist() == ["", "PROSPECT"]
    assert result.issues == []
    saved = json.loads(save_mapping_file(tmp_path / "out.json", {"companies": mapping}).read_text())
    assert saved["companies"]["values"]["Type"]["Customer - Direct"] is None
    assert load_mapping_file(tmp_path / "out.json")["companies"].values["Type"] == {
        "Customer - Direct": "",
        "Prospect": "PROSPECT",
    }


def test_unmatched_option_message_says_how_to_fix_it() -> None:
    frame = pd.DataFrame({"Name": ["A"], "Type": ["Customer - Direct"]})
    frame.index = pd.RangeIndex(2, 3, name="row")
    mapping = auto_map(list(frame.columns), "companies", samples=frame)
    (issue,) = coerce_frame(frame, mapping, Schema.bundled("companies"), file="c.csv").issues
    assert issue.category == "INVALID_OPTION" and "null" in issue.message
