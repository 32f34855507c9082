"""Column and value mapping: real-world headers, fuzzy matches, roles, mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from crmkit.errors import ConfigError, MappingError
from crmkit.mapping import (
    Mapping,
    apply_overrides,
    auto_map,
    load_mapping_file,
    map_value,
    normalize_header,
    save_mapping_file,
)
from crmkit.schema import PropertyDef, Schema

# (object type, header as real exports write it, expected property)
HEADERS = [
    # contacts: Salesforce, Zoho, Pipedrive, Dynamics, Excel
    ("contacts", "E-mail Address", "email"),
    ("contacts", "Email Address", "email"),
    ("contacts", "Work Email", "email"),
    ("contacts", "EMAIL", "email"),
    ("contacts", "emailAddress", "email"),
    ("contacts", "Person - Email", "email"),
    ("contacts", "First Name", "firstname"),
    ("contacts", "first_name", "firstname"),
    ("contacts", "Given Name", "firstname"),
    ("contacts", "Prénom", "firstname"),
    ("contacts", "Surname", "lastname"),
    ("contacts", "Last Name", "lastname"),
    ("contacts", "Phone Number", "phone"),
    ("contacts", "Business Phone", "phone"),
    ("contacts", "Tel", "phone"),
    ("contacts", "Mobile", "mobilephone"),
    ("contacts", "Cell", "mobilephone"),
    ("contacts", "Mobile Phone", "mobilephone"),
    ("contacts", "Job Title", "jobtitle"),
    ("contacts", "Title", "jobtitle"),
    ("contacts", "Position", "jobtitle"),
    ("contacts", "Company Name", "company"),
    ("contacts", "Account Name", "company"),
    ("contacts", "Organization", "company"),
    ("contacts", "Mailing Street", "address"),
    ("contacts", "Mailing City", "city"),
    ("contacts", "Mailing State/Province", "state"),
    ("contacts", "Mailing Zip/Postal Code", "zip"),
    ("contacts", "Address 1: ZIP/Postal Code", "zip"),
    ("contacts", "Mailing Country", "country"),
    ("contacts", "Birthdate", "date_of_birth"),
    ("contacts", "DOB", "date_of_birth"),
    ("contacts", "Lifecycle Stage", "lifecyclestage"),
    ("contacts", "Lead Status", "hs_lead_status"),
    ("contacts", "Created Date", "createdate"),
    ("contacts", "Created Time", "createdate"),
    ("contacts", "Website", "website"),
    ("contacts", "lastname", "lastname"),
    # companies
    ("companies", "Company Name", "name"),
    ("companies", "Account Name", "name"),
    ("companies", "Organization - Name", "name"),
    ("companies", "Organization", "name"),
    ("companies", "Website", "website"),
    ("companies", "Web Site", "website"),
    ("companies", "URL", "website"),
    ("companies", "Domain", "domain"),
    ("companies", "Main Phone", "phone"),
    ("companies", "Industry", "industry"),
    ("companies", "Sector", "industry"),
    ("companies", "Type", "type"),
    ("companies", "Account Type", "type"),
    ("companies", "# Employees", "numberofemployees"),
    ("companies", "Number of Employees", "numberofemployees"),
    ("companies", "Employees", "numberofemployees"),
    ("companies", "Annual Revenue", "annualrevenue"),
    ("companies", "Revenue", "annualrevenue"),
    ("companies", "Year Founded", "founded_year"),
    ("companies", "Founded", "founded_year"),
    ("companies", "Billing City", "city"),
    ("companies", "Address 1: Country/Region", "country"),
    ("companies", "Description", "description"),
    ("companies", "LinkedIn URL", "linkedin_company_page"),
    # tickets: Zendesk, Freshdesk, Dynamics cases, Excel
    ("tickets", "Ticket Subject", "subject"),
    ("tickets", "Subject", "subject"),
    ("tickets", "Title", "subject"),
    ("tickets", "Case Title", "subject"),
    ("tickets", "Description", "content"),
    ("tickets", "Body", "content"),
    ("tickets", "Details", "content"),
    ("tickets", "Priority", "hs_ticket_priority"),
    ("tickets", "Severity", "hs_ticket_priority"),
    ("tickets", "Status", "hs_pipeline_stage"),
    ("tickets", "Stage", "hs_pipeline_stage"),
    ("tickets", "Status Reason", "hs_pipeline_stage"),
    ("tickets", "Opened On", "createdate"),
    ("tickets", "Created", "createdate"),
    ("tickets", "Date Created", "createdate"),
    ("tickets", "Created at", "createdate"),
    ("tickets", "Solved at", "closed_date"),
    ("tickets", "Resolved time", "closed_date"),
    ("tickets", "Category", "hs_ticket_category"),
    ("tickets", "Type", "hs_ticket_category"),
    ("tickets", "Source", "source_type"),
    ("tickets", "Via", "source_type"),
    ("tickets", "Origin", "source_type"),
]


@pytest.mark.parametrize(("object_type", "header", "expected"), HEADERS)
def test_real_world_headers(object_type: str, header: str, expected: str) -> None:
    """Headers of real exports map onto the right property on their own."""
    match = auto_map([header], object_type).columns[header]
    assert match.property == expected, match.reason
    assert match.confidence >= 0.85


@pytest.mark.parametrize(
    ("object_type", "header", "expected"),
    [
        ("contacts", "Job Tilte", "jobtitle"),
        ("contacts", "Frist Name", "firstname"),
        ("contacts", "Postal Cod", "zip"),
        ("companies", "Anual Revenue", "annualrevenue"),
        ("companies", "Nmber of Employees", "numberofemployees"),
        ("tickets", "Ticket Priorty", "hs_ticket_priority"),
    ],
)
def test_fuzzy_headers(object_type: str, header: str, expected: str) -> None:
    """Misspelt headers match by similarity, with a lower confidence and a fuzzy reason."""
    match = auto_map([header], object_type).columns[header]
    assert match.property == expected
    assert match.reason.startswith("fuzzy ")
    assert 0.5 < match.confidence < 0.95


@pytest.mark.parametrize(
    ("object_type", "header"),
    [
        ("contacts", "Favourite Colour"),
        ("contacts", "Name"),  # a full name: a role, not first name by similarity
        ("companies", "Stock Ticker"),
        ("tickets", "Satisfaction"),
        ("tickets", "Tags"),
    ],
)
def test_unknown_headers_stay_unmapped(object_type: str, header: str) -> None:
    """Headers that resemble nothing are not forced onto a property."""
    assert auto_map([header], object_type).columns[header].property is None


@pytest.mark.parametrize(
    ("object_type", "header", "role"),
    [
        ("contacts", "#", None),
        ("contacts", "Row", None),
        ("contacts", "Unnamed: 0", None),
        ("contacts", "Id", "source_id"),
        ("contacts", "Record ID", "source_id"),
        ("contacts", "Contact ID", "source_id"),
        ("contacts", "hs_object_id", "source_id"),
        ("contacts", "Account ID", "company_id"),
        ("contacts", "Created By", None),
        ("contacts", "Last Modified", None),
        ("contacts", "Contact Owner", "owner"),
        ("contacts", "(Do Not Modify) Row Checksum", None),
        ("companies", "Account Number", "source_id"),
        ("companies", "Company ID", "source_id"),
        ("tickets", "Ticket #", "source_id"),
        ("tickets", "Case Number", "source_id"),
        ("tickets", "Requester ID", "contact_id"),
        ("tickets", "Organization ID", "company_id"),
        ("tickets", "Assignee", "owner"),
    ],
)
def test_ids_and_index_columns_not_imported(
    object_type: str, header: str, role: str | None
) -> None:
    """Row numbers, ids and system columns are left out, say so, and keep a linking role."""
    match = auto_map([header], object_type).columns[header]
    assert match.property is None
    assert "not" in match.reason
    assert match.role == role


@pytest.mark.parametrize(
    ("object_type", "header"),
    [
        ("contacts", "Last Modified Date"),
        ("companies", "Total Revenue"),
        ("tickets", "Time to close"),
    ],
)
def test_read_only_properties_are_never_targets(object_type: str, header: str) -> None:
    """A header naming a read-only or calculated property is not imported, with that reason."""
    match = auto_map([header], object_type).columns[header]
    assert match.property is None
    assert "not imported" in match.reason


def test_one_property_one_column_and_a_second_phone_is_not_a_mobile() -> None:
    """Three phone columns: the best fills phone; a desk phone is never guessed to be a mobile."""
    cols = ["Phone", "Business Phone", "Telephone"]
    mapping = auto_map(cols, "contacts")
    assert mapping.to_dict() == {
        "Phone": "phone",
        "Business Phone": None,
        "Telephone": None,
    }
    assert "already filled" in mapping.columns["Telephone"].reason


def test_mobile_column_keeps_mobilephone_when_present() -> None:
    """An explicit mobile column wins mobilephone over a second phone column."""
    mapping = auto_map(["Mobile", "Phone", "Work Phone"], "contacts")
    assert mapping.columns["Mobile"].property == "mobilephone"
    assert mapping.columns["Phone"].property == "phone"
    assert mapping.columns["Work Phone"].property is None


def test_highest_confidence_wins_a_property() -> None:
    """When two columns want one property, the exact one wins whatever the column order."""
    mapping = auto_map(["E-mail", "email"], "contacts")
    assert mapping.columns["email"].property == "email"
    assert mapping.columns["E-mail"].property is None


@pytest.mark.parametrize(
    ("object_type", "header", "prop", "role"),
    [
        ("tickets", "Requester Email", None, "contact_email"),
        ("tickets", "Customer Email", None, "contact_email"),
        ("tickets", "Requester", None, "contact_name"),
        ("tickets", "Requester Phone", None, "contact_phone"),
        ("tickets", "Company", None, "company_name"),
        ("contacts", "Company", "company", "company_name"),
        ("contacts", "Name", None, "full_name"),
        ("companies", "Website", "website", "company_domain"),
        ("companies", "Domain", "domain", "company_domain"),
    ],
)
def test_linking_roles(object_type: str, header: str, prop: str | None, role: str) -> None:
    """Columns useful for linking carry a role, whether or not they fill a property."""
    match = auto_map([header], object_type).columns[header]
    assert (match.property, match.role) == (prop, role)


def test_domain_column_takes_the_domain_role_over_website() -> None:
    """With both Website and Domain, Domain is the company's link key."""
    mapping = auto_map(["Website", "Domain"], "companies")
    assert mapping.roles() == {"company_domain": "Domain"}


