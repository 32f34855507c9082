"""A finished run as its journal recorded it: what verify and rollback start from.

Both commands name a run by id, need its journal (dry runs have none), the portal it wrote to
(or the ``--target`` given) and the options it ran with, so they ask the portal the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crmkit.errors import ConfigError
from crmkit.pipeline.options import ImportOptions, check_run_id
from crmkit.pipeline.runfolder import RunFolder


def journaled_run(run_id: str, output_dir: Path) -> RunFolder:
    """The run's folder; a ConfigError when the id is not valid or the run has no journal."""
    check_run_id(run_id)
    folder = RunFolder.of(output_dir, run_id)
    if not folder.has_journal():
        raise ConfigError(f"no journal for run {run_id!r} in {folder.path} (dry runs have none)")
    return folder


def recorded_options(info: dict[str, Any], *, progress: bool = False) -> ImportOptions:
    """The options the run recorded that talking to its portal needs (tier, window, timeout)."""
    stored = info.get("options", {})
    return ImportOptions(
        tier=str(stored.get("tier", "professional")),
        window_s=float(stored.get("window_s") or 10.0),
        timeout_s=stored.get("timeout_s"),
        progress=progress,
    )


def recorded_target(run_id: str, info: dict[str, Any], target: str | None) -> str:
    """``target`` when given, else the portal the run wrote to."""
    portal = target or info.get("target")
    if not portal:
        raise ConfigError(f"run {run_id!r} has no target; pass --target URL")
    return str(portal)
