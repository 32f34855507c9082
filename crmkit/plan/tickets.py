"""Tickets: requester contacts and company links (default stages: :mod:`crmkit.plan.defaults`).

See :mod:`crmkit.plan.linking` for the rules; this module applies them to a whole ticket file.
"""

from __future__ import annotations

import pandas as pd

from crmkit.coerce.text import split_full_name
from crmkit.plan.companies import CompanyIndex
from crmkit.plan.dedupe import is_empty
from crmkit.plan.keys import SOURCE_ID, column
from crmkit.plan.linking import (
    CONTACT_NAME,
    PHONES_IN_TEXT,
    Linked,
    company_names,
    first_item,
    link_to_companies,
    links_by_company_domain,
    links_by_company_id,
    phone_index,
    plan_warning,
    requesters,
    requesters_by_phone,
)
from crmkit.plan.model import PlannedLink, PlannedRecord

CONTACT_ID = "_contact_id"


def _requester_details(frame: pd.DataFrame, label: object) -> dict[str, str]:
    """Name (and a phone found in the body) for a contact created from this ticket row."""
    details: dict[str, str] = {}
    for role, prop in (("_contact_firstname", "firstname"), ("_contact_lastname", "lastname")):
        if role in frame.columns and not is_empty(frame.at[label, role]):
            details[prop] = str(frame.at[label, role]).strip()
    if CONTACT_NAME in frame.columns and not details:
        first, last = split_full_name(str(frame.at[label, CONTACT_NAME] or ""))
        details.update({k: v for k, v in (("firstname", first), ("lastname", last)) if v})
    for role in ("_contact_phone", PHONES_IN_TEXT):
        if role in frame.columns and "phone" not in details:
            phone = first_item(frame.at[label, role]).strip()
            if phone:
                details["phone"] = phone
    return details


def link_tickets(
    frame: pd.DataFrame,
    keys: pd.Series,
    *,
    file: str,
    contact_keys: set[str],
    company_of: dict[str, str],
    index: CompanyIndex,
    create_contacts: bool,
    contacts: tuple[pd.DataFrame, pd.Series] | None = None,
) -> Linked:
    """Link tickets to their requester contact (creating it if allowed) and to a company.

    ``contacts`` (the merged contacts frame and its keys) lets a phone number found in a
    ticket's body find its contact when the ticket names no email.
    """
    out = Linked()
    email, reason = _find_requesters(frame, keys, file, contacts, out)
    has = email != ""
    known = email.isin(list(contact_keys)) if contact_keys else pd.Series(False, index=email.index)
    missing = has & ~known
    _warn_no_requester(keys[~has], file, out)
    linkable = has
    if create_contacts and missing.any():
        made = _create_requesters(frame, email[missing], index, file, out)
        company_of = {**company_of, **made}
    elif missing.any():
        linkable = has & known
        _warn_unresolved(email[missing], keys, file, out)
    via = _link_requesters(keys, email, reason, linkable, company_of, out)
    _link_companies(frame, keys, email, ~linkable, via, index, file, out)
    return out


def _find_requesters(
    frame: pd.DataFrame,
    keys: pd.Series,
    file: str,
    contacts: tuple[pd.DataFrame, pd.Series] | None,
    out: Linked,
) -> tuple[pd.Series, pd.Series]:
    """Each ticket's requester email and why: a column, the source CRM's id, a body phone."""
    email, reason = requesters(frame)
    if contacts is not None:
        requesters_by_id(frame, email, reason, *contacts)
        out.issues.extend(
            requesters_by_phone(
                frame, email, reason, lambda: phone_index(*contacts), file=file, keys=keys
            )
        )
    return email, reason


def _warn_no_requester(keys: pd.Series, file: str, out: Linked) -> None:
    for row, key in keys.items():
        out.issues.append(
            plan_warning(
                file, row, "NO_REQUESTER",
                "no requester email (column or body) and no known phone in the body; "
                "imported without a contact",
                key=str(key),
            )
        )  # fmt: skip


