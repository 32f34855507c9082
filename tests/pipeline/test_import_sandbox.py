"""The import over real HTTP against the sandbox, with hand-made plans (no CSV preparation).

Each test reads the sandbox back and compares it with the plan: nothing lost, nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmkit.cli import main
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, rollback, run_import
from crmkit.pipeline.options import ImportResult
from crmkit.plan.model import ImportPlan
from crmkit.sandbox import RunningSandbox, running
from tests.support.pipeline_fakes import make_plan, record
from tests.support.portal import planned_keys, planned_links, read_portal

FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def run(box: RunningSandbox, tmp_path: Path, plan: ImportPlan, **kw: Any) -> ImportResult:
    base: dict[str, Any] = {
        "data_dir": tmp_path,
        "output_dir": tmp_path / "out",
        "target": box.base_url,
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
    }
    base.update(kw)
    return run_import(ImportOptions(**base), plan=plan)


def assert_matches_plan(box: RunningSandbox, plan: ImportPlan) -> None:
    state = read_portal(box.base_url, box.token)
    assert state.counts == planned_keys(plan)
    assert state.links == planned_links(plan)


def test_import_lands_every_record_and_link(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """All planned records and links are in the sandbox, once each, with their properties."""
    plan = make_plan(companies=12, contacts=130, tickets=60, from_tickets=3)
    result = run(sandbox, tmp_path, plan, run_id="r1")
    assert result.complete, result.summary_text
    assert_matches_plan(sandbox, plan)
    state = read_portal(sandbox.base_url, sandbox.token)
    assert state.properties["companies"]["co3.example"]["name"] == "Co 3"
    report = result.report
    assert report["objects"]["contacts"]["created"] == 130
    assert report["objects"]["contacts"]["created_from_tickets"] == 3
    assert report["associations"]["created"] == len(plan.links)
    assert report["requests"]["total"] >= len(report["batches"])
    assert report["ceiling_records_per_s"] == pytest.approx(1900.0)


def test_one_invalid_record_does_not_sink_its_batch(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A batch of 100 with one bad email writes the other 99 and reports the one."""
    plan = make_plan(companies=1, contacts=100, tickets=0, rejected_contacts=0, from_tickets=0)
    plan.links = []
    bad = plan.records["contacts"][41]
    plan.records["contacts"][41] = record("contacts", "not-an-email", bad.source_rows[0][1])
    result = run(sandbox, tmp_path, plan, run_id="r1", concurrency=1)
    objects = result.report["objects"]["contacts"]
    assert objects["created"] == 99 and objects["failed"] == 1
    assert not result.complete
    assert [b["records"] for b in result.report["batches"]] == [1, 100]
    state = read_portal(sandbox.base_url, sandbox.token)
    assert sum(state.counts["contacts"].values()) == 99
    errors = (result.run_dir / "errors.csv").read_text()
    assert "not-an-email" in errors and "contacts.csv,43," in errors


def test_rerun_creates_nothing_new(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """Importing the same plan again updates every record and creates none."""
    plan = make_plan(companies=5, contacts=40, tickets=20)
    first = run(sandbox, tmp_path, plan, run_id="first")
    second = run(sandbox, tmp_path, plan, run_id="second")
    assert first.complete and second.complete
    for o in second.report["objects"].values():
        assert o["created"] == 0 and o["unchanged"] == o["planned"]  # nothing sent again
    assert_matches_plan(sandbox, plan)


def test_faults_and_rate_limit_lose_and_duplicate_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """20% faults of every kind (commit-then-fail, hangs past the timeout) at a tier limit the
    run must hit: every record lands once, every link is made, and 429s stay rare."""
    plan = make_plan(companies=20, contacts=300, tickets=200, from_tickets=5)
    with running(tier="free", window_s=1.0, fault_rate=0.2, seed=7, hang_s=0.6, slow_ms=50) as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        result = run(
            box,
            tmp_path,
            plan,
            run_id="faulty",
            tier="free",
            window_s=1.0,
            timeout_s=0.3,
            batch_size=5,
            link_batch_size=50,
            concurrency=6,
        )
        assert result.complete, result.summary_text
        assert_matches_plan(box, plan)
        stats = box.stats()
    report = result.report
    upserts = sum(1 for b in report["batches"] if b["action"] == "upsert")
    batches = sum(-(-len(records) // 5) for records in plan.records.values())
    assert batches > 100  # the scenario: more writes than the free tier's 100 per window
    # those upserts + retries: more than 100 per (scaled) window, so the limit is hit
    assert report["requests"]["total"] - report["associations"]["planned"] // 50 > 100
    assert report["duration_s"] >= 1.0
    assert report["requests"]["retried"] > 0 and report["requests"]["transport_errors"] > 0
    assert report["requests"]["rate_limited"] <= 5  # paced, no storm
    assert upserts == batches
    # commit-then-fail writes answer "new: false" on retry, yet this run made them
    for object_type, records in plan.records.items():
        counts = report["objects"][object_type]
        assert counts["created"] == plan.from_file(object_type) > 0
        assert counts["created_from_tickets"] == len(records) - plan.from_file(object_type)
    assert sum(stats["faults"].values()) > 0


def test_rollback_archives_created_and_keeps_updated(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Rollback removes what the run created; records that existed before stay."""
    small = make_plan(companies=2, contacts=4, tickets=0, rejected_contacts=0, from_tickets=0)
    small.links = []
    run(sandbox, tmp_path, small, run_id="before")
    plan = make_plan(companies=4, contacts=10, tickets=5)
    result = run(sandbox, tmp_path, plan, run_id="big")
    assert result.report["objects"]["companies"]["unchanged"] == 2
    text = rollback("big", output_dir=tmp_path / "out")
    assert "archived" in text
    state = read_portal(sandbox.base_url, sandbox.token)
    assert state.counts == planned_keys(small)
    assert rollback("big", output_dir=tmp_path / "out").startswith("Nothing to roll back")


def test_daily_limit_stops_cleanly_and_resumes_next_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The DAILY 429 ends the run (status, resumable); the next day the resume finishes it."""
    plan = make_plan(companies=5, contacts=60, tickets=30)
    with running(tier="enterprise", daily_limit=14) as box:  # reads before writes count too
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        first = run(box, tmp_path, plan, run_id="day", batch_size=10, concurrency=1)
        assert first.report["status"] == "stopped_daily_limit" and not first.complete
        assert "--resume day" in first.summary_text
        box.advance_day()
        second = run(box, tmp_path, plan, resume="day", data_dir=None)
        assert second.complete, second.summary_text
        assert second.report["objects"]["contacts"]["created"] == 60
        box.advance_day(7)  # reading back costs requests too
        assert_matches_plan(box, plan)


def test_wrong_token_is_a_clear_error_without_the_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused token ends `crmkit import` with a one-line message (exit 2) that never shows
    the token, and leaves no secret in the run folder."""
    wrong = "pat-na1-fake0000-wrong-token-do-not-print"
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", wrong)
    data = tmp_path / "data"
    data.mkdir()
    (data / "contacts.csv").write_text("Email,First Name\nann@example.com,Ann\n", encoding="utf-8")
    with running() as box:
        code = main(
            [
                "import",
                "--data",
                str(data),
                "--target",
                box.base_url,
                "--output",
                str(tmp_path / "out"),
                "--run-id",
                "bad",
                "--no-progress",
            ]
        )
    err = capsys.readouterr().err
    assert code == 2
    assert "HUBSPOT_ACCESS_TOKEN" in err and wrong not in err
    assert "Traceback" not in err
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert wrong.encode() not in path.read_bytes()
