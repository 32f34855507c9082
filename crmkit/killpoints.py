"""Deterministic kill points, so tests can SIGKILL an import at a named moment.

``CRMKIT_KILL_POINT=name`` (or ``name:n``, the n-th time the point is reached) makes the
process kill itself with SIGKILL there: no handler runs, no file is closed, exactly as a
lost terminal or a reboot would leave the run. Unset, a kill point is a dictionary look-up.
Test-only: nothing in crmkit sets the variable.

Points (in the order a run reaches them): ``created`` (the run is recorded, nothing else),
``reading`` (after the first input file is read),
``validated`` (the folder is prepared, not planned), ``plan_writing`` (plan.json written to
its temporary name, not renamed), ``plan_saved`` (renamed, not committed to the journal),
``planned``, ``batch_sent`` (the portal answered a batch; the pipeline has not seen it),
``batch_answered`` (an answer seen, not journaled), ``batch_journaled``, ``objects_done``
(after each object type), ``links_sent``, ``links_answered``, ``links_journaled``,
``reporting`` (report.json
written, the other reports not), ``reported`` (every report written, the state not
committed).
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "CRMKIT_KILL_POINT"
POINTS = (
    "created",
    "reading",
    "validated",
    "plan_writing",
    "plan_saved",
    "planned",
    "batch_sent",
    "batch_answered",
    "batch_journaled",
    "objects_done",
    "links_sent",
    "links_answered",
    "links_journaled",
    "reporting",
    "reported",
)
_counts: dict[str, int] = {}
_lock = threading.Lock()


def killpoint(name: str) -> None:
    """SIGKILL this process if ``CRMKIT_KILL_POINT`` names this point (and this occurrence)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    with _lock:
        _counts[name] = _counts.get(name, 0) + 1
        reached = _counts[name]
    if reached >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
