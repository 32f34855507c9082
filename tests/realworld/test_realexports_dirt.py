"""Dirt of public exports crmkit was run on (their headers, vocabularies and cells, reproduced
in small files written here; the files themselves stay out of the repository)."""

from __future__ import annotations

from pathlib import Path

from crmkit.io import read_csv
from crmkit.mapping import auto_map
from crmkit.plan import ImportPlan, build_plan
from crmkit.prepare import prepare_folder

# HubSpot's companies export and its contacts export with the associated company appended
# (public repository Shaftdog/Salesmod, Hubspot.csv and hubspot_contacts.csv): the company's
# columns repeat the contact's names, 'null' stands for no phone, links are by record id.
HUBSPOT_COMPANIES = (
    "Record ID,Company name,Company owner,Company Domain Name,Create Date,Phone Number\r\n"
    "21526623102,AppraisalTek,Sherrard Haugabrooks,,6/20/24 15:03,\r\n"
    "21758107500,Great South Bay Appraisal Management,Sherrard Haugabrooks,"
    "greatsouthbayamc.com,7/5/24 9:51, +1 631-234-5057\r\n"
)
HUBSPOT_CONTACTS = (
    "Record ID - Contact,First Name,Last Name,Email,Phone Number,Create Date,Country/Region,"
    "Record ID - Company,Company name,Create Date,Phone Number,Country/Region\r\n"
    "8310,Robert C.,Oglesby,robert@appraisaltek.com,null,2/20/24 11:30,,"
    "21526623102,AppraisalTek,6/20/24 15:03,,\r\n"
    "8202,Dean ,Simonetti,greatsouthbayamc@gmail.com,16312345057,2/20/24 11:29,,"
    "21758107500,Great South Bay Appraisal Management,7/5/24 9:51, +1 631-234-5057,"
    "United States\r\n"
    "8704,ajarmicki@axis-amc.com,A,ajarmicki@axis-amc.com,null,2/20/24 11:30,,,,,,\r\n"
)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    return tmp_path


def _plan(folder: Path) -> ImportPlan:
    return build_plan(prepare_folder(folder))


def _links(plan: ImportPlan, reason: str) -> set[tuple[str, str]]:
    return {(x.from_key, x.to_key) for x in plan.links if x.reason == reason}


def test_repeated_header_names_are_told_apart_and_said(tmp_path: Path) -> None:
    """HubSpot's contacts-with-company export is read, not refused; each repeat is named."""
    path = _folder(tmp_path, {"hubspot_contacts.csv": HUBSPOT_CONTACTS}) / "hubspot_contacts.csv"
    table = read_csv(path)
    assert list(table.frame.columns)[-4:] == [
        "Company name",
        "Create Date (2)",
        "Phone Number (2)",
        "Country/Region (2)",
    ]
    assert table.rows == 3
    assert any("column 10 (J) repeats the name 'Create Date'" in n for n in table.notes)


def test_hubspot_contacts_link_by_record_id_and_null_phones_are_left_out(tmp_path: Path) -> None:
    """'Record ID - Company' links each contact to its company; 'null' never lands as a phone."""
    folder = _folder(
        tmp_path, {"Hubspot.csv": HUBSPOT_COMPANIES, "hubspot_contacts.csv": HUBSPOT_CONTACTS}
    )
    prepared = prepare_folder(folder)
    assert sum("repeats the name" in n for n in prepared.source_notes) == 3
    plan = build_plan(prepared)
    assert _links(plan, "company_id") == {
        ("robert@appraisaltek.com", "company:id:21526623102"),
        ("greatsouthbayamc@gmail.com", "company:id:21758107500"),
    }
    contacts = {r.properties["email"]: r.properties for r in plan.records["contacts"]}
    assert len(contacts) == 3
    assert "phone" not in contacts["robert@appraisaltek.com"]
    assert contacts["greatsouthbayamc@gmail.com"]["phone"] == "+16312345057"
    left_out = [i for i in plan.issues if i.category == "PLACEHOLDER_VALUE"]
    assert [(i.row, i.severity) for i in left_out] == [(2, "dropped"), (4, "dropped")]


# HubSpot-shaped exports of toofanCodes/hubspotdummydata: tickets and contacts name their
# company by "Associated Company Domain"; a contact's own "Website URL" is another site.
TOOFAN_COMPANIES = (
    "Company ID,Company Name,Company Domain Name,Industry\n"
    'COMP-24020cc8,"Hughes, Gardner and Marshall",franklin.com,Non-profit\n'
    "COMP-87431516,Jones-Richardson,garcia.org,Non-profit\n"
)
TOOFAN_CONTACTS = (
    "Contact ID,First Name,Last Name,Email,Lifecycle Stage,Website URL,Associated Company Domain\n"
    "CONT-03a4142c,Francisco,Small,anna72@example.net,Lead,https://wallace.com/,garcia.org\n"
)
TOOFAN_TICKETS = (
    "Ticket ID,Ticket Name,Ticket Description,Ticket Status,Pipeline,Ticket Priority,"
    "Associated Company Domain,Associated Contact Email\n"
    "TICK-ab6fcf7f,Whiteboard virtual content,Development teach direction.,New,"
    "Onboarding Pipeline,Low,franklin.com,bradley56@example.org\n"
    "TICK-5a70f0ab,Target web-enabled users,Physical audience up.,New,"
    "Onboarding Pipeline,High,unknown-domain.com,jjames@example.org\n"
)


