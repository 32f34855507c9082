"""Real exports imported over HTTP into the sandbox: every row accounted for, nothing twice."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkit import OBJECT_TYPES
from crmkit.cli import main
from crmkit.hubspot import HubSpotClient, RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.sandbox import RunningSandbox, running
from tests.realworld.rw_support import EXPORTS, planned

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
KEY = {"contacts": "email", "companies": "crmkit_import_key", "tickets": "crmkit_import_key"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        yield box


def _portal_keys(box: RunningSandbox) -> dict[str, Counter[str]]:
    with HubSpotClient(box.base_url, box.token, tier="enterprise") as client:
        return {
            t: Counter(
                str((o.get("properties") or {}).get(KEY[t]))
                for o in client.iter_objects(t, properties=[KEY[t]])
            )
            for t in OBJECT_TYPES
        }


def _accounted(report: dict[str, object]) -> None:
    objects = report["objects"]
    assert isinstance(objects, dict)
    for counts in objects.values():
        landed = counts["created"] + counts["updated"] + counts["failed"]
        assert counts["rows"] == counts["rejected"] + counts["duplicates"] + counts["planned"]
        assert counts["planned"] == landed  # created_from_tickets comes on top


def test_salesforce_export_lands_and_reruns_without_copies(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accounts, contacts and cases land with their links; the second run only updates."""
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", sandbox.token)
    options = {
        "data_dir": EXPORTS / "salesforce",
        "output_dir": tmp_path / "out",
        "target": sandbox.base_url,
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
    }
    first = run_import(ImportOptions(**options, run_id="sf1"))
    assert first.complete, first.summary_text
    _accounted(first.report)
    plan = planned("salesforce")
    keys = _portal_keys(sandbox)
    for object_type, records in plan.records.items():
        assert keys[object_type] == Counter(r.key for r in records), object_type
    assert first.report["associations"]["created"] == len(plan.links)
    assert first.report["associations"]["failed"] == 0

    again = run_import(ImportOptions(**options, run_id="sf2"))
    assert again.complete, again.summary_text
    assert _portal_keys(sandbox) == keys
    assert {t: c["created"] for t, c in again.report["objects"].items()} == dict.fromkeys(
        plan.records, 0
    )


def test_pipedrive_cp1252_export_through_the_cli(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command a user types: exit 0, every valid row landed, errors.csv lists the rest."""
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", sandbox.token)
    out = tmp_path / "out"
    code = main(
        ["import", "--data", str(EXPORTS / "pipedrive"), "--target", sandbox.base_url,
         "--output", str(out), "--run-id", "pd1", "--tier", "enterprise", "--no-progress"]
    )  # fmt: skip
    report = json.loads((out / "runs" / "pd1" / "report.json").read_text(encoding="utf-8"))
    _accounted(report)
    assert code == 0, (out / "runs" / "pd1" / "summary.txt").read_text(encoding="utf-8")
    plan = planned("pipedrive")
    keys = _portal_keys(sandbox)
    for object_type, records in plan.records.items():
        assert Counter(r.key for r in records) <= keys[object_type]
