"""The SQLite journal of one run: what was planned, what landed, what failed, batch by batch.

A batch's outcome is written in one transaction only after the write is known, so a crash
or a kill loses at most the batches in flight; those are re-sent on resume as upserts, which
HubSpot applies idempotently. WAL mode keeps the file consistent if the process dies. The
tables and states are described in :mod:`crmkit.pipeline.journal_schema`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crmkit.hubspot.outcome import WriteOutcome
from crmkit.pipeline.journal_schema import (
    SCHEMA,
    STAT_FIELDS,
    BatchRow,
    LinkOutcome,
    RecordRow,
)
from crmkit.pipeline.journalstate import RunStateTable
from crmkit.pipeline.runlock import RunLock

__all__ = ["STAT_FIELDS", "BatchRow", "Journal", "LinkOutcome", "RecordRow"]


def source_rows_json(source_rows: list[tuple[str, int]]) -> str:
    """``json.dumps(source_rows)``'s exact text, several times faster: one per planned record."""
    return "[" + ", ".join(f"[{_json_str(f)}, {int(n)}]" for f, n in source_rows) + "]"


_json_str = json.encoder.encode_basestring_ascii  # what json.dumps uses for str (ensure_ascii)


class Journal(RunStateTable):
    """One run's SQLite journal; use from one thread (the pipeline's coordinating thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = RunLock(path.with_name(path.name + ".lock"))
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)
        self.session_id: int | None = None
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.conn.close()
            self.lock.release()
            self.closed = True

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: a batch's outcomes land together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def start_session(self) -> int:
        """A session is one process working on the run; durations add up across resumes."""
        offset = self.active_seconds()
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (started_at, ended_at, offset_s, status)"
                " VALUES (?, ?, ?, 'running')",
                (time.time(), time.time(), offset),
            )
        self.session_id = int(cursor.lastrowid or 0)
        return self.session_id

    def touch_session(self, db: sqlite3.Connection, stats: dict[str, int] | None) -> None:
        """Keep the session's end time and request counters current (inside a transaction)."""
        if self.session_id is None:
            return
        db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (time.time(), self.session_id))
        if stats is not None:
            sets = ", ".join(f"{name} = ?" for name in STAT_FIELDS)
            values = [int(stats.get(name, 0)) for name in STAT_FIELDS]
            db.execute(f"UPDATE sessions SET {sets} WHERE id = ?", (*values, self.session_id))

    def save_stats(self, stats: dict[str, int] | None, write_s: float | None = None) -> None:
        with self.transaction() as db:
            self.touch_session(db, stats)
            if write_s is not None and self.session_id is not None:
                db.execute(
                    "UPDATE sessions SET write_s = write_s + ? WHERE id = ?",
                    (write_s, self.session_id),
                )

    def active_seconds(self) -> float:
        row = self.conn.execute(
            "SELECT COALESCE(SUM(ended_at - started_at), 0) FROM sessions"
        ).fetchone()
        return float(row[0])

    def totals(self) -> dict[str, float]:
        """Request counters and write time summed over every session of the run."""
        cols = ", ".join(f"COALESCE(SUM({name}), 0) AS {name}" for name in STAT_FIELDS)
        row = self.conn.execute(
            f"SELECT {cols}, COALESCE(SUM(write_s), 0) AS write_s FROM sessions"
        ).fetchone()
        return {name: row[name] for name in (*STAT_FIELDS, "write_s")}

    # records -----------------------------------------------------------------------------
    def add_records(self, rows: Iterable[RecordRow]) -> int:
        """Insert planned records; a failed record whose data changed becomes new again."""
        with self.transaction() as db:
            return self._add_records(db, list(rows), resend_changed=False)

    def _add_records(
        self, db: sqlite3.Connection, rows: list[RecordRow], *, resend_changed: bool
    ) -> int:
        known = {
            (r["object_type"], r["key"]): (r["fingerprint"], r["state"])
            for r in db.execute("SELECT object_type, key, fingerprint, state FROM records")
        }
        inserts: list[tuple[str, str, str, str, str, str]] = []
        changed: list[tuple[str, str, str, str, str]] = []
        for row in rows:
            before = known.get((row.object_type, row.key)) if known else None
            rows_json = source_rows_json(row.source_rows)
            if before is None:
                inserts.append(
                    (row.object_type, row.key, row.trace_id, row.origin, rows_json, row.fingerprint)
                )
            elif before[0] != row.fingerprint:
                state = "new" if resend_changed or before[1] == "failed" else before[1]
                changed.append((row.fingerprint, state, rows_json, row.object_type, row.key))
        db.executemany(
            "INSERT INTO records (object_type, key, trace_id, origin, source_rows,"
            " fingerprint, state) VALUES (?, ?, ?, ?, ?, ?, 'new')",
            inserts,
        )
        db.executemany(
            "UPDATE records SET fingerprint = ?, state = ?, source_rows = ?"
            " WHERE object_type = ? AND key = ?",
            changed,
        )
        db.execute(
            "UPDATE records SET error_category = NULL, error_message = NULL WHERE state = 'new'"
            " AND (error_category IS NOT NULL OR error_message IS NOT NULL)"
        )
        return sum(1 for c in changed if c[1] == "new")

    def pending_keys(self, object_type: str) -> list[str]:
        """Records still to send: never sent, or sent with an unknown outcome."""
        rows = self.conn.execute(
            "SELECT key FROM records WHERE object_type = ? AND state IN ('new', 'sent')"
            " ORDER BY rowid",
            (object_type,),
        )
        return [r["key"] for r in rows]

    def pending_work(self) -> int:
        """Records and links a resume would send: never sent, or sent with no answer."""
        row = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM records WHERE state IN ('new', 'sent'))"
            " + (SELECT COUNT(*) FROM links WHERE state IN ('new', 'sent'))"
        ).fetchone()
        return int(row[0])

    def records(self, object_type: str | None = None) -> list[RecordRow]:
        query = "SELECT * FROM records"
        args: tuple[str, ...] = ()
        if object_type is not None:
            query += " WHERE object_type = ?"
            args = (object_type,)
        return [
            RecordRow(
                object_type=r["object_type"],
                key=r["key"],
                trace_id=r["trace_id"],
                origin=r["origin"],
                source_rows=[(f, int(n)) for f, n in json.loads(r["source_rows"])],
                fingerprint=r["fingerprint"],
                state=r["state"],
                hubspot_id=r["hubspot_id"],
                error_category=r["error_category"],
                error_message=r["error_message"],
            )
            for r in self.conn.execute(query + " ORDER BY rowid", args)
        ]

    def hubspot_ids(self, object_type: str) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT key, hubspot_id FROM records WHERE object_type = ?"
            " AND hubspot_id IS NOT NULL AND rolled_back_at IS NULL",
            (object_type,),
        )
        return {r["key"]: r["hubspot_id"] for r in rows}

    def record_batch(
        self, batch: BatchRow, outcomes: Iterable[WriteOutcome], stats: dict[str, int] | None
    ) -> None:
        """Journal one completed batch: its records' outcomes (of ``batch.object_type``, by
        record key), its row for the charts, the counters."""
        with self.transaction() as db:
            for out in outcomes:
                db.execute(
                    "UPDATE records SET state = ?, hubspot_id = COALESCE(?, hubspot_id),"
                    " error_category = ?, error_message = ?, attempts = attempts + 1"
                    " WHERE object_type = ? AND key = ?",
                    (
                        out.state,
                        out.hubspot_id,
                        out.category,
                        out.message,
                        batch.object_type,
                        out.key,
                    ),
                )
            self._insert_batch(db, batch)
            self.touch_session(db, stats)

    def _insert_batch(self, db: sqlite3.Connection, batch: BatchRow) -> None:
        stat_cols = ", ".join(STAT_FIELDS)
        marks = ", ".join("?" for _ in STAT_FIELDS)
        db.execute(
            "INSERT INTO batches (session_id, t, object_type, action, records, succeeded, failed,"
            f" attempts, duration_s, {stat_cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, {marks})",
            (
                self.session_id or 0,
                batch.t,
                batch.object_type,
                batch.action,
                batch.records,
                batch.succeeded,
                batch.failed,
                batch.attempts,
                batch.duration_s,
                *(int(batch.stats_delta.get(name, 0)) for name in STAT_FIELDS),
            ),
        )

    def batches(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM batches ORDER BY t, id")]

    # links -------------------------------------------------------------------------------
    def add_links(self, links: Iterable[tuple[str, str, str, str, str]]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO links (from_type, from_key, to_type, to_key, reason, state)"
                " VALUES (?, ?, ?, ?, ?, 'new')",
                links,
            )

    def links(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM links ORDER BY rowid")]

    def record_links(
        self, batch: BatchRow | None, outcomes: Iterable[LinkOutcome], stats: dict[str, int] | None
    ) -> None:
        with self.transaction() as db:
            for out in outcomes:
                db.execute(
                    "UPDATE links SET state = ?, error_category = ?, error_message = ?"
                    " WHERE from_type = ? AND from_key = ? AND to_type = ? AND to_key = ?",
                    (
                        out.state,
                        out.category,
                        out.message,
                        out.from_type,
                        out.from_key,
                        out.to_type,
                        out.to_key,
                    ),
                )
            if batch is not None:
                self._insert_batch(db, batch)
            self.touch_session(db, stats)

    # rollback ----------------------------------------------------------------------------
    def created_ids(self, object_type: str) -> list[tuple[str, str]]:
        """(key, HubSpot id) of records this run created and has not rolled back yet."""
        rows = self.conn.execute(
            "SELECT key, hubspot_id FROM records WHERE object_type = ? AND state = 'created'"
            " AND hubspot_id IS NOT NULL AND rolled_back_at IS NULL ORDER BY rowid",
            (object_type,),
        )
        return [(r["key"], r["hubspot_id"]) for r in rows]

    def mark_rolled_back(self, object_type: str, keys: Iterable[str]) -> None:
        now = time.time()
        with self.transaction() as db:
            db.executemany(
                "UPDATE records SET rolled_back_at = ? WHERE object_type = ? AND key = ?",
                [(now, object_type, key) for key in keys],
            )

    def rolled_back_count(self) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM records WHERE rolled_back_at IS NOT NULL"
        ).fetchone()
        return int(row[0])

    # counts for the report ---------------------------------------------------------------
    def state_counts(self) -> dict[tuple[str, str, str], int]:
        """(object_type, origin, state) → records."""
        rows = self.conn.execute(
            "SELECT object_type, origin, state, COUNT(*) AS n FROM records"
            " GROUP BY object_type, origin, state"
        )
        return {(r["object_type"], r["origin"], r["state"]): int(r["n"]) for r in rows}

    def link_state_counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, COUNT(*) AS n FROM links GROUP BY state")
        return {r["state"]: int(r["n"]) for r in rows}

    def failure_categories(self) -> dict[str, int]:
        """Categories of records and links that did not land (unsent ones as NOT_SENT)."""
        out: dict[str, int] = {}
        for table in ("records", "links"):
            rows = self.conn.execute(
                "SELECT CASE WHEN state = 'new' THEN 'NOT_SENT'"
                " ELSE COALESCE(error_category, 'UNKNOWN') END AS category, COUNT(*) AS n"
                f" FROM {table} WHERE state NOT IN ('created', 'updated', 'unchanged')"
                " GROUP BY category"
            )
            for r in rows:
                out[r["category"]] = out.get(r["category"], 0) + int(r["n"])
        return out
