"""The closed sets of a run: its life, its records' and links' states, its report's status.

A run moves through its life one named transition at a time, and each transition is one
journal commit (the journal, in WAL mode, is the truth; files beside it are written to a
temporary name and renamed). A process killed at any moment therefore leaves the run in one
of these states, and ``--resume`` knows from it what is left to do::

    created ──► planned ──► objects ──► associations ──► reported ──► rolled_back
       │           │           │              │
       └───────────┴───────────┴──────────────┴──► stopped | failed  (resumable)

- ``created``       the run and its options (data folder, mapping file) are recorded; the plan
                    is not saved yet, so nothing was sent: resume plans again from the data folder
- ``planned``       plan.json is saved and its records and links are in the journal
- ``objects``       records are being written (companies, contacts, tickets)
- ``associations``  links are being written
- ``reported``      the report files are written and nothing is left to send: finished
- ``stopped``       ended early on purpose (daily limit, token refused, portal gone, Ctrl-C)
                    with its report written where it could be; resume sends the rest
- ``failed``        ended by an unexpected error; what landed is journaled; resume continues
- ``rolled_back``   ``crmkit rollback`` archived what the run created: it cannot be resumed
"""

from __future__ import annotations

from typing import Literal, get_args

from crmkit.errors import InternalError

RunState = Literal[
    "created", "planned", "objects", "associations", "reported", "stopped", "failed", "rolled_back"
]
RecordState = Literal["new", "sent", "created", "updated", "failed", "unchanged"]
LinkState = Literal["new", "sent", "created", "failed"]
ReportStatus = Literal["complete", "incomplete", "stopped_daily_limit", "planned"]

RUN_STATES: tuple[RunState, ...] = get_args(RunState)
RECORD_STATES: tuple[RecordState, ...] = get_args(RecordState)
LINK_STATES: tuple[LinkState, ...] = get_args(LinkState)
REPORT_STATUSES: tuple[ReportStatus, ...] = get_args(ReportStatus)

LANDED: frozenset[str] = frozenset({"created", "updated", "unchanged"})
"""Record states that mean the record is in the portal (unchanged: it held the values already,
nothing was sent)."""
PENDING: frozenset[str] = frozenset({"new", "sent"})
"""Record and link states that a resume sends (again)."""
FINISHED: frozenset[RunState] = frozenset({"reported", "rolled_back"})
"""States a resume does not continue from."""
_ENDINGS: frozenset[RunState] = frozenset({"stopped", "failed", "rolled_back"})
_RESUMED: frozenset[RunState] = frozenset({"created", "planned", "objects", "associations"})


def _then(*states: RunState) -> frozenset[RunState]:
    return frozenset(states) | _ENDINGS


TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    "created": _then("planned"),
    "planned": _then("objects"),
    "objects": _then("associations"),
    "associations": _then("reported"),
    "reported": frozenset({"rolled_back", "created"}),  # created: --replan of a finished run
    "stopped": _RESUMED | _ENDINGS,
    "failed": _RESUMED | _ENDINGS,
    "rolled_back": frozenset(),
}
"""Which state may follow which; every state may also stay itself (a resume re-entering it)."""


def check_transition(before: str, after: RunState) -> RunState:
    """``after`` when the run may move there from ``before``; a bug in crmkit otherwise."""
    if before == after:
        return after
    if after not in TRANSITIONS.get(as_run_state(before), frozenset()):
        raise InternalError(f"a run cannot go from {before!r} to {after!r}")
    return after


def as_run_state(value: str) -> RunState:
    """A state read back from a journal; journals of earlier crmkit versions map onto the set."""
    for state in RUN_STATES:
        if value == state:
            return state
    legacy: dict[str, RunState] = {
        "running": "objects",
        "complete": "reported",
        "incomplete": "stopped",
        "stopped_daily_limit": "stopped",
        "interrupted": "stopped",
    }
    if value in legacy:
        return legacy[value]
    raise InternalError(f"unknown run state {value!r} in the journal")
