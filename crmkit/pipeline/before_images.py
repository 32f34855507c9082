"""Before-images: what the portal held before the run changed it, kept in the run's journal.

For each record the run writes, one row: its action (create, update, unchanged), the portal's
values of the properties the write changes (read before writing, stored before the write is
sent) and the values the portal should hold afterwards. Rollback restores from them, verify
checks against them. For each link, whether the portal had it before the run, so rollback
removes only the links the run added.

The table lives in ``journal.sqlite`` beside the journal's own tables, written through a
connection of its own: the writer's worker threads store images while the journal's thread
records batches (SQLite's WAL lets both write, one at a time). The first image of a record
wins: a resumed run that re-reads a record it already changed must not take its own values
for the portal's old ones.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmkit.pipeline.compare import RecordDiff

_TABLES = """
CREATE TABLE IF NOT EXISTS record_images (
    object_type TEXT NOT NULL, key TEXT NOT NULL, hubspot_id TEXT, action TEXT NOT NULL,
    before TEXT NOT NULL, expected TEXT NOT NULL, saved_at REAL NOT NULL,
    restored_at REAL, conflict TEXT,
    PRIMARY KEY (object_type, key)
);
CREATE TABLE IF NOT EXISTS link_images (
    from_type TEXT NOT NULL, from_id TEXT NOT NULL, to_type TEXT NOT NULL, to_id TEXT NOT NULL,
    existed INTEGER NOT NULL, removed_at REAL,
    PRIMARY KEY (from_type, from_id, to_type, to_id)
);
"""


@dataclass(frozen=True)
class RecordImage:
    """One record's image: ``before`` None-valued = the property was empty."""

    object_type: str
    key: str
    hubspot_id: str | None
    action: str
    before: dict[str, str | None]
    expected: dict[str, str]
    restored_at: float | None = None
    conflict: str | None = None


class BeforeImages:
    """The image tables of one run's journal file; safe to use from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=30.0, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_TABLES)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(sql, list(rows))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # records -----------------------------------------------------------------------------
    def save(self, diffs: Iterable[RecordDiff]) -> None:
        """Store the images of records about to be written; an earlier image is kept."""
        now = time.time()
        self._write(
            "INSERT OR IGNORE INTO record_images (object_type, key, hubspot_id, action, before,"
            " expected, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (d.object_type, d.key, d.hubspot_id, d.action, json.dumps(d.before_image()),
                 json.dumps(d.expected), now)
                for d in diffs
            ),
        )  # fmt: skip

    def images(
        self, object_type: str | None = None, keys: Iterable[str] | None = None
    ) -> dict[tuple[str, str], RecordImage]:
        """Every image (of one type); with ``keys``, only those records' (a batch's: reading
        every image per batch made a run's batches slower and slower as the table grew)."""
        sql = "SELECT * FROM record_images"
        args: tuple[str, ...] = ()
        if object_type is not None:
            sql += " WHERE object_type = ?"
            args = (object_type,)
        if keys is not None:
            wanted = tuple(dict.fromkeys(keys))
            if not wanted:
                return {}
            sql += (" AND" if args else " WHERE") + f" key IN ({', '.join('?' * len(wanted))})"
            args = (*args, *wanted)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY rowid", args).fetchall()
        return {(r[0], r[1]): _image(r) for r in rows}

    def preexisting_ids(self) -> set[tuple[str, str]]:
        """(object type, HubSpot id) of records the portal had before the run wrote."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT object_type, hubspot_id FROM record_images"
                " WHERE action != 'create' AND hubspot_id IS NOT NULL"
            ).fetchall()
        return {(str(t), str(i)) for t, i in rows}

    def mark_restored(self, object_type: str, keys: Iterable[str]) -> None:
        now = time.time()
        self._write(
            "UPDATE record_images SET restored_at = ?, conflict = NULL"
            " WHERE object_type = ? AND key = ?",
            ((now, object_type, k) for k in keys),
        )

    def mark_conflict(self, object_type: str, conflicts: dict[str, str]) -> None:
        self._write(
            "UPDATE record_images SET conflict = ? WHERE object_type = ? AND key = ?",
            ((why, object_type, key) for key, why in conflicts.items()),
        )

    # links -------------------------------------------------------------------------------
    def save_links(
        self, from_type: str, to_type: str, pairs: Iterable[tuple[str, str]], existing: set[Any]
    ) -> None:
        """Note for each (from id, to id) pair whether the portal had it before the run."""
        self._write(
            "INSERT OR IGNORE INTO link_images (from_type, from_id, to_type, to_id, existed)"
            " VALUES (?, ?, ?, ?, ?)",
            ((from_type, f, to_type, t, int((f, t) in existing)) for f, t in pairs),
        )

    def added_links(self) -> list[tuple[str, str, str, str]]:
        """Links the run added and rollback has not removed yet."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT from_type, from_id, to_type, to_id FROM link_images"
                " WHERE existed = 0 AND removed_at IS NULL ORDER BY rowid"
            ).fetchall()
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    def existed_links(self) -> set[tuple[str, str, str, str]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT from_type, from_id, to_type, to_id FROM link_images WHERE existed = 1"
            ).fetchall()
        return {(str(a), str(b), str(c), str(d)) for a, b, c, d in rows}

    def mark_links_removed(self, links: Iterable[tuple[str, str, str, str]]) -> None:
        now = time.time()
        self._write(
            "UPDATE link_images SET removed_at = ? WHERE from_type = ? AND from_id = ?"
            " AND to_type = ? AND to_id = ?",
            ((now, *link) for link in links),
        )


def _image(row: tuple[Any, ...]) -> RecordImage:
    object_type, key, hubspot_id, action, before, expected, _, restored_at, conflict = row
    return RecordImage(
        object_type=str(object_type),
        key=str(key),
        hubspot_id=str(hubspot_id) if hubspot_id is not None else None,
        action=str(action),
        before=json.loads(before),
        expected=json.loads(expected),
        restored_at=float(restored_at) if restored_at is not None else None,
        conflict=str(conflict) if conflict is not None else None,
    )
