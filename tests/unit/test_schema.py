"""Bundled HubSpot property definitions: shape, contents and the Schema API."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from crmkit.errors import ConfigError
from crmkit.schema import (
    IMPORT_KEY_PROPERTY,
    REQUIRED_PROPERTIES,
    TICKET_PIPELINES,
    PropertyDef,
    Schema,
    bundled_results,
    import_key_definition,
    import_key_property,
)

API_KEYS = {
    "name", "label", "type", "fieldType", "groupName", "description", "options", "hasUniqueValue",
    "hidden", "formField", "calculated", "hubspotDefined", "modificationMetadata",
}  # fmt: skip
TYPES = {"bool", "date", "datetime", "enumeration", "number", "phone_number", "string"}


@pytest.mark.parametrize(
    ("object_type", "minimum"), [("contacts", 45), ("companies", 40), ("tickets", 22)]
)
def test_bundled_files_have_api_shape(object_type: str, minimum: int) -> None:
    """Each file is a properties API answer with enough properties, every one complete."""
    text = resources.files("crmkit.schema_data").joinpath(f"{object_type}.json").read_text()
    results = json.loads(text)["results"]
    assert len(results) >= minimum
    names = [p["name"] for p in results]
    assert len(names) == len(set(names))
    for p in results:
        assert set(p) >= API_KEYS, p["name"]
        assert p["type"] in TYPES
        meta = {"archivable", "readOnlyDefinition", "readOnlyValue"}
        if p["type"] == "enumeration":  # whether the portal may change the options
            meta.add("readOnlyOptions")
        assert set(p["modificationMetadata"]) == meta
        for o in p["options"]:
            assert set(o) == {"label", "value", "displayOrder", "hidden"}
        if p["type"] == "enumeration" and not p.get("externalOptions"):
            assert p["options"], f"{object_type}.{p['name']} has no options"


@pytest.mark.parametrize(
    ("object_type", "name", "type_", "writable"),
    [
        ("contacts", "email", "string", True),
        ("contacts", "date_of_birth", "date", True),
        ("contacts", "createdate", "datetime", True),
        ("contacts", "hs_object_id", "number", False),
        ("contacts", "lastmodifieddate", "datetime", False),
        ("contacts", "days_to_close", "number", False),
        ("companies", "numberofemployees", "number", True),
        ("companies", "annualrevenue", "number", True),
        ("companies", "is_public", "bool", True),
        ("companies", "hs_lastmodifieddate", "datetime", False),
        ("companies", "num_associated_contacts", "number", False),
        ("tickets", "closed_date", "datetime", True),
        ("tickets", "hs_ticket_id", "number", False),
        ("tickets", "time_to_close", "number", False),
    ],
)
def test_property_types_and_read_only(
    object_type: str, name: str, type_: str, writable: bool
) -> None:
    """Types and read-only flags of well-known properties match HubSpot's."""
    prop = Schema.bundled(object_type).get(name)
    assert prop is not None
    assert prop.type == type_
    assert prop.writable is writable


@pytest.mark.parametrize(
    ("object_type", "name", "values"),
    [
        (
            "contacts",
            "lifecyclestage",
            {"subscriber", "lead", "marketingqualifiedlead", "customer"},
        ),
        ("contacts", "hs_lead_status", {"NEW", "OPEN", "IN_PROGRESS", "BAD_TIMING"}),
        ("companies", "type", {"PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"}),
        ("companies", "industry", {"ACCOUNTING", "COMPUTER_SOFTWARE", "MARKETING_AND_ADVERTISING"}),
        ("tickets", "hs_pipeline", {"0"}),
        ("tickets", "hs_pipeline_stage", {"1", "2", "3", "4"}),
        ("tickets", "hs_ticket_priority", {"LOW", "MEDIUM", "HIGH", "URGENT"}),
        ("tickets", "source_type", {"EMAIL", "CHAT", "PHONE", "FORM"}),
    ],
)
def test_enumeration_options(object_type: str, name: str, values: set[str]) -> None:
    """Default enumerations carry HubSpot's internal option values."""
    prop = Schema.bundled(object_type).get(name)
    assert prop is not None
    assert values <= set(prop.option_values())


