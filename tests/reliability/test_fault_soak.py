"""Fault soak: generated exports through a sandbox that fails 20% of requests in every way it
can (errors before and after the commit, dropped connections, hangs past the client's timeout,
slow answers) at a tier limit the run must hit; then the sandbox is read back in full.

Deeper than tests/pipeline's fault test: the data comes from CSV files with planted dirt (so
preparation, dedupe and linking run for real), every planned property of every record is
compared, every association is read back, and the plan is checked against the generator's own
record of which rows are valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from crmkit import OBJECT_TYPES
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import FAULT_KINDS, running
from tests.support.cli import MakeDataset
from tests.support.portal import differences, planned_properties, read_back

RETRY = RetryPolicy(max_attempts=10, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
TIER, PER_WINDOW = "starter", 100


@dataclass(frozen=True)
class Soak:
    companies: int
    contacts: int
    tickets: int
    batch_size: int
    window_s: float


SOAKS = [
    pytest.param(Soak(60, 700, 700, batch_size=10, window_s=1.0), id="short"),
    pytest.param(
        Soak(1000, 5000, 5000, batch_size=50, window_s=2.0), id="long", marks=pytest.mark.slow
    ),
]


@pytest.mark.parametrize("soak", SOAKS)
def test_faults_of_every_kind_lose_and_double_nothing(
    soak: Soak, make_dataset: MakeDataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every valid row lands exactly once with its properties and links; the report's counts
    equal what the sandbox holds; pacing keeps 429s rare although the limit is reached."""
    data = make_dataset(soak.companies, soak.contacts, soak.tickets, seed=5)
    with running(
        tier=TIER, window_s=soak.window_s, fault_rate=0.2, seed=13, hang_s=0.6, slow_ms=50
    ) as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        result = run_import(
            ImportOptions(
                data_dir=data.folder,
                target=box.base_url,
                tier=TIER,
                output_dir=tmp_path / "out",
                run_id="soak",
                progress=False,
                concurrency=6,
                batch_size=soak.batch_size,
                link_batch_size=soak.batch_size * 2,
                window_s=soak.window_s,
                timeout_s=0.3,
                retry=RETRY,
            )
        )
        box.set_faults(0.0)  # the read-back is not under test
        stats = box.stats()
        plan = ImportPlan.load(result.run_dir / "plan.json")
        held = read_back(box.base_url, box.token, planned_properties(plan))

    assert result.complete, result.summary_text
    report = result.report
    # the plan is what the generator says is valid, not merely what crmkit decided
    for object_type, truth in data.truths.items():
        from_file = {r.key for r in plan.records[object_type] if r.origin == "file"}
        assert from_file == set(truth.valid_keys), object_type
        counts = report["objects"][object_type]
        assert (counts["rows"], counts["rejected"], counts["duplicates"]) == (
            truth.rows,
            truth.rejected,
            truth.duplicates,
        )
    # the sandbox holds the plan exactly: keys once each, every property, every link
    assert differences(held, plan) == []
    # the report's counts are what the sandbox holds
    for object_type in OBJECT_TYPES:
        counts = report["objects"][object_type]
        assert counts["failed"] == 0 and counts["updated"] == 0  # a fresh portal
        assert counts["planned"] == counts["created"]
        assert held.total(object_type) == counts["created"] + counts["created_from_tickets"]
    assert report["associations"]["created"] == len(held.links) == len(plan.links) > 0
    # every fault kind happened, and was survived
    assert all(stats["faults"][kind] > 0 for kind in FAULT_KINDS), stats["faults"]
    assert report["requests"]["retried"] > 0 and report["requests"]["transport_errors"] > 0
    # the run needed several windows' worth of object requests, paced without a 429 storm
    upserts = stats["requests"]["by_endpoint"]["POST /crm/v3/objects/{type}/batch/upsert"]
    assert upserts > PER_WINDOW  # more than one window holds: the limiter had to wait
    # the sandbox enforces the rolling window itself: had the client sent more than the
    # tier allows in any window, these would be 429s
    assert stats["rate_limited"]["TEN_SECONDLY_ROLLING"] <= 3
