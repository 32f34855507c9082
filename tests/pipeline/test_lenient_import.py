"""Issue 9 over real HTTP: real exports land whole; a bad value is left out, never the record.

The fixtures in ``lenient_exports/`` reproduce public export formats (sources in its README):
datablist's sample organizations and customers, and a Freshdesk trial's ticket export with
custom types ("Push Notifications", "API / Integrations") and a custom status ("OpenPending").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmkit.cli import main
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.pipeline.options import ImportResult
from crmkit.pipeline.outcome import file_outcomes, outcome_lines
from crmkit.sandbox import RunningSandbox, running
from tests.support.portal import read_back

EXPORTS = Path(__file__).resolve().parent / "lenient_exports"
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def run(box: RunningSandbox, tmp_path: Path, folder: str, **kw: Any) -> ImportResult:
    return run_import(
        ImportOptions(
            data_dir=EXPORTS / folder,
            output_dir=tmp_path / "out",
            target=box.base_url,
            tier="enterprise",
            progress=False,
            retry=FAST_RETRY,
            **kw,
        )
    )


def values_csv(result: ImportResult) -> list[dict[str, str]]:
    with (result.run_dir / "values.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def held(box: RunningSandbox, properties: dict[str, list[str]]) -> Any:
    wanted = {"companies": [], "contacts": [], "tickets": [], **properties}
    return read_back(
        box.base_url, box.token, {t: ["crmkit_import_key", "email", *p] for t, p in wanted.items()}
    )


def test_datablist_companies_land_without_their_unreadable_values(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Every organization lands with its industry ("Public Relations / PR", "Arts / Crafts",
    "Computer Software / Engineering": every part names one option), £12,500,000 read as a
    number, an unreadable revenue left out; each customer links to its company; the contact
    whose only address is invalid is the one row rejected (email is a contact's upsert key)."""
    result = run(sandbox, tmp_path, "datablist", run_id="lenient")
    companies = result.report["objects"]["companies"]
    assert (companies["rows"], companies["rejected"], companies["created"]) == (6, 0, 6)
    assert companies["landed_partial"] == 1  # one revenue; every industry matches an option
    assert companies["values_dropped"] == 1
    contacts = result.report["objects"]["contacts"]
    assert (contacts["rows"], contacts["rejected"], contacts["created"]) == (5, 1, 4)
    assert result.report["rejected_by_reason"]["contacts"] == {"INVALID_EMAIL": 1}

    state = held(sandbox, {"companies": ["name", "annualrevenue", "industry"]})
    by_name = {p["name"]: p for p in state.properties["companies"].values()}
    assert set(by_name) >= {"Hester Ltd", "Mayer Group", "Henry-Thompson"}
    assert by_name["Hester Ltd"]["annualrevenue"] in ("12500000", "12500000.0")
    assert not by_name["Henry-Thompson"].get("annualrevenue")
    assert by_name["Mayer Group"]["industry"] == "ARTS_AND_CRAFTS"
    assert by_name["Hester Ltd"]["industry"] == "PUBLIC_RELATIONS_AND_COMMUNICATIONS"
    assert by_name["Henry-Thompson"]["industry"] == "COMPUTER_SOFTWARE"
    assert result.report["associations"]["created"] == result.report["associations"]["planned"]
    assert result.report["associations"]["planned"] == 4  # every landed customer: its company

    lines = values_csv(result)
    revenue = [v for v in lines if v["value"] == "Undisclosed"]
    assert revenue == [
        {
            "file": "companies.csv",
            "row": "7",
            "key": revenue[0]["key"],
            "column": "Annual Revenue",
            "property": "annualrevenue",
            "value": "Undisclosed",
            "reason": revenue[0]["reason"],
            "action": "left out",
        }
    ]
    assert revenue[0]["key"].startswith("company:")
    unmatched = {(v["row"], v["value"]) for v in lines if v["action"] == "left empty (unmatched)"}
    assert unmatched == set()
    assert not result.report["unmatched"].get("companies")
    quality = result.report["quality"]["companies"]
    assert quality["columns"]["industry"] == 1.0
    assert quality["matched"]["industry"] == 1.0


def test_strict_rejects_every_row_with_a_bad_value(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """``--strict`` restores the old rule: the company with a bad value (an unreadable revenue)
    is rejected; the industries all match, so they reject nothing."""
    result = run(sandbox, tmp_path, "datablist", run_id="strict", strict=True)
    companies = result.report["objects"]["companies"]
    assert (companies["rejected"], companies["created"], companies["landed_partial"]) == (1, 5, 0)
    assert result.report["rejected_by_reason"]["companies"] == {"INVALID_NUMBER": 1}
    assert result.report["associations"]["planned"] == 4


def test_freshdesk_custom_types_and_statuses_land_with_the_first_stage(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Tickets whose type or status the portal lacks land: the type left empty, the status
    replaced by the pipeline's first stage (New), both listed row by row."""
    result = run(sandbox, tmp_path, "freshdesk", run_id="fd")
    tickets = result.report["objects"]["tickets"]
    assert (tickets["rows"], tickets["rejected"], tickets["created"]) == (5, 0, 5)
    assert tickets["landed_partial"] == 3 and tickets["defaults"] == 2
    state = held(sandbox, {"tickets": ["subject", "hs_pipeline_stage", "hs_ticket_category"]})
    by_subject = {p["subject"]: p for p in state.properties["tickets"].values()}
    webhook = by_subject["Webhook retries flood our endpoint"]
    assert webhook["hs_pipeline_stage"] == "1" and not webhook.get("hs_ticket_category")
    lines = values_csv(result)
    defaults = [(v["row"], v["property"]) for v in lines if v["action"] == "default"]
    assert ("3", "hs_pipeline_stage") in defaults and ("5", "hs_pipeline_stage") in defaults
    assert result.report["unmatched"]["tickets"] == {
        "hs_pipeline_stage": {"OpenPending": 2},
        "hs_ticket_category": {"Push Notifications": 2, "API / Integrations": 1},
    }
    (outcome,) = file_outcomes(result.report)
    assert (outcome.rows, outcome.landed, outcome.landed_partial) == (5, 5, 3)
    assert not outcome.flagged


def test_the_cli_ends_with_the_outcome_per_file(
    sandbox: RunningSandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The summary leads with the outcome, a lossy file flagged first; the CLI ends with it."""
    out = tmp_path / "out"
    args = ["import", "--data", str(EXPORTS / "datablist"), "--target", sandbox.base_url]
    args += ["--tier", "enterprise", "--output", str(out), "--run-id", "cli", "--no-progress"]
    assert main(args) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    run_dir = out / "runs" / "cli"
    report = json.loads((run_dir / "report.json").read_text())
    expected = outcome_lines(report)
    assert expected[0].startswith("WARNING: contacts.csv lost 20.0 % of its rows")
    assert printed[-len(expected) :] == expected
    summary = (run_dir / "summary.txt").read_text().splitlines()
    assert summary[: len(expected)] == expected
    assert "companies.csv: 6 of 6 rows landed (1 without some values), 0 rejected" in summary[1]
    assert report["outcome"][1]["top_reasons"] == [{"category": "INVALID_EMAIL", "rows": 1}]
