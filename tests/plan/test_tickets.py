"""Tickets: requester contact by column or body, contacts created from tickets, company links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from crmkit.plan import ImportPlan, build_plan

Prepare = Callable[..., Any]

COMPANIES = [
    {"name": "Acme Inc.", "domain": "acme.com"},
    {"name": "Globex", "domain": "globex.com"},
]
CONTACTS = [
    {"email": "ann@acme.com", "firstname": "Ann"},
    {"email": "joe@gmail.com", "_company_name": "Globex Corp"},
]


def _links(plan: ImportPlan, kind: str) -> dict[str, tuple[str, str]]:
    return {link.from_key: (link.to_key, link.reason) for link in plan.links if link.kind == kind}


def _categories(plan: ImportPlan) -> list[str]:
    return sorted(i.category for i in plan.issues if i.stage == "plan")


@pytest.mark.parametrize(
    ("ticket", "contact", "reason"),
    [
        ({"_contact_email": "Ann@Acme.com"}, "ann@acme.com", "email_column"),
        ({"_emails_in_text": ["ann@acme.com"]}, "ann@acme.com", "email_in_body"),
        ({"_contact_email": "", "_emails_in_text": ["ANN@acme.com", "x@y.com"]},
         "ann@acme.com", "email_in_body"),
        ({"_contact_email": "joe@gmail.com", "_emails_in_text": ["ann@acme.com"]},
         "joe@gmail.com", "email_column"),
    ],
)  # fmt: skip
def test_ticket_to_contact(
    make_prepared: Prepare, ticket: dict[str, Any], contact: str, reason: str
) -> None:
    """The email column wins; else the first address found in the body."""
    plan = build_plan(
        make_prepared(companies=COMPANIES, contacts=CONTACTS, tickets=[{"subject": "Hi", **ticket}])
    )
    (link,) = _links(plan, "tickets->contacts").values()
    assert link == (contact, reason)
    assert plan.from_tickets("contacts") == 0


@pytest.mark.parametrize(
    ("email", "company", "reason"),
    [
        ("ann@acme.com", "company:domain:acme.com", "via_contact"),  # contact linked by domain
        ("joe@gmail.com", "company:domain:globex.com", "via_contact"),  # contact linked by name
        ("new@globex.com", "company:domain:globex.com", "via_contact"),  # created contact
    ],
)
def test_ticket_to_company_via_contact(
    make_prepared: Prepare, email: str, company: str, reason: str
) -> None:
    """A ticket belongs to its requester's company."""
    plan = build_plan(
        make_prepared(
            companies=COMPANIES,
            contacts=CONTACTS,
            tickets=[{"subject": "x", "_contact_email": email}],
        )
    )
    assert list(_links(plan, "tickets->companies").values()) == [(company, reason)]


def test_contact_created_from_ticket(make_prepared: Prepare) -> None:
    """An unknown requester becomes one contact (named from the file), reported, linked."""
    tickets = [
        {"subject": "a", "_contact_email": "new@globex.com", "_contact_name": "Lee, Ann"},
        {"subject": "b", "_contact_email": "NEW@globex.com", "_contact_name": ""},
        {"subject": "c", "_contact_email": "", "_emails_in_text": ["other@initech.io"],
         "_phones_in_text": ["+33123456789"]},
    ]  # fmt: skip
    plan = build_plan(make_prepared(companies=COMPANIES, contacts=CONTACTS, tickets=tickets))
    created = {r.key: r for r in plan.records["contacts"] if r.origin == "ticket"}
    assert set(created) == {"new@globex.com", "other@initech.io"}
    new = created["new@globex.com"]
    assert new.properties == {"email": "new@globex.com", "firstname": "Ann", "lastname": "Lee"}
    assert new.source_rows == [("tickets.csv", 2), ("tickets.csv", 3)]
    assert created["other@initech.io"].properties["phone"] == "+33123456789"
    assert _categories(plan).count("CONTACT_CREATED_FROM_TICKET") == 2
    assert _links(plan, "contacts->companies")["new@globex.com"] == (
        "company:domain:globex.com",
        "domain",
    )
    assert len(_links(plan, "tickets->contacts")) == 3
    summary = plan.summary()["objects"]["contacts"]
    assert (summary["records"], summary["created_from_tickets"]) == (2, 2)


