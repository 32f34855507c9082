"""Helpers for tests over HTTP: read a sandbox back and compare it with a plan.

The read-back itself is the reliability suite's (``tests/reliability/readback.py``), so the
two suites cannot drift apart in how they read a portal; its folder is put on ``sys.path``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from crmkit import OBJECT_TYPES
from crmkit.plan.model import ImportPlan

RELIABILITY = str(Path(__file__).resolve().parents[1] / "reliability")
if RELIABILITY not in sys.path:
    sys.path.append(RELIABILITY)

from readback import KEY_PROPERTY, Held, read_back  # noqa: E402


def read_portal(base_url: str, token: str) -> Held:
    """Every live record (upsert key and display name) and every association, by key."""
    wanted = {t: [KEY_PROPERTY[t], "name", "firstname", "subject"] for t in OBJECT_TYPES}
    return read_back(base_url, token, wanted)


def planned_keys(plan: ImportPlan) -> dict[str, Counter[str]]:
    return {t: Counter(r.key for r in plan.records.get(t, [])) for t in OBJECT_TYPES}


def planned_links(plan: ImportPlan) -> set[tuple[str, str, str, str]]:
    return {(k.from_type, k.from_key, k.to_type, k.to_key) for k in plan.links}
