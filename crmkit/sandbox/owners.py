"""Owners: HubSpot's read-only ``/crm/v3/owners`` API, seeded through the sandbox's admin door.

HubSpot creates owners from users, never through the API; the sandbox lets a test, a
rehearsal or ``crmkit sandbox --owners FILE`` seed them (``POST /_sandbox/owners``), so an
import can resolve an owner column and write ``hubspot_owner_id`` as on a real portal.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmkit.errors import ConfigError
from crmkit.sandbox.replies import (
    JSON,
    ApiFailure,
    Reply,
    error_body,
    first,
    iso,
    now_ms,
    parse_int,
)

if TYPE_CHECKING:
    from crmkit.sandbox.store import Store

_TABLE = """
CREATE TABLE IF NOT EXISTS owners (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
"""
FIRST_OWNER_ID = 41_629_779
"""Owner ids look like HubSpot's (eight digits); user ids are a separate sequence."""
FIRST_USER_ID = 9_586_504
_FIELDS = ("email", "firstName", "lastName")


class OwnerTable:
    """The owners of one sandbox portal, in the store's SQLite database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.executescript(_TABLE)

    def add(self, email: str, first_name: str, last_name: str, now: int) -> JSON:
        row = self._conn.execute("SELECT MAX(id), MAX(user_id) FROM owners").fetchone()
        owner_id = int(row[0]) + 1 if row[0] is not None else FIRST_OWNER_ID
        user_id = int(row[1]) + 1 if row[1] is not None else FIRST_USER_ID
        self._conn.execute(
            "INSERT INTO owners (id, email, first_name, last_name, user_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (owner_id, email, first_name, last_name, user_id, now),
        )
        found = self.get(owner_id)
        assert found is not None
        return found

    def get(self, owner_id: int, *, archived: bool = False) -> JSON | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM owners WHERE id = ? AND archived = ?",
            (owner_id, int(archived)),
        ).fetchone()
        return _render(row) if row else None

    def page(
        self, after: int, limit: int, *, email: str = "", archived: bool = False
    ) -> list[JSON]:
        sql = f"SELECT {_COLUMNS} FROM owners WHERE archived = ? AND id > ?"
        args: list[Any] = [int(archived), after]
        if email:
            sql += " AND lower(email) = ?"
            args.append(email.strip().lower())
        rows = self._conn.execute(sql + " ORDER BY id LIMIT ?", (*args, limit))
        return [_render(r) for r in rows]

    def ids(self) -> list[str]:
        """Active owner ids, the values ``hubspot_owner_id`` accepts."""
        rows = self._conn.execute("SELECT id FROM owners WHERE archived = 0 ORDER BY id")
        return [str(r[0]) for r in rows]

    def options(self) -> list[JSON]:
        """The owners as ``hubspot_owner_id`` options, as HubSpot lists them."""
        return [
            {
                "label": f"{o['firstName']} {o['lastName']}".strip() or o["email"],
                "value": o["id"],
                "displayOrder": i,
                "hidden": False,
            }
            for i, o in enumerate(self.page(0, 1_000_000))
        ]

    def reset(self) -> None:
        self._conn.execute("DELETE FROM owners")


_COLUMNS = "id, email, first_name, last_name, user_id, created_at, archived"


def _render(row: Sequence[Any]) -> JSON:
    owner_id, email, first_name, last_name, user_id, created, archived = row
    stamp = iso(int(created))
    return {
        "id": str(owner_id),
        "email": email,
        "type": "PERSON",
        "firstName": first_name,
        "lastName": last_name,
        "userId": int(user_id),
        "userIdIncludingInactive": int(user_id),
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": bool(archived),
    }


# -- handlers -------------------------------------------------------------------------------
def list_owners(store: Store, query: Mapping[str, list[str]]) -> Reply:
    """``GET /crm/v3/owners?limit=&after=&email=&archived=``."""
    table = store.owners
    limit = max(1, min(parse_int(first(query, "limit") or "100", "limit"), 500))
    after = parse_int(first(query, "after") or "0", "after")
    archived = first(query, "archived").lower() == "true"
    owners = table.page(after, limit + 1, email=first(query, "email"), archived=archived)
    body: JSON = {"results": owners[:limit]}
    if len(owners) > limit:
        cursor = owners[limit - 1]["id"]
        body["paging"] = {"next": {"after": cursor, "link": f"/crm/v3/owners?after={cursor}"}}
    return Reply(200, body)


def get_owner(store: Store, raw_id: str, query: Mapping[str, list[str]]) -> Reply:
    """``GET /crm/v3/owners/{ownerId}`` (``idProperty=userId`` looks up by user id)."""
    archived = first(query, "archived").lower() == "true"
    found = None
    if raw_id.isdigit() and first(query, "idProperty") == "userId":
        everyone = store.owners.page(0, 1_000_000, archived=archived)
        found = next((o for o in everyone if o["userId"] == int(raw_id)), None)
    elif raw_id.isdigit():
        found = store.owners.get(int(raw_id), archived=archived)
    if found is None:
        return Reply(404, error_body("OBJECT_NOT_FOUND", f"Owner {raw_id} does not exist"))
    return Reply(200, found)


def seed_owners(store: Store, body: Any) -> Reply:
    """``POST /_sandbox/owners {"owners":[{"email","firstName","lastName"}]}`` → the new owners."""
    raw = body.get("owners") if isinstance(body, dict) else None
    if not isinstance(raw, list) or not all(isinstance(o, dict) for o in raw):
        raise ApiFailure(400, "VALIDATION_ERROR", 'expected {"owners": [{"email": ...}]}')
    people = [_person(o) for o in raw]
    now = now_ms()
    with store.transaction():
        created = [store.owners.add(*p, now) for p in people]
    store.forget_schemas()  # hubspot_owner_id's options list the owners
    return Reply(201, {"results": created})


def _person(raw: Mapping[str, Any]) -> tuple[str, str, str]:
    email = str(raw.get("email") or "").strip()
    if "@" not in email:
        raise ApiFailure(400, "VALIDATION_ERROR", f"an owner needs an email, got {email!r}")
    return email, str(raw.get("firstName") or ""), str(raw.get("lastName") or "")


def load_owners_file(path: str | Path) -> list[dict[str, str]]:
    """Owners from a CSV (``email,firstName,lastName`` header) or JSON file, for seeding.

    JSON may be a list of owners or ``{"owners": [...]}``; CSV headers may also be written
    ``first_name`` / ``First Name``.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read owners file {file}: {exc.strerror}") from None
    if file.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"owners file {file} is not valid JSON: {exc.msg}") from None
        items = data.get("owners") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ConfigError(f"owners file {file}: expected a list of owners")
        rows: Iterable[Mapping[str, Any]] = [i for i in items if isinstance(i, dict)]
    else:
        rows = csv.DictReader(text.splitlines())
    owners = [_normal(row) for row in rows]
    bad = [o for o in owners if "@" not in o["email"]]
    if bad:
        raise ConfigError(f"owners file {file}: {len(bad)} owner(s) without an email")
    return owners


def _normal(row: Mapping[str, Any]) -> dict[str, str]:
    keys = {str(k).replace("_", "").replace(" ", "").lower(): k for k in row if k is not None}
    picked = {}
    for field in _FIELDS:
        source = keys.get(field.lower())
        picked[field] = str(row[source] or "").strip() if source is not None else ""
    return picked
