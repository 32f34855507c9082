"""What an import run is asked to do, and what it hands back."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmkit.errors import ConfigError

if TYPE_CHECKING:
    from crmkit.hubspot import RetryPolicy
    from crmkit.sources import Discovery

DEFAULT_TARGET = "https://api.hubapi.com"
"""A real run without ``--target`` writes to HubSpot itself; tests and the demo pass the sandbox."""

MAX_BATCH = 100
"""HubSpot refuses object batches of more than 100 inputs."""

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class ImportOptions:
    """Options of one run; the CLI and the notebooks build the same object.

    ``resume`` names an earlier run to continue (its plan and journal are reloaded);
    ``run_id`` names a new run (default: UTC timestamp and a short random suffix), or an
    unfinished one to continue; ``replan`` makes a resume plan again from the current files.
    ``window_s``, ``timeout_s`` and ``retry`` exist so tests and benchmarks can scale the rate
    window, the client's timeout and its backoff down; real runs keep the documented defaults.
    """

    data_dir: Path | None = None
    mapping_file: Path | None = None
    target: str | None = None
    tier: str = "professional"
    concurrency: int = 16
    dry_run: bool = False
    resume: str | None = None
    run_id: str | None = None
    output_dir: Path = Path("output")
    progress: bool = True
    create_contacts_from_tickets: bool = True
    replan: bool = False
    strict: bool = False
    """Reject a row for any bad value (by default only when it cannot be written safely)."""
    batch_size: int = MAX_BATCH
    link_batch_size: int = 100
    window_s: float = 10.0
    timeout_s: float | None = None
    retry: RetryPolicy | None = None
    date_order: str | None = None
    sources: tuple[tuple[str, str], ...] = ()
    """``(object_type, file)`` from ``--companies/--contacts/--tickets FILE``: always win over
    what discovery would place (``crmkit.sources.discover``)."""

    discovery: Discovery | None = field(default=None, compare=False, repr=False)
    """The placement of ``sources`` and ``data_dir`` the CLI already printed: prepared as is,
    so a workbook is not opened twice (None: the run discovers; never stored in the journal)."""

    def source_overrides(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for object_type, file in self.sources:
            out.setdefault(object_type, []).append(file)
        return out

    update_policy: str = "overwrite"
    compare: bool = True
    """Read each batch from the portal before writing it (change-only writes, before-images).
    False sends every record as planned: one request per batch less, but rollback can then
    only archive what the run created, not restore what it updated."""

    def validated(self) -> ImportOptions:
        """Refuse options that cannot work, with a message a user can act on."""
        if self.resume is None and self.data_dir is None and not self.sources:
            raise ConfigError("--data DIR is required (or --resume RUN_ID)")
        if self.resume is not None and self.dry_run:
            raise ConfigError("--dry-run and --resume cannot be combined")
        if self.replan and self.resume is None and self.run_id is None:
            raise ConfigError("--replan goes with --resume RUN_ID (it plans that run again)")
        if self.concurrency < 1 or self.concurrency > 64:
            raise ConfigError(f"--concurrency must be between 1 and 64, got {self.concurrency}")
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ConfigError(f"batch size must be between 1 and {MAX_BATCH}")
        if self.update_policy not in ("overwrite", "fill-blanks", "never"):
            raise ConfigError(
                "--update-policy must be overwrite, fill-blanks or never,"
                f" got {self.update_policy!r}"
            )
        if self.link_batch_size < 1:
            raise ConfigError("association batch size must be at least 1")
        from crmkit.coerce.dateorder import check_date_order

        check_date_order(self.date_order)
        for name in ("run_id", "resume"):
            value = getattr(self, name)
            if value is not None:
                check_run_id(value)
        return self

    def journal_dict(self) -> dict[str, Any]:
        """The options as stored in the journal: plain values, never a secret."""
        return {
            "data_dir": str(self.data_dir.resolve()) if self.data_dir else None,
            "mapping_file": str(self.mapping_file.resolve()) if self.mapping_file else None,
            "target": self.target,
            "tier": self.tier,
            "concurrency": self.concurrency,
            "dry_run": self.dry_run,
            "create_contacts_from_tickets": self.create_contacts_from_tickets,
            "strict": self.strict,
            "batch_size": self.batch_size,
            "link_batch_size": self.link_batch_size,
            "window_s": self.window_s,
            "timeout_s": self.timeout_s,
            "sources": [list(pair) for pair in self.sources],
            "date_order": self.date_order,
            "update_policy": self.update_policy,
            "compare": self.compare,
        }


@dataclass(frozen=True)
class ImportResult:
    """What a run produced: its folder, the report dict (as in report.json) and the summary.

    ``stop_reason`` says why a run stopped early (token refused, portal unreachable);
    ``next_step`` what to do about it (how to resume), as summary.txt ends, or None.
    """

    run_id: str
    run_dir: Path
    report: dict[str, Any]
    summary_text: str
    complete: bool
    stop_reason: str | None = None
    next_step: str | None = None


def check_run_id(run_id: str) -> str:
    """A run id becomes a folder name: letters, digits, dot, dash, underscore only."""
    if not _RUN_ID.match(run_id) or ".." in run_id:
        raise ConfigError(
            f"run id {run_id!r} is not valid: use letters, digits, '.', '-' or '_' (max 80)"
        )
    return run_id


def new_run_id(now: datetime | None = None) -> str:
    """UTC timestamp plus a short random suffix: sortable, and unique across quick re-runs."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
