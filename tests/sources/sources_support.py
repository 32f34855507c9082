"""Shared by the source tests over HTTP: run ``crmkit import`` on a folder, read the portal back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.cli import main
from crmkit.hubspot import HubSpotClient
from crmkit.plan.model import ImportPlan
from tests.support.portal import planned_keys, read_portal
from tests.support.portal import planned_links as all_planned_links

__all__ = ["imported", "planned_keys", "planned_links", "portal_notes", "read_portal"]


def planned_links(plan: ImportPlan) -> set[tuple[str, str, str, str]]:
    """The planned links between companies, contacts and tickets (notes: ``portal_notes``)."""
    return {k for k in all_planned_links(plan) if k[0] != "notes"}


def portal_notes(base_url: str, token: str) -> dict[str, dict[str, Any]]:
    """Every live note by its import key: body, timestamp and the ids it is linked to."""
    client = HubSpotClient(base_url, token)
    notes = list(client.iter_objects("notes", properties=["crmkit_import_key", "hs_note_body",
                                                          "hs_timestamp"]))  # fmt: skip
    out: dict[str, dict[str, Any]] = {}
    for note in notes:
        props = note["properties"]
        linked: set[tuple[str, str]] = set()
        for to_type in OBJECT_TYPES:
            for result in client.read_associations("notes", to_type, [note["id"]]).results:
                linked |= {(to_type, str(t.get("toObjectId", t.get("id")))) for t in result["to"]}
        key = props.get("crmkit_import_key") or note["id"]
        assert key not in out, f"note {key} is in the portal twice"
        out[key] = {"body": props.get("hs_note_body"), "when": props.get("hs_timestamp"),
                    "linked": linked}  # fmt: skip
    return out


def imported(
    folder: Path, out: Path, target: str, *extra: str
) -> tuple[int, dict[str, Any], ImportPlan]:
    """``crmkit import`` as a user types it; exit code, report.json and the plan."""
    code = main(
        ["import", "--data", str(folder), "--target", target, "--tier", "enterprise",
         "--output", str(out), "--run-id", "r1", "--no-progress", *extra]
    )  # fmt: skip
    run_dir = out / "runs" / "r1"
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return code, report, ImportPlan.load(run_dir / "plan.json")
