"""The journal's tables and the rows the pipeline writes into them.

Record states form a closed set:

- ``new``      planned, not sent (or sent but the answer never came back to us)
- ``sent``     sent, outcome unknown: retries were exhausted on a transient error; re-sent on resume
- ``created``  HubSpot answered ``new: true`` (or the record was made inside this run)
- ``updated``  HubSpot answered ``new: false`` for a record that existed before the run
- ``failed``   HubSpot refused the input (validation); re-sent only if its data changed
- ``unchanged`` the portal held these values already: nothing was sent (change-only writing)

Links use ``new``, ``sent``, ``created`` and ``failed`` the same way (``states.RecordState``,
``states.LinkState``). The run's own states (the ``runs.status`` column) are described in
:mod:`crmkit.pipeline.states`; a session's ``status`` is ``running`` while its process works,
then the run's state when that session committed its last transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmkit.pipeline.states import LINK_STATES, RECORD_STATES, LinkState, RecordState

STAT_FIELDS = ("requests", "retried", "rate_limited", "server_errors", "transport_errors")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, created_at REAL NOT NULL, status TEXT NOT NULL,
    target TEXT, dry_run INTEGER NOT NULL, options TEXT NOT NULL, finished_at REAL,
    stop_reason TEXT, portal_id TEXT, inputs TEXT, planned_at REAL
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY, started_at REAL NOT NULL, ended_at REAL, offset_s REAL NOT NULL,
    write_s REAL NOT NULL DEFAULT 0, status TEXT,
    {", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in STAT_FIELDS)}
);
CREATE TABLE IF NOT EXISTS records (
    object_type TEXT NOT NULL, key TEXT NOT NULL, trace_id TEXT NOT NULL, origin TEXT NOT NULL,
    source_rows TEXT NOT NULL, fingerprint TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN {RECORD_STATES!r}),
    hubspot_id TEXT, error_category TEXT, error_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, rolled_back_at REAL,
    PRIMARY KEY (object_type, key)
);
CREATE TABLE IF NOT EXISTS links (
    from_type TEXT NOT NULL, from_key TEXT NOT NULL, to_type TEXT NOT NULL,
    to_key TEXT NOT NULL, reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN {LINK_STATES!r}),
    error_category TEXT, error_message TEXT,
    PRIMARY KEY (from_type, from_key, to_type, to_key)
);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, t REAL NOT NULL,
    object_type TEXT NOT NULL, action TEXT NOT NULL, records INTEGER NOT NULL,
    succeeded INTEGER NOT NULL, failed INTEGER NOT NULL, attempts INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    {", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in STAT_FIELDS)}
);
"""


@dataclass(frozen=True)
class RecordRow:
    """One planned record as the journal keeps it."""

    object_type: str
    key: str
    trace_id: str
    origin: str
    source_rows: list[tuple[str, int]]
    fingerprint: str
    state: RecordState = "new"
    hubspot_id: str | None = None
    error_category: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class LinkOutcome:
    """How one association ended."""

    from_type: str
    from_key: str
    to_type: str
    to_key: str
    state: LinkState
    category: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class BatchRow:
    """One completed batch, for the throughput charts (``t`` = active seconds since start)."""

    t: float
    object_type: str
    action: str
    records: int
    succeeded: int
    failed: int
    attempts: int
    duration_s: float
    stats_delta: dict[str, int]
