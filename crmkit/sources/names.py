"""What a file's name says it holds: the words people and CRMs use for each object type.

Names are read word by word (``Contacts_export_2024.csv`` → contacts, export, 2024), so any
name that says what it holds is placed; the exact object names of a Salesforce data export
(``Account.csv``, ``Lead.csv``, …) and a Zendesk export (``organizations.json``, …) are known
too, with what they become. A word that could mean two things ("customers", "clients") says
nothing on its own: the headers decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS: dict[str, tuple[str, ...]] = {
    "companies": (
        "company", "companies", "organisation", "organisations", "organization",
        "organizations", "org", "orgs", "account", "accounts", "business", "businesses",
        "firm", "firms",
    ),
    "contacts": (
        "contact", "contacts", "person", "persons", "people", "lead", "leads", "prospect",
        "prospects", "member", "members", "subscriber", "subscribers", "user", "users",
    ),
    "tickets": (
        "ticket", "tickets", "case", "cases", "issue", "issues", "request", "requests",
        "incident", "incidents", "support", "helpdesk",
    ),
}  # fmt: skip
"""Words in a file name that say which object type it holds."""

OWNER_WORDS = ("owner", "owners", "agent", "agents", "staff", "employee", "employees")


@dataclass(frozen=True)
class KnownFile:
    """A file name a source CRM's export always uses, and what crmkit makes of it."""

    system: str
    role: str  # an object type, "owners", "notes", or "" (a file crmkit has no place for)
    why: str


SALESFORCE: dict[str, KnownFile] = {
    "account": KnownFile("salesforce", "companies", "Salesforce Account"),
    "contact": KnownFile("salesforce", "contacts", "Salesforce Contact"),
    "lead": KnownFile("salesforce", "contacts", "Salesforce Lead (lifecycle stage lead)"),
    "case": KnownFile("salesforce", "tickets", "Salesforce Case"),
    "user": KnownFile("salesforce", "owners", "Salesforce User (resolves OwnerId)"),
    "note": KnownFile("salesforce", "notes", "Salesforce Note (notes on their records)"),
}
"""Salesforce's weekly data export names each file after its object, e.g. ``Account.csv``."""

SALESFORCE_OTHER = (
    "opportunity", "opportunitylineitem", "task", "event", "attachment", "contentversion",
    "contentdocument", "contentdocumentlink", "campaign", "campaignmember", "product2",
    "pricebook2", "pricebookentry", "contract", "order", "asset", "solution", "userrole",
    "group", "profile", "recordtype", "casecomment", "emailmessage", "feeditem", "idea",
    "accountcontactrelation", "opportunitycontactrole", "contactfeed", "accountfeed",
)  # fmt: skip
"""Other objects of a Salesforce export: named as such and left out (crmkit has no place)."""

ZENDESK: dict[str, KnownFile] = {
    "organizations": KnownFile("zendesk", "companies", "Zendesk organizations"),
    "users": KnownFile("zendesk", "contacts", "Zendesk users (end users; agents are owners)"),
    "tickets": KnownFile("zendesk", "tickets", "Zendesk tickets (comments become notes)"),
}
"""Zendesk's JSON / NDJSON export files, named after the API's collections."""

_WORD = re.compile(r"[a-z]+")


def words_of(stem: str) -> list[str]:
    """Lower-case words of a file name: ``"Customer list (Q3 2024)"`` → customer, list, q."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)  # CamelCase: "ContactList"
    return _WORD.findall(spaced.lower())


def types_named(stem: str) -> list[str]:
    """The object types a file name names (none, one, or several: "contacts_and_companies")."""
    words = set(words_of(stem))
    return [t for t, names in WORDS.items() if words & set(names)]


def names_owners(stem: str) -> bool:
    return bool(set(words_of(stem)) & set(OWNER_WORDS))


def salesforce_file(stem: str) -> KnownFile | None:
    """Salesforce's own file names (``Account``, ``Lead``, ``Opportunity``…), case-insensitive."""
    low = stem.lower()
    if low in SALESFORCE:
        return SALESFORCE[low]
    if low in SALESFORCE_OTHER:
        return KnownFile("salesforce", "", f"Salesforce {stem}")
    return None
