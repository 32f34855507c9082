"""Zendesk's JSON exports shaped for HubSpot: what its fields mean, not only what they are called.

- ``users``: end users are contacts; agents and admins are the directory ``assignee_id``
  resolves through (crmkit.sources.owners) and are left out of the contacts, said so.
- ``url`` is the record's API address, not a web site, and a user's ``role`` is Zendesk's
  permission level, not a job title: both are left out, said so.
- ``organizations.domain_names`` is a list: the first domain is the company's (the others are
  named in the notes), since HubSpot's ``domain`` holds one.

Everything else (``requester_id``, ``organization_id``, ``tags``, ``via.channel``) is mapped
like any column; ``comments`` stay in the records for notes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crmkit.io import SourceTable
from crmkit.sources.jsonrecords import read_records, table_of

STAFF_ROLES = ("agent", "admin")
NOT_MEANT = {
    "url": "the record's Zendesk API address, not a web site",
    "role": "Zendesk's permission level, not a job title",
}


def shape(path: Path, table: SourceTable, add_users: Callable[[SourceTable], None]) -> SourceTable:
    """The table of one Zendesk file, shaped as the module docstring says."""
    if path.stem.lower() == "users" and "role" in table.frame.columns:
        table = _end_users(path, table, add_users)
    frame = table.frame
    for column, why in NOT_MEANT.items():
        if column in frame.columns:
            frame = frame.drop(columns=[column])
            table.notes.append(f"column {column!r} not imported: {why}")
    if "domain_names" in frame.columns:
        domains = frame["domain_names"].str.split(";")
        more = int((domains.map(len) > 1).sum())
        frame = frame.assign(domain_names=domains.str[0].fillna(""))
        if more:
            table.notes.append(
                f"domain_names: {more} organization(s) list several domains; the first is "
                "imported as the company's domain"
            )
    table.frame = frame
    return table


def _end_users(
    path: Path, table: SourceTable, add_users: Callable[[SourceTable], None]
) -> SourceTable:
    staff = table.frame["role"].str.strip().str.lower().isin(STAFF_ROLES)
    if not staff.any():
        return table
    add_users(SourceTable(path, table.name, table.frame[staff], "utf-8", ""))
    rows = [
        (n, r) for n, r in read_records(path) if str(r.get("role", "")).lower() not in STAFF_ROLES
    ]
    kept = table_of(path, rows)
    kept.notes.append(
        f"{int(staff.sum())} agent/admin user(s) are owners (for assignee_id), not contacts"
    )
    return kept
