"""Column headers that real exports use for HubSpot's properties, and what other columns mean.

Collected from the export formats of Salesforce, Zoho, Pipedrive, Zendesk, Freshdesk, Microsoft
Dynamics and hand-made spreadsheets. Headers are written as people see them; lookups compare
their normal form (:func:`crmkit.mapping.normalize.normalize_header`).
"""

from __future__ import annotations

import re
from functools import cache

from crmkit.mapping.normalize import normalize_header

_ADDRESS = {
    "address": (
        "address",
        "street",
        "street address",
        "address 1",
        "address line 1",
        "mailing street",
        "mailing address",
        "billing street",
        "billing address",
        "shipping street",
        "address 1 street 1",
        "street 1",
        "adresse",
        "strasse",
    ),
    "city": (
        "city",
        "town",
        "mailing city",
        "billing city",
        "shipping city",
        "address 1 city",
        "locality",
        "ville",
        "city town village locality",
        "stadt",
        "ciudad",
    ),
    "state": (
        "state",
        "region",
        "province",
        "state province",
        "state or province",
        "state region",
        "mailing state",
        "mailing state province",
        "billing state",
        "billing state province",
        "address 1 state province",
        "county",
        "state code",
    ),
    "zip": (
        "zip",
        "zip code",
        "zipcode",
        "postal code",
        "postcode",
        "post code",
        "postal",
        "mailing zip",
        "mailing zip postal code",
        "mailing postal code",
        "billing zip",
        "billing zip postal code",
        "billing postal code",
        "billing code",
        "shipping code",
        "mailing code",
        "zip postal code",
        "address 1 zip postal code",
        "code postal",
        "plz",
    ),
    "country": (
        "country",
        "country region",
        "mailing country",
        "billing country",
        "address 1 country region",
        "address 1 country",
        "nation",
        "pays",
        "land",
    ),
}

_CREATED = (
    "created",
    "created date",
    "date created",
    "created on",
    "created at",
    "creation date",
    "create date",
    "created time",
    "date added",
    "added on",
)