def test_values_reveal_an_email_column() -> None:
    """A vague header whose values are addresses: email for contacts, a link for tickets."""
    values = ["ann@a.com", "bob@b.org", "cy@c.net", "dee@d.io"]
    contacts = auto_map(["Login"], "contacts", samples={"Login": values})
    assert contacts.columns["Login"].property == "email"
    tickets = auto_map(["Requester"], "tickets", samples={"Requester": values})
    assert tickets.columns["Requester"].role == "contact_email"


def test_live_schema_custom_property() -> None:
    """A live portal's custom property is a target by its label; a missing default is not."""
    schema = Schema.bundled("contacts").with_properties(
        [PropertyDef("favourite_colour", "Favourite Colour", "string", "text")]
    )
    assert auto_map(["Favourite Colour"], "contacts", schema).to_dict() == {
        "Favourite Colour": "favourite_colour"
    }
    tiny = Schema.from_api("contacts", [{"name": "email", "label": "Email", "type": "string"}])
    assert auto_map(["Job Title"], "contacts", tiny).to_dict() == {"Job Title": None}


def test_unknown_object_type() -> None:
    """An object type crmkit does not import is a ConfigError."""
    with pytest.raises(ConfigError):
        auto_map(["Email"], "deals")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-mail Address", "email address"),
        ("emailAddress", "email address"),
        ("EMAIL_ADDRESS", "email address"),
        ("  Prénom ", "prenom"),
        ("# Employees", "number employees"),
        ("Address 1: ZIP/Postal Code", "address 1 zip postal code"),
    ],
)
def test_normalize_header(text: str, expected: str) -> None:
    """Case, accents, punctuation, separators and camelCase fold to one form."""
    assert normalize_header(text) == expected