def test_switch_off_creation_reports_unresolved(make_prepared: Prepare) -> None:
    """With creation off, no contact appears and the ticket's link is reported unresolved."""
    tickets = [{"subject": "a", "_contact_email": "new@globex.com"}]
    plan = build_plan(
        make_prepared(companies=COMPANIES, contacts=CONTACTS, tickets=tickets),
        create_contacts_from_tickets=False,
    )
    assert plan.from_tickets("contacts") == 0
    assert _links(plan, "tickets->contacts") == {}
    assert "UNRESOLVED_CONTACT" in _categories(plan)
    # the ticket still reaches its company through the email's domain
    assert list(_links(plan, "tickets->companies").values()) == [
        ("company:domain:globex.com", "domain")
    ]


def test_ticket_without_requester_is_imported(make_prepared: Prepare) -> None:
    """No email anywhere: the ticket is still planned, with a warning, and no links."""
    plan = build_plan(make_prepared(contacts=CONTACTS, tickets=[{"subject": "lost"}]))
    assert len(plan.records["tickets"]) == 1
    assert _categories(plan) == ["NO_REQUESTER"]
    assert not any(link.from_type == "tickets" for link in plan.links)


def test_free_mail_requester_not_linked_to_company_by_domain(make_prepared: Prepare) -> None:
    """A gmail requester with no company gives the ticket no company link."""
    tickets = [{"subject": "a", "_contact_email": "zed@gmail.com"}]
    plan = build_plan(make_prepared(companies=COMPANIES, contacts=CONTACTS, tickets=tickets))
    assert _links(plan, "tickets->companies") == {}
    assert _links(plan, "contacts->companies").get("zed@gmail.com") is None


@pytest.mark.parametrize(
    ("given", "pipeline", "stage"),
    [
        ({}, "0", "1"),
        ({"hs_pipeline": "", "hs_pipeline_stage": ""}, "0", "1"),
        ({"hs_pipeline": "0", "hs_pipeline_stage": "4"}, "0", "4"),
        ({"hs_pipeline_stage": "3"}, "0", "3"),
        ({"hs_pipeline": "777", "hs_pipeline_stage": "9"}, "777", "9"),
        ({"hs_pipeline": "777"}, "777", ""),  # unknown pipeline: stage left for validation
    ],
)
def test_default_pipeline_and_stage(
    make_prepared: Prepare, given: dict[str, str], pipeline: str, stage: str
) -> None:
    """Tickets get pipeline "0" and its first stage "1" when the file names none."""
    plan = build_plan(make_prepared(tickets=[{"subject": "a", **given}]))
    props = plan.records["tickets"][0].properties
    assert props.get("hs_pipeline", "") == pipeline
    assert props.get("hs_pipeline_stage", "") == stage


PHONE_CONTACTS = [
    {"email": "ann@acme.com", "phone": "+13125550168 ext. 37"},
    {"email": "bob@acme.com", "phone": "+14155550100", "mobilephone": "+16465550100"},
    {"email": "cy@acme.com", "phone": "+12125550101"},
    {"email": "di@acme.com", "mobilephone": "+12125550101"},  # shares cy's number
]


@pytest.mark.parametrize(
    ("ticket", "contact", "category"),
    [
        ({"_phones_in_text": ["+13125550168"]}, "ann@acme.com", None),  # extension ignored
        ({"_phones_in_text": ["+16465550100"]}, "bob@acme.com", None),  # mobile number
        ({"_phones_in_text": ["+19999999999", "+14155550100"]}, "bob@acme.com", None),
        ({"_phones_in_text": ["+12125550101"]}, None, "AMBIGUOUS_CONTACT"),
        ({"_phones_in_text": ["+19999999999"]}, None, "NO_REQUESTER"),
        ({"_emails_in_text": ["cy@acme.com"], "_phones_in_text": ["+13125550168"]},
         "cy@acme.com", None),  # an email beats a phone
    ],
)  # fmt: skip
def test_ticket_to_contact_by_phone_in_body(
    make_prepared: Prepare, ticket: dict[str, Any], contact: str | None, category: str | None
) -> None:
    """With no email, a phone in the body finds the one contact that has that number."""
    plan = build_plan(make_prepared(contacts=PHONE_CONTACTS, tickets=[{"subject": "a", **ticket}]))
    links = _links(plan, "tickets->contacts")
    if contact is None:
        assert links == {}
        assert category in _categories(plan)
    else:
        assert next(iter(links.values()))[0] == contact
        assert _categories(plan) == []
