"""Owner columns → ``hubspot_owner_id``, through the portal's owners (``GET /crm/v3/owners``).

An owner cell is an email, a full name, or a source CRM's user id (Salesforce ``OwnerId``,
Zendesk ``assignee_id``) that the export's users (``User.csv``, Zendesk agents) turn into an
email and a name. It is matched to the portal's owners by email first, then by full name
(case and spacing ignored), as HubSpot's own import does. What does not resolve is never
guessed: the record lands without an owner and the row is reported, ``COULD_NOT_FIND_OWNER``
or ``MULTIPLE_OWNERS_FOUND`` (a name two owners share), as warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.sources.combine import ROW_SPAN, where
from crmkit.sources.read import SourceUser

if TYPE_CHECKING:
    from crmkit.mapping.model import Mapping as Mapping_

OWNER = "_owner"
OWNER_PROPERTY = "hubspot_owner_id"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class OwnerIndex:
    """The portal's owners by email and by full name (read once per run)."""

    def __init__(self, owners: Iterable[Mapping[str, Any]]) -> None:
        self.ids: set[str] = set()
        self.by_email: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for o in owners:
            if o.get("archived"):
                continue
            oid = str(o.get("id", ""))
            self.ids.add(oid)
            email = _norm(str(o.get("email") or ""))
            name = _norm(f"{o.get('firstName') or ''} {o.get('lastName') or ''}")
            if email:
                self.by_email.setdefault(email, []).append(oid)
            if name:
                self.by_name.setdefault(name, []).append(oid)

    def find(self, cell: str, users: Mapping[str, SourceUser]) -> tuple[str | None, str, str]:
        """``(owner id or None, category, message)`` for one owner cell."""
        if cell in self.ids:  # a HubSpot owner id already
            return cell, "", ""
        user = users.get(cell)
        email, name = (user.email, user.name) if user else (cell, cell)
        for key, table, what in ((email, self.by_email, "email"), (name, self.by_name, "name")):
            ids = table.get(_norm(key), [])
            if len(ids) == 1:
                return ids[0], "", ""
            if len(ids) > 1:
                return (
                    None,
                    "MULTIPLE_OWNERS_FOUND",
                    (
                        f"owner {cell!r}: {len(ids)} portal owners have this {what} "
                        f"({', '.join(ids)}); imported without an owner"
                    ),
                )
        shown = cell if user is None else f"{cell} ({user.email or user.name})"
        return (
            None,
            "COULD_NOT_FIND_OWNER",
            (f"owner {shown!r}: no portal owner has this email or name; imported without an owner"),
        )


def owner_columns(mapping: Mapping_) -> Mapping_:
    """A column a mapping file sends to ``hubspot_owner_id`` holds emails or names, not
    HubSpot's owner ids: it becomes an owner column, resolved here instead of being refused
    value by value as "not one of the allowed options"."""
    moved = {
        column: replace(m, property=None, role="owner", reason=f"{m.reason}; resolved as owner")
        for column, m in mapping.columns.items()
        if m.property == OWNER_PROPERTY
    }
    if not moved:
        return mapping
    columns = {
        c: (moved[c] if c in moved else replace(m, role=None) if m.role == "owner" else m)
        for c, m in mapping.columns.items()
    }
    values = {c: v for c, v in mapping.values.items() if c not in moved}
    unmatched = {c: v for c, v in mapping.unmatched_values.items() if c not in moved}
    return replace(mapping, columns=columns, values=values, unmatched_values=unmatched)


def resolve_owners(prepared: Any, load: Callable[[], Iterable[Mapping[str, Any]]] | None) -> None:
    """Fill ``hubspot_owner_id`` of every prepared frame with an owner column, in place.

    ``load`` reads the portal's owners (``HubSpotClient.owners``), called once and only when
    some file has an owner column; ``None`` (a dry run without a portal) resolves nothing and
    says so once per file. A ``hubspot_owner_id`` the mapping file already gives is kept.
    """
    with_owner = [o for o in prepared.objects.values() if OWNER in o.frame.columns]
    if not with_owner:
        return
    users: Mapping[str, SourceUser] = getattr(prepared, "users", {}) or {}
    index = None if load is None else OwnerIndex(load())
    for obj in with_owner:
        cells = obj.frame[OWNER].fillna("").astype(str).str.strip()
        if index is None:
            prepared.source_notes.append(
                f"{obj.file}: owners not resolved (no portal to read them from: dry run)"
            )
            continue
        found = {c: index.find(c, users) for c in cells.unique() if c}
        ids = cells.map({c: hit[0] or "" for c, hit in found.items()}).fillna("")
        frame = obj.frame
        if OWNER_PROPERTY in frame.columns:
            given = frame[OWNER_PROPERTY].fillna("").astype(str)
            ids = given.where(given != "", ids)
        frame[OWNER_PROPERTY] = ids.astype(object)
        column = obj.mapping.roles().get("owner")
        obj.issues.extend(_issues(obj, cells, found, column))


def _issues(
    obj: Any, cells: pd.Series, found: dict[str, tuple[str | None, str, str]], column: str | None
) -> list[RowIssue]:
    out = []
    origins = list(getattr(obj, "origins", []) or [])
    for label, cell in cells.items():
        hit = found.get(cell)
        if hit is None or hit[0] is not None:
            continue
        row = int(label)  # type: ignore[call-overload]
        file, row = where(origins, row) if origins and row >= ROW_SPAN else (obj.file, row)
        out.append(
            RowIssue(file, row, "map", hit[1], hit[2], column=column, value=cell,
                     severity="warning")
        )  # fmt: skip
    return out