# (object type, property, raw value, expected option value; None = unmatched)
VALUES = [
    ("tickets", "hs_ticket_priority", "High", "HIGH"),
    ("tickets", "hs_ticket_priority", "Hi", "HIGH"),
    ("tickets", "hs_ticket_priority", "Urgent!", "URGENT"),
    ("tickets", "hs_ticket_priority", "P1", "URGENT"),
    ("tickets", "hs_ticket_priority", "normal", "MEDIUM"),
    ("tickets", "hs_ticket_priority", "LOW", "LOW"),
    ("tickets", "hs_ticket_priority", "Whenever", None),
    ("tickets", "hs_pipeline_stage", "Closed", "4"),
    ("tickets", "hs_pipeline_stage", "Resolved", "4"),
    ("tickets", "hs_pipeline_stage", "Done", "4"),
    ("tickets", "hs_pipeline_stage", "Open", "1"),
    ("tickets", "hs_pipeline_stage", "New", "1"),
    ("tickets", "hs_pipeline_stage", "Pending", "2"),
    ("tickets", "hs_pipeline_stage", "Waiting on customer", "2"),
    ("tickets", "hs_pipeline_stage", "In progress", "3"),
    ("tickets", "hs_pipeline_stage", "Open - agent", "3"),
    ("tickets", "hs_pipeline_stage", "Waiting on us", "3"),
    ("tickets", "hs_pipeline_stage", "3", "3"),
    ("tickets", "hs_pipeline_stage", "Escalated to legal", None),
    ("tickets", "source_type", "E-mail", "EMAIL"),
    ("tickets", "hs_ticket_category", "Bug", "PRODUCT_ISSUE"),
    ("contacts", "lifecyclestage", "Marketing Qualified Lead", "marketingqualifiedlead"),
    ("contacts", "lifecyclestage", "MQL", "marketingqualifiedlead"),
    ("contacts", "lifecyclestage", "customer", "customer"),
    ("contacts", "lifecyclestage", "Custmer", "customer"),
    ("contacts", "hs_lead_status", "In Progress", "IN_PROGRESS"),
    ("contacts", "numemployees", "12", "5-25"),
    ("contacts", "numemployees", "2000", "1000+"),
    ("companies", "industry", "Computer Software", "COMPUTER_SOFTWARE"),
    ("companies", "industry", "computer_software", "COMPUTER_SOFTWARE"),
    ("companies", "industry", "Food & Beverages", "FOOD_BEVERAGES"),
    ("companies", "industry", "SaaS", "COMPUTER_SOFTWARE"),
    ("companies", "industry", "Underwater Basket Weaving", None),
    ("companies", "type", "Supplier", "VENDOR"),
    ("contacts", "hs_buying_role", "Champion; Decision Maker", "CHAMPION;DECISION_MAKER"),
    ("contacts", "hs_buying_role", "end user, champion, Champion", "END_USER;CHAMPION"),
    ("contacts", "hs_buying_role", "Champion; Astronaut", None),
    ("contacts", "hs_buying_role", "", ""),
]


