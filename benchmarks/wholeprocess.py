"""Import as a user runs it: ``crmkit import`` in its own process, timed from start to exit.

Against a sandbox at HubSpot's real ten-second window (the sandbox serves from this process's
thread, the import is a child process), three measurements on one contacts file whose every
phone is distinct:

- ``alone``: crmkit's import of the file; the whole process against the ideal time for the
  tier, the first write's latency (process start to the first upsert leaving), 429s, and
  requests per record against the minimum ⌈records / 100⌉;
- ``sdk``: the official SDK (hubspot-api-client) in a plain batch loop over the same file, on a
  second, fresh sandbox, also a whole process (:mod:`benchmarks.sdkloop`);
- ``shared``: the same import while another app of the portal (a thread here) already spends
  ``share`` of the window, evenly: 429s on both sides and crmkit's requests per window
  against the budget the other app leaves.

The ideal time: the first ``limit`` requests go at once, then ``limit`` per window, so ``n``
requests need ``(⌈n / limit⌉ − 1) × window`` seconds at best (latency and the work around
them not counted); ``n`` is every request the import sent that the window counts.
"""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from benchmarks.common import DATA, OUT
from benchmarks.datasets import generate_folder
from crmkit.hubspot.policy import TIER_WINDOW_LIMITS
from crmkit.pipeline.runfolder import RunFolder
from crmkit.sandbox import RunningSandbox, running

UPSERT = "POST /crm/v3/objects/{type}/batch/upsert"
RECORDS_PER_REQUEST = 100
EXEMPT_PREFIXES = ("POST /crm/v4/", "POST /crm/v3/objects/{type}/search")


@dataclass(frozen=True)
class WholeCase:
    """The import measured: file size and the sandbox's tier, window and latency."""

    contacts: int = 50_000
    tier: str = "free"
    window_s: float = 10.0
    latency_ms: float = 150.0
    share: float = 0.5
    seed: int = 11

    @property
    def limit(self) -> int:
        return TIER_WINDOW_LIMITS[self.tier]

    def folder(self) -> Path:
        return DATA / f"whole_{self.contacts}_s{self.seed}_distinct"


def dataset(case: WholeCase) -> Path:
    """The contacts file (made once, then reused), every phone distinct."""
    folder = case.folder()
    if not (folder / "truth.json").is_file():
        generate_folder(
            folder,
            companies=0,
            contacts=case.contacts,
            tickets=0,
            seed=case.seed,
            distinct_phones=True,
        )
    return folder / "contacts.csv"


def ideal_s(requests_counted: int, limit: int, window_s: float) -> float:
    """Seconds the window needs at best for ``requests_counted`` requests."""
    return max(0, math.ceil(requests_counted / limit) - 1) * window_s


@contextmanager
def sandbox(case: WholeCase) -> Iterator[RunningSandbox]:
    with running(
        tier=case.tier, window_s=case.window_s, latency_ms=case.latency_ms, seed=case.seed
    ) as box:
        yield box


def run_crmkit(case: WholeCase, box: RunningSandbox, run_id: str) -> dict[str, Any]:
    """``crmkit import`` of the file as a child process; whole-process and journal figures."""
    out = OUT / "runs-whole"
    run_dir = out / "runs" / run_id
    if run_dir.exists():
        import shutil

        shutil.rmtree(run_dir)
    command = [
        str(Path(sys.executable).parent / "crmkit"),
        "import",
        "--contacts",
        str(dataset(case)),
        "--target",
        box.base_url,
        "--tier",
        case.tier,
        "--output",
        str(out),
        "--run-id",
        run_id,
        "--no-progress",
    ]
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": box.token}
    spawned = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    whole = time.time() - spawned
    first_write = _first_write_s(RunFolder(run_dir).journal, spawned)
    return {
        "exit_code": done.returncode,
        "whole_process_s": round(whole, 2),
        "first_write_s": first_write,
        "stdout_tail": done.stdout[-400:] if done.returncode else "",
        "stderr_tail": done.stderr[-1500:] if done.returncode else "",
    }


def _first_write_s(journal: Path, spawned: float) -> float | None:
    """Process start → the first upsert batch's start, from the run's journal."""
    if not journal.is_file():
        return None
    with sqlite3.connect(journal) as db:
        created = db.execute("SELECT created_at FROM runs").fetchone()
        first = db.execute("SELECT min(t) FROM batches WHERE action = 'upsert'").fetchone()
    if not created or first is None or first[0] is None:
        return None
    return round(float(created[0]) + float(first[0]) - spawned, 2)