# fmt: off
COLUMN_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "contacts": {
        "email": ("email", "email address", "e-mail", "e-mail address", "mail", "work email",
                  "business email", "primary email", "email 1", "email work", "person email",
                  "contact email", "courriel", "email id", "emailaddress"),
        "firstname": ("first name", "first", "given name", "forename", "fname", "prenom",
                      "vorname", "nombre", "person first name"),
        "lastname": ("last name", "last", "surname", "family name", "lname", "nom",
                     "nachname", "apellido", "person last name"),
        "salutation": ("salutation", "prefix", "honorific", "name prefix"),
        "phone": ("phone", "phone number", "business phone", "work phone", "office phone",
                  "telephone", "tel", "phone 1", "primary phone", "direct phone", "direct dial",
                  "landline", "telefon", "telephone number", "person phone", "contact phone"),
        "mobilephone": ("mobile", "mobile phone", "mobile number", "mobile phone number", "cell",
                        "cell phone", "cellphone", "cell number", "handy", "portable",
                        "mobile telephone", "sms"),
        "fax": ("fax", "fax number", "business fax", "telefax", "phone fax"),
        "company": ("company", "company name", "account name", "account", "organization",
                    "organisation", "organization name", "organisation name", "employer",
                    "person organization", "firm", "business name"),
        "jobtitle": ("job title", "title", "position", "job position", "designation", "job",
                     "role", "job role", "function title", "organization title"),
        "website": ("website", "web site", "url", "web", "homepage", "home page",
                    "company website", "website url", "site", "web address", "web page"),
        **_ADDRESS,
        "date_of_birth": ("birthday", "birthdate", "birth date", "date of birth", "dob",
                          "born", "geburtsdatum"),
        "lifecyclestage": ("lifecycle stage", "lifecycle", "stage", "lead stage",
                           "contact stage", "funnel stage"),
        "hs_lead_status": ("lead status", "status", "contact status", "lead state"),
        "hs_buying_role": ("buying role", "buying roles", "buyer role", "purchase role"),
        "hs_language": ("language", "preferred language", "locale"),
        "industry": ("industry", "sector"),
        "annualrevenue": ("annual revenue", "revenue"),
        "numemployees": ("employees", "number of employees", "number employees",
                         "company size", "headcount", "employee count"),
        "twitterhandle": ("twitter", "twitter handle", "twitter username", "twitter id",
                          "twitter account"),
        "createdate": _CREATED,
        # A lead's "Converted Date" is when it became a contact, not a customer: not closedate.
        "closedate": ("close date", "became customer", "customer since"),
    },
    "companies": {
        "name": ("name", "company", "company name", "account name", "account", "organization",
                 "organisation", "organization name", "organisation name", "business name",
                 "legal name", "company legal name", "customer name", "firm", "raison sociale"),
        "domain": ("domain", "company domain", "domain name", "company domain name",
                   "email domain", "web domain", "primary domain"),
        "website": ("website", "web site", "url", "web", "homepage", "home page", "site",
                    "web address", "website url", "company website", "company url", "web page"),
        "phone": ("phone", "phone number", "main phone", "business phone", "company phone",
                  "office phone", "telephone", "tel", "switchboard", "primary phone",
                  "account phone", "telefon"),
        "address2": ("address 2", "address line 2", "street 2", "suite", "address 1 street 2",
                     "unit"),
        **_ADDRESS,
        "timezone": ("time zone", "timezone", "tz"),
        "industry": ("industry", "sector", "vertical", "industry type", "business type"),
        "type": ("type", "company type", "account type", "relationship", "relationship type",
                 "organization type"),
        "description": ("description", "about", "company description", "summary", "overview",
                        "notes", "background", "account description"),
        "numberofemployees": ("employees", "number of employees", "number employees",
                              "employee count", "headcount", "staff", "company size",
                              "total employees", "employee number", "size"),
        "annualrevenue": ("annual revenue", "revenue", "yearly revenue", "turnover",
                          "annual sales", "revenue usd", "arr"),
        "total_money_raised": ("funding", "total funding", "money raised", "funds raised"),
        "founded_year": ("founded", "year founded", "founded year", "founded in",
                         "established", "year established", "founding year", "year",
                         "year started"),
        "is_public": ("public", "is public", "publicly traded", "listed", "public company"),
        "linkedin_company_page": ("linkedin", "linkedin url", "linkedin page",
                                  "linkedin company page", "linkedin profile"),
        "twitterhandle": ("twitter", "twitter handle", "twitter username"),
        "facebook_company_page": ("facebook", "facebook page", "facebook url"),
        "lifecyclestage": ("lifecycle stage", "lifecycle", "stage", "account stage"),
        # An account's bare "Status" is mostly Active/Inactive, not a lead status.
        "hs_lead_status": ("lead status",),
        "createdate": _CREATED,
        "closedate": ("close date", "customer since", "became customer"),
    },
    "tickets": {
        "subject": ("subject", "ticket subject", "title", "ticket title", "summary",
                    "ticket name", "issue", "issue summary", "topic", "headline", "case title",
                    "case subject", "request subject", "name", "short description"),
        "content": ("description", "body", "details", "ticket description", "content",
                    "message", "comment", "comments", "issue description", "problem",
                    "text", "notes", "case description", "request details", "ticket body",
                    "first comment", "long description"),
        "hs_pipeline_stage": ("status", "stage", "ticket status", "state", "ticket stage",
                              "status reason", "case status", "ticket state"),
        "hs_pipeline": ("pipeline", "ticket pipeline"),
        "hs_ticket_priority": ("priority", "urgency", "severity", "ticket priority", "prio",
                               "case priority", "importance"),
        "hs_ticket_category": ("category", "type", "ticket type", "issue type",
                               "ticket category", "case type", "request type", "case reason"),
        "source_type": ("source", "channel", "via", "origin", "ticket source", "submitted via",
                        "case origin", "source channel"),
        "createdate": (*_CREATED, "opened on", "opened", "opened at", "open date",
                       "date opened", "submitted", "submitted on", "submitted at",
                       "reported on", "request date", "received", "received at",
                       "date time opened", "opened date time", "date opened time"),
        "closed_date": ("closed", "closed on", "closed date", "date closed", "closed at",
                        "closed time", "resolved", "resolved on", "resolved at",
                        "resolved time", "resolution date", "solved at", "date resolved",
                        "solved on", "date time closed", "closed date time"),
    },
}

# Columns that only serve to link records (property None unless also mapped above).
ROLE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "tickets": {
        "contact_email": ("requester email", "customer email", "contact email", "email",
                          "email address", "e-mail", "from", "from email", "reporter email",
                          "client email", "submitter email", "user email", "requester mail",
                          "sender", "sender email", "reported by email"),
        "contact_name": ("requester", "requester name", "customer name", "contact name",
                         "customer", "contact", "reporter", "submitter", "client name",
                         "full name", "reported by", "requested by", "client"),
        "contact_phone": ("requester phone", "customer phone", "contact phone", "phone",
                          "phone number", "telephone", "callback number"),
        "company_name": ("company", "company name", "organization", "organisation", "account",
                         "account name", "customer company", "client company",
                         "organization name", "requester organization"),
        # "Associated Company Domain": HubSpot-shaped exports (toofanCodes/hubspotdummydata)
        "company_domain": (
            "company domain",
            "domain",
            "company website",
            "website",
            "associated company domain",
        ),
    },
    "contacts": {
        "full_name": ("name", "full name", "contact name", "person name", "display name",
                      "contact", "person"),
        "company_domain": (
            "company domain",
            "company domain name",
            "account website",
            "associated company domain",
        ),
    },
    "companies": {},
}
# fmt: on

# A property mapped on this object type also gives its column a linking role.
ROLE_OF_PROPERTY: dict[tuple[str, str], str] = {
    ("contacts", "company"): "company_name",
    ("contacts", "website"): "company_domain",
    ("companies", "domain"): "company_domain",
    ("companies", "website"): "company_domain",
    ("companies", "name"): "company_name",
}

