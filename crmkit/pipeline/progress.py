"""One progress bar per stage (tqdm.auto: a widget in Jupyter, text in a terminal).

Batch runs (papermill, tests, CI) turn the bars off: a frozen "0%" in an exported report
would mislead its reader.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any


class StageBar:
    """A progress bar that may be disabled; the pipeline always calls the same methods."""

    def __init__(self, desc: str, total: int | None, *, enabled: bool, unit: str = "rec") -> None:
        self._bar: Any = None
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=unit, leave=True, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def note(self, **fields: object) -> None:
        """Show live counters (created, failed, ...) beside the bar."""
        if self._bar is not None:
            self._bar.set_postfix(fields, refresh=False)

    def close(self) -> None:
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
