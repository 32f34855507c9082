"""Upsert keys: the value that makes re-running an import update records instead of copying them.

- Contacts upsert by ``email``: the address stripped and lower-cased (HubSpot compares emails
  case-insensitively, so ``Ann@X.com`` and ``ann@x.com`` are one contact).
- Companies and tickets upsert by the unique ``crmkit_import_key`` property. Its value is
  namespaced so keys of different origin can never collide:

  * ``company:id:<id>`` / ``ticket:id:<id>`` when the file has an id column (role ``_source_id``)
    and the row has a value: the source system's own identity is the most stable key there is.
  * ``company:domain:<domain>`` else, from the normalised ``domain`` (or ``website``); a
    free-mail domain is not a company's identity, so such rows fall through to the name.
  * ``company:name:<normalised name>`` when there is no usable domain.
  * ``ticket:sha:<hash>`` for tickets without an id: a hash of the ticket's normalised content
    (subject, content, createdate, requester email), never of its row number, so re-exporting
    the same tickets in another order gives the same keys. Two tickets identical in all of these
    are indistinguishable and are merged as duplicates.

A row whose key comes out empty (a contact without a usable email, a company with no id, domain
or name) cannot be upserted safely and is rejected by the planner.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any, cast

import pandas as pd

from crmkit.plan.normalize import is_free_mail, normalize_company_name, normalize_domain

SOURCE_ID = "_source_id"
CONTACT_EMAIL = "_contact_email"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column as stripped strings, or all "" when the file lacks it."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].fillna("").astype(str).str.strip()


def emails(values: pd.Series) -> pd.Series:
    """Addresses normalised for comparison: lower-cased, "" when not an address."""
    match = _EMAIL.match
    text = values.fillna("").astype(str).tolist()
    cleaned = [low if match(low) else "" for low in map(str.lower, map(str.strip, text))]
    return pd.Series(cleaned, index=values.index, dtype=object)


def email_domains(addresses: pd.Series) -> pd.Series:
    """The domain part of normalised addresses ("" for "")."""
    domains = [a.rpartition("@")[2] for a in addresses.tolist()]
    return pd.Series(domains, index=addresses.index, dtype=object)


def per_distinct(values: pd.Series, func: Callable[[str], str]) -> pd.Series:
    """Apply ``func`` once per distinct value (exports repeat values a lot)."""
    table = {v: func(v) for v in values.unique()}
    return values.map(table).fillna("")


def contact_keys(frame: pd.DataFrame) -> pd.Series:
    """The normalised email of each contact row."""
    return emails(column(frame, "email"))


def company_domains(frame: pd.DataFrame) -> pd.Series:
    """Normalised company domain, from ``domain`` else ``website`` ("" when neither works)."""
    domain = per_distinct(column(frame, "domain"), normalize_domain)
    website = per_distinct(column(frame, "website"), normalize_domain)
    return domain.where(domain != "", website)


def company_keys(frame: pd.DataFrame) -> pd.Series:
    """``company:id:…``, else ``company:domain:…``, else ``company:name:…``, else ""."""
    ids = column(frame, SOURCE_ID)
    domains = company_domains(frame)
    usable = domains.where(~domains.map(is_free_mail).astype(bool), "")
    names = per_distinct(column(frame, "name"), normalize_company_name)
    keys = pd.Series("", index=frame.index, dtype=object)
    keys = keys.where(names == "", "company:name:" + names)
    keys = keys.where(usable == "", "company:domain:" + usable)
    keys = keys.where(ids == "", "company:id:" + ids)
    return keys.astype(object)


def _norm_text(values: pd.Series) -> pd.Series:
    return values.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def ticket_keys(frame: pd.DataFrame) -> pd.Series:
    """``ticket:id:…`` from an id column, else ``ticket:sha:`` + a content hash (order-free)."""
    ids = column(frame, SOURCE_ID)
    parts = [
        _norm_text(column(frame, "subject")),
        _norm_text(column(frame, "content")),
        column(frame, "createdate"),
        emails(column(frame, CONTACT_EMAIL)),
    ]
    joined = parts[0].str.cat(cast(list[Any], parts[1:]), sep="\x1f")
    digests = [
        hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
        for text in joined.tolist()
    ]
    hashed = "ticket:sha:" + pd.Series(digests, index=frame.index, dtype=object)
    return hashed.where(ids == "", "ticket:id:" + ids).astype(object)


def keys_for(object_type: str, frame: pd.DataFrame) -> pd.Series:
    """The upsert key of every row of a prepared frame ("" = no usable key)."""
    if object_type == "contacts":
        return contact_keys(frame)
    if object_type == "companies":
        return company_keys(frame)
    if object_type == "tickets":
        return ticket_keys(frame)
    raise ValueError(f"unknown object type {object_type!r}")