def test_the_company_domain_column_wins_over_a_contacts_own_website() -> None:
    mapping = auto_map(
        ["Email", "Website URL", "Associated Company Domain"], "contacts", None, None
    )
    assert mapping.columns["Website URL"].property == "website"
    assert mapping.columns["Website URL"].role is None
    assert mapping.columns["Associated Company Domain"].role == "company_domain"


def test_associated_company_domain_links_tickets_and_contacts(tmp_path: Path) -> None:
    """A ticket whose requester is created from it still finds its company by the domain."""
    folder = _folder(
        tmp_path,
        {
            "hubspot_companies.csv": TOOFAN_COMPANIES,
            "hubspot_contacts.csv": TOOFAN_CONTACTS,
            "hubspot_tickets.csv": TOOFAN_TICKETS,
        },
    )
    plan = _plan(folder)
    by_domain = {(x.from_type, x.to_key) for x in plan.links if x.reason == "company_domain"}
    companies = {r.properties["name"]: r.key for r in plan.records["companies"]}
    assert by_domain == {
        ("contacts", companies["Jones-Richardson"]),
        ("tickets", companies["Hughes, Gardner and Marshall"]),
    }


# Outlook's contacts layout (GPCsolutions/google-shared-contacts-client, outlook.csv): 22
# columns, several of them second e-mails and phones that are never imported automatically.
OUTLOOK = (
    "Action,ID,Name,E-mail Address,Notes,E-mail 2 Address,E-mail 3 Address,Mobile Phone,Pager,"
    "Company,Job Title,Home Phone,Home Phone 2,Home Fax,Home Address,Business Phone,"
    "Business Phone 2,Business Fax,Business Address,Other Phone,Other Fax,Other Address\n"
    "add,,Adam Glacius,adam.glacius@anycom.com,Has 2 kids,adam.g@example.com,ag@glacius.com,"
    "+1 555 3227 8544,+1 555 3227 8543,Acme Inc.,Sales Planner,+1 555 3227 8545,"
    '+1 555 3227 8546,+1 555 3227 8546,"999 Super Way, Super, CA, 94043",+1 555 3227 8547,'
    "+1 555 3227 8548,+1 555 3227 8549,8999 Corporate Way,,,\n"
)


def test_an_outlook_export_named_outlook_csv_is_found_to_hold_contacts(tmp_path: Path) -> None:
    """Numbered repeats ("E-mail 2 Address") no longer dilute the headers' fit to contacts."""
    from crmkit.sources import discover

    found = discover(_folder(tmp_path, {"outlook.csv": OUTLOOK}))
    assert [s.path.name for s in found.of("contacts")] == ["outlook.csv"]


# A Zendesk ticket report (AnaMaria779/Zendesk-ticket-analysis, zendesk_tickets.csv) has no
# subject column. HubSpot needs one; a ticket with an id is named after it (DEFAULT_SUBJECT,
# reported per row), and only a ticket with neither id nor description is refused before import.
# (A blank cell in a file that has a subject column stays MISSING_REQUIRED: the demo plants two.)
NO_SUBJECT = (
    "Ticket ID,Created Date,Resolved Date,Issue Type,Priority,Agent Assigned,Status,"
    "Response Time (hours),Resolution Time (hours)\n"
    "TICKET-1001,2025-01-24 04:00:00,2025-01-26 18:00:00,General Inquiry,Medium,Charlie,"
    "Resolved,6,62.0\n"
    "TICKET-1006,2025-01-09 22:00:00,,API,High,David,Open,3,\n"
    ",2025-01-10 08:00:00,,API,Low,David,Open,1,\n"
)


def test_tickets_without_a_subject_are_named_after_their_id(tmp_path: Path) -> None:
    plan = _plan(_folder(tmp_path, {"tickets.csv": NO_SUBJECT}))
    subjects = sorted(r.properties["subject"] for r in plan.records["tickets"])
    assert subjects == ["Ticket TICKET-1001", "Ticket TICKET-1006"]
    named = [(i.row, i.category, i.severity) for i in plan.issues if i.column == "subject"]
    assert named == [
        (2, "DEFAULT_SUBJECT", "warning"),
        (3, "DEFAULT_SUBJECT", "warning"),
        (4, "MISSING_REQUIRED", "error"),
    ]


def test_a_tickets_file_with_nothing_to_name_them_by_is_rejected_before_import(
    tmp_path: Path,
) -> None:
    """No subject column, no id, no description: none is sent for HubSpot to refuse."""
    bare = "Priority,Status\nHigh,Open\nLow,Closed\n"
    plan = _plan(_folder(tmp_path, {"tickets.csv": bare}))
    assert plan.records["tickets"] == []
    missing = [i for i in plan.issues if i.category == "MISSING_REQUIRED"]
    assert [(i.row, i.column, i.severity) for i in missing] == [
        (2, "subject", "error"),
        (3, "subject", "error"),
    ]
    assert "mapping file" in missing[0].message
