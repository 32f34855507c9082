"""Reading a run's journal (read-only) from tests: the one place tests touch its SQL."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmkit import OBJECT_TYPES


def journal_query(run_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(
        sqlite3.connect(f"file:{run_dir / 'journal.sqlite'}?mode=ro", uri=True)
    ) as db:
        return list(db.execute(sql).fetchall())


def journal_status(run_dir: Path) -> str:
    return str(journal_query(run_dir, "SELECT status FROM runs")[0][0])


def journal_states(run_dir: Path) -> Counter[str]:
    return Counter(
        {
            str(s): int(n)
            for s, n in journal_query(run_dir, "SELECT state, COUNT(*) FROM records GROUP BY state")
        }
    )


def journaled_keys(
    run_dir: Path, states: tuple[str, ...] = ("created", "updated")
) -> set[tuple[str, str]]:
    marks = ",".join("?" * len(states))
    path = run_dir / "journal.sqlite"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = db.execute(
            f"SELECT object_type, key FROM records WHERE state IN ({marks})", states
        ).fetchall()
    return {(str(t), str(k)) for t, k in rows}


def batches_journaled(run_dir: Path) -> int:
    path = run_dir / "journal.sqlite"
    if not path.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
            return int(db.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
    except sqlite3.Error:
        return 0


def when_batches(run_dir: Path, count: int, action: Callable[[], None]) -> threading.Thread:
    """Call ``action`` from a watcher thread once ``count`` batches are journaled (≤ 60 s)."""

    def watch() -> None:
        deadline = time.monotonic() + 60
        while batches_journaled(run_dir) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        action()

    thread = threading.Thread(target=watch, name="watcher", daemon=True)
    thread.start()
    return thread


def journal_keys(run_dir: Path) -> dict[str, Counter[str]]:
    """Every journaled record key, per type, with multiplicity."""
    rows = journal_query(run_dir, "SELECT object_type, key FROM records")
    keys: dict[str, Counter[str]] = {t: Counter() for t in OBJECT_TYPES}
    for object_type, key in rows:
        keys[str(object_type)][str(key)] += 1
    return keys
