"""The journal's ``runs`` row: the run's options, its state, its portal and its inputs.

A mixin of :class:`crmkit.pipeline.journal.Journal`, apart because the run's life (see
:mod:`crmkit.pipeline.states`) is one idea and the records' and batches' bookkeeping another.
Each transition is one commit; the plan's records, links and input hashes land in the same
commit as state ``planned``, so a kill leaves the run either unplanned or fully planned.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from crmkit.errors import ConfigError
from crmkit.pipeline.journal_schema import RecordRow
from crmkit.pipeline.states import LANDED, RunState, check_transition


class RunStateTable:
    """The ``runs`` table's methods; the Journal provides the connection and transactions."""

    conn: sqlite3.Connection
    session_id: int | None

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _add_records(
        self, db: sqlite3.Connection, rows: list[RecordRow], *, resend_changed: bool
    ) -> int:
        raise NotImplementedError

    def create_run(
        self, run_id: str, options: dict[str, Any], target: str | None, dry_run: bool
    ) -> None:
        """Record a new run in state ``created``: enough to plan it again after a kill."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (run_id, created_at, status, target, dry_run, options)"
                " VALUES (?, ?, 'created', ?, ?, ?)",
                (run_id, time.time(), target, int(dry_run), json.dumps(options, sort_keys=True)),
            )

    def run_info(self) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM runs").fetchone()
        if row is None:
            return {}
        info = dict(row)
        info["options"] = json.loads(info["options"])
        info["inputs"] = json.loads(info["inputs"]) if info.get("inputs") else None
        return info

    def state(self) -> str:
        row = self.conn.execute("SELECT status FROM runs").fetchone()
        return str(row[0]) if row is not None else ""

    def set_state(
        self, state: RunState, *, reason: str | None = None, finished: bool = False
    ) -> None:
        """One transition, one commit: the journal is the truth about where a run is."""
        with self.transaction() as db:
            check_transition(self.state(), state)
            db.execute("UPDATE runs SET status = ?, stop_reason = ?", (state, reason))
            if finished:
                db.execute("UPDATE runs SET finished_at = ?", (time.time(),))
            if self.session_id is not None:
                db.execute(
                    "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                    (state, time.time(), self.session_id),
                )

    def set_portal(self, portal_id: str | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET portal_id = ?", (portal_id,))

    def commit_plan(
        self,
        records: Iterable[RecordRow],
        links: Iterable[tuple[str, str, str, str, str]],
        inputs: dict[str, str] | None,
    ) -> None:
        """The plan's records and links, the input hashes and state ``planned``: one commit.

        A replan replaces what the journal holds: a record whose data changed is sent again,
        one the new plan lacks is dropped, unless it landed already (that is refused: the
        portal holds it, so only a rollback or a new run can tell its story right).
        """
        rows = list(records)
        wanted = list(links)
        with self.transaction() as db:
            self._drop_unplanned(db, {(r.object_type, r.key) for r in rows}, wanted)
            self._add_records(db, rows, resend_changed=True)
            db.executemany(
                "INSERT OR IGNORE INTO links (from_type, from_key, to_type, to_key, reason, state)"
                " VALUES (?, ?, ?, ?, ?, 'new')",
                wanted,
            )
            if inputs is not None:
                db.execute("UPDATE runs SET inputs = ?", (json.dumps(inputs, sort_keys=True),))
            db.execute("UPDATE runs SET planned_at = ?", (time.time(),))
            check_transition(self.state(), "planned")
            db.execute("UPDATE runs SET status = 'planned', stop_reason = NULL")

    def _drop_unplanned(
        self,
        db: sqlite3.Connection,
        keys: set[tuple[str, str]],
        links: list[tuple[str, str, str, str, str]],
    ) -> None:
        gone = [
            (r["object_type"], r["key"], r["state"])
            for r in db.execute("SELECT object_type, key, state FROM records")
            if (r["object_type"], r["key"]) not in keys
        ]
        planned = {link[:4] for link in links}
        gone_links = [
            (r["from_type"], r["from_key"], r["to_type"], r["to_key"], r["state"])
            for r in db.execute("SELECT from_type, from_key, to_type, to_key, state FROM links")
            if (r["from_type"], r["from_key"], r["to_type"], r["to_key"]) not in planned
        ]
        landed = [f"{t} {k}" for t, k, state in gone if state in LANDED]
        landed += [f"{a} {b} -> {c} {d}" for a, b, c, d, st in gone_links if st == "created"]
        if landed:
            raise ConfigError(
                f"cannot replan: {len(landed)} records or links this run wrote are not in the"
                f" files any more (e.g. {', '.join(landed[:3])}); roll the run back"
                " (crmkit rollback) or start a new import"
            )
        db.executemany(
            "DELETE FROM records WHERE object_type = ? AND key = ?", [g[:2] for g in gone]
        )
        db.executemany(
            "DELETE FROM links WHERE from_type = ? AND from_key = ? AND to_type = ? AND to_key = ?",
            [g[:4] for g in gone_links],
        )

    def planned(self) -> bool:
        """Whether the plan's records are in the journal (plan.json is saved before that)."""
        row = self.conn.execute("SELECT planned_at FROM runs").fetchone()
        return row is not None and row[0] is not None