# A second column that wants an already-claimed property may fall back to another one. A
# second desk phone is not a mobile number, so phone does not fall back to mobilephone.
FALLBACK: dict[tuple[str, str], tuple[str, ...]] = {
    ("contacts", "mobilephone"): ("phone",),
}
# A header that, beside a column taking its usual property, means something else.
HEADER_FALLBACK: dict[tuple[str, str], tuple[str, str]] = {
    ("contacts", "title"): (
        "salutation",
        "'Title' beside a job title column: the salutation (Mr., Dr.), as in Outlook exports",
    ),
}

_INDEX = re.compile(
    r"^(?:|number|row|row number|rownum|index|idx|line|line number|sr number"
    r"|s number|serial|serial number|unnamed(?: \d+)?|level \d+)$"
)
_SYSTEM = re.compile(
    r"^(?:created by|modified by|last modified by|updated by|last modified|last modified date"
    r"|modified|modified on|modified time|modified date|last updated|updated|updated at"
    r"|updated on|last update|last update time|last activity|last activity date"
    r"|system modstamp|deleted|is deleted|do not modify\b.*|row checksum|checksum)$"
)
_OWNER = re.compile(
    r"^(?:owner|owner id|owner name|owner email|assigned to|assignee|assignee id|assignee name"
    r"|agent|agent name|sales rep|account manager"
    r"|(?:contact|account|company|lead|ticket|case|record) owner(?: name| id| email)?)$"
)
_OWN_ID_WORDS: dict[str, tuple[str, ...]] = {
    "contacts": (
        "contact",
        "person",
        "lead",
        "people",
        "customer",
        "user",
        "requester",
        "submitter",
        "reporter",
    ),
    "companies": ("company", "account", "organization", "organisation", "org"),
    "tickets": ("ticket", "case", "request", "issue", "incident"),
}
_ID_SUFFIX = r"(?: id| number| key| code| uuid| guid)"
# HubSpot's own exports say "Associated Company IDs"; "parent" is left out on purpose (a
# company's "Parent Account ID" is another company, not the row's own id).
_RELATED = r"(?:(?:associated|related|primary) )?"
_GENERIC_ID = re.compile(
    r"^(?:id|uuid|guid|record id|object id|hs object id|hubspot id|external id|source id"
    r"|legacy id|crm id|import id|sfdc id|salesforce id|zoho id|pipedrive id|zendesk id"
    r"|freshdesk id|dynamics id|record number|key)$"
)


def kind_of_unimported(object_type: str, header: str) -> tuple[str, str | None] | None:
    """Classify a column that must not be imported: ``(reason, role)`` or None.

    Own-object ids become the ``source_id`` role (the stable key of a row across re-runs);
    other objects' ids become ``company_id`` / ``contact_id`` / ``ticket_id`` so the planner can
    link by them.
    """
    norm = normalize_header(header)
    if _INDEX.match(norm):
        return "looks like a row number: not imported", None
    if _SYSTEM.match(norm):
        return "system column of the source CRM: not imported", None
    if _OWNER.match(norm):
        return "source CRM user: not imported as is; matched to a HubSpot owner", "owner"
    if _GENERIC_ID.match(norm):
        return "looks like an internal id: not imported (kept as the source id)", "source_id"
    for other, words in _OWN_ID_WORDS.items():
        for word in words:
            # HubSpot names a record's id "Record ID - Contact" and, in a contacts export with
            # the associated company, the company's "Record ID - Company" (Shaftdog/Salesmod)
            if re.fullmatch(rf"{_RELATED}(?:{word}s?){_ID_SUFFIX}s?", norm) or norm in (
                f"{word}id",
                f"record id {word}",
            ):
                if other == object_type:
                    return (
                        "looks like an internal id: not imported (kept as the source id)",
                        "source_id",
                    )
                role = {
                    "contacts": "contact_id",
                    "companies": "company_id",
                    "tickets": "ticket_id",
                }[other]
                what = {"contacts": "contact", "companies": "company", "tickets": "ticket"}[other]
                return f"id of a related {what}: not imported (used to link)", role
    return None


@cache
def column_lookup(object_type: str) -> dict[str, str]:
    """Normalised header → property for ``object_type`` (first listed wins on a clash)."""
    out: dict[str, str] = {}
    for prop, headers in COLUMN_SYNONYMS.get(object_type, {}).items():
        for h in headers:
            out.setdefault(normalize_header(h), prop)
    return out


@cache
def role_lookup(object_type: str) -> dict[str, str]:
    """Normalised header → linking role for columns that are not (only) properties."""
    out: dict[str, str] = {}
    for role, headers in ROLE_SYNONYMS.get(object_type, {}).items():
        for h in headers:
            out.setdefault(normalize_header(h), role)
    return out


OWN_PREFIXES: dict[str, tuple[str, ...]] = {
    "contacts": ("contact", "person", "lead", "primary contact"),
    "companies": ("company", "organization", "organisation", "account", "org"),
    "tickets": ("ticket", "case", "issue", "request", "conversation message", "conversation"),
}
