"""Shared pieces of the failure suite: a small export, the CLI in-process, a restartable sandbox.

The CLI runs in-process (``crmkit.cli.main``) so pandas and Great Expectations are imported
once per session, not once per run; the only test seam is a faster retry policy and timeout
(the production defaults would wait seconds per failed batch), injected where the CLI builds
its ``ImportOptions``. Everything else is real: argparse, the pipeline, HTTP on loopback.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import crmkit.pipeline
from crmkit import OBJECT_TYPES
from crmkit.cli import main
from crmkit.hubspot import HubSpotClient, RetryPolicy
from crmkit.sandbox import RunningSandbox, running

FAST_RETRY = RetryPolicy(
    max_attempts=3, base_delay_s=0.01, max_delay_s=0.03, timeout_s=2.0, connect_timeout_s=1.0
)
KEY_PROPERTY = {
    "contacts": "email",
    "companies": "crmkit_import_key",
    "tickets": "crmkit_import_key",
}
COMPANIES = 8
CONTACTS = 350  # four record batches of at most 100
TICKETS = 40
COMPANY_TYPES = ("Prospect", "Partner", "Vendor")


def write_export(folder: Path, *, extra_company: list[str] | None = None) -> Path:
    """A clean little export: every row valid, contacts and tickets linked to companies."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "companies.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Company Name", "Website", "Company Type"])
        for i in range(COMPANIES):
            out.writerow([f"Firm {i} Ltd", f"www.firm{i}.example", COMPANY_TYPES[i % 3]])
        if extra_company:
            out.writerow(extra_company)
    with (folder / "contacts.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["First Name", "Last Name", "E-mail Address", "Company"])
        for i in range(CONTACTS):
            company = f"Firm {i % COMPANIES} Ltd"
            out.writerow([f"Ann{i}", f"Lee{i}", f"ann.lee{i}@firm{i % COMPANIES}.example", company])
    with (folder / "tickets.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Ticket ID", "Subject", "Description", "Priority", "Requester Email"])
        for i in range(TICKETS):
            email = f"ann.lee{i}@firm{i % COMPANIES}.example"
            out.writerow([f"T-{i}", f"Printer {i} jams", f"It jams on page {i}.", "High", email])
    return folder


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("export"))


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's ImportOptions with a quick retry policy and a two-second read timeout."""
    fast = functools.partial(crmkit.pipeline.ImportOptions, retry=FAST_RETRY, timeout_s=2.0)
    monkeypatch.setattr(crmkit.pipeline, "ImportOptions", fast)


@dataclass(frozen=True)
class Ran:
    """What one CLI invocation produced."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


CliRunner = Callable[..., Ran]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """``cli("import", ..., token="t")``: run crmkit's CLI in-process, return code and output."""

    def run(*args: str, token: str | None = None) -> Ran:
        if token is None:
            monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
        else:
            monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", token)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


def import_args(data: Path | None, target: str, out: Path, run_id: str) -> list[str]:
    """Arguments of a plain ``crmkit import`` (one worker, so mid-run stops are predictable)."""
    args = ["import", "--target", target, "--output", str(out), "--no-progress"]
    args += ["--concurrency", "1"]
    if data is None:
        return [*args, "--resume", run_id]
    return [*args, "--data", str(data), "--run-id", run_id]


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Restartable:
    """A sandbox on a fixed port and a file database, which a test can stop and start again."""

    def __init__(self, db: Path, **options: Any) -> None:
        self.port = free_port()
        self.options = {"db": str(db), "port": self.port, "token": "sandbox-token", **options}
        self._cm: AbstractContextManager[RunningSandbox] | None = None
        self.box: RunningSandbox | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningSandbox:
        self._cm = running(**self.options)
        self.box = self._cm.__enter__()
        return self.box

    def stop(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None
            self.box = None


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    portal = Restartable(tmp_path / "portal.sqlite", tier="enterprise", latency_ms=20)
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()


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


def portal_keys(base_url: str, token: str) -> dict[str, Counter[str]]:
    """Every live record's key, per type, with multiplicity (a duplicate shows as 2)."""
    with HubSpotClient(base_url, token, tier="enterprise") as client:
        return {
            t: Counter(
                str((o.get("properties") or {}).get(KEY_PROPERTY[t]) or "")
                for o in client.iter_objects(t, properties=[KEY_PROPERTY[t]])
            )
            for t in OBJECT_TYPES
        }


def planned_keys(run_dir: Path) -> dict[str, Counter[str]]:
    rows = journal_query(run_dir, "SELECT object_type, key FROM records")
    keys: dict[str, Counter[str]] = {t: Counter() for t in OBJECT_TYPES}
    for object_type, key in rows:
        keys[str(object_type)][str(key)] += 1
    return keys