def counted_requests(stats: dict[str, Any]) -> int:
    """Requests the ten-second window counted (v4 associations and search are exempt)."""
    by_endpoint: dict[str, int] = stats["requests"]["by_endpoint"]
    return sum(n for name, n in by_endpoint.items() if not name.startswith(EXEMPT_PREFIXES))


def alone(case: WholeCase) -> dict[str, Any]:
    with sandbox(case) as box:
        result = run_crmkit(case, box, "whole-alone")
        stats = box.stats()
    upserts = stats["requests"]["by_endpoint"].get(UPSERT, 0)
    counted = counted_requests(stats)
    records = sum(stats["records"].values())
    minimum = math.ceil(records / RECORDS_PER_REQUEST)
    ideal = ideal_s(counted, case.limit, case.window_s)
    result.update(
        {
            "records": records,
            "ideal_s": ideal,
            "ratio_to_ideal": round(ideal / result["whole_process_s"], 3) if ideal else None,
            "requests_counted": counted,
            "upsert_requests": upserts,
            "upsert_requests_min": minimum,
            "requests_per_record": round(counted / max(records, 1), 4),
            "requests_per_record_min": round(minimum / max(records, 1), 4),
            "rate_limited_429": sum(stats["rate_limited"].values()),
        }
    )
    return result


def sdk(case: WholeCase) -> dict[str, Any]:
    """The SDK loop as a child process against a second, fresh sandbox."""
    with sandbox(case) as box:
        command = [sys.executable, "-m", "benchmarks.sdkloop", str(dataset(case)), box.base_url]
        env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": box.token}
        spawned = time.time()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        whole = time.time() - spawned
        stats = box.stats()
    return {
        "exit_code": done.returncode,
        "whole_process_s": round(whole, 2),
        "records": sum(stats["records"].values()),
        "rate_limited_429": sum(stats["rate_limited"].values()),
        "stderr_tail": done.stderr[-1500:] if done.returncode else "",
    }


class Neighbour:
    """Another app of the portal: one counted request every ``every_s``, no limiter."""

    def __init__(self, box: RunningSandbox, every_s: float) -> None:
        self.box = box
        self.every_s = every_s
        self.sent = 0
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-neighbour", daemon=True)

    def __enter__(self) -> Neighbour:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        session = requests.Session()
        url = f"{self.box.base_url}/crm/v3/objects/contacts"
        due = time.monotonic()
        while not self._stop.is_set():
            answer = session.get(url, params={"limit": 1}, headers=self.box.headers, timeout=30)
            self.sent += 1
            self.refused += answer.status_code == 429
            due += self.every_s
            self._stop.wait(max(0.0, due - time.monotonic()))


def shared(case: WholeCase) -> dict[str, Any]:
    """The import while a neighbour already spends ``share`` of the window."""
    every = case.window_s / (case.limit * case.share)
    with sandbox(case) as box, Neighbour(box, every) as neighbour:
        time.sleep(case.window_s)  # the neighbour's share is spent before the import starts
        result = run_crmkit(case, box, "whole-shared")
        stats = box.stats()
    total_429 = sum(stats["rate_limited"].values())
    per_window = _upserts_per_window(OUT / "runs-whole" / "runs" / "whole-shared", case.window_s)
    result.update(
        {
            "share": case.share,
            "budget_left_per_window": round(case.limit * (1 - case.share), 1),
            "crmkit_upserts_per_window": per_window,
            "crmkit_429": total_429 - neighbour.refused,
            "neighbour_sent": neighbour.sent,
            "neighbour_429": neighbour.refused,
        }
    )
    return result


def _upserts_per_window(run_dir: Path, window_s: float) -> float | None:
    journal = RunFolder(run_dir).journal
    if not journal.is_file():
        return None
    with sqlite3.connect(journal) as db:
        starts = [row[0] for row in db.execute("SELECT t FROM batches WHERE action = 'upsert'")]
    # Leave the first window out: it spends what the neighbour had left at once.
    later = [t for t in starts if t >= min(starts, default=0.0) + window_s]
    if len(later) < 2 or max(later) <= min(later):
        return None
    return round((len(later) - 1) / (max(later) - min(later)) * window_s, 1)


def measure(case: WholeCase) -> dict[str, Any]:
    return {"case": case.__dict__, "alone": alone(case), "sdk": sdk(case), "shared": shared(case)}
