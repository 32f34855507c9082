"""The sandbox's SQLite store: records, unique values, custom properties, associations.

Every method is synchronous and the app calls them from one worker thread only, so each
request's read-check-write runs alone: two parallel upserts of one email make one contact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from crmkit.sandbox.account import AccountTable
from crmkit.sandbox.owners import OwnerTable
from crmkit.sandbox.pipelines import PipelineTable
from crmkit.sandbox.replies import JSON, iso
from crmkit.sandbox.schemadata import SINGULAR, bundled_properties

_TABLES = """
CREATE TABLE IF NOT EXISTS objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    object_type TEXT NOT NULL,
    props TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER
);
CREATE INDEX IF NOT EXISTS objects_by_type ON objects (object_type, archived, id);
CREATE TABLE IF NOT EXISTS uniq (
    object_type TEXT NOT NULL,
    prop TEXT NOT NULL,
    value TEXT NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (object_type, prop, value)
);
CREATE TABLE IF NOT EXISTS properties (
    object_type TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (object_type, name)
);
CREATE TABLE IF NOT EXISTS associations (
    from_type TEXT NOT NULL,
    from_id INTEGER NOT NULL,
    to_type TEXT NOT NULL,
    to_id INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    category TEXT NOT NULL,
    PRIMARY KEY (from_type, from_id, to_type, to_id, type_id)
);
"""

_MODIFIED = {"contacts": "lastmodifieddate"}


@dataclass
class Record:
    """One stored CRM object; ``properties`` holds only non-empty values."""

    id: int
    object_type: str
    properties: dict[str, str]
    created_at: int
    updated_at: int
    archived: bool = False
    archived_at: int | None = None


def unique_key(prop: str, value: str) -> str:
    """How a unique value is compared: emails case-insensitively, the rest exactly."""
    return value.strip().lower() if prop == "email" else value


class Store:
    """SQLite behind the sandbox; a file database survives restarts (WAL mode)."""

    def __init__(self, path: str = ":memory:") -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_TABLES)
        self.owners = OwnerTable(self._conn)
        self.account = AccountTable(self._conn)
        self.pipelines = PipelineTable(self._conn)
        self._schemas: dict[str, dict[str, JSON]] = {}
        self._uniques: dict[str, frozenset[str]] = {}

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes of one request commit together or not at all."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- properties -------------------------------------------------------------------------
    def properties(self, object_type: str) -> dict[str, JSON]:
        """Bundled and custom property definitions by name, with live options: owners for
        ``hubspot_owner_id``, pipelines and stages for a ticket's ``hs_pipeline*``."""
        cached = self._schemas.get(object_type)
        if cached is None:
            cached = {p["name"]: p for p in bundled_properties(object_type)}
            rows = self._conn.execute(
                "SELECT body FROM properties WHERE object_type = ? ORDER BY rowid", (object_type,)
            )
            for (body,) in rows:
                prop = json.loads(body)
                cached[prop["name"]] = prop
            self._live_options(object_type, cached)
            self._schemas[object_type] = cached
        return cached

    def _live_options(self, object_type: str, props: dict[str, JSON]) -> None:
        if "hubspot_owner_id" in props:
            owner = props["hubspot_owner_id"]
            props["hubspot_owner_id"] = {**owner, "options": self.owners.options()}
        if object_type != "tickets":
            return
        pipelines = list(self.pipelines.all("tickets").values())
        stages = [s for p in pipelines for s in p["stages"]]
        for name, items in (("hs_pipeline", pipelines), ("hs_pipeline_stage", stages)):
            if name in props:
                options = [
                    {"label": i["label"], "value": i["id"], "displayOrder": n, "hidden": False}
                    for n, i in enumerate(items)
                ]
                props[name] = {**props[name], "options": options}

    def save_property(self, object_type: str, prop: JSON) -> None:
        """Store a custom property, or a changed definition of a bundled one."""
        self._conn.execute(
            "INSERT OR REPLACE INTO properties (object_type, name, body) VALUES (?, ?, ?)",
            (object_type, prop["name"], json.dumps(prop)),
        )
        self.forget_schemas()

    def forget_schemas(self) -> None:
        """Drop cached definitions: properties, owners or pipelines changed."""
        self._schemas.clear()
        self._uniques.clear()

    def unique_properties(self, object_type: str) -> frozenset[str]:
        """Properties whose values identify one record (contacts' email is always one)."""
        names = self._uniques.get(object_type)
        if names is None:
            found = {n for n, p in self.properties(object_type).items() if p.get("hasUniqueValue")}
            if object_type == "contacts":
                found.add("email")
            names = self._uniques[object_type] = frozenset(found)
        return names

    # -- records ----------------------------------------------------------------------------
    def get(self, object_type: str, record_id: int, *, archived: bool = False) -> Record | None:
        row = self._conn.execute(
            "SELECT id, object_type, props, created_at, updated_at, archived, archived_at "
            "FROM objects WHERE id = ? AND object_type = ? AND archived = ?",
            (record_id, object_type, int(archived)),
        ).fetchone()
        return _record(row) if row else None

    def find_unique(self, object_type: str, prop: str, value: str) -> int | None:
        row = self._conn.execute(
            "SELECT id FROM uniq WHERE object_type = ? AND prop = ? AND value = ?",
            (object_type, prop, unique_key(prop, value)),
        ).fetchone()
        return int(row[0]) if row else None

    def insert(self, object_type: str, props: dict[str, str], now: int) -> Record:
        cur = self._conn.execute(
            "INSERT INTO objects (object_type, props, created_at, updated_at) "
            "VALUES (?, '{}', ?, ?)",
            (object_type, now, now),
        )
        record_id = int(cur.lastrowid or 0)
        values = {k: v for k, v in props.items() if v != ""}
        values.setdefault("createdate", iso(now))
        values["hs_object_id"] = str(record_id)
        values[_MODIFIED.get(object_type, "hs_lastmodifieddate")] = iso(now)
        record = Record(record_id, object_type, values, now, now)
        self._save(record)
        self._index(record, {})
        return record

    def update(self, record: Record, changes: dict[str, str], now: int) -> Record:
        before = dict(record.properties)
        for name, value in changes.items():
            if value == "":
                record.properties.pop(name, None)
            else:
                record.properties[name] = value
        record.properties[_MODIFIED.get(record.object_type, "hs_lastmodifieddate")] = iso(now)
        record.updated_at = now
        self._save(record)
        self._index(record, before)
        return record

    def archive(self, object_type: str, record_id: int, now: int) -> bool:
        """Move a record to the recycle bin; its unique values become free again."""
        cur = self._conn.execute(
            "UPDATE objects SET archived = 1, archived_at = ? "
            "WHERE id = ? AND object_type = ? AND archived = 0",
            (now, record_id, object_type),
        )
        if not cur.rowcount:
            return False
        self._conn.execute("DELETE FROM uniq WHERE id = ?", (record_id,))
        self._conn.execute(
            "DELETE FROM associations WHERE (from_type = ? AND from_id = ?) "
            "OR (to_type = ? AND to_id = ?)",
            (object_type, record_id, object_type, record_id),
        )
        return True

    def page(self, object_type: str, after: int, limit: int) -> list[Record]:
        rows = self._conn.execute(
            "SELECT id, object_type, props, created_at, updated_at, archived, archived_at "
            "FROM objects WHERE object_type = ? AND archived = 0 AND id > ? ORDER BY id LIMIT ?",
            (object_type, after, limit),
        )
        return [_record(r) for r in rows]

    def scan(self, object_type: str) -> Iterator[Record]:
        rows = self._conn.execute(
            "SELECT id, object_type, props, created_at, updated_at, archived, archived_at "
            "FROM objects WHERE object_type = ? AND archived = 0 ORDER BY id",
            (object_type,),
        )
        return (_record(r) for r in rows.fetchall())

    def _save(self, record: Record) -> None:
        self._conn.execute(
            "UPDATE objects SET props = ?, updated_at = ? WHERE id = ?",
            (json.dumps(record.properties), record.updated_at, record.id),
        )

    def _index(self, record: Record, before: dict[str, str]) -> None:
        for prop in self.unique_properties(record.object_type):
            old, new = before.get(prop), record.properties.get(prop)
            if old == new:
                continue
            if old is not None:
                self._conn.execute(
                    "DELETE FROM uniq WHERE object_type = ? AND prop = ? AND value = ? AND id = ?",
                    (record.object_type, prop, unique_key(prop, old), record.id),
                )
            if new is not None:
                self._conn.execute(
                    "INSERT OR REPLACE INTO uniq (object_type, prop, value, id) VALUES (?,?,?,?)",
                    (record.object_type, prop, unique_key(prop, new), record.id),
                )

    # -- associations -----------------------------------------------------------------------
    def link(
        self, from_type: str, from_id: int, to_type: str, to_id: int, type_id: int, category: str
    ) -> None:
        self._conn.execute(
            "INSERT OR IGNORE INTO associations VALUES (?, ?, ?, ?, ?, ?)",
            (from_type, from_id, to_type, to_id, type_id, category),
        )

    def links_from(self, from_type: str, from_id: int, to_type: str) -> list[tuple[int, int, str]]:
        """``(to_id, type_id, category)`` rows, in the order they were made."""
        rows = self._conn.execute(
            "SELECT to_id, type_id, category FROM associations "
            "WHERE from_type = ? AND from_id = ? AND to_type = ? ORDER BY rowid",
            (from_type, from_id, to_type),
        )
        return [(int(a), int(b), str(c)) for a, b, c in rows]

    def unlink(self, a_type: str, a_id: int, b_type: str, b_id: int) -> None:
        """Remove every association between two records, in both directions."""
        self._conn.execute(
            "DELETE FROM associations WHERE (from_type = ? AND from_id = ? AND to_type = ? "
            "AND to_id = ?) OR (from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?)",
            (a_type, a_id, b_type, b_id, b_type, b_id, a_type, a_id),
        )

    # -- admin ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT object_type, COUNT(*) FROM objects WHERE archived = 0 GROUP BY object_type"
        )
        found = {str(t): int(n) for t, n in rows}
        return {t: found.get(t, 0) for t in SINGULAR}

    def association_count(self) -> int:
        """Linked record pairs, each counted once whatever its direction and types."""
        row = self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT from_type, from_id, to_type, to_id "
            "FROM associations WHERE from_type < to_type)"
        ).fetchone()
        return int(row[0])

    def reset(self) -> None:
        with self.transaction():
            for table in ("objects", "uniq", "properties", "associations"):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute("DELETE FROM sqlite_sequence")
            self.owners.reset()
            self.pipelines.reset()
        self.forget_schemas()


def _record(row: tuple[object, ...]) -> Record:
    rid, object_type, props, created, updated, archived, archived_at = row
    return Record(
        id=int(str(rid)),
        object_type=str(object_type),
        properties=json.loads(str(props)),
        created_at=int(str(created)),
        updated_at=int(str(updated)),
        archived=bool(archived),
        archived_at=int(str(archived_at)) if archived_at is not None else None,
    )
