"""Association resolution: contact → company, ticket → contact, ticket → company.

Links are made between upsert keys (HubSpot ids exist only at import time). Every link carries
the rule that made it, and every row the rules could not link with confidence is reported, so a
person can review it instead of finding a silent guess in the CRM.

Tickets find their requester by the email column (role ``_contact_email``), else by the first
address found in the body (``_emails_in_text``), else by a phone number in the body
(``_phones_in_text``) that exactly one contact has. A requester who is not among the planned
contacts is created as a contact (``origin="ticket"``, named from ``_contact_name`` or
``_contact_firstname``/``_contact_lastname`` when the file has them), unless that is switched
off, in which case the link is reported as unresolved. A ticket links to its contact's company,
else to the company whose domain matches the requester's email domain, then to the company
the row names (``_company_name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.plan.companies import (
    AMBIGUOUS,
    MATCHED,
    NOT_FOUND,
    WEAK,
    CompanyIndex,
    resolve_companies,
)
from crmkit.plan.keys import CONTACT_EMAIL, column, email_domains, emails
from crmkit.plan.model import PlannedLink, PlannedRecord
from crmkit.plan.normalize import normalize_domain
from crmkit.prepare import EMAILS_IN_TEXT, PHONES_IN_TEXT

COMPANY_NAME = "_company_name"
CONTACT_NAME = "_contact_name"
COMPANY_ID = "_company_id"
COMPANY_DOMAIN = "_company_domain"
_ID_LIST = re.compile(r"\s*[;,|]\s*")

_CATEGORY = {
    AMBIGUOUS: "AMBIGUOUS_COMPANY",
    WEAK: "WEAK_COMPANY_MATCH",
    NOT_FOUND: "COMPANY_NOT_FOUND",
}


@dataclass
class Linked:
    """Links found for one object type, the issues to review, and contacts created on the way."""

    links: list[PlannedLink] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    company_of: dict[str, str] = field(default_factory=dict)  # contact key -> company key
    new_contacts: list[PlannedRecord] = field(default_factory=list)
    company_of_label: dict[Hashable, str] = field(default_factory=dict)  # row label -> company


def plan_warning(
    file: str,
    row: Any,
    category: str,
    message: str,
    *,
    key: str | None = None,
    value: str | None = None,
) -> RowIssue:
    return RowIssue(
        file=file,
        row=int(row),
        stage="plan",
        category=category,
        message=message,
        key=key,
        value=value,
        severity="warning",
    )


def company_names(frame: pd.DataFrame) -> pd.Series | None:
    """The contact's company as written: the ``_company_name`` role, else ``company``."""
    for name in (COMPANY_NAME, "company"):
        if name in frame.columns:
            return column(frame, name)
    return None


def link_to_companies(
    index: CompanyIndex,
    from_type: str,
    keys: pd.Series,
    addresses: pd.Series,
    names: pd.Series | None,
    *,
    file: str,
) -> Linked:
    """Link each record (``keys``, aligned with ``addresses``) to its company, or report why not.

    Issues name the index label as the row: frames here are indexed by spreadsheet row.
    """
    out = Linked()
    if not len(index) or not len(keys):
        return out
    found = resolve_companies(index, email_domains(addresses), names)
    linked = found.key.notna()
    for from_key, to_key, reason, score in zip(
        keys[linked].tolist(),
        found.key[linked].tolist(),
        found.reason[linked].tolist(),
        found.score[linked].tolist(),
        strict=True,
    ):
        fuzzy = None if score is None or score != score else float(score)  # NaN -> None
        out.links.append(PlannedLink(from_type, from_key, "companies", to_key, reason, fuzzy))
    if from_type == "contacts":
        out.company_of = dict(zip(keys[linked].tolist(), found.key[linked].tolist(), strict=True))
    for label, match in found.problems.items():
        category = _CATEGORY.get(match.status)
        if category is None:
            continue
        written = "" if names is None else str(names.get(label, ""))
        domain = str(addresses.get(label, "")).rpartition("@")[2]
        what = f"company {written!r}" if written and match.reason != "domain" else domain
        if match.status == NOT_FOUND:
            message = f"{what}: no planned company has this name or a close one; not linked"
        else:
            score = "" if match.score is None else f" (score {match.score:g})"
            kind = "several companies match" if match.status == AMBIGUOUS else "only a weak match"
            message = (
                f"{what}: {kind}{score}: {index.describe(match.candidates)}; not linked, "
                "review and link by hand or fix the name"
            )
        out.issues.append(
            plan_warning(
                file, label, category, message, key=str(keys.get(label)), value=written or None
            )
        )
    return out


def link_contacts(index: CompanyIndex, frame: pd.DataFrame, keys: pd.Series, file: str) -> Linked:
    """Contact → company by the company's id (a source CRM's foreign key: Salesforce
    ``AccountId``, HubSpot's "Associated Company IDs"), else by email domain, then by the
    company name the contact row gives."""
    out = links_by_company_id(index, "contacts", frame, keys)
    by_domain = links_by_company_domain(
        index, "contacts", frame[~keys.index.isin(list(out.company_of_label))], keys
    )
    out.links.extend(by_domain.links)
    out.company_of_label.update(by_domain.company_of_label)
    out.company_of.update(by_domain.company_of)
    rest = ~keys.index.isin(list(out.company_of_label))
    names = company_names(frame)
    found = link_to_companies(
        index, "contacts", keys[rest], keys[rest], None if names is None else names[rest],
        file=file,
    )  # fmt: skip
    out.links.extend(found.links)
    out.issues.extend(found.issues)
    out.company_of.update(found.company_of)
    return out


