"""Schema changes a run makes to the portal (options the analyst chose to add), and their undo.

The plan lists them (``ImportPlan.schema_changes``) before anything is sent. At the start of
an object type's import, each option is added with ``PATCH /crm/v3/properties/{type}/{name}``
and the merged option list (HubSpot replaces the list), then journaled in the run's journal
(table ``schema_changes``), so a resume does not add it twice and ``crmkit rollback`` knows
what to remove. States: ``added`` (by this run), ``existed`` (the portal had it already: never
removed), ``refused`` (the portal's options are read-only), ``removed`` (by a rollback, once no
record used it), ``kept`` (a rollback found records using it).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from crmkit.errors import HubSpotError

TABLE = """
CREATE TABLE IF NOT EXISTS schema_changes (
    object_type TEXT NOT NULL, property TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    label TEXT NOT NULL, rows INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT,
    PRIMARY KEY (object_type, property, kind, value)
)
"""


def journaled(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every schema change the run's journal holds, in the order made."""
    conn.execute(TABLE)
    rows = conn.execute("SELECT * FROM schema_changes ORDER BY rowid").fetchall()
    return [dict(r) for r in rows]


def _save(conn: sqlite3.Connection, change: dict[str, Any], state: str, detail: str) -> None:
    conn.execute(TABLE)
    conn.execute(
        "INSERT INTO schema_changes (object_type, property, kind, value, label, rows, state,"
        " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET state ="
        " excluded.state, detail = excluded.detail",
        (
            change["object_type"],
            change["property"],
            change.get("kind", "option"),
            change["value"],
            change["label"],
            int(change.get("rows", 0)),
            state,
            detail,
        ),
    )


def _options(client: Any, object_type: str, name: str) -> tuple[list[dict[str, Any]], bool]:
    found = client.get_property(object_type, name)
    meta = found.get("modificationMetadata") or {}
    return list(found.get("options") or []), bool(meta.get("readOnlyOptions"))


def apply_changes(
    client: Any, conn: sqlite3.Connection, changes: list[dict[str, Any]], object_type: str
) -> None:
    """Add this object type's planned options the journal does not hold yet."""
    done = {(c["property"], c["value"]) for c in journaled(conn) if c["object_type"] == object_type}
    for change in changes:
        if change["object_type"] != object_type or (change["property"], change["value"]) in done:
            continue
        options, read_only = _options(client, object_type, change["property"])
        if any(o.get("value") == change["value"] for o in options):
            _save(conn, change, "existed", "the portal had this option already")
            continue
        if read_only:
            _save(conn, change, "refused", "the portal's options of this property are read-only")
            continue
        new = {"label": change["label"], "value": change["value"], "displayOrder": len(options)}
        client.patch_property_options(object_type, change["property"], [*options, new])
        _save(conn, change, "added", f"option {change['label']!r} added")


def _users(client: Any, object_type: str, prop: str, value: str) -> int:
    """Records holding ``value`` (a full read of the property: the client has no search)."""
    found = 0
    for record in client.iter_objects(object_type, properties=[prop]):
        held = str((record.get("properties") or {}).get(prop) or "")
        found += value in held.split(";")
    return found


def undo_changes(client: Any, conn: sqlite3.Connection) -> list[str]:
    """Remove the options this run added that no record uses any more; say what was done."""
    said = []
    for change in journaled(conn):
        if change["state"] != "added":
            continue
        object_type, prop, value = change["object_type"], change["property"], change["value"]
        try:
            users = _users(client, object_type, prop, value)
        except HubSpotError as exc:
            users, why = -1, exc.message
        if users:
            why = f"{users} records use it" if users > 0 else f"not checked: {why}"
            _save(conn, change, "kept", why)
            said.append(f"kept option {change['label']!r} of {object_type}.{prop} ({why})")
            continue
        options, _ = _options(client, object_type, prop)
        client.patch_property_options(
            object_type, prop, [o for o in options if o.get("value") != value]
        )
        _save(conn, change, "removed", "no record used it")
        said.append(f"removed option {change['label']!r} of {object_type}.{prop}")
    return said