def test_industry_list_is_long() -> None:
    """The company industry list is HubSpot's long list, not a sample."""
    industry = Schema.bundled("companies").get("industry")
    assert industry is not None and len(industry.options) >= 140
    labels = {o.label for o in industry.options}
    assert {"Computer Software", "Information Technology and Services"} <= labels


def test_ticket_pipeline_matches_stage_options() -> None:
    """TICKET_PIPELINES and the hs_pipeline_stage options agree."""
    stage = Schema.bundled("tickets").get("hs_pipeline_stage")
    assert stage is not None
    assert {o.value: o.label for o in stage.options} == TICKET_PIPELINES["0"]["stages"]


@pytest.mark.parametrize("object_type", ["contacts", "companies", "tickets"])
def test_property_round_trip(object_type: str) -> None:
    """from_api(to_api(p)) == p for every bundled property."""
    for prop in Schema.bundled(object_type):
        assert PropertyDef.from_api(prop.to_api()) == prop


@pytest.mark.parametrize("object_type", ["contacts", "companies", "tickets"])
def test_schema_to_api_matches_file(object_type: str) -> None:
    """Serving Schema.to_api() gives back what the file holds (for the fields both know)."""
    served = Schema.bundled(object_type).to_api()["results"]
    raw = bundled_results(object_type)
    for a, b in zip(served, raw, strict=True):
        for key in ("name", "label", "type", "fieldType", "options", "modificationMetadata"):
            if key == "modificationMetadata":
                assert a[key]["readOnlyValue"] == b[key]["readOnlyValue"]
            else:
                assert a[key] == b[key], (a["name"], key)


def test_writable_excludes_read_only_and_calculated() -> None:
    """writable() never offers a property HubSpot computes."""
    schema = Schema.bundled("companies")
    names = {p.name for p in schema.writable()}
    assert "name" in names and "domain" in names
    assert not names & {"hs_object_id", "total_revenue", "num_associated_contacts"}


def test_from_api_tolerates_sparse_results_and_custom_properties() -> None:
    """A live portal's answer with missing fields and custom properties still loads."""
    schema = Schema.from_api(
        "contacts",
        [
            {"name": "email", "type": "string"},
            {"name": "favourite_colour", "label": "Favourite colour", "type": "enumeration",
             "fieldType": "select", "options": [{"label": "Red", "value": "red"}]},
            {"label": "no name: skipped"},
        ],
    )  # fmt: skip
    assert schema.names() == ["email", "favourite_colour"]
    colour = schema.get("favourite_colour")
    assert colour is not None and colour.option_values() == ["red"] and colour.writable


def test_bundled_is_cached() -> None:
    """Loading the bundled schema twice reads the file once."""
    assert Schema.bundled("tickets") is Schema.bundled("tickets")


@pytest.mark.parametrize("bad", ["deals", "contact", ""])
def test_unknown_object_type_is_config_error(bad: str) -> None:
    """A wrong object type is a ConfigError naming the allowed ones."""
    with pytest.raises(ConfigError, match="companies, contacts, tickets"):
        Schema.bundled(bad)
    with pytest.raises(ConfigError):
        import_key_definition(bad)


@pytest.mark.parametrize("object_type", ["companies", "tickets", "contacts"])
def test_import_key_definition(object_type: str) -> None:
    """The import key is a unique, writable string property in crmkit's group."""
    body = import_key_definition(object_type)
    assert body["name"] == IMPORT_KEY_PROPERTY
    assert body["type"] == "string" and body["fieldType"] == "text"
    assert body["hasUniqueValue"] is True and body["groupName"] == "crmkit"
    prop = import_key_property(object_type)
    assert prop.has_unique_value and prop.writable


def test_required_properties_exist() -> None:
    """Every required property is a writable bundled property."""
    for object_type, names in REQUIRED_PROPERTIES.items():
        schema = Schema.bundled(object_type)
        for name in names:
            prop = schema.get(name)
            assert prop is not None and prop.writable
