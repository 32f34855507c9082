"""Shared plumbing: where results go, child processes that report their own peak memory, tables.

Memory is measured in a fresh child process per measurement (``ru_maxrss`` of that process
only), so one figure never inherits another's high-water mark.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crmkit.errors import CrmkitError

OUT = Path("output/bench")
DATA = OUT / "data"
RESULT_PREFIX = "BENCH-RESULT "


class BenchError(CrmkitError):
    """A benchmark child failed; the message carries the tail of its output."""


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def emit(result: dict[str, Any]) -> None:
    """Hand a child's result to the parent: one marked JSON line on stdout."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_child(module: str, args: Sequence[str], *, timeout_s: float = 1800) -> dict[str, Any]:
    """Run ``python -m module --child ARGS`` and return the JSON result it emitted."""
    command = [sys.executable, "-m", module, "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    tail = (done.stderr or done.stdout)[-2000:]
    raise BenchError(f"{module} {' '.join(args)} exited {done.returncode}:\n{tail}")


def machine() -> dict[str, Any]:
    """What the figures were measured on; load average says whether the machine was shared."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_json(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table (pasteable into the README)."""
    cells = [[_cell(v) for v in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
