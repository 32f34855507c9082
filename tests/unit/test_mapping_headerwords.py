"""Headers read as composed words: qualifiers, numbered groups, label columns, other languages,
and values that veto a guess (issue 16). Each row is a header a real export writes."""

from __future__ import annotations

import pytest

from crmkit.mapping import auto_map
from crmkit.mapping.headerwords import parse_header
from crmkit.mapping.vocabulary import conflicts, translate

# (object type, header, expected property) — one header at a time
SINGLE = [
    ("contacts", "E-mail 1 - Value", "email"),  # Google Contacts
    ("contacts", "Phone 1 - Value", "phone"),
    ("contacts", "Organization 1 - Title", "jobtitle"),
    ("contacts", "Address 1 - Region", "state"),
    ("contacts", "Website 1 - Value", "website"),
    ("contacts", "Business Street", "address"),  # Outlook
    ("contacts", "Business Postal Code", "zip"),
    ("contacts", "Business Country/Region", "country"),
    ("contacts", "Web Page", "website"),
    ("contacts", "primary_address_street", "address"),  # SugarCRM / SuiteCRM
    ("contacts", "phone_fax", "fax"),
    ("contacts", "phone_mobile", "mobilephone"),
    ("companies", "billing_address_city", "city"),
    ("companies", "YearStarted", "founded_year"),  # Salesforce
    ("companies", "Bill To City", "city"),  # Oracle CRM On Demand
    ("companies", "Main Phone #", "phone"),
    ("contacts", "SMS", "mobilephone"),  # Brevo
    ("contacts", "Account.Name", "company"),  # dotted relationship prefix
    ("companies", "*ContactName", None),  # Xero: a contact name in a companies file is unclear
    ("contacts", "Straße", "address"),  # German
    ("contacts", "Websiten-Link", "website"),
    ("contacts", "Telefon geschäftlich", "phone"),
    ("contacts", "Nom de famille", "lastname"),  # French
    ("contacts", "Téléphone portable", "mobilephone"),
    ("contacts", "Fonction", "jobtitle"),
    ("contacts", "Telefono movil", "mobilephone"),  # Spanish
    ("companies", "Ragione sociale", "name"),  # Italian
    ("contacts", "Sobrenome", "lastname"),  # Portuguese
    ("contacts", "Achternaam", "lastname"),  # Dutch
    ("tickets", "Betreff", "subject"),
    ("tickets", "Priorité", "hs_ticket_priority"),
    # never a wrong guess
    ("contacts", "Account Tier", None),
    ("contacts", "alt_address_street", None),
    ("contacts", "ConvertedDate", None),
    ("contacts", "CleanStatus", None),
    ("contacts", "Other Phone", None),
    ("contacts", "E-mail 2 Address", None),
    ("contacts", "Birth Day", None),
    ("contacts", "Phone 1 - Type", None),
]


@pytest.mark.parametrize(("object_type", "header", "expected"), SINGLE)
def test_header_maps_as_its_words_say(object_type: str, header: str, expected: str | None) -> None:
    match = auto_map([header], object_type).columns[header]
    assert match.property == expected, match.reason
    assert match.reason


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (  # Outlook: the business address wins, home and other stay out
            ["Home Street", "Business Street", "Other Street", "Home City", "Business City"],
            {"Business Street": "address", "Business City": "city"},
        ),
        (  # Salesforce: mailing beats other
            ["OtherStreet", "MailingStreet", "OtherCity", "MailingCity"],
            {"MailingStreet": "address", "MailingCity": "city"},
        ),
        (  # Thunderbird: work phone, home phone, mobile number
            ["Home Phone", "Work Phone", "Mobile Number"],
            {"Work Phone": "phone", "Mobile Number": "mobilephone"},
        ),
        (  # a street column is a better address than a whole-address one
            ["Address", "Street", "City"],
            {"Street": "address", "City": "city"},
        ),
        (  # Outlook's Title beside Job Title is the salutation
            ["Title", "Job Title"],
            {"Title": "salutation", "Job Title": "jobtitle"},
        ),
    ],
)
def test_qualifiers_decide_which_column_wins(columns: list[str], expected: dict[str, str]) -> None:
    got = auto_map(columns, "contacts").to_dict()
    assert got == {c: expected.get(c) for c in columns}


