"""Regenerate ``{contacts,companies,tickets}.json``: HubSpot's default properties as data.

The JSON files are the source of truth shipped with the package (the sandbox serves them as
``GET /crm/v3/properties/{type}``); this script only makes them easy to review and rebuild:

    .venv/bin/python -m crmkit.schema_data._build

Each table row is ``(name, label, type, groupName, flags, description)``. Flags: ``ro`` — HubSpot
computes the value (``modificationMetadata.readOnlyValue``); ``calc`` — a calculated property;
any other flag is the ``fieldType`` when it differs from the type's usual one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crmkit.schema_data import _options as o

Row = tuple[str, str, str, str, str, str]

FIELD_TYPE = {
    "string": "text",
    "number": "number",
    "date": "date",
    "datetime": "date",
    "bool": "booleancheckbox",
    "enumeration": "select",
    "phone_number": "phonenumber",
}

CI, CO, TI = "contactinformation", "companyinformation", "ticketinformation"
SP, SM, AN = "sales_properties", "socialmediainformation", "analyticsinformation"

# fmt: off
CONTACTS: list[Row] = [
    ("email", "Email", "string", CI, "", "A contact's email address."),
    ("firstname", "First Name", "string", CI, "", "A contact's first name."),
    ("lastname", "Last Name", "string", CI, "", "A contact's last name."),
    ("salutation", "Salutation", "string", CI, "", "Title used to address the contact."),
    ("phone", "Phone Number", "string", CI, "phonenumber", "A contact's primary phone number."),
    ("mobilephone", "Mobile Phone Number", "string", CI, "phonenumber", "A contact's mobile."),
    ("fax", "Fax Number", "string", CI, "", "A contact's fax number."),
    ("company", "Company Name", "string", CI, "", "Name of the contact's company."),
    ("jobtitle", "Job Title", "string", CI, "", "A contact's job title."),
    ("job_function", "Job function", "string", CI, "", "The contact's job function."),
    ("website", "Website URL", "string", CI, "", "The contact's company website."),
    ("address", "Street Address", "string", CI, "", "A contact's street address."),
    ("city", "City", "string", CI, "", "A contact's city of residence."),
    ("state", "State/Region", "string", CI, "", "A contact's state or region."),
    ("zip", "Postal Code", "string", CI, "", "A contact's zip or postal code."),
    ("country", "Country/Region", "string", CI, "", "A contact's country or region."),
    ("date_of_birth", "Date of birth", "date", CI, "", "The contact's date of birth."),
    ("marital_status", "Marital Status", "string", CI, "", "The contact's marital status."),
    ("degree", "Degree", "string", CI, "", "The contact's degree."),
    ("field_of_study", "Field of study", "string", CI, "", "What the contact studied."),
    ("school", "School", "string", CI, "", "The contact's school."),
    ("graduation_date", "Graduation date", "string", CI, "", "When the contact graduated."),
    ("industry", "Industry", "string", CI, "", "The contact's company's industry."),
    ("annualrevenue", "Annual Revenue", "string", CI, "", "The company's annual revenue."),
    ("numemployees", "Number of Employees", "enumeration", CI, "", "Size of the company."),
    ("twitterhandle", "Twitter Username", "string", SM, "", "The contact's Twitter handle."),
    ("message", "Message", "string", CI, "textarea", "A message the contact sent."),
    ("lifecyclestage", "Lifecycle Stage", "enumeration", CI, "radio",
     "Where the contact is in the marketing and sales process."),
    ("hs_lead_status", "Lead Status", "enumeration", SP, "radio",
     "The contact's sales, prospecting or outreach status."),
    ("hs_buying_role", "Buying Role", "enumeration", SP, "checkbox",
     "The roles the contact plays in a purchase."),
    ("hs_language", "Preferred language", "enumeration", CI, "", "Preferred language."),
    ("hubspot_owner_id", "Contact owner", "enumeration", SP, "", "The user who owns it."),
    ("closedate", "Close Date", "datetime", SP, "", "When the contact became a customer."),
    ("createdate", "Create Date", "datetime", CI, "", "When the contact was created."),
    ("lastmodifieddate", "Last Modified Date", "datetime", CI, "ro", "Last change."),
    ("hs_object_id", "Record ID", "number", CI, "ro", "The unique ID of this contact."),
    ("hs_email_domain", "Email Domain", "string", CI, "ro", "Domain of the email."),
    ("hs_analytics_source", "Original Source", "enumeration", AN, "ro",
     "First source through which the contact found you."),
    ("hs_email_optout", "Unsubscribed from all email", "bool", "emailinformation", "ro",
     "Whether the contact opted out of all email."),
    ("days_to_close", "Days To Close", "number", SP, "calc", "Days to becoming a customer."),
    ("num_associated_deals", "Number of Associated Deals", "number", SP, "calc", "Deals."),
    ("notes_last_updated", "Last Activity Date", "datetime", SP, "ro", "Last activity."),
    ("notes_last_contacted", "Last Contacted", "datetime", SP, "ro", "Last contacted."),
    ("num_contacted_notes", "Number of times contacted", "number", SP, "ro", "Touches."),
    ("hubspot_owner_assigneddate", "Owner Assigned Date", "datetime", SP, "ro",
     "When the owner was assigned."),
    ("hs_lifecyclestage_lead_date", "Became a Lead Date", "datetime", CI, "ro", "Lead since."),
    ("hs_lifecyclestage_customer_date", "Became a Customer Date", "datetime", CI, "ro",
     "Customer since."),
    ("ip_country", "IP Country", "string", AN, "ro", "Country seen from the IP address."),
]

COMPANIES: list[Row] = [
    ("name", "Company name", "string", CO, "", "The name of the company."),
    ("domain", "Company Domain Name", "string", CO, "",
     "The domain of the company's website; HubSpot deduplicates companies by it."),
    ("website", "Website URL", "string", CO, "", "The company's website."),
    ("phone", "Phone Number", "string", CO, "phonenumber", "The company's main phone number."),
    ("address", "Street Address", "string", CO, "", "The company's street address."),
    ("address2", "Street Address 2", "string", CO, "", "Second line of the address."),
    ("city", "City", "string", CO, "", "The city where the company is located."),
    ("state", "State/Region", "string", CO, "", "The company's state or region."),
    ("zip", "Postal Code", "string", CO, "", "The company's zip or postal code."),
    ("country", "Country/Region", "string", CO, "", "The company's country or region."),
    ("timezone", "Time Zone", "string", CO, "", "The company's time zone."),
    ("industry", "Industry", "enumeration", CO, "", "The company's type of business."),
    ("type", "Type", "enumeration", CO, "", "The company's relationship with you."),
    ("description", "Description", "string", CO, "textarea", "A short description."),
    ("about_us", "About Us", "string", CO, "textarea", "The company's own description."),
    ("numberofemployees", "Number of Employees", "number", CO, "", "Total employees."),
    ("annualrevenue", "Annual Revenue", "number", CO, "", "Annual revenue of the company."),
    ("total_money_raised", "Total Money Raised", "string", CO, "", "Money raised."),
    ("founded_year", "Year Founded", "string", CO, "", "Year the company was founded."),
    ("is_public", "Is Public", "bool", CO, "", "Whether the company is publicly traded."),
    ("linkedin_company_page", "LinkedIn Company Page", "string", SM, "", "LinkedIn URL."),
    ("linkedinbio", "LinkedIn Bio", "string", SM, "textarea", "The company's LinkedIn bio."),
    ("twitterhandle", "Twitter Handle", "string", SM, "", "The company's Twitter handle."),
    ("facebook_company_page", "Facebook Company Page", "string", SM, "", "Facebook URL."),
    ("lifecyclestage", "Lifecycle Stage", "enumeration", CO, "radio",
     "Where the company is in the marketing and sales process."),
    ("hs_lead_status", "Lead Status", "enumeration", SP, "radio",
     "The company's sales, prospecting or outreach status."),
    ("hubspot_owner_id", "Company owner", "enumeration", SP, "", "The user who owns it."),
    ("closedate", "Close Date", "datetime", SP, "", "When the company became a customer."),
    ("createdate", "Create Date", "datetime", CO, "", "When the company was created."),
    ("hs_object_id", "Record ID", "number", CO, "ro", "The unique ID of this company."),
    ("hs_lastmodifieddate", "Last Modified Date", "datetime", CO, "ro", "Last change."),
    ("notes_last_updated", "Last Activity Date", "datetime", SP, "ro", "Last activity."),
    ("num_associated_contacts", "Number of Associated Contacts", "number", CO, "calc",
     "Contacts associated with the company."),
    ("num_associated_deals", "Number of Associated Deals", "number", SP, "calc", "Deals."),
    ("total_revenue", "Total Revenue", "number", SP, "calc", "Sum of closed-won deals."),
    ("days_to_close", "Days to Close", "number", SP, "calc", "Days to becoming a customer."),
    ("recent_deal_amount", "Recent Deal Amount", "number", SP, "ro", "Last won deal."),
    ("first_contact_createdate", "First Contact Create Date", "datetime", CO, "ro",
     "When the first associated contact was created."),
    ("num_contacted_notes", "Number of times contacted", "number", SP, "ro", "Touches."),
    ("hs_analytics_source", "Original Source Type", "enumeration", AN, "ro",
     "First source through which the company found you."),
    ("hs_num_child_companies", "Number of child companies", "number", CO, "calc", "Children."),
    ("hs_parent_company_id", "Parent Company", "number", CO, "ro", "The parent's record ID."),
]

TICKETS: list[Row] = [
    ("subject", "Ticket name", "string", TI, "", "Short summary of the ticket."),
    ("content", "Ticket description", "string", TI, "textarea", "Full text of the ticket."),
    ("hs_pipeline", "Pipeline", "enumeration", TI, "", "The pipeline the ticket is in."),
    ("hs_pipeline_stage", "Ticket status", "enumeration", TI, "", "Stage in its pipeline."),
    ("hs_ticket_priority", "Priority", "enumeration", TI, "", "How urgent the ticket is."),
    ("hs_ticket_category", "Category", "enumeration", TI, "", "What the ticket is about."),
    ("source_type", "Source", "enumeration", TI, "", "Channel the ticket came through."),
    ("hubspot_owner_id", "Ticket owner", "enumeration", TI, "", "The user who owns it."),
    ("hubspot_team_id", "HubSpot Team", "enumeration", TI, "", "The team that owns it."),
    ("createdate", "Create date", "datetime", TI, "", "When the ticket was opened."),
    ("closed_date", "Close date", "datetime", TI, "", "When the ticket was closed."),
    ("hs_file_upload", "File upload", "string", TI, "file", "Files attached to the ticket."),
    ("hs_ticket_id", "Ticket ID", "number", TI, "ro", "The ticket's ID."),
    ("hs_object_id", "Record ID", "number", TI, "ro", "The unique ID of this ticket."),
    ("hs_lastmodifieddate", "Last Modified Date", "datetime", TI, "ro", "Last change."),
    ("notes_last_updated", "Last Activity Date", "datetime", TI, "ro", "Last activity."),
    ("time_to_close", "Time to close", "number", TI, "calc", "Milliseconds to close."),
    ("time_to_first_agent_reply", "Time to first agent email reply", "number", TI, "calc",
     "Milliseconds to the first agent reply."),
    ("first_agent_reply_date", "First agent email response date", "datetime", TI, "ro",
     "When an agent first replied."),
    ("last_reply_date", "Last response date", "datetime", TI, "ro", "Last reply sent."),
    ("last_engagement_date", "Last contacted", "datetime", TI, "ro", "Last contacted."),
    ("num_notes", "Number of sales activities", "number", TI, "ro", "Activities logged."),
    ("hs_num_associated_companies", "Number of associated companies", "number", TI, "calc",
     "Companies associated with the ticket."),
    ("num_associated_contacts", "Number of associated contacts", "number", TI, "calc",
     "Contacts associated with the ticket."),
]
# fmt: on

OPTIONS: dict[tuple[str, str], list[o.Opt]] = {
    ("contacts", "numemployees"): o.EMPLOYEE_RANGES,
    ("contacts", "lifecyclestage"): o.LIFECYCLE,
    ("contacts", "hs_lead_status"): o.LEAD_STATUS,
    ("contacts", "hs_buying_role"): o.BUYING_ROLE,
    ("contacts", "hs_language"): o.LANGUAGES,
    ("contacts", "hs_analytics_source"): o.ANALYTICS_SOURCE,
    ("companies", "industry"): o.INDUSTRIES,
    ("companies", "type"): o.COMPANY_TYPE,
    ("companies", "lifecyclestage"): o.LIFECYCLE,
    ("companies", "hs_lead_status"): o.LEAD_STATUS,
    ("companies", "hs_analytics_source"): o.ANALYTICS_SOURCE,
    ("tickets", "hs_pipeline"): o.PIPELINE,
    ("tickets", "hs_pipeline_stage"): o.PIPELINE_STAGE,
    ("tickets", "hs_ticket_priority"): o.PRIORITY,
    ("tickets", "hs_ticket_category"): o.CATEGORY,
    ("tickets", "source_type"): o.SOURCE_TYPE,
}

TABLES = {"contacts": CONTACTS, "companies": COMPANIES, "tickets": TICKETS}


READ_ONLY_OPTIONS = frozenset(
    {"industry", "hs_language", "hs_analytics_source", "hs_pipeline", "hs_pipeline_stage",
     "hubspot_owner_id", "hubspot_team_id"}
)  # fmt: skip
"""HubSpot-defined enumerations whose options a portal cannot edit (``readOnlyOptions``):
fixed vocabularies, and options managed elsewhere (pipelines, owners, teams)."""


def to_api(object_type: str, row: Row) -> dict[str, Any]:
    """One table row as a ``GET /crm/v3/properties/{type}`` result."""
    name, label, type_, group, flag, description = row
    read_only, calculated = flag == "ro", flag == "calc"
    field_type = flag if flag not in ("", "ro", "calc") else FIELD_TYPE[type_]
    opts = OPTIONS.get((object_type, name), [])
    if type_ == "bool":
        opts = [("true", "Yes"), ("false", "No")]
    meta: dict[str, Any] = {
        "archivable": False,
        "readOnlyDefinition": True,
        "readOnlyValue": read_only or calculated,
    }
    if type_ == "enumeration":
        meta["readOnlyOptions"] = name in READ_ONLY_OPTIONS
    return {
        "name": name,
        "label": label,
        "type": type_,
        "fieldType": field_type,
        "groupName": group,
        "description": description,
        "options": [
            {"label": lab, "value": val, "displayOrder": i, "hidden": False}
            for i, (val, lab) in enumerate(opts)
        ],
        "displayOrder": -1,
        "hasUniqueValue": False,
        "hidden": False,
        "formField": not (read_only or calculated),
        "calculated": calculated,
        "externalOptions": name in ("hubspot_owner_id", "hubspot_team_id"),
        "hubspotDefined": True,
        "modificationMetadata": meta,
    }


def main() -> None:
    """Write the three JSON files next to this script."""
    here = Path(__file__).parent
    for object_type, table in TABLES.items():
        results = [to_api(object_type, row) for row in table]
        names = [p["name"] for p in results]
        if len(names) != len(set(names)):
            raise SystemExit(f"duplicate property name in {object_type}")
        text = json.dumps({"results": results}, indent=1, ensure_ascii=False) + "\n"
        (here / f"{object_type}.json").write_text(text, encoding="utf-8")
        print(f"{object_type}: {len(results)} properties")


if __name__ == "__main__":
    main()
