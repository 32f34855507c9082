"""Shared fixtures for the real-world export tests: each system's folder, prepared once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from crmkit.plan import ImportPlan, build_plan
from crmkit.prepare import Prepared, prepare_folder

EXPORTS = Path(__file__).resolve().parent / "exports"
SYSTEMS = sorted(p.name for p in EXPORTS.iterdir() if p.is_dir())


@cache
def prepared(system: str) -> Prepared:
    """The system's folder prepared with no mapping file (what a first dry run sees)."""
    return prepare_folder(EXPORTS / system)


@cache
def planned(system: str) -> ImportPlan:
    return build_plan(prepared(system))
