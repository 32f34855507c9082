"""Progress of a run's stages: a bar per stage, and events anyone may listen to.

The bar is tqdm.auto (a widget in Jupyter, text in a terminal); batch runs (papermill, tests,
CI) turn it off, because a frozen "0%" in a saved notebook would mislead its reader. The
events are sent whether or not the bar shows: the live dashboard of ``03_import`` draws the
same counts the CLI's bars print (records landed and failed, requests, retries, 429s), from
the same calls, so the two can never tell different stories.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from typing import Any, Literal

EventKind = Literal["start", "advance", "end"]


@dataclass(frozen=True)
class ProgressEvent:
    """One step of one stage: how far it is and its live counters (cumulative)."""

    stage: str  # "plan", "companies", "contacts", "tickets", "associations", "rollback …"
    kind: EventKind
    done: int
    total: int | None
    counters: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


Listener = Callable[[ProgressEvent], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Send every progress event to ``listener`` inside the block."""
    subscribe(listener)
    try:
        yield listener
    finally:
        unsubscribe(listener)


def subscribe(listener: Listener) -> None:
    with _lock:
        if listener not in _listeners:
            _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)


def emit(event: ProgressEvent) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(event)


REQUEST_COUNTERS: tuple[str, ...] = ("requests", "retried", "rate_limited", "server_errors")


def requests_seen(stats: Mapping[str, int]) -> dict[str, int]:
    """The writer's request counters a progress line shows (the run's totals so far)."""
    return {name: int(stats.get(name, 0)) for name in REQUEST_COUNTERS}


class StageBar:
    """A progress bar that may be disabled, and the events of its stage (always sent)."""

    def __init__(self, desc: str, total: int | None, *, enabled: bool, unit: str = "rec") -> None:
        self._bar: Any = None
        self._stage = desc
        self._total = total
        self._done = 0
        self._counters: dict[str, int] = {}
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=unit, leave=True, dynamic_ncols=True)
        self._emit("start")

    def _emit(self, kind: EventKind) -> None:
        counters = MappingProxyType(dict(self._counters))
        emit(ProgressEvent(self._stage, kind, self._done, self._total, counters))

    def update(self, n: int = 1) -> None:
        self._done += n
        if self._bar is not None:
            self._bar.update(n)

    def note(self, **fields: int) -> None:
        """Live counters (landed, failed, requests, ...): beside the bar, and as an event."""
        self._counters.update(fields)
        if self._bar is not None:
            self._bar.set_postfix(fields, refresh=False)
        self._emit("advance")

    def close(self) -> None:
        if self._stage:
            self._emit("end")
            self._stage = ""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> StageBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