def links_by_company_id(
    index: CompanyIndex, from_type: str, frame: pd.DataFrame, keys: pd.Series
) -> Linked:
    """Links to the planned companies whose id column (``company:id:`` key) a row names.

    A cell may list several ids ("101;205"): each is linked, the first is the contact's
    company for its tickets. Ids naming no planned company leave the row to the other rules.
    """
    out = Linked()
    ids = column(frame, COMPANY_ID)
    ids = ids[ids != ""]
    if ids.empty or not len(index):
        return out
    known = index.labels
    for label, cell in ids.items():
        targets = [f"company:id:{i}" for i in _ID_LIST.split(cell) if i]
        targets = [t for t in dict.fromkeys(targets) if t in known]
        if not targets:
            continue
        key = str(keys.get(label))
        out.links.extend(PlannedLink(from_type, key, "companies", t, "company_id") for t in targets)
        out.company_of_label[label] = targets[0]
        if from_type == "contacts":
            out.company_of.setdefault(key, targets[0])
    return out


def requesters(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each ticket's requester email and how it was found (``email_column``/``email_in_body``)."""
    by_column = emails(column(frame, CONTACT_EMAIL))
    if EMAILS_IN_TEXT in frame.columns:
        first = frame[EMAILS_IN_TEXT].map(first_item).astype(object)
        by_body = emails(first)
    else:
        by_body = pd.Series("", index=frame.index, dtype=object)
    email = by_column.where(by_column != "", by_body)
    reason = pd.Series("email_column", index=frame.index, dtype=object)
    reason = reason.where(by_column != "", "email_in_body").where(email != "", "")
    return email.astype(object), reason


_E164 = r"^(\+\d{6,15})"


def phone_index(frame: pd.DataFrame, keys: pd.Series) -> dict[str, list[str]]:
    """Contacts by phone number (``phone`` and ``mobilephone``, E.164 without extension)."""
    found: dict[str, list[str]] = {}
    for name in ("phone", "mobilephone"):
        if name not in frame.columns:
            continue
        numbers = frame[name].fillna("").astype(str).str.strip().str.extract(_E164)[0]
        numbers = numbers[numbers.notna()]
        for number, key in zip(numbers.tolist(), keys[numbers.index].tolist(), strict=True):
            owners = found.setdefault(number, [])
            if key not in owners:
                owners.append(key)
    return found


def requesters_by_phone(
    frame: pd.DataFrame,
    email: pd.Series,
    reason: pd.Series,
    phones: Callable[[], dict[str, list[str]]],
    *,
    file: str,
    keys: pd.Series,
) -> list[RowIssue]:
    """Tickets with no email but a phone in the body: link the one contact with that number.

    Fills ``email``/``reason`` in place (``phone_in_body``); a number several contacts share is
    reported (``AMBIGUOUS_CONTACT``) and not linked.
    """
    if PHONES_IN_TEXT not in frame.columns:
        return []
    todo = frame.loc[email == "", PHONES_IN_TEXT]
    todo = todo[todo.map(lambda v: isinstance(v, list | tuple) and len(v) > 0)]
    if todo.empty:
        return []
    index = phones()
    issues: list[RowIssue] = []
    linked: dict[Hashable, str] = {}
    for label, numbers in todo.items():
        owners = next((index[n] for n in numbers if n in index), None)
        if owners is None:
            continue
        if len(owners) == 1:
            linked[label] = owners[0]
        else:
            issues.append(
                plan_warning(
                    file, label, "AMBIGUOUS_CONTACT",
                    f"the phone number in the body belongs to several contacts "
                    f"({', '.join(owners)}); not linked",
                    key=str(keys.get(label)),
                )
            )  # fmt: skip
    if linked:
        hit = pd.Series(linked, dtype=object)
        email.loc[hit.index] = hit
        reason.loc[hit.index] = "phone_in_body"
    return issues


def first_item(value: object) -> str:
    if isinstance(value, list | tuple) and value:
        return str(value[0])
    if isinstance(value, str):
        return value.split(";")[0].split(",")[0]
    return ""


def links_by_company_domain(
    index: CompanyIndex, from_type: str, frame: pd.DataFrame, keys: pd.Series
) -> Linked:
    """Links to the planned company whose domain the row's company-domain column names.

    HubSpot's exports give a contact's or ticket's company as "Associated Company Domain"
    (toofanCodes/hubspotdummydata): as exact as an id, and a ticket's requester may have
    a free-mail address or be created from the ticket with no company of its own. A domain no
    planned company has, or several have, leaves the row to the other rules.
    """
    out = Linked()
    cells = column(frame, COMPANY_DOMAIN)
    cells = cells[cells != ""]
    if cells.empty or not len(index):
        return out
    for label, cell in cells.items():
        match = index.match_domain(normalize_domain(cell))
        if match.status != MATCHED or match.key is None:
            continue
        key = str(keys.get(label))
        out.links.append(PlannedLink(from_type, key, "companies", match.key, "company_domain"))
        out.company_of_label[label] = match.key
        if from_type == "contacts":
            out.company_of[key] = match.key
    return out
