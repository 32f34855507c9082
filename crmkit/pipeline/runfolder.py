"""The run folder, ``output/runs/<run_id>/``: the one place that knows its layout.

Every part that reads or writes a run's files asks a :class:`RunFolder` for the path, so the
layout is spelled once. Files are written to a temporary name and renamed into place, so a
kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crmkit.errors import ConfigError
from crmkit.killpoints import killpoint

PLAN_JSON = "plan.json"
JOURNAL_SQLITE = "journal.sqlite"
REPORT_JSON = "report.json"
SUMMARY_TXT = "summary.txt"
ERRORS_CSV = "errors.csv"
VALUES_CSV = "values.csv"
REPORT_HTML = "report.html"
NOTEBOOKS = "notebooks"


def runs_dir(output_dir: Path | str) -> Path:
    """Where every run of an output folder lives."""
    return Path(output_dir) / "runs"


@dataclass(frozen=True)
class RunFolder:
    """One run's folder and the names of everything in it."""

    path: Path

    @classmethod
    def of(cls, output_dir: Path | str, run_id: str) -> RunFolder:
        return cls(runs_dir(output_dir) / run_id)

    @property
    def run_id(self) -> str:
        return self.path.name

    @property
    def plan(self) -> Path:
        return self.path / PLAN_JSON

    @property
    def journal(self) -> Path:
        return self.path / JOURNAL_SQLITE

    @property
    def lock(self) -> Path:
        return self.path / (JOURNAL_SQLITE + ".lock")

    @property
    def report_json(self) -> Path:
        return self.path / REPORT_JSON

    @property
    def summary_txt(self) -> Path:
        return self.path / SUMMARY_TXT

    @property
    def errors_csv(self) -> Path:
        return self.path / ERRORS_CSV

    @property
    def values_csv(self) -> Path:
        return self.path / VALUES_CSV

    @property
    def report_html(self) -> Path:
        return self.path / REPORT_HTML

    @property
    def notebooks(self) -> Path:
        return self.path / NOTEBOOKS

    def report_status(self) -> str:
        """report.json's ``status``, or ``unknown`` when there is no readable report."""
        try:
            report = json.loads(self.report_json.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "unknown"
        return str(report.get("status", "unknown")) if isinstance(report, dict) else "unknown"

    def has_journal(self) -> bool:
        return self.journal.is_file()

    def create(self) -> None:
        """Make the folder (and its parents); a path that cannot be made is the user's to fix."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the run folder {self.path}: {exc.strerror or exc};"
                " choose another --output"
            ) from None

    def remove_journal(self) -> None:
        """Delete the journal with SQLite's -wal and -shm files and the lock file."""
        for path in self.path.glob(JOURNAL_SQLITE + "*"):
            path.unlink(missing_ok=True)

    def remove_if_empty(self) -> None:
        if self.path.is_dir() and not any(self.path.iterdir()):
            self.path.rmdir()


def write_atomically(path: Path, write: Callable[[Path], object], *, point: str = "") -> Path:
    """Write through ``write(temporary path)``, flush it to disk, then rename it into place.

    ``point`` names the kill point between the write and the rename (tests kill there).
    """
    tmp = path.with_name(path.name + ".partial")
    write(tmp)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    if point:
        killpoint(point)
    tmp.replace(path)
    return path


def write_text_atomically(path: Path, text: str, *, point: str = "") -> Path:
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), point=point)
