"""Per-stage seconds of the real dry-run path, without a second, instrumented copy of it.

The pipeline's own functions are wrapped in place for the duration of a ``with`` block, so the
code measured is exactly the code ``crmkit import --dry-run`` runs. Times are exclusive: the
planner's total excludes the dedupe step it calls, which is reported on its own. Whatever no
wrapper covers (glue, per-column distinct values for the mapper, accounting) is ``other``.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

STAGES: tuple[tuple[str, str, str], ...] = (
    ("read", "crmkit.io", "read_csv"),
    ("read", "crmkit.io", "iter_csv"),
    ("map", "crmkit.mapping", "auto_map"),
    ("map", "crmkit.mapping", "apply_overrides"),
    ("map", "crmkit.mapping.columns", "fill_values"),
    ("coerce", "crmkit.coerce", "coerce_frame"),
    ("extract", "crmkit.prepare", "_with_links"),
    ("validate", "crmkit.validate", "validate_frame"),
    ("plan", "crmkit.plan", "build_plan"),
    ("dedupe", "crmkit.plan.build", "merge_duplicates"),
    ("write", "crmkit.plan.model", "ImportPlan.save"),
    ("write", "crmkit.pipeline.run", "write_report_files"),
)
"""(stage, module, attribute) of each wrapped function; ``Class.method`` wraps a method."""

ORDER = ("read", "map", "coerce", "extract", "validate", "dedupe", "plan", "write", "other")


class StageClock:
    """Exclusive seconds per stage; nested calls are charged to the innermost stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(ORDER, 0.0)
        self._stack: list[float] = []  # time spent in nested stages, per open call

    def timed(self, stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            self._stack.append(0.0)
            try:
                result = func(*args, **kwargs)
            finally:
                self._close(stage, start)
            if stage == "read" and isinstance(result, Iterator):
                return self._timed_iter(stage, result)
            return result

        return wrapper

    def _close(self, stage: str, start: float) -> None:
        elapsed = time.perf_counter() - start
        nested = self._stack.pop()
        self.seconds[stage] += elapsed - nested
        if self._stack:
            self._stack[-1] += elapsed

    def _timed_iter(self, stage: str, items: Iterator[Any]) -> Iterator[Any]:
        """A generator's work happens in ``next``: charge each step to the stage."""
        while True:
            start = time.perf_counter()
            self._stack.append(0.0)
            try:
                item = next(items)
            except StopIteration:
                self._close(stage, start)
                return
            self._close(stage, start)
            yield item

    def report(self, total_s: float) -> dict[str, float]:
        covered = sum(v for k, v in self.seconds.items() if k != "other")
        out = {k: round(v, 3) for k, v in self.seconds.items()}
        out["other"] = round(max(0.0, total_s - covered), 3)
        return out


@contextmanager
def instrumented() -> Iterator[StageClock]:
    """Wrap every function of :data:`STAGES` for the block; restore them afterwards."""
    clock = StageClock()
    undo: list[tuple[Any, str, Any]] = []
    try:
        for stage, module_name, attr in STAGES:
            owner: Any = importlib.import_module(module_name)
            name = attr
            if "." in attr:
                cls_name, name = attr.split(".", 1)
                owner = getattr(owner, cls_name)
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            undo.append((owner, name, original))
            setattr(owner, name, clock.timed(stage, original))
        yield clock
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)