def _create_requesters(
    frame: pd.DataFrame, created: pd.Series, index: CompanyIndex, file: str, out: Linked
) -> dict[str, str]:
    """A contact per unknown requester (one per address, all its tickets' rows), linked to
    its company; returns the company of each new contact."""
    first_rows = created.drop_duplicates()
    rows_of: dict[str, list[tuple[str, int]]] = {}
    for row, address in zip(created.index.tolist(), created.tolist(), strict=True):
        rows_of.setdefault(address, []).append((file, int(row)))
    for label, address in first_rows.items():
        rows = rows_of[address]
        props = {"email": address, **_requester_details(frame, label)}
        out.new_contacts.append(
            PlannedRecord("contacts", address, "email", props, rows, origin="ticket")
        )
        out.issues.append(
            plan_warning(
                file, label, "CONTACT_CREATED_FROM_TICKET",
                f"requester {address} is not in the contacts; a contact will be created "
                f"({len(rows)} ticket(s))",
                key=address, value=address,
            )
        )  # fmt: skip
    new = pd.Series(first_rows.tolist(), index=first_rows.index, dtype=object)
    found = link_to_companies(index, "contacts", new, new, None, file=file)
    out.links.extend(found.links)
    out.issues.extend(found.issues)
    return found.company_of


def _warn_unresolved(missing: pd.Series, keys: pd.Series, file: str, out: Linked) -> None:
    for row, address in missing.items():
        out.issues.append(
            plan_warning(
                file, row, "UNRESOLVED_CONTACT",
                f"requester {address} is not in the contacts and creating contacts from "
                "tickets is off; the ticket is imported without a contact",
                key=str(keys.get(row)), value=address,
            )
        )  # fmt: skip


def _link_requesters(
    keys: pd.Series,
    email: pd.Series,
    reason: pd.Series,
    linkable: pd.Series,
    company_of: dict[str, str],
    out: Linked,
) -> pd.Index:
    """Ticket → requester links, and ticket → the requester's company; returns the rows
    that found their company that way."""
    for key, address, why in zip(
        keys[linkable].tolist(), email[linkable].tolist(), reason[linkable].tolist(), strict=True
    ):
        out.links.append(PlannedLink("tickets", key, "contacts", address, why))
    via = email[linkable].map(company_of)
    via = via[via.notna()]
    for key, company in zip(keys[via.index].tolist(), via.tolist(), strict=True):
        out.links.append(PlannedLink("tickets", key, "companies", company, "via_contact"))
    return via.index


def _link_companies(
    frame: pd.DataFrame,
    keys: pd.Series,
    email: pd.Series,
    no_contact: pd.Series,
    via_contact: pd.Index,
    index: CompanyIndex,
    file: str,
    out: Linked,
) -> None:
    """A company for tickets without one yet: by the source's company id, by domain, and
    for tickets without a contact by email domain or company name."""
    by_id = links_by_company_id(index, "tickets", frame, keys)  # Case.AccountId, organization_id
    out.links.extend(by_id.links)
    unlinked = ~keys.index.isin([*by_id.company_of_label, *via_contact])
    by_domain = links_by_company_domain(index, "tickets", frame[unlinked], keys)
    out.links.extend(by_domain.links)
    rest = no_contact & ~keys.index.isin([*by_id.company_of_label, *by_domain.company_of_label])
    if rest.any():
        names = company_names(frame)
        found = link_to_companies(
            index, "tickets", keys[rest], email[rest], None if names is None else names[rest],
            file=file,
        )  # fmt: skip
        out.links.extend(found.links)
        out.issues.extend(found.issues)


def requesters_by_id(
    frame: pd.DataFrame,
    email: pd.Series,
    reason: pd.Series,
    contacts: pd.DataFrame,
    keys: pd.Series,
) -> None:
    """A ticket naming its contact by the source CRM's id (Salesforce ``Case.ContactId``,
    Zendesk ``requester_id``) links that contact; the id is exact, so it wins over an email.

    Fills ``email``/``reason`` in place (``contact_id``).
    """
    ids = column(frame, CONTACT_ID)
    if not (ids != "").any() or SOURCE_ID not in contacts.columns:
        return
    own = column(contacts, SOURCE_ID)
    by_id = {i: k for i, k in zip(own.tolist(), keys.tolist(), strict=True) if i}
    found = ids.map(by_id)
    hit = found.notna()
    if hit.any():
        email.loc[hit] = found[hit]
        reason.loc[hit] = "contact_id"