def test_address_parts_come_from_one_address() -> None:
    """A shipping street 2 does not complete a billing address."""
    cols = ["Bill StreetAddress", "Bill City", "Ship StreetAddress", "Ship StreetAddress2"]
    mapping = auto_map(cols, "companies")
    assert mapping.to_dict() == {
        "Bill StreetAddress": "address",
        "Bill City": "city",
        "Ship StreetAddress": None,
        "Ship StreetAddress2": None,
    }
    assert "billing" in mapping.columns["Ship StreetAddress2"].reason


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Mobile", "Mobile", "* Mobile"], "mobilephone"),
        (["Work", "Work", "Main"], "phone"),
        (["Work Fax", "Work Fax"], "fax"),
        (["Pager", "Pager"], None),
        (["Mobile", "Work", "Home", "Other"], "phone"),  # labels disagree: the header decides
    ],
)
def test_type_column_decides_its_value_column(labels: list[str], expected: str | None) -> None:
    """Google Contacts' "Phone 1 - Type" says what "Phone 1 - Value" holds."""
    cols = ["Phone 1 - Type", "Phone 1 - Value"]
    samples = {"Phone 1 - Type": labels, "Phone 1 - Value": ["+1 212 555 0100"] * len(labels)}
    mapping = auto_map(cols, "contacts", samples=samples)
    assert mapping.columns["Phone 1 - Value"].property == expected
    assert mapping.columns["Phone 1 - Type"].property is None


def test_a_labelled_second_phone_is_taken() -> None:
    """Phone 2 labelled Mobile is the mobile number, though a second phone is not by default."""
    cols = ["Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value"]
    samples = {"Phone 1 - Type": ["Work"] * 3, "Phone 2 - Type": ["Mobile"] * 3}
    got = auto_map(cols, "contacts", samples=samples).to_dict()
    assert (got["Phone 1 - Value"], got["Phone 2 - Value"]) == ("phone", "mobilephone")
    assert auto_map(cols, "contacts").to_dict()["Phone 2 - Value"] is None


@pytest.mark.parametrize(
    ("object_type", "header", "values", "vetoed"),
    [
        ("contacts", "Status", ["Unsubscribed", "bounced", "active"], "hs_lead_status"),
        ("contacts", "Status", ["New", "Open", "Unqualified"], None),
        ("contacts", "URL", ["https://www.linkedin.com/in/ada"] * 3, "website"),
        ("companies", "type", ["company", "company"], "type"),
        ("companies", "Region", ["East", "West", "EMEA"], "state"),
        ("contacts", "Email", ["n/a", "unknown", "-"], "email"),
    ],
)
def test_values_veto_a_property_they_contradict(
    object_type: str, header: str, values: list[str], vetoed: str | None
) -> None:
    match = auto_map([header], object_type, samples={header: values}).columns[header]
    if vetoed is None:
        assert match.property is not None
    else:
        assert match.property is None
        assert vetoed in match.reason


def test_a_near_miss_is_named_in_the_reason() -> None:
    """Below the bar a column stays unmapped, and the reviewer sees what it was close to."""
    match = auto_map(["Account Tier"], "contacts").columns["Account Tier"]
    assert match.property is None and "twitterhandle" in match.reason


def test_vocabulary_is_consistent_and_folds_accents() -> None:
    assert conflicts() == []
    assert translate("code postal bureau", "contacts") == ("postal code business", ("fr",))
    assert translate("nom", "companies")[0] == "name"
    assert translate("nom", "contacts")[0] == "last name"


def test_numbered_groups_and_their_label_columns() -> None:
    value = parse_header("E-mail 2 - Value", "contacts")
    assert (value.group, value.index, value.label_of) == ("email", 2, None)
    assert parse_header("E-mail 2 - Type", "contacts").label_of == ("email", 2)
    assert parse_header("Level__c", "contacts").custom