@pytest.mark.parametrize(("object_type", "prop", "raw", "expected"), VALUES)
def test_enum_values(object_type: str, prop: str, raw: str, expected: str | None) -> None:
    """Raw values map to option values by value, label, synonym, range or similarity."""
    definition = Schema.bundled(object_type).get(prop)
    assert definition is not None
    assert map_value(definition, raw) == expected


def test_auto_map_maps_sampled_values_and_reports_unmatched() -> None:
    """Samples of an enumeration column become value translations or unmatched values."""
    samples = {"Priority": ["High", "Hi", "low", "Whenever", "", "High"]}
    mapping = auto_map(["Priority"], "tickets", samples=samples)
    assert mapping.values["Priority"] == {"High": "HIGH", "Hi": "HIGH", "low": "LOW"}
    assert mapping.unmatched_values == {"Priority": ["Whenever"]}
    assert mapping.samples["Priority"] == ["High", "Hi", "low", "Whenever"]


def test_mapping_json_round_trip_and_describe() -> None:
    """to_json/from_json keep everything; describe() gives the review table."""
    frame = pd.DataFrame(
        {"Priority": ["High", "Meh"], "Ticket Subject": ["a", "b"], "Id": ["1", "2"]}
    )
    mapping = auto_map(list(frame.columns), "tickets", samples=frame)
    again = Mapping.from_json(mapping.to_json())
    assert again == mapping
    table = mapping.describe()
    assert list(table.columns) == [
        "column",
        "property",
        "label",
        "confidence",
        "reason",
        "role",
        "samples",
    ]
    row = table.set_index("column").loc["Priority"]
    assert row["label"] == "Priority" and "'Meh'" in row["reason"]
    with pytest.raises(MappingError):
        Mapping.from_json("{not json")


# -- mapping files ----------------------------------------------------------------------------


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_mapping_file_round_trip(tmp_path: Path) -> None:
    """save_mapping_file then load_mapping_file gives the same columns, values and roles."""
    mappings = {
        "tickets": auto_map(
            ["Subject", "Priority", "Requester Email", "Id"],
            "tickets",
            samples={"Priority": ["Hi", "Low"], "Requester Email": ["a@b.co"] * 3},
        ),
        "contacts": auto_map(["E-mail Address", "Row"], "contacts"),
    }
    path = save_mapping_file(tmp_path / "out" / "m.json", mappings)
    sections = load_mapping_file(path)
    assert set(sections) == {"tickets", "contacts"}
    assert sections["tickets"].columns == mappings["tickets"].to_dict()
    assert sections["tickets"].values == {"Priority": {"Hi": "HIGH", "Low": "LOW"}}
    assert sections["tickets"].roles == {"Requester Email": "contact_email", "Id": "source_id"}
    assert sections["contacts"].columns == {"E-mail Address": "email", "Row": None}


def test_apply_overrides_columns_and_values(tmp_path: Path) -> None:
    """Overrides win column by column (null = not imported) and value by value."""
    path = _write(
        tmp_path,
        {
            "version": 1,
            "tickets": {
                "columns": {"Summary": "subject", "Subject": None},
                "values": {"Priority": {"Whenever": "LOW", "Hi": "URGENT"}},
            },
        },
    )
    auto = auto_map(
        ["Subject", "Summary", "Priority"], "tickets", samples={"Priority": ["Hi", "Whenever"]}
    )
    assert auto.columns["Subject"].property == "subject"
    mapping = apply_overrides(auto, load_mapping_file(path)["tickets"])
    assert mapping.to_dict() == {
        "Subject": None,
        "Summary": "subject",
        "Priority": "hs_ticket_priority",
    }
    assert mapping.columns["Summary"].confidence == 1.0
    assert mapping.columns["Summary"].reason == "override"
    assert mapping.values["Priority"] == {"Hi": "URGENT", "Whenever": "LOW"}
    assert "Priority" not in mapping.unmatched_values


def test_override_takes_a_property_from_another_column(tmp_path: Path) -> None:
    """Giving a property to a column removes it from the column that had it."""
    auto = auto_map(["Email", "Personal Email"], "contacts")
    path = _write(tmp_path, {"contacts": {"columns": {"Personal Email": "email"}}})
    mapping = apply_overrides(auto, load_mapping_file(path)["contacts"])
    assert mapping.to_dict() == {"Email": None, "Personal Email": "email"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({"version": 2}, "unsupported mapping file version"),
        ({"deals": {"columns": {}}}, "unknown section"),
        (
            {"contacts": {"columns": {"E-mail": "emial"}}},
            "'E-mail'.*unknown property 'emial'.*did you mean 'email'",
        ),
        ({"contacts": {"columns": {"Job": "Job Title"}}}, "did you mean 'jobtitle'"),
        ({"contacts": {"columns": {"Id": "hs_object_id"}}}, "read-only"),
        ({"contacts": {"columns": {"Email": 5}}}, "property name or null"),
        ({"contacts": {"colums": {}}}, "unknown key"),
        (
            {
                "tickets": {
                    "columns": {"P": "hs_ticket_priority"},
                    "values": {"P": {"Hi": "HIGHEST"}},
                }
            },
            "not an option.*HIGH",
        ),
        ({"tickets": {"roles": {"X": "boss"}}}, "unknown role"),
    ],
)
def test_mapping_file_errors(tmp_path: Path, content: object, message: str) -> None:
    """A malformed file or an unknown name is a MappingError that says what and where."""
    with pytest.raises(MappingError, match=message):
        load_mapping_file(_write(tmp_path, content))


def test_missing_mapping_file(tmp_path: Path) -> None:
    """A mapping file that does not exist is a MappingError, not a traceback."""
    with pytest.raises(MappingError, match="not found"):
        load_mapping_file(tmp_path / "nope.json")


def test_value_override_checked_against_auto_mapped_property(tmp_path: Path) -> None:
    """A value override for an auto-mapped column is checked when applied."""
    path = _write(tmp_path, {"tickets": {"values": {"Priority": {"Hi": "SUPER"}}}})
    section = load_mapping_file(path)["tickets"]
    with pytest.raises(MappingError, match="'SUPER'"):
        apply_overrides(auto_map(["Priority"], "tickets"), section)


@pytest.mark.parametrize("object_type", ["companies", "contacts", "tickets"])
def test_demo_headers_map_without_overrides(object_type: str) -> None:
    """Every header of the demo data maps to a property or a linking role on its own."""
    path = Path(__file__).resolve().parents[2] / "data" / f"{object_type}.csv"
    if not path.exists():
        pytest.skip("demo data not generated")
    header = pd.read_csv(path, nrows=0, dtype=str).columns.tolist()
    mapping = auto_map(header, object_type)
    assert all(m.property or m.role for m in mapping.columns.values()), mapping.describe()
